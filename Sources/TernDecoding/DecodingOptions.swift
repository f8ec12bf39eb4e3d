import Foundation

/// How to search. Defaults: greedy, one hypothesis, at most 256 target tokens.
public struct DecodingOptions: Sendable, Equatable {
    /// A limit on the target length that grows with the source: `factor · sourceLength + offset`.
    public struct RelativeLimit: Sendable, Equatable {
        public var factor: Double
        public var offset: Int

        /// The relative limit of the commands that translate (`tern translate`, `batch`,
        /// `compare`): `3 · sourceLength + 10` target tokens. `DecodingOptions()` itself sets no
        /// relative limit, so library callers choose.
        public static let `default` = RelativeLimit(factor: 3, offset: 10)

        public init(factor: Double, offset: Int) {
            self.factor = factor
            self.offset = offset
        }
    }

    /// Hypotheses kept per sentence; 1 is greedy search.
    public var beamSize: Int
    /// Hypotheses returned per sentence, at most `beamSize`.
    public var nBest: Int
    /// The exponent α of the length normalization `score = log P / length^α`, as in Hugging
    /// Face and CTranslate2; `length` counts generated tokens including `</s>`. 0 disables it.
    public var lengthPenalty: Float
    /// The most target tokens generated per sentence, `</s>` included.
    public var maxLength: Int
    /// `</s>` is not allowed before this many tokens have been generated (0: any time). With
    /// `minLength == maxLength` every output has exactly that length, as benchmarks need.
    public var minLength: Int
    /// An optional second limit relative to the source length; the smaller limit wins.
    public var relativeMaxLength: RelativeLimit?

    public init(beamSize: Int = 1, nBest: Int = 1, lengthPenalty: Float = 1, maxLength: Int = 256, minLength: Int = 0,
                relativeMaxLength: RelativeLimit? = nil) {
        self.beamSize = beamSize
        self.nBest = nBest
        self.lengthPenalty = lengthPenalty
        self.maxLength = maxLength
        self.minLength = minLength
        self.relativeMaxLength = relativeMaxLength
    }

    /// Checks the options; search refuses invalid ones rather than trapping.
    /// - Throws: `DecodingError.invalidOptions`.
    public func validate() throws {
        guard beamSize >= 1 else { throw DecodingError.invalidOptions("the beam size must be at least 1") }
        guard (1...beamSize).contains(nBest) else { throw DecodingError.invalidOptions("n-best must be between 1 and the beam size (\(beamSize))") }
        guard maxLength >= 0 else { throw DecodingError.invalidOptions("the maximum length must not be negative") }
        guard minLength >= 0 else { throw DecodingError.invalidOptions("the minimum length must not be negative") }
        guard lengthPenalty.isFinite else { throw DecodingError.invalidOptions("the length penalty must be a finite number") }
        if let relative = relativeMaxLength, !(relative.factor.isFinite && relative.factor >= 0) {
            throw DecodingError.invalidOptions("the relative length factor must be a finite number ≥ 0")
        }
    }

    /// The most target tokens `sentence` of `scorer` may get: `maxLength`, the room left in the
    /// model's positions, and the relative limit, whichever is smallest.
    public func limit(for sentence: Int, of scorer: some StepScorer) -> Int {
        var limit = min(maxLength, scorer.targetCapacity(of: sentence))
        if let relative = relativeMaxLength {
            limit = min(limit, Int(relative.factor * Double(scorer.sourceLength(of: sentence))) + relative.offset)
        }
        return max(0, limit)
    }
}

/// Errors from search.
public enum DecodingError: LocalizedError, Equatable, CustomStringConvertible {
    case invalidOptions(String)

    public var description: String {
        switch self {
        case let .invalidOptions(reason): return "invalid decoding options: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
