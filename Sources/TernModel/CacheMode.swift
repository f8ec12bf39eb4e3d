/// Whether decoding keeps its attention caches.
public enum CacheMode: String, Sendable, CaseIterable {
    /// Cross-attention keys and values projected once per sentence; self-attention keys and
    /// values appended one position per step. The normal mode.
    case cached
    /// No caches: every step recomputes all keys and values of the whole prefix, and the
    /// cross-attention projections of the encoder output. The O(T²) baseline; same tokens.
    case recompute
    /// The self-attention cache as in `cached`, but the cross-attention keys and values projected
    /// again from the encoder output at every step: what the cross cache saves, measured. Same
    /// tokens; for decoder-only models the same as `cached`.
    case recomputeCross = "recompute-cross"
}
