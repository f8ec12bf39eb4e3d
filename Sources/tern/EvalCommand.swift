import ArgumentParser
import Foundation
import TernEval
import TernIO

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a translation against references with BLEU and chrF, as sacreBLEU 2.6.0 does.",
        discussion: """
        The hypothesis file and every reference file hold one segment per line, and must have the \
        same number of lines. Scores, rounding and signatures are those of sacreBLEU 2.6.0, so \
        results can be compared with published ones. Text output is sacreBLEU's `-f text` form, \
        one line per metric: NAME|SIGNATURE = SCORE [DETAILS]. JSON output is an array with one \
        object per metric, scores at full precision.

        Example: tern eval --hypothesis out.de --reference ref.de --tokenize 13a
        """
    )

    @Option(help: ArgumentHelp("The system output to score, one segment per line ('-' for standard input).", valueName: "file"))
    var hypothesis: String

    @Option(name: .customLong("reference"), help: ArgumentHelp("A reference translation, one segment per line; repeat for several references.", valueName: "file"))
    var references: [String]

    @Option(help: ArgumentHelp("BLEU's tokenizer (zh for Chinese).", valueName: "name"))
    var tokenize: BLEUTokenization = .thirteenA

    @Flag(help: "Lowercase hypotheses and references before scoring (every metric).")
    var lowercase = false

    @Option(help: ArgumentHelp("Metrics, comma-separated, in the order printed.", valueName: "list"))
    var metrics = Metrics([.bleu, .chrf])

    @Option(help: ArgumentHelp("Output format.", valueName: "format"))
    var format: OutputFormat = .text

    @Option(help: "Decimals of the printed scores (sacreBLEU's --width; its command line defaults to 1).")
    var width: Int = 2

    enum Metric: String, CaseIterable, ExpressibleByArgument {
        case bleu, chrf, chrfPlusPlus = "chrf++"
    }

    /// `--metrics`: one or more metric names separated by commas, such as `bleu,chrf++`.
    struct Metrics: ExpressibleByArgument {
        var list: [Metric]

        init(_ list: [Metric]) { self.list = list }

        init?(argument: String) {
            let names = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let list = names.compactMap(Metric.init(rawValue:))
            guard !list.isEmpty, list.count == names.count else { return nil }
            self.list = list
        }

        static var allValueStrings: [String] { Metric.allValueStrings }
        var defaultValueDescription: String { list.map(\.rawValue).joined(separator: ",") }
    }

    enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
        case text, json
    }

    func validate() throws {
        guard !references.isEmpty else { throw ValidationError("give at least one --reference file") }
        guard (0...17).contains(width) else { throw ValidationError("--width must be between 0 and 17") }
    }

    func run() async throws {
        try await reportingFailures {
            let hypotheses = try Self.readLines(hypothesis)
            let referenceStreams = try references.map(Self.readLines)
            var results: [ScoreReport] = []
            for metric in metrics.list {
                switch metric {
                case .bleu:
                    let score = try BLEU(tokenization: tokenize, lowercase: lowercase)
                        .corpusScore(hypotheses: hypotheses, references: referenceStreams)
                    results.append(ScoreReport(bleu: score, width: width))
                case .chrf, .chrfPlusPlus:
                    let score = try CHRF(wordOrder: metric == .chrf ? 0 : 2, lowercase: lowercase)
                        .corpusScore(hypotheses: hypotheses, references: referenceStreams)
                    results.append(ScoreReport(chrf: score, width: width))
                }
            }
            if format == .json {
                print("[\n" + results.map(\.json).joined(separator: ",\n") + "\n]")
            } else {
                for line in Self.aligned(results.map(\.text)) { print(line) }
            }
        }
    }

    private static func readLines(_ path: String) throws -> [String] {
        try LineReader(path: path).readAllLines().map { line in
            Diagnostics.warnIfRepaired(line, input: path == "-" ? nil : path)
            return line.text
        }
    }

    /// sacreBLEU's alignment of several score lines: right-aligned up to the ` = `.
    private static func aligned(_ lines: [String]) -> [String] {
        let prefixes = lines.map { $0.range(of: " = ").map { $0.lowerBound } }
        let width = zip(lines, prefixes).compactMap { line, prefix in prefix.map { line[..<$0].count } }.max() ?? 0
        return zip(lines, prefixes).map { line, prefix in
            guard let prefix else { return line }
            let left = line[..<prefix]
            return String(repeating: " ", count: width - left.count) + line
        }
    }
}

/// One metric's result, ready to print.
private struct ScoreReport {
    var text: String
    var json: String

    init(bleu score: BLEUScore, width: Int) {
        text = score.formatted(width: width, withSignature: true)
        json = JSONObject([
            ("name", .string(score.name)),
            ("score", .number(score.score)),
            ("formatted", .string(score.formatted(width: width))),
            ("signature", .string(score.signature)),
            ("precisions", .numbers(score.precisions)),
            ("bp", .number(score.brevityPenalty)),
            ("ratio", .number(score.ratio)),
            ("hyp_len", .integer(score.hypothesisLength)),
            ("ref_len", .integer(score.referenceLength)),
            ("counts", .integers(score.matches)),
            ("totals", .integers(score.totals)),
            ("verbose_score", .string(score.verbose)),
        ]).text
    }

    init(chrf score: CHRFScore, width: Int) {
        text = score.formatted(width: width, withSignature: true)
        json = JSONObject([
            ("name", .string(score.name)),
            ("score", .number(score.score)),
            ("formatted", .string(score.formatted(width: width))),
            ("signature", .string(score.signature)),
            ("char_order", .integer(score.charOrder)),
            ("word_order", .integer(score.wordOrder)),
            ("beta", .integer(score.beta)),
        ]).text
    }
}

/// A flat JSON object whose keys keep their order, written with one key per line.
private struct JSONObject {
    enum Value {
        case string(String), number(Double), integer(Int), numbers([Double]), integers([Int])

        var text: String {
            switch self {
            case let .string(value): return JSONObject.quoted(value)
            case let .number(value): return JSONObject.number(value)
            case let .integer(value): return String(value)
            case let .numbers(values): return "[" + values.map(JSONObject.number).joined(separator: ", ") + "]"
            case let .integers(values): return "[" + values.map(String.init).joined(separator: ", ") + "]"
            }
        }
    }

    var text: String

    init(_ members: [(String, Value)]) {
        text = "  {\n" + members.map { "    \(Self.quoted($0.0)): \($0.1.text)" }.joined(separator: ",\n") + "\n  }"
    }

    /// The shortest text that reads back as `value` (scores are always finite).
    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

extension BLEUTokenization: ExpressibleByArgument {}
