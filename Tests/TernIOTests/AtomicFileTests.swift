import Foundation
import TernIO
import TestSupport
import Testing

@Suite struct AtomicFileTests {
    @Test("a write replaces the file whole and leaves nothing behind, beside it or in the temporary folder")
    func replacesWholeAndLeavesNothing() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("state.json")
        let systemTemporary = FileManager.default.temporaryDirectory.path
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: systemTemporary))
        try AtomicFile.write(Array("first".utf8), to: path)
        try AtomicFile.write(Data("second, longer".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["state.json"])
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: systemTemporary))
        #expect(after.subtracting(before).filter { $0.hasPrefix("TemporaryDirectory.") }.isEmpty)
    }

    @Test("a write that cannot happen throws, names the file and keeps the old contents")
    func failureKeepsOldContents() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("kept.txt")
        try AtomicFile.write(Array("old".utf8), to: path)
        let missingFolder = folder.file("absent/kept.txt")
        let error = #expect(throws: TernIOError.self) { try AtomicFile.write(Array("new".utf8), to: missingFolder) }
        #expect(error?.localizedDescription.contains(missingFolder) == true)
        // A folder where the file should go: the rename fails, and the temporary file is removed.
        try FileManager.default.createDirectory(atPath: folder.file("busy"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: folder.file("busy/inner"), withIntermediateDirectories: false)
        #expect(throws: TernIOError.self) { try AtomicFile.write(Array("new".utf8), to: folder.file("busy")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["busy", "kept.txt"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
    }
}
