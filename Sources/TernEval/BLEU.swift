import Foundation

/// Corpus BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.6.0 computes it.
///
/// Each line is lowercased (when asked), stripped of trailing whitespace and tokenized; word
/// n-grams of orders 1…4 are clipped against the most frequent count in any reference; the
/// closest reference length (the shorter on a tie) sets the brevity penalty; and the statistics
/// are summed over the corpus before the geometric mean of the precisions is taken.
///
/// ```swift
/// let score = try BLEU().corpusScore(hypotheses: hyps, references: [refs])
/// print(score.formatted)  // BLEU = 35.12 67.1/41.2/27.0/18.3 (BP = 0.975 ratio = 0.975 ...)
/// print(score.signature)  // nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0
/// ```
public struct BLEU: Sendable {
    /// How precisions with no matching n-gram are smoothed; sacreBLEU's `smooth_method`.
    public enum Smoothing: Sendable, Equatable {
        /// No smoothing: a zero precision makes the score 0.
        case none
        /// Chen & Cherry's method 1: a zero count of matches becomes `value` (sacreBLEU's default 0.1).
        case floor(Double)
        /// Chen & Cherry's method 2: adds `value` (default 1) to the matches and totals of orders 2 and up.
        case addK(Double)
        /// The default, NIST's method (mteval-v13a.pl): the k-th zero precision becomes 1 / (2^k · total).
        case exp

        /// `floor` with sacreBLEU's default value.
        public static let floorDefault = Smoothing.floor(0.1)
        /// `add-k` with sacreBLEU's default value.
        public static let addKDefault = Smoothing.addK(1)

        /// The signature's form: `exp`, `none`, `floor[0.10]`, `add-k[1.00]`.
        public var signature: String {
            switch self {
            case .none: return "none"
            case .exp: return "exp"
            case let .floor(value): return "floor[\(PythonText.fixed(value, digits: 2))]"
            case let .addK(value): return "add-k[\(PythonText.fixed(value, digits: 2))]"
            }
        }
    }

    /// sacreBLEU's `MAX_NGRAM_ORDER`: precisions are computed for orders 1…4.
    public static let maxNgramOrder = 4
    /// The sacreBLEU version whose results this type reproduces, as signatures show it.
    public static let sacreBLEUVersion = "2.6.0"

    /// The tokenizer applied to hypotheses and references.
    public var tokenization: BLEUTokenization
    /// When true, lines are lowercased (Python's `str.lower()`) before tokenization.
    public var lowercase: Bool
    /// The smoothing method; `.exp` by default, as in sacreBLEU.
    public var smoothing: Smoothing
    /// When true, orders with no hypothesis n-grams are left out of the geometric mean (meant
    /// for sentence-level BLEU; off by default).
    public var effectiveOrder: Bool

    /// A BLEU metric with sacreBLEU's defaults unless told otherwise.
    public init(tokenization: BLEUTokenization = .thirteenA, lowercase: Bool = false,
                smoothing: Smoothing = .exp, effectiveOrder: Bool = false) {
        self.tokenization = tokenization
        self.lowercase = lowercase
        self.smoothing = smoothing
        self.effectiveOrder = effectiveOrder
    }

    /// sacreBLEU's signature for this metric with `referenceCount` reference streams, for example
    /// `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`.
    public func signature(referenceCount: Int) -> String {
        [
            "nrefs:\(referenceCount)",
            "case:\(lowercase ? "lc" : "mixed")",
            "eff:\(effectiveOrder ? "yes" : "no")",
            "tok:\(tokenization.signature)",
            "smooth:\(smoothing.signature)",
            "version:\(Self.sacreBLEUVersion)",
        ].joined(separator: "|")
    }

    /// Scores a corpus.
    /// - Parameters:
    ///   - hypotheses: the system output, one segment per line.
    ///   - references: one or more reference streams, each with one line per hypothesis.
    /// - Throws: `EvalError` when there are no hypotheses or references, or when a reference
    ///   stream's line count differs from the hypotheses'.
    public func corpusScore(hypotheses: [String], references: [[String]]) throws -> BLEUScore {
        try EvalError.validate(hypotheses: hypotheses, references: references)
        let statistics = BLEUStatistics(metric: self, hypotheses: hypotheses, references: references)
        return score(statistics, referenceCount: references.count)
    }

    func preprocess(_ line: String) -> [UInt32] {
        var text = PythonText.scalars(line)
        if lowercase { text = PythonText.lowercased(text) }
        return tokenization.tokenize(scalars: PythonText.rstrip(text))
    }

