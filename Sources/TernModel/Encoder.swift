import TernTensor

/// The encoder's output for a batch of sources.
public struct EncoderOutput: Sendable {
    /// `[B·S, D]`: position `s` of sentence `b` is row `b·S + s`. Padding rows hold values
    /// that no attention ever reads.
    public let states: Matrix
    /// Real length of each source, `[B]`.
    public let lengths: [Int]
    /// `S`, the longest source.
    public let paddedLength: Int
}

/// The encoder stack: embeddings, then post-layer-norm self-attention and feed-forward layers.
struct Encoder {
    let embedding: Embedding
    let layers: [EncoderLayerWeights]

    /// Encodes a batch of sources (token ids, each ending with `</s>`), right-padded to the
    /// longest. Padding never changes the result of a real position.
    func encode(_ sources: [[Int32]], workspace ws: Workspace) -> EncoderOutput {
        let paddedLength = max(1, sources.map(\.count).max() ?? 1)
        let lengths = sources.map { max(1, $0.count) }
        ws.hidden.resize(rows: sources.count * paddedLength)
        for (sentence, source) in sources.enumerated() {
            for position in 0..<paddedLength {
                let token = position < source.count ? source[position] : -1
                embedding.embed(token: token, position: position, into: &ws.hidden, row: sentence * paddedLength + position)
            }
        }
        for layer in layers {
            TransformerOps.selfAttention(layer.selfAttention, lengths: lengths, paddedLength: paddedLength,
                                         mask: .bidirectional, workspace: ws)
            TransformerOps.addAndNormalize(layer.selfAttentionNorm, workspace: ws)
            TransformerOps.feedForward(layer.feedForward, workspace: ws)
            TransformerOps.addAndNormalize(layer.finalNorm, workspace: ws)
        }
        let states = Matrix(rows: ws.hidden.rows, columns: ws.hidden.columns, values: Array(ws.hidden.values.prefix(ws.hidden.count)))
        return EncoderOutput(states: states, lengths: lengths, paddedLength: paddedLength)
    }
}
