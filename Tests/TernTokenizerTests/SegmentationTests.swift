import Foundation
import TernTokenizer
import TestSupport
import Testing

/// ICU word segmentation, checked against segments written by PyICU (Fixtures/), and the
/// promise that no subword piece crosses a word boundary.
@Suite struct SegmentationTests {
    struct GoldenCase: Decodable, Sendable, CustomTestStringConvertible {
        var language: String
        var text: String
        var segments: [String]
        var testDescription: String { "\(language): \(text)" }
    }

    struct Golden: Decodable {
        var cases: [GoldenCase]
    }

    static let golden: [GoldenCase] = {
        let path = PackagePaths.file("Tests/TernTokenizerTests/Fixtures/segmentation_golden.json")
        guard let data = FileManager.default.contents(atPath: path),
              let golden = try? JSONDecoder().decode(Golden.self, from: data)
        else { return [] }
        return golden.cases
    }()

    @Test("the fixture covers zh, ja, th, de and en")
    func fixtureCoversLanguages() {
        #expect(Set(Self.golden.map(\.language)) == ["zh", "ja", "th", "de", "en"])
    }

    @Test("ICU word boundaries match PyICU's", arguments: golden)
    func wordBoundariesMatchGolden(_ golden: GoldenCase) throws {
        let units = Array(golden.text.utf16)
        let offsets = try BoundaryScanner(.word).boundaries(of: units).map(Int.init)
        let segments = zip(offsets, offsets.dropFirst()).map { String(decoding: units[$0..<$1], as: UTF16.self) }
        #expect(segments == golden.segments)
    }

    @Test("no piece crosses an ICU word boundary in the golden sentences", arguments: golden)
    func goldenPiecesStayInsideWords(_ golden: GoldenCase) throws {
        let vocabulary = golden.language == "zh" || golden.language == "ja" ? "en-zh" : "multi30k-en-de"
        let checker = try BoundaryChecker(vocabulary: vocabulary)
        #expect(checker.crossingPieces(in: golden.text).isEmpty)
    }

    @Test("the classic example segments as ICU splits it")
    func classicExample() throws {
        let tokenizer = try Tokenizer(vocabulary: VocabularyStore.load(from: PackagePaths.vocabulary("en-zh")))
        let pieces = tokenizer.pieces(tokenizer.encode("我爱你，今天天气很好。"))
        #expect(pieces.joined() == "我爱你,今天天气很好。")
        #expect(try BoundaryChecker(vocabulary: "en-zh").crossingPieces(in: "我爱你，今天天气很好。").isEmpty)
    }

    @Test("no piece crosses an ICU word boundary on the 3AM Chinese test set",
          .enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"))
    func chineseTestSetPiecesStayInsideWords() throws {
        let checker = try BoundaryChecker(vocabulary: "en-zh")
        let lines = try CorpusText.lines(of: SharedCorpora.directory!.appendingPathComponent("3am-en-zh/test.zh"))
        #expect(lines.count == 1000)
        for line in lines {
            let crossing = checker.crossingPieces(in: line)
            #expect(crossing.isEmpty, "\(line): \(crossing)")
        }
    }

    @Test("spaces become markers on the following word; runs of spaces survive")
    func spaceMarkers() throws {
        let tokenizer = try Tokenizer(vocabulary: VocabularyStore.load(from: PackagePaths.vocabulary("multi30k-en-de")))
        #expect(tokenizer.pieces(tokenizer.encode("a dog")) == ["a", "▁dog"])
        let spaced = tokenizer.pieces(tokenizer.encode("a   dog "))
        #expect(spaced.joined() == "a▁▁▁dog▁")
        #expect(spaced.last == "▁")
    }

    @Test("pre-tokens longer than the limit are cut, never inside a surrogate pair")
    func longPreTokensAreCut() throws {
        let units = Array(("x" + String(repeating: "😀", count: 10)).utf16)
        var ranges: [Range<Int>] = []
        PreTokenizer(maxLength: 4).forEachPreToken(in: units, boundaries: [0, Int32(units.count)][...]) { ranges.append($0.range) }
        #expect(ranges.map(\.count).allSatisfy { $0 <= 4 })
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == units.count)
        for range in ranges.dropFirst() { #expect(!UTF16.isTrailSurrogate(units[range.lowerBound])) }
    }
}

/// The crossing pieces of a text under one of the committed vocabularies.
struct BoundaryChecker {
    let audit: BoundaryAudit

    init(vocabulary: String) throws {
        audit = try BoundaryAudit(tokenizer: Tokenizer(vocabulary: VocabularyStore.load(from: PackagePaths.vocabulary(vocabulary))))
    }

    /// The pieces of `text` that cross a word boundary.
    func crossingPieces(in text: String) -> [String] {
        audit.pieces(of: text).filter(\.crossesBoundary).map(\.piece)
    }
}