    /// sacreBLEU's `BLEU.compute_bleu`, operation for operation, so that the floating-point
    /// result is the same to the last bit.
    func score(_ statistics: BLEUStatistics, referenceCount: Int) -> BLEUScore {
        let order = Self.maxNgramOrder
        let systemLength = statistics.hypothesisLength, referenceLength = statistics.referenceLength
        var brevityPenalty = 1.0
        if systemLength < referenceLength {
            brevityPenalty = systemLength > 0 ? Foundation.exp(1 - Double(referenceLength) / Double(systemLength)) : 0.0
        }
        var precisions = [Double](repeating: 0, count: order)
        var result = BLEUScore(
            score: 0, precisions: precisions, brevityPenalty: brevityPenalty,
            hypothesisLength: systemLength, referenceLength: referenceLength,
            matches: statistics.matches, totals: statistics.totals,
            signature: signature(referenceCount: referenceCount))
        guard statistics.matches.contains(where: { $0 != 0 }) else { return result }

        var correct = statistics.matches.map(Double.init), total = statistics.totals.map(Double.init)
        var smoothMteval = 1.0
        var effective = order
        for n in 1...order {
            if case let .addK(value) = smoothing, n > 1 {
                correct[n - 1] += value
                total[n - 1] += value
            }
            if total[n - 1] == 0 { break }
            if effectiveOrder { effective = n }
            if correct[n - 1] == 0 {
                switch smoothing {
                case .exp:
                    smoothMteval *= 2
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1])
                case let .floor(value):
                    precisions[n - 1] = 100.0 * value / total[n - 1]
                case .none, .addK:
                    break
                }
            } else {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1]
            }
        }
        var logSum = 0.0
        for precision in precisions[..<effective] {
            logSum += precision == 0 ? -9_999_999_999 : Foundation.log(precision)
        }
        result.precisions = precisions
        result.score = brevityPenalty * Foundation.exp(logSum / Double(effective))
        return result
    }
}

/// A corpus BLEU score with the statistics behind it; sacreBLEU's `BLEUScore`.
public struct BLEUScore: Sendable, Equatable, Codable {
    /// The score, 0…100.
    public var score: Double
    /// The modified n-gram precisions of orders 1…4, in percent (after smoothing).
    public var precisions: [Double]
    /// The brevity penalty, 0…1.
    public var brevityPenalty: Double
    /// The number of hypothesis tokens (sacreBLEU's `sys_len`).
    public var hypothesisLength: Int
    /// The summed closest-reference lengths (sacreBLEU's `ref_len`).
    public var referenceLength: Int
    /// Clipped n-gram matches of orders 1…4 (sacreBLEU's `counts`, before any add-k smoothing).
    public var matches: [Int]
    /// Hypothesis n-grams of orders 1…4 (sacreBLEU's `totals`, before any add-k smoothing).
    public var totals: [Int]
    /// The reproducibility signature, for example
    /// `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`.
    public var signature: String

    /// The metric's name, `BLEU`.
    public var name: String { "BLEU" }

    /// Hypothesis length over reference length, 0 when the references are empty.
    public var ratio: Double {
        referenceLength != 0 ? Double(hypothesisLength) / Double(referenceLength) : 0
    }

    /// The details sacreBLEU prints after the score:
    /// `67.1/41.2/27.0/18.3 (BP = 0.975 ratio = 0.975 hyp_len = 12000 ref_len = 12305)`.
    public var verbose: String {
        let precisionText = precisions.map { PythonText.fixed($0, digits: 1) }.joined(separator: "/")
        return "\(precisionText) (BP = \(PythonText.fixed(brevityPenalty, digits: 3)) "
            + "ratio = \(PythonText.fixed(ratio, digits: 3)) hyp_len = \(hypothesisLength) "
            + "ref_len = \(referenceLength))"
    }

    /// sacreBLEU's `str(score)`: `BLEU = 35.12 67.1/41.2/27.0/18.3 (BP = 0.975 ratio = 0.975
    /// hyp_len = 12000 ref_len = 12305)`.
    public var formatted: String { formatted(width: 2) }

    /// sacreBLEU's `score.format(width, signature=...)`: the score with `width` decimals, and
    /// the signature after the name when `withSignature` is true
    /// (`BLEU|nrefs:1|…|version:2.6.0 = 35.1 …`, the text of `sacrebleu -f text`).
    public func formatted(width: Int, withSignature: Bool = false) -> String {
        let label = withSignature ? "\(name)|\(signature)" : name
        return "\(label) = \(PythonText.fixed(score, digits: width)) \(verbose)"
    }

    init(score: Double, precisions: [Double], brevityPenalty: Double, hypothesisLength: Int,
         referenceLength: Int, matches: [Int], totals: [Int], signature: String) {
        self.score = score
        self.precisions = precisions
        self.brevityPenalty = brevityPenalty
        self.hypothesisLength = hypothesisLength
        self.referenceLength = referenceLength
        self.matches = matches
        self.totals = totals
        self.signature = signature
    }
}
