import TernModel

/// What one model did with one input line.
public struct SentenceMeasurement: Sendable, Equatable {
    /// The detokenized translation ("" for a blank line).
    public var output: String
    /// The generated target ids, without `</s>`.
    public var tokens: [Int32]
    /// Wall time from the line going in (before tokenization) to its detokenized translation.
    public var latencySeconds: Double
    /// Wall time from the same start until the first decoder step's output (the distribution
    /// of the first target token) was available; nil for a blank line, which runs no model.
    public var timeToFirstTokenSeconds: Double?
    /// Decoder calls for this line (a prefill counts as one), from `EngineStatistics`.
    public var decoderSteps: Int
    /// Generated target tokens, `tokens.count`.
    public var generatedTokens: Int { tokens.count }

    public init(output: String, tokens: [Int32], latencySeconds: Double, timeToFirstTokenSeconds: Double?, decoderSteps: Int) {
        self.output = output
        self.tokens = tokens
        self.latencySeconds = latencySeconds
        self.timeToFirstTokenSeconds = timeToFirstTokenSeconds
        self.decoderSteps = decoderSteps
    }
}

/// One model run over every line in one cache mode: a row of the comparison.
public struct ModeRun: Sendable {
    public var mode: Architecture
    public var cacheMode: CacheMode
    /// `ModelWeights.parameterCount`.
    public var parameters: Int
    /// One per input line, in order.
    public var sentences: [SentenceMeasurement]
    /// Engine counters merged over every line (peaks are the largest of any line).
    public var statistics: EngineStatistics

    /// The row's name: the mode, with `/recompute` appended for a run without caches.
    public var label: String { Self.label(mode: mode, cacheMode: cacheMode) }

    public static func label(mode: Architecture, cacheMode: CacheMode) -> String {
        cacheMode == .cached ? mode.rawValue : "\(mode.rawValue)/\(cacheMode.rawValue)"
    }
}
