import Foundation
import TestSupport
import Testing

/// `Fixtures/sacrebleu_fixture.json`, written by `make_sacrebleu_fixture.py` with sacreBLEU 2.6.0.
struct SacreBLEUFixture: Decodable, Sendable {
    struct BLEUResult: Decodable, Sendable {
        var score: Double
        var precisions: [Double]
        var bp: Double
        var ratio: Double
        var sys_len: Int
        var ref_len: Int
        var counts: [Int]
        var totals: [Int]
        var formatted: String
        var signature: String
        // Only in `bleu_variants`.
        var smooth_method: String?
        var smooth_value: Double?
        var effective_order: Bool?
    }

    struct CHRFResult: Decodable, Sendable {
        var score: Double
        var formatted: String
        var signature: String
        // Only in `chrf_variants`.
        var char_order: Int?
        var word_order: Int?
        var beta: Int?
        var whitespace: Bool?
        var eps_smoothing: Bool?
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var tokenize: String
        var lowercase: Bool
        var hypotheses: [String]
        var references: [[String]]
        var bleu: BLEUResult
        var chrf: CHRFResult
        var chrf_plus_plus: CHRFResult
        var tokenized_hypotheses: [String]
        var bleu_variants: [BLEUResult]?
        var chrf_variants: [CHRFResult]?

        var testDescription: String { name }
    }

    struct TokenizerCase: Decodable, Sendable {
        var tokenize: String
        var input: String
        var output: String
    }

    struct StringCase<Output: Decodable & Sendable>: Decodable, Sendable {
        var input: String
        var output: Output
    }

    struct FormatCase: Decodable, Sendable {
        var value: Double
        var width: Int
        var output: String
    }

    var sacrebleu_version: String
    var cases: [Case]
    var tokenizer_cases: [TokenizerCase]
    var lowercase_cases: [StringCase<String>]
    var split_cases: [StringCase<[String]>]
    var python_whitespace: [UInt32]
    var zh_chinese_ranges: [[UInt32]]
    var format_cases: [FormatCase]

    static let path = PackagePaths.file("Tests/TernEvalTests/Fixtures/sacrebleu_fixture.json")

    static let shared: SacreBLEUFixture = {
        do {
            return try JSONDecoder().decode(SacreBLEUFixture.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            fatalError("cannot read \(path): \(error)")
        }
    }()
}

/// `a` and `b` agree to within `tolerance` (absolute).
func close(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance
}

func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tolerance: tolerance) }
}
