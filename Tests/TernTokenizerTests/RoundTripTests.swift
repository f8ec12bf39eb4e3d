import Foundation
import TernTokenizer
import TestSupport
import Testing

/// The tokenizer's central property: `decode(encode(x)) == normalize(x)`.
@Suite struct RoundTripTests {
    static let vocabularies = ["multi30k-en-de", "en-zh"]

    /// Lines no corpus is likely to hold: whitespace runs, control characters, emoji, scripts
    /// outside both vocabularies, and text that looks like the tokenizer's own notation.
    static let awkwardLines = [
        "", " ", "   ", "\t", " \t  x \t", "leading and trailing  ", "  two  spaces  between  ",
        "digits 0123456789 and 3.14159, 1,000,000", "emoji 😀👍🏽 👨‍👩‍👧 🇩🇪 in text",
        "Русский текст", "العربية", "हिन्दी भाषा", "한국어 문장입니다", "ภาษาไทยง่ายนิดเดียว", "日本語の文章です。",
        "a literal ▁ marker and ▁▁ two", "<0x41> </s> <unk> <pad> <sep>", "carriage\rreturn", "form\u{0C}feed",
        "combining e\u{0301} and ﬁ ligature and ｆｕｌｌ width", "zero\u{200B}width\u{200D}joiner", "\u{FEFF}bom",
        "right\u{200F}to\u{202E}left", String(repeating: "x", count: 5000), String(repeating: "🙂", count: 300),
        String(repeating: "a ", count: 2000), "\u{10FFFF}\u{E000}private",
    ]

    @Test("round trip on lines that stress whitespace, bytes and unseen scripts", arguments: vocabularies)
    func awkwardLinesRoundTrip(vocabulary name: String) throws {
        let tokenizer = try Tokenizer(vocabulary: VocabularyStore.load(from: PackagePaths.vocabulary(name)))
        for line in Self.awkwardLines {
            #expect(tokenizer.decode(tokenizer.encode(line)) == tokenizer.normalize(line), "line: \(line.debugDescription)")
        }
    }

    @Test("round trip on every line of every shared corpus file",
          .enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"),
          arguments: vocabularies)
    func sharedCorporaRoundTrip(vocabulary name: String) throws {
        let tokenizer = try Tokenizer(vocabulary: VocabularyStore.load(from: PackagePaths.vocabulary(name)))
        let files = try SharedCorpora.textFiles()
        #expect(files.count >= 30, "expected the multi30k, 3AM, Tatoeba and FLORES files")
        var checked = 0
        for file in files {
            for (index, line) in try CorpusText.lines(of: file).enumerated() {
                let decoded = tokenizer.decode(tokenizer.encode(line))
                if decoded != tokenizer.normalize(line) {
                    Issue.record("\(file.lastPathComponent):\(index + 1) does not round-trip: \(line.debugDescription) → \(decoded.debugDescription)")
                    return
                }
                checked += 1
            }
        }
        #expect(checked > 200_000)
    }

    @Test("pieces separated by spaces survive the text form used by tern tokenize", arguments: vocabularies)
    func piecesParseBack(vocabulary name: String) throws {
        let tokenizer = try Tokenizer(vocabulary: VocabularyStore.load(from: PackagePaths.vocabulary(name)))
        for line in Self.awkwardLines {
            let ids = tokenizer.encode(line)
            let pieces = tokenizer.pieces(ids)
            #expect(pieces.allSatisfy { !$0.contains(" ") && !$0.isEmpty })
            let reparsed = try tokenizer.vocabulary.ids(ofPieces: pieces.joined(separator: " ").split(separator: " ").map(String.init))
            #expect(reparsed == ids)
        }
    }

    @Test("normalization forms behave as ICU defines them")
    func normalizationForms() {
        let text = "ﬁ ｆｕｌｌ e\u{0301}"
        #expect(Normalizer(form: .none).normalize(text) == text)
        #expect(Normalizer(form: .nfc).normalize(text) == "ﬁ ｆｕｌｌ é")
        #expect(Normalizer(form: .nfkc).normalize(text) == "fi full é")
    }
}
