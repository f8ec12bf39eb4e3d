/// Which keys each query position may attend to. In every mode Tern supports, the visible keys
/// of a query form a prefix of the sequence, so a mask is fully described by a count.
public enum AttentionMask: Sendable, Equatable {
    /// Every real (non-padding) position sees every real position: the encoder.
    case bidirectional
    /// Position `i` sees positions `0...i`: the causal LM, and the encoder-decoder's decoder.
    case causal
    /// Positions of the prefix (source and separator, `prefixLengths[n]` of them in sequence `n`)
    /// see the whole prefix; later positions see the prefix and the target up to themselves.
    case prefix(prefixLengths: [Int])

    /// The number of leading keys that query `query` of sequence `sequence` sees, given that
    /// the sequence has `length` real positions (the rest is padding).
    @inline(__always)
    public func visibleKeys(sequence: Int, query: Int, length: Int) -> Int {
        switch self {
        case .bidirectional: return length
        case .causal: return min(length, query + 1)
        case let .prefix(prefixLengths): return min(length, max(prefixLengths[sequence], query + 1))
        }
    }
}
