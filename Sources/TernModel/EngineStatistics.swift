/// Counters kept while translating, for `--verbose`, `tern compare` and the tests.
public struct EngineStatistics: Sendable, Equatable {
    /// Searches run, one per batch of sentences.
    public var searches = 0
    /// Sentences searched for, summed over the batches.
    public var sentencesSearched = 0
    /// Encoder passes over a batch of sources (each source is encoded in exactly one).
    public var encoderRuns = 0
    /// Sources encoded.
    public var sentencesEncoded = 0
    /// Cross-attention key/value projections: one per decoder layer per sentence.
    public var crossAttentionProjections = 0
    /// Decoder calls: one per step of a batch (a prefill counts as one).
    public var decoderSteps = 0
    /// Decoder positions computed, summed over rows.
    public var decoderPositions = 0
    /// The most bytes the self-attention caches held at once.
    public var peakSelfCacheBytes = 0
    /// The most bytes the cross-attention caches held at once.
    public var peakCrossCacheBytes = 0

    public init() {}

    /// Sentences per search, on average: the batch size the engine achieved.
    public var meanBatchSize: Double { searches == 0 ? 0 : Double(sentencesSearched) / Double(searches) }

    /// Adds another run's counters; peaks take the larger value.
    public mutating func merge(_ other: EngineStatistics) {
        searches += other.searches
        sentencesSearched += other.sentencesSearched
        encoderRuns += other.encoderRuns
        sentencesEncoded += other.sentencesEncoded
        crossAttentionProjections += other.crossAttentionProjections
        decoderSteps += other.decoderSteps
        decoderPositions += other.decoderPositions
        peakSelfCacheBytes = max(peakSelfCacheBytes, other.peakSelfCacheBytes)
        peakCrossCacheBytes = max(peakCrossCacheBytes, other.peakCrossCacheBytes)
    }
}
