/// Whether decoding keeps its attention caches.
public enum CacheMode: String, Sendable, CaseIterable {
    /// Cross-attention keys and values projected once per sentence; self-attention keys and
    /// values appended one position per step. The normal mode.
    case cached
    /// No caches: every step recomputes all keys and values of the whole prefix, and the
    /// cross-attention projections of the encoder output. The O(T²) baseline; same tokens.
    case recompute
}
