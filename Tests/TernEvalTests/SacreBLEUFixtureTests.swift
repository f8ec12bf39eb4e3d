import Foundation
@testable import TernEval
import Testing

/// TernEval against numbers and strings that sacreBLEU 2.6.0 itself produced.
@Suite struct SacreBLEUFixtureTests {
    static let fixture = SacreBLEUFixture.shared

    @Test("the fixture was written by sacreBLEU 2.6.0")
    func version() {
        #expect(Self.fixture.sacrebleu_version == BLEU.sacreBLEUVersion)
    }

    @Test("corpus BLEU matches sacreBLEU", arguments: SacreBLEUFixture.shared.cases)
    func bleu(_ testCase: SacreBLEUFixture.Case) throws {
        let metric = BLEU(tokenization: try #require(BLEUTokenization(rawValue: testCase.tokenize)), lowercase: testCase.lowercase)
        let score = try metric.corpusScore(hypotheses: testCase.hypotheses, references: testCase.references)
        Self.expect(score, equals: testCase.bleu)
    }

    @Test("chrF and chrF++ match sacreBLEU", arguments: SacreBLEUFixture.shared.cases)
    func chrf(_ testCase: SacreBLEUFixture.Case) throws {
        let chrf = try CHRF(lowercase: testCase.lowercase).corpusScore(hypotheses: testCase.hypotheses, references: testCase.references)
        #expect(close(chrf.score, testCase.chrf.score), "\(chrf.score) != \(testCase.chrf.score)")
        #expect(chrf.formatted == testCase.chrf.formatted)
        #expect(chrf.signature == testCase.chrf.signature)
        let plusPlus = try CHRF.plusPlus(lowercase: testCase.lowercase)
            .corpusScore(hypotheses: testCase.hypotheses, references: testCase.references)
        #expect(close(plusPlus.score, testCase.chrf_plus_plus.score), "\(plusPlus.score) != \(testCase.chrf_plus_plus.score)")
        #expect(plusPlus.formatted == testCase.chrf_plus_plus.formatted)
        #expect(plusPlus.signature == testCase.chrf_plus_plus.signature)
    }

    @Test("BLEU preprocessing (lowercasing, rstrip, tokenization) gives sacreBLEU's strings", arguments: SacreBLEUFixture.shared.cases)
    func preprocessing(_ testCase: SacreBLEUFixture.Case) throws {
        let metric = BLEU(tokenization: try #require(BLEUTokenization(rawValue: testCase.tokenize)), lowercase: testCase.lowercase)
        let tokenized = testCase.hypotheses.map { PythonText.string(metric.preprocess($0)) }
        #expect(tokenized == testCase.tokenized_hypotheses)
    }

    @Test("other smoothing methods, effective order and chrF parameters match sacreBLEU",
          arguments: SacreBLEUFixture.shared.cases.filter { $0.bleu_variants != nil })
    func variants(_ testCase: SacreBLEUFixture.Case) throws {
        let tokenization = try #require(BLEUTokenization(rawValue: testCase.tokenize))
        for variant in testCase.bleu_variants ?? [] {
            let smoothing: BLEU.Smoothing
            switch variant.smooth_method {
            case "none": smoothing = .none
            case "exp": smoothing = .exp
            case "floor": smoothing = .floor(variant.smooth_value ?? 0.1)
            case "add-k": smoothing = .addK(variant.smooth_value ?? 1)
            default: Issue.record("unknown smoothing \(variant.smooth_method ?? "nil")"); continue
            }
            let metric = BLEU(tokenization: tokenization, lowercase: testCase.lowercase, smoothing: smoothing,
                              effectiveOrder: variant.effective_order ?? false)
            var expected = variant
            if case let .addK(k) = smoothing, expected.counts[0] != 0 {
                // sacreBLEU reports the counts and totals of orders 2…4 with k already added.
                for order in 1..<expected.counts.count {
                    expected.counts[order] -= Int(k)
                    expected.totals[order] -= Int(k)
                }
            }
            Self.expect(try metric.corpusScore(hypotheses: testCase.hypotheses, references: testCase.references), equals: expected)
        }
        for variant in testCase.chrf_variants ?? [] {
            let metric = CHRF(charOrder: variant.char_order ?? 6, wordOrder: variant.word_order ?? 0, beta: variant.beta ?? 2,
                              lowercase: testCase.lowercase, whitespace: variant.whitespace ?? false,
                              epsSmoothing: variant.eps_smoothing ?? false)
            let score = try metric.corpusScore(hypotheses: testCase.hypotheses, references: testCase.references)
            #expect(close(score.score, variant.score), "\(variant.signature): \(score.score) != \(variant.score)")
            #expect(score.formatted == variant.formatted)
            #expect(score.signature == variant.signature)
        }
    }

    @Test("every tokenizer gives sacreBLEU's output")
    func tokenizers() throws {
        #expect(Self.fixture.tokenizer_cases.count > 100)
        for testCase in Self.fixture.tokenizer_cases {
            let tokenization = try #require(BLEUTokenization(rawValue: testCase.tokenize))
            #expect(tokenization.tokenize(testCase.input) == testCase.output,
                    "\(testCase.tokenize): \(testCase.input.debugDescription)")
        }
    }

    @Test("lowercasing is Python's str.lower(), final sigma included")
    func lowercasing() {
        for testCase in Self.fixture.lowercase_cases {
            #expect(PythonText.string(PythonText.lowercased(PythonText.scalars(testCase.input))) == testCase.output,
                    "\(testCase.input.debugDescription)")
        }
    }

