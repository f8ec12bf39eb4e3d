import Foundation

/// One translation found by search.
public struct Hypothesis: Sendable, Equatable {
    /// Target tokens, without the final `</s>`.
    public var tokens: [Int32]
    /// Log-probability of each generated token, the final `</s>` included when there is one.
    public var tokenLogProbs: [Float]
    /// True when the hypothesis ended with `</s>`; false when it reached the length limit.
    public var finished: Bool

    /// `log P`, the sum of `tokenLogProbs`.
    public var logProb: Float { tokenLogProbs.reduce(0, +) }

    /// `log P / length^α`, with `length` the number of generated tokens, `</s>` included.
    public func score(lengthPenalty: Float) -> Float {
        let length = Float(max(1, tokenLogProbs.count))
        return lengthPenalty == 0 ? logProb : logProb / Float.pow(length, lengthPenalty)
    }
}

extension Float {
    static func pow(_ base: Float, _ exponent: Float) -> Float {
        exponent == 1 ? base : Float(Foundation.pow(Double(base), Double(exponent)))
    }
}

