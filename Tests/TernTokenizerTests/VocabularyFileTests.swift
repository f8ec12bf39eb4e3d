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

    @Test("a learned vocabulary whose merge rules join pieces beginning with a combining mark, a variation selector or a joiner loads back (found with Fuzz/ fuzz-vocab)")
    func mergesOfMarksLoadBack() throws {
        // "❤️" is U+2764 U+FE0F; in "กิน" U+0E34 is a combining vowel sign; "👨‍👩" joins with U+200D.
        let lines = Array(repeating: "❤️ กิน 👨‍👩 ❤️ กิน 👨‍👩", count: 5)
        let vocabulary = try BPETrainer(options: .init(size: 300)).learn(lines: lines)
        let firstOfRight = Set(vocabulary.merges.compactMap { vocabulary.pieces[Int($0.right)].unicodeScalars.first?.value })
        try #require(firstOfRight.isSuperset(of: [0xFE0F, 0x0E34, 0x200D]), "merges: \(vocabulary.merges.map { vocabulary.pieces[Int($0.left)] + " " + vocabulary.pieces[Int($0.right)] })")
        let folder = try TemporaryDirectory()
        try VocabularyStore.write(vocabulary, training: nil, to: folder.path)
        let loaded = try VocabularyStore.load(from: folder.path)
        #expect(loaded.pieces == vocabulary.pieces)
        #expect(loaded.merges.map(\.left) == vocabulary.merges.map(\.left))
        #expect(loaded.merges.map(\.right) == vocabulary.merges.map(\.right))
        let tokenizer = try Tokenizer(vocabulary: loaded)
        #expect(tokenizer.decode(tokenizer.encode(lines[0])) == lines[0])
    }

    @Test("merge rules that join byte pieces, or whose joined piece is spelled otherwise, are refused: decoding would not give the text back (found with Fuzz/ fuzz-vocab)")
    func mergesThatWouldNotRoundTrip() throws {
        let pieces = [SubwordVocabulary.eosPiece, SubwordVocabulary.unknownPiece, SubwordVocabulary.separatorPiece]
            + (0..<256).map(SubwordVocabulary.bytePiece) + ["▁", "e", "\u{301}", "\u{E9}", "<0xE6><0x88>", "▁e", SubwordVocabulary.padPiece]
        func vocabulary(merging merges: [(left: String, right: String)]) throws -> SubwordVocabulary {
            try SubwordVocabulary(pieces: pieces, merges: merges, normalization: .none, maxPreTokenLength: 64)
        }
        #expect(try vocabulary(merging: [(left: "▁", right: "e")]).merges.count == 1)
        // "<0xE6> <0x88>" would decode the first two bytes of "我" as the text "<0xE6><0x88>";
        // "e \u{301}" would find the piece "\u{E9}" (canonically equivalent) and decode e + U+0301 as U+00E9.
        for merge in [(left: "<0xE6>", right: "<0x88>"), (left: "e", right: "\u{301}")] {
            let reason = "merge rule '\(merge.left) \(merge.right)' does not join two pieces into a learned piece"
            #expect(throws: TokenizerError.corruptVocabulary(path: "merges", line: 1, reason: reason)) {
                try vocabulary(merging: [merge])
            }
        }
    }
}
