import Foundation
import TestSupport
import Testing

struct CorpusSplitCommandTests {
    @Test("corpus split writes every Nth pair to the slice and the rest beside it, aligned; combine then leaves out the slice's sentences")
    func splitThenCombine() throws {
        let folder = try TemporaryDirectory()
        let english = (1...10).map { "Sentence \($0)." } + ["Sentence 1."]
        let german = (1...10).map { "Satz \($0)." } + ["Satz eins."]
        try Data((english.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: folder.file("all.en")))
        try Data((german.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: folder.file("all.de")))
        let split = try ProcessRunner.tern(["corpus", "split", "--source-language", "en", "--target-language", "de",
                                            "--input", folder.file("all"), "--every", "4",
                                            "--slice-output", folder.file("dev"), "--rest-output", folder.file("rest")])
        #expect(split.exitCode == 0, "\(split.errorText)")
        let read = { (name: String) in try String(contentsOfFile: folder.file(name), encoding: .utf8).split(separator: "\n").map(String.init) }
        // Pairs 1, 5, 9 (every 4th from the first) form the slice.
        #expect(try read("dev.en") == ["Sentence 1.", "Sentence 5.", "Sentence 9."])
        #expect(try read("dev.de") == ["Satz 1.", "Satz 5.", "Satz 9."])
        #expect(try read("rest.en").count == 8 && read("rest.de").count == 8)
        let combined = try ProcessRunner.tern(["corpus", "combine", "--source-language", "en", "--target-language", "de",
                                               "--train", folder.file("rest"), "--exclude", folder.file("dev"),
                                               "--output", folder.file("train")])
        #expect(combined.exitCode == 0, "\(combined.errorText)")
        // The repeated "Sentence 1." shares its source with the slice and is left out.
        #expect(try read("train.en") == english.enumerated().filter { $0.offset % 4 != 0 }.map(\.element).filter { $0 != "Sentence 1." })
        let bad = try ProcessRunner.tern(["corpus", "split", "--source-language", "en", "--target-language", "de",
                                          "--input", folder.file("all"), "--every", "1",
                                          "--slice-output", folder.file("x"), "--rest-output", folder.file("y")])
        #expect(bad.exitCode == 64)
    }
}
