import Foundation
import TernIO
import TestSupport
import Testing
import TernCorpus

struct ParallelCorpusTests {
    @Test("aligned files become sentence pairs, empty lines included")
    func alignedFiles() throws {
        let folder = try TemporaryDirectory()
        let source = try folder.write("Hello.\n\nGood night.\n", to: "a.en")
        let target = try folder.write("你好。\n\n晚安。\n", to: "a.zh")
        let pairs = try ParallelCorpus.read(sourcePath: source.path, targetPath: target.path) { _, _ in
            Issue.record("no line needs repair")
        }
        #expect(pairs.map(\.source) == ["Hello.", "", "Good night."])
        #expect(pairs.map(\.target) == ["你好。", "", "晚安。"])
    }

    @Test("files with different line counts are named with both counts, never truncated")
    func mismatchedFiles() throws {
        let folder = try TemporaryDirectory()
        let source = try folder.write("one\ntwo\nthree\n", to: "b.en")
        let target = try folder.write("eins\nzwei\n", to: "b.de")
        let error = #expect(throws: ParallelCorpusError.self) {
            try ParallelCorpus.read(sourcePath: source.path, targetPath: target.path) { _, _ in }
        }
        #expect(error == .lineCountsDiffer(sourcePath: source.path, sourceLines: 3, targetPath: target.path, targetLines: 2))
        let message = error?.localizedDescription ?? ""
        #expect(message.contains("b.en' has 3 lines") && message.contains("b.de' has 2"))
    }

    @Test("invalid UTF-8 is repaired and reported with file and line")
    func repairedLines() throws {
        let folder = try TemporaryDirectory()
        let source = try folder.write("fine\nalso fine\n", to: "c.en")
        let target = folder.fileURL("c.de")
        try Data([0x67, 0x75, 0x74, 0x0A, 0x62, 0xFF, 0x73, 0x65, 0x0A]).write(to: target)  // "gut\nb\xFFse\n"
        var repaired: [(String, Int)] = []
        let pairs = try ParallelCorpus.read(sourcePath: source.path, targetPath: target.path) { path, line in
            repaired.append((path, line.number))
        }
        #expect(repaired.count == 1)
        #expect(repaired.first?.0 == target.path)
        #expect(repaired.first?.1 == 2)
        #expect(pairs[1].target == "b\u{FFFD}se")
    }

    @Test("the 3AM training split reads as 23,931 pairs",
          .enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"))
    func realCorpus() throws {
        let folder = try #require(SharedCorpora.directory).appendingPathComponent("3am-en-zh")
        let pairs = try ParallelCorpus.read(sourcePath: folder.appendingPathComponent("train.en").path,
                                            targetPath: folder.appendingPathComponent("train.zh").path) { path, line in
            Issue.record("\(path):\(line.number) is not valid UTF-8")
        }
        #expect(pairs.count == 23931)
    }
}
