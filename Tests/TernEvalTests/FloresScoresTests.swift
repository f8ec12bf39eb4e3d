import Foundation
import TernEval
import TestSupport
import Testing

/// Every row of `../shared/corpora/flores-dev/SCORES.tsv`, computed there with sacreBLEU 2.6.0.
@Suite struct FloresScoresTests {
    struct Row {
        var pair: String
        var system: String
        var metric: String
        var score: String
        var signature: String
    }

    static func rows(in directory: URL) throws -> [Row] {
        let lines = try CorpusText.lines(of: directory.appendingPathComponent("flores-dev/SCORES.tsv"))
        #expect(lines.first == "pair\tsystem\tmetric\tscore\tsignature")
        return lines.dropFirst().filter { !$0.isEmpty }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Row(pair: fields[0], system: fields[1], metric: fields[2], score: fields[3], signature: fields[4])
        }
    }

    @Test("BLEU, lowercased BLEU and chrF reproduce every row of SCORES.tsv to the printed precision",
          .enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"))
    func everyRow() throws {
        let directory = try #require(SharedCorpora.directory)
        let rows = try Self.rows(in: directory)
        #expect(rows.count == 33)
        var cache: [String: [String]] = [:]
        func lines(_ pair: String, _ name: String) throws -> [String] {
            let url = directory.appendingPathComponent("flores-dev/\(pair)/\(name)")
            if let cached = cache[url.path] { return cached }
            let read = try CorpusText.lines(of: url)
            cache[url.path] = read
            return read
        }
        var matched = 0
        for row in rows {
            let language = try #require(row.pair.split(separator: "-").last.map(String.init))
            let hypotheses = try lines(row.pair, "flores-dev.\(row.system).\(language)")
            let references = [try lines(row.pair, "flores-dev.\(language)")]
            let tokenization: BLEUTokenization = language == "zh" ? .zh : .thirteenA
            let score: Double, signature: String
            switch row.metric {
            case "BLEU", "BLEU-lc":
                let result = try BLEU(tokenization: tokenization, lowercase: row.metric == "BLEU-lc")
                    .corpusScore(hypotheses: hypotheses, references: references)
                (score, signature) = (result.score, result.signature)
            case "chrF":
                let result = try CHRF().corpusScore(hypotheses: hypotheses, references: references)
                (score, signature) = (result.score, result.signature)
            default:
                Issue.record("unknown metric \(row.metric)")
                continue
            }
            let decimals = row.score.split(separator: ".").last?.count ?? 0
            let printed = String(format: "%.\(decimals)f", score)
            #expect(printed == row.score, "\(row.pair) \(row.system) \(row.metric): \(printed) != \(row.score)")
            #expect(signature == row.signature, "\(row.pair) \(row.system) \(row.metric)")
            if printed == row.score, signature == row.signature { matched += 1 }
        }
        #expect(matched == rows.count, "\(matched) of \(rows.count) rows matched")
    }
}
