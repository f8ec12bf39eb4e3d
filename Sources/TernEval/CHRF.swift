import Foundation

/// chrF (Popović, 2015) and chrF++ (Popović, 2017) exactly as sacreBLEU 2.6.0 computes them.
///
/// Character n-grams of orders 1…`charOrder` are taken from each line with all whitespace
/// removed (unless `whitespace` is true); with `wordOrder` > 0 (chrF++ uses 2), word n-grams of
/// the line's words, with punctuation split off their ends, are added. For each segment the
/// reference with the best F-score is kept, the statistics are summed over the corpus, and the
/// precisions and recalls averaged over the orders that have n-grams on both sides give the
/// F-beta score.
///
/// ```swift
/// let score = try CHRF().corpusScore(hypotheses: hyps, references: [refs])
/// print(score.formatted)  // chrF2 = 61.23
/// print(score.signature)  // nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0
/// ```
public struct CHRF: Sendable {
    /// The character n-gram order; 6 by default.
    public var charOrder: Int
    /// The word n-gram order; 0 for chrF (the default), 2 for chrF++.
    public var wordOrder: Int
    /// The weight of recall over precision; 2 by default.
    public var beta: Int
    /// When true, lines are lowercased (Python's `str.lower()`) first.
    public var lowercase: Bool
    /// When true, whitespace is kept in character n-grams.
    public var whitespace: Bool
    /// When true, sacreBLEU's `eps_smoothing`: the F-scores of all orders are averaged, zero
    /// counts counting as 1e-16 (as chrF++.py, NLTK and Moses do). Off by default.
    public var epsSmoothing: Bool

    /// A chrF metric with sacreBLEU's defaults unless told otherwise.
    public init(charOrder: Int = 6, wordOrder: Int = 0, beta: Int = 2, lowercase: Bool = false,
                whitespace: Bool = false, epsSmoothing: Bool = false) {
        self.charOrder = charOrder
        self.wordOrder = wordOrder
        self.beta = beta
        self.lowercase = lowercase
        self.whitespace = whitespace
        self.epsSmoothing = epsSmoothing
    }

    /// chrF++ as sacreBLEU defines it: word order 2.
    public static func plusPlus(lowercase: Bool = false) -> CHRF {
        CHRF(wordOrder: 2, lowercase: lowercase)
    }

    /// The score's name: `chrF2`, `chrF2++` (one `+` per word order).
    public var name: String { "chrF\(beta)" + String(repeating: "+", count: max(0, wordOrder)) }

    /// sacreBLEU's signature for this metric with `referenceCount` reference streams, for example
    /// `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`.
    public func signature(referenceCount: Int) -> String {
        [
            "nrefs:\(referenceCount)",
            "case:\(lowercase ? "lc" : "mixed")",
            "eff:\(epsSmoothing ? "no" : "yes")",
            "nc:\(charOrder)",
            "nw:\(wordOrder)",
            "space:\(whitespace ? "yes" : "no")",
            "version:\(BLEU.sacreBLEUVersion)",
        ].joined(separator: "|")
    }

    /// Scores a corpus.
    /// - Parameters:
    ///   - hypotheses: the system output, one segment per line.
    ///   - references: one or more reference streams, each with one line per hypothesis.
    /// - Throws: `EvalError` when there are no hypotheses or references, when a reference
    ///   stream's line count differs from the hypotheses', or when an order is out of range.
    public func corpusScore(hypotheses: [String], references: [[String]]) throws -> CHRFScore {
        guard (0...100).contains(charOrder), (0...100).contains(wordOrder), charOrder + wordOrder > 0 else {
            throw EvalError.invalidParameter(
                "chrF needs character and word n-gram orders between 0 and 100, not both 0 "
                    + "(got \(charOrder) and \(wordOrder))")
        }
        guard beta >= 0 else { throw EvalError.invalidParameter("chrF's beta must not be negative (got \(beta))") }
        try EvalError.validate(hypotheses: hypotheses, references: references)
        let statistics = CHRFStatistics(metric: self, hypotheses: hypotheses, references: references)
        return CHRFScore(
            score: fScore(statistics.values), name: name, charOrder: charOrder, wordOrder: wordOrder,
            beta: beta, statistics: statistics.values, signature: signature(referenceCount: references.count))
    }

    /// sacreBLEU's `CHRF._compute_f_score`, operation for operation. `statistics` holds
    /// `[hypothesis n-grams, reference n-grams, matches]` for each character order, then each
    /// word order.
    func fScore(_ statistics: [Int]) -> Double {
        let epsilon = 1e-16
        var score = 0.0
        var effectiveOrder = 0
        let factor = Double(beta * beta)
        var averagePrecision = 0.0, averageRecall = 0.0
        for order in 0..<(charOrder + wordOrder) {
            let hypothesisCount = statistics[3 * order], referenceCount = statistics[3 * order + 1]
            let matchCount = Double(statistics[3 * order + 2])
            let precision = hypothesisCount > 0 ? matchCount / Double(hypothesisCount) : epsilon
            let recall = referenceCount > 0 ? matchCount / Double(referenceCount) : epsilon
            let denominator = factor * precision + recall
            score += denominator > 0 ? (1 + factor) * precision * recall / denominator : epsilon
            if hypothesisCount > 0, referenceCount > 0 {
                averagePrecision += precision
                averageRecall += recall
                effectiveOrder += 1
            }
        }
        if epsSmoothing { return 100 * score / Double(charOrder + wordOrder) }
        if effectiveOrder == 0 {
            averagePrecision = 0
            averageRecall = 0
        } else {
            averagePrecision /= Double(effectiveOrder)
            averageRecall /= Double(effectiveOrder)
        }
        guard averagePrecision + averageRecall != 0 else { return 0 }
        var result = (1 + factor) * averagePrecision * averageRecall
        result /= factor * averagePrecision + averageRecall
        return 100 * result
    }
}

/// A corpus chrF or chrF++ score; sacreBLEU's `CHRFScore`.
public struct CHRFScore: Sendable, Equatable, Codable {
    /// The score, 0…100.
    public var score: Double
    /// The metric's name: `chrF2`, or `chrF2++` for word order 2.
    public var name: String
    /// The character n-gram order.
    public var charOrder: Int
    /// The word n-gram order.
    public var wordOrder: Int
    /// The weight of recall over precision.
    public var beta: Int
    /// The summed statistics: `[hypothesis n-grams, reference n-grams, matches]` for each
    /// character order, then each word order.
    public var statistics: [Int]
    /// The reproducibility signature, for example
    /// `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`.
    public var signature: String

    /// sacreBLEU's `str(score)`: `chrF2 = 61.23`.
    public var formatted: String { formatted(width: 2) }

    /// sacreBLEU's `score.format(width, signature=...)`: the score with `width` decimals, and
    /// the signature after the name when `withSignature` is true
    /// (`chrF2|nrefs:1|…|version:2.6.0 = 61.2`, the text of `sacrebleu -f text`).
    public func formatted(width: Int, withSignature: Bool = false) -> String {
        let label = withSignature ? "\(name)|\(signature)" : name
        return "\(label) = \(PythonText.fixed(score, digits: width))"
    }
}