    @Test("whitespace and splitting are Python's str.isspace() and str.split()")
    func whitespace() {
        let expected = Set(Self.fixture.python_whitespace)
        for value in UInt32(0)..<0x11_0000 where (0xD800...0xDFFF).contains(value) == false {
            #expect(PythonText.isSpace(value) == expected.contains(value), "U+\(String(value, radix: 16))")
        }
        for testCase in Self.fixture.split_cases {
            let scalars = PythonText.scalars(testCase.input)
            #expect(PythonText.split(scalars).map { PythonText.string(scalars[$0]) } == testCase.output)
        }
    }

    @Test("the zh tokenizer's Chinese ranges are the ones sacreBLEU evaluates")
    func chineseRanges() {
        let ranges = Self.fixture.zh_chinese_ranges.map { $0[0]...$0[1] }
        #expect(ranges == TokenizerZh.chineseRanges)
        for value in UInt32(0)..<0x11_0000 {
            #expect(TokenizerZh.isChinese(value) == ranges.contains { $0.contains(value) }, "U+\(String(value, radix: 16))")
        }
    }

    @Test("intl's ASCII shortcuts agree with the Unicode general categories")
    func intlASCII() {
        for value in UInt32(0)..<0x80 {
            let category = Unicode.Scalar(value)!.properties.generalCategory
            let punctuation: Set<Unicode.GeneralCategory> = [
                .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation,
            ]
            let symbol: Set<Unicode.GeneralCategory> = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
            let number: Set<Unicode.GeneralCategory> = [.decimalNumber, .letterNumber, .otherNumber]
            #expect(TokenizerIntl.isPunctuation(value) == punctuation.contains(category), "U+\(String(value, radix: 16))")
            #expect(TokenizerIntl.isSymbol(value) == symbol.contains(category), "U+\(String(value, radix: 16))")
            #expect(TokenizerIntl.isNumber(value) == number.contains(category), "U+\(String(value, radix: 16))")
        }
    }

    @Test("fixed-point formatting rounds like Python's format()")
    func formatting() {
        for testCase in Self.fixture.format_cases {
            #expect(PythonText.fixed(testCase.value, digits: testCase.width) == testCase.output,
                    "\(testCase.value) with \(testCase.width) digits")
        }
    }

    static func expect(_ score: BLEUScore, equals expected: SacreBLEUFixture.BLEUResult,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(close(score.score, expected.score), "score \(score.score) != \(expected.score)", sourceLocation: sourceLocation)
        #expect(close(score.precisions, expected.precisions), "precisions \(score.precisions) != \(expected.precisions)", sourceLocation: sourceLocation)
        #expect(close(score.brevityPenalty, expected.bp), "bp \(score.brevityPenalty) != \(expected.bp)", sourceLocation: sourceLocation)
        #expect(close(score.ratio, expected.ratio), sourceLocation: sourceLocation)
        #expect(score.hypothesisLength == expected.sys_len, sourceLocation: sourceLocation)
        #expect(score.referenceLength == expected.ref_len, sourceLocation: sourceLocation)
        #expect(score.matches == expected.counts, sourceLocation: sourceLocation)
        #expect(score.totals == expected.totals, sourceLocation: sourceLocation)
        #expect(score.formatted == expected.formatted, sourceLocation: sourceLocation)
        #expect(score.signature == expected.signature, sourceLocation: sourceLocation)
    }
}
