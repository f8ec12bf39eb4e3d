import TernTensor

/// The decoder's cross-attention keys and values, projected from the encoder output once per
/// sentence and never again.
///
/// Immutable once built. Every beam of a sentence reads the same rows: beams are mapped to
/// their sentence, never given a copy. Reordering beams does not touch this cache.
public final class CrossAttentionCache: Sendable {
    /// Per decoder layer, `[B·S, D]`: position `s` of sentence `b` is row `b·S + s`.
    let keys: [Matrix]
    /// Per decoder layer, `[B·S, D]`.
    let values: [Matrix]
    /// Real (unpadded) source length of each sentence, `[B]`.
    public let sourceLengths: [Int]
    /// Padded source length `S`.
    public let paddedLength: Int

    /// Projects `memory` through every decoder layer's cross-attention key and value weights.
    init(memory: EncoderOutput, layers: [DecoderLayerWeights]) {
        var keys: [Matrix] = [], values: [Matrix] = []
        for layer in layers {
            guard let attention = layer.crossAttention else { continue }
            var k = Matrix(rows: 0, columns: attention.key.outputSize)
            var v = Matrix(rows: 0, columns: attention.value.outputSize)
            attention.key.apply(memory.states, into: &k)
            attention.value.apply(memory.states, into: &v)
            keys.append(k)
            values.append(v)
        }
        self.keys = keys
        self.values = values
        sourceLengths = memory.lengths
        paddedLength = memory.paddedLength
    }

    /// Bytes held by the keys and values.
    public var byteCount: Int {
        (keys + values).reduce(0) { $0 + $1.count * MemoryLayout<Float>.size }
    }
}
