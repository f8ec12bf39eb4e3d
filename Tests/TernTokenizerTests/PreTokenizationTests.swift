import Foundation
@testable import TernTokenizer
import TestSupport
import Testing

/// The pre-tokenization rules that exist to measure ICU's effect: where their boundaries fall,
/// and that vocabularies learned with them stay lossless and say which rule they use.
@Suite struct PreTokenizationTests {
    static let smokeChinese: [String] = {
        (try? CorpusText.lines(of: URL(fileURLWithPath: PackagePaths.file("Corpora/smoke/smoke.zh")))) ?? []
    }()

    private func boundaries(_ text: String, splittingIdeographs: Bool) -> [Int] {
        var offsets: [Int32] = []
        PreTokenization.simpleBoundaries(of: Array(text.utf16), splittingIdeographs: splittingIdeographs, into: &offsets)
        return offsets.map(Int.init)
    }

    @Test("whitespace rule: boundaries only where spaces, other whitespace and text meet")
    func whitespaceBoundaries() {
        #expect(boundaries("a  bc\td", splittingIdeographs: false) == [0, 1, 3, 5, 6, 7])
        #expect(boundaries("我爱你。 Hi", splittingIdeographs: false) == [0, 4, 5, 7])
        #expect(boundaries("", splittingIdeographs: false) == [0])
    }

    @Test("characters rule: every ideograph alone, a surrogate pair never split")
    func characterBoundaries() {
        #expect(boundaries("我爱 you", splittingIdeographs: true) == [0, 1, 2, 3, 6])
        // U+20000 is an ideograph outside the BMP: two UTF-16 units, one segment.
        #expect(boundaries("a\u{20000}b", splittingIdeographs: true) == [0, 1, 3, 4])
        #expect(boundaries("東京2024年", splittingIdeographs: true) == [0, 1, 2, 6, 7])
    }

    @Test("each rule learns a lossless vocabulary that records its rule", arguments: PreTokenization.allCases)
    func learnedVocabularyRoundTrips(rule: PreTokenization) throws {
        try #require(!Self.smokeChinese.isEmpty, "Corpora/smoke/smoke.zh is missing")
        let learned = try BPETrainer(options: .init(size: 600, preTokenization: rule)).learn(lines: Self.smokeChinese)
        let folder = try TemporaryDirectory()
        try VocabularyStore.write(learned, training: nil, to: folder.path)
        let manifest = try String(contentsOf: folder.url.appendingPathComponent(VocabularyStore.manifestFile), encoding: .utf8)
        #expect(manifest.contains("\"pre_tokenization\" : \"\(rule.rawValue)\""))
        let reloaded = try VocabularyStore.load(from: folder.path)
        #expect(reloaded.preTokenization == rule)
        let tokenizer = try Tokenizer(vocabulary: reloaded)
        for line in Self.smokeChinese + ["  two  spaces\tand a tab 我爱你"] {
            #expect(tokenizer.decode(tokenizer.encode(line)) == tokenizer.normalize(line))
        }
    }

    @Test("only the whitespace rule lets pieces cross ICU word boundaries in Chinese")
    func crossingDependsOnRule() throws {
        try #require(!Self.smokeChinese.isEmpty, "Corpora/smoke/smoke.zh is missing")
        var crossingShare: [PreTokenization: Int] = [:]
        for rule in PreTokenization.allCases {
            let learned = try BPETrainer(options: .init(size: 600, preTokenization: rule)).learn(lines: Self.smokeChinese)
            let audit = try BoundaryAudit(tokenizer: Tokenizer(vocabulary: learned))
            crossingShare[rule] = Self.smokeChinese.map { audit.pieces(of: $0).filter(\.crossesBoundary).count }.reduce(0, +)
            if rule == .characters {
                let tokenizer = try Tokenizer(vocabulary: learned)
                let multiIdeographPieces = Self.smokeChinese.flatMap { tokenizer.pieces(tokenizer.encode($0)) }
                    .filter { $0.unicodeScalars.filter(\.properties.isIdeographic).count > 1 }
                #expect(multiIdeographPieces.isEmpty)
            }
        }
        #expect(crossingShare[.icuWord] == 0)
        #expect(crossingShare[.characters] == 0)
        #expect((crossingShare[.whitespace] ?? 0) > 0)
    }

    @Test("a vocabulary naming an unknown rule is refused with a message")
    func unknownRuleIsRefused() throws {
        let learned = try BPETrainer(options: .init(size: 400)).learn(lines: Self.smokeChinese + ["a b c"])
        let folder = try TemporaryDirectory()
        try VocabularyStore.write(learned, training: nil, to: folder.path)
        let manifestURL = folder.url.appendingPathComponent(VocabularyStore.manifestFile)
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
        try manifest.replacingOccurrences(of: "\"icu-word\"", with: "\"sentencepiece\"").write(to: manifestURL, atomically: true, encoding: .utf8)
        let error = #expect(throws: TokenizerError.self) { try VocabularyStore.load(from: folder.path) }
        #expect(error?.localizedDescription.contains("manifest.json") == true)
    }
}
