import Foundation
import TernTokenizer
import TestSupport
import Testing

/// Damaged vocabulary folders give errors that name the file, never a crash.
@Suite struct VocabularyFileTests {
    /// A copy of the committed Multi30k vocabulary in a temporary folder.
    func copyOfVocabulary() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        for file in [VocabularyStore.piecesFile, VocabularyStore.mergesFile, VocabularyStore.manifestFile] {
            try FileManager.default.copyItem(atPath: PackagePaths.vocabulary("multi30k-en-de") + "/" + file, toPath: folder.file(file))
        }
        return folder
    }

    func expectLoadError(_ folder: TemporaryDirectory, mentioning fragments: [String]) {
        do {
            _ = try VocabularyStore.load(from: folder.path)
            Issue.record("loading a damaged vocabulary succeeded")
        } catch {
            let message = error.localizedDescription
            for fragment in fragments { #expect(message.contains(fragment), "message: \(message)") }
        }
    }

    @Test("the committed vocabularies load", arguments: ["multi30k-en-de", "en-zh"])
    func committedVocabulariesLoad(name: String) throws {
        let vocabulary = try VocabularyStore.load(from: PackagePaths.vocabulary(name))
        #expect(vocabulary.size == (name == "en-zh" ? 8000 : 6000))
    }

    @Test("a truncated vocab.txt is reported as truncated")
    func truncatedPieces() throws {
        let folder = try copyOfVocabulary()
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("vocab.txt")))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: folder.file("vocab.txt")))
        expectLoadError(folder, mentioning: ["vocab.txt", "truncated"])
    }

    @Test("a truncated merges.txt is reported as truncated")
    func truncatedMerges() throws {
        let folder = try copyOfVocabulary()
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("merges.txt")))
        try data.prefix(data.count - 100).write(to: URL(fileURLWithPath: folder.file("merges.txt")))
        expectLoadError(folder, mentioning: ["merges.txt"])
    }

    @Test("a merge rule naming an unknown piece is reported with its line")
    func badMergeLine() throws {
        let folder = try copyOfVocabulary()
        var lines = try String(contentsOfFile: folder.file("merges.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        lines[9] = "nosuchpiece x"
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder.file("merges.txt"), atomically: true, encoding: .utf8)
        expectLoadError(folder, mentioning: ["merges.txt:10"])
    }

    @Test("a duplicated piece is reported with its line")
    func duplicatePiece() throws {
        let folder = try copyOfVocabulary()
        var lines = try String(contentsOfFile: folder.file("vocab.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        lines[400] = lines[300]
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder.file("vocab.txt"), atomically: true, encoding: .utf8)
        expectLoadError(folder, mentioning: ["vocab.txt:401", "twice"])
    }

    @Test("bytes that are not UTF-8 in vocab.txt are reported")
    func invalidUTF8() throws {
        let folder = try copyOfVocabulary()
        var data = try Data(contentsOf: URL(fileURLWithPath: folder.file("vocab.txt")))
        data[data.count / 2] = 0xFF
        try data.write(to: URL(fileURLWithPath: folder.file("vocab.txt")))
        expectLoadError(folder, mentioning: ["vocab.txt", "UTF-8"])
    }

    @Test("a manifest that is not JSON is reported")
    func garbageManifest() throws {
        let folder = try copyOfVocabulary()
        try "{ not json".write(toFile: folder.file("manifest.json"), atomically: true, encoding: .utf8)
        expectLoadError(folder, mentioning: ["manifest.json", "invalid"])
    }

    @Test("a newer format version is refused")
    func newerFormatVersion() throws {
        let folder = try copyOfVocabulary()
        let manifest = try String(contentsOfFile: folder.file("manifest.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 99")
        try manifest.write(toFile: folder.file("manifest.json"), atomically: true, encoding: .utf8)
        expectLoadError(folder, mentioning: ["format version 99"])
    }

    @Test("a missing file is named")
    func missingFile() throws {
        let folder = try copyOfVocabulary()
        try FileManager.default.removeItem(atPath: folder.file("merges.txt"))
        expectLoadError(folder, mentioning: ["merges.txt", "missing"])
        expectLoadError(try TemporaryDirectory(), mentioning: ["manifest.json", "missing"])
    }
}
