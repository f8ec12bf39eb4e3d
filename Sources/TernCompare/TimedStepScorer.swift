import TernDecoding
import TernModel
import TernTensor

/// Wraps a `StepScorer` and notes when its first output (the scores of the first target
/// token) became available: the end of `start`, which for an encoder-decoder includes
/// the encoder pass and the first decoder step, and for a decoder-only model the prefill.
///
/// Searches see the wrapped scorer unchanged; nothing in the engine is modified.
///
/// ```swift
/// let timed = TimedStepScorer(model.makeScorer(sources: [model.framing.source(ids)]))
/// let began = ContinuousClock.now
/// _ = try Search.run(timed, options: DecodingOptions())
/// let timeToFirstToken = timed.firstOutput! - began
/// ```
public final class TimedStepScorer: StepScorer {
    /// The scorer doing the work.
    public let base: any CountingStepScorer
    /// When `start` returned, or nil before it has run.
    public private(set) var firstOutput: ContinuousClock.Instant?
    /// Calls to `start` and `advance` so far: one per decoder step.
    public private(set) var calls = 0

    public init(_ base: any CountingStepScorer) {
        self.base = base
    }

    public var sentenceCount: Int { base.sentenceCount }
    public var vocabularySize: Int { base.vocabularySize }
    public var endToken: Int32 { base.endToken }
    public var suppressedTokens: [Int32] { base.suppressedTokens }
    public func sourceLength(of sentence: Int) -> Int { base.sourceLength(of: sentence) }
    public func targetCapacity(of sentence: Int) -> Int { base.targetCapacity(of: sentence) }

    public func start(into scores: inout TokenScores) {
        base.start(into: &scores)
        calls += 1
        if firstOutput == nil { firstOutput = ContinuousClock.now }
    }

    public func advance(parents: [Int], tokens: [Int32], into scores: inout TokenScores) {
        base.advance(parents: parents, tokens: tokens, into: &scores)
        calls += 1
    }
}
