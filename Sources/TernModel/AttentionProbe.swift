import TernTensor

/// The attention probabilities of one teacher-forced pass of a model over a (source, target)
/// pair, for inspection and figures (`tern compare --svg`). Every matrix is row = query
/// position, column = key position; masked-out keys hold 0, so each row sums to 1.
public struct AttentionProbabilities: Sendable {
    /// The tokens the decoder stack ran over, one per query row:
    /// encoder-decoder `[start ; target]`; decoder-only `[source ; <sep> ; target]`.
    public let decoderTokens: [Int32]
    /// The framed source: the encoder's input (ending with `</s>`) for an encoder-decoder; the
    /// decoder's prefix, the first `sourceTokens.count` positions (ending with `<sep>`), for a
    /// decoder-only model.
    public let sourceTokens: [Int32]
    /// The self-attention mask the decoder ran with.
    public let mask: AttentionMask
    /// Decoder self-attention, `[layer][head]`, each `[L, L]` with `L = decoderTokens.count`.
    public let selfAttention: [[Matrix]]
    /// Decoder cross-attention over the encoder output, `[layer][head]`, each `[L, S]` with
    /// `S = sourceTokens.count`. Empty for a decoder-only model.
    public let crossAttention: [[Matrix]]
    /// The logits of every decoder position, `[L, V]`: the same as `Model.logits` for this input.
    public let logits: Matrix
}

extension Model {
    /// Runs the decoder (and the encoder, for an encoder-decoder) teacher-forced over one
    /// sentence pair and returns the attention probabilities of every decoder layer and head.
    ///
    /// The pass reuses the engine's sub-layers (`TransformerOps`) and weights; the probabilities
    /// are computed from the very queries and keys those sub-layers use, with the same mask.
    /// It is a diagnostic: one sentence, no caches, not for speed.
    ///
    /// - Parameters:
    ///   - source: the framed source (`framing.source`): ending with `</s>` (encoder-decoder) or
    ///     `<sep>` (decoder-only).
    ///   - target: target token ids without the start token, separator or `</s>`.
    /// - Precondition: the decoder sequence fits the model's positions.
    public func attentionProbabilities(source: [Int32], target: [Int32]) -> AttentionProbabilities {
        let workspace = makeWorkspace()
        var cross: CrossAttentionCache?
        if let encoder {
            cross = CrossAttentionCache(memory: encoder.encode([source], workspace: workspace), layers: decoder.layers)
        }
        let tokens = framing.decoderPrefix(ofFramed: source) + target
        let mask = framing.decoderMask(framedSourceLengths: [source.count])
        precondition(tokens.count <= config.maxPositionEmbeddings, "the sequence is longer than the model's positions")
        let length = tokens.count
        workspace.hidden.resize(rows: length)
        for (position, token) in tokens.enumerated() {
            decoder.embedding.embed(token: token, position: position, into: &workspace.hidden, row: position)
        }
        var selfMaps: [[Matrix]] = [], crossMaps: [[Matrix]] = []
        let sentenceOfRow = [Int](repeating: 0, count: length)
        for (index, layer) in decoder.layers.enumerated() {
            let attention = layer.selfAttention
            var keys = Matrix(rows: 0, columns: attention.key.outputSize)
            attention.key.apply(workspace.hidden, into: &keys)
            selfMaps.append(Self.probabilities(attention, hidden: workspace.hidden, keys: keys, keyCount: length) {
                mask.visibleKeys(sequence: 0, query: $0, length: length)
            })
            TransformerOps.selfAttention(attention, lengths: [length], paddedLength: length, mask: mask, workspace: workspace)
            TransformerOps.addAndNormalize(layer.selfAttentionNorm, workspace: workspace)
            if let crossAttention = layer.crossAttention, let norm = layer.crossAttentionNorm, let cross {
                let sourceLength = cross.sourceLengths[0]
                crossMaps.append(Self.probabilities(crossAttention, hidden: workspace.hidden, keys: cross.keys[index],
                                                    keyCount: sourceLength) { _ in sourceLength })
                TransformerOps.crossAttention(crossAttention, layer: index, cache: cross, sentenceOfRow: sentenceOfRow, workspace: workspace)
                TransformerOps.addAndNormalize(norm, workspace: workspace)
            }
            TransformerOps.feedForward(layer.feedForward, workspace: workspace)
            TransformerOps.addAndNormalize(layer.finalNorm, workspace: workspace)
        }
        var logits = Matrix(rows: 0, columns: config.targetVocabSize)
        decoder.outputLayer.apply(Matrix(rows: length, columns: workspace.hidden.columns,
                                         values: Array(workspace.hidden.values.prefix(workspace.hidden.count))), into: &logits)
        return AttentionProbabilities(decoderTokens: tokens, sourceTokens: source, mask: mask, selfAttention: selfMaps,
                                      crossAttention: crossMaps, logits: logits)
    }

    /// `softmax(q · kᵀ)` per head over the first `visible(query)` keys, by `AttentionKernel`:
    /// queries projected from `hidden` and scaled by `1/√Dh`; `keys` `[K, D]`.
    private static func probabilities(_ weights: AttentionWeights, hidden: Matrix, keys: Matrix, keyCount: Int,
                                      visible: (Int) -> Int) -> [Matrix] {
        var queries = Matrix(rows: 0, columns: weights.query.outputSize)
        weights.query.apply(hidden, into: &queries)
        let width = weights.query.outputSize, headWidth = weights.headWidth, scale = weights.queryScale
        let rows = hidden.rows
        var scores = [Float](repeating: 0, count: max(1, keyCount))
        return (0..<weights.heads).map { head in
            var map = Matrix(rows: rows, columns: keyCount)
            for query in 0..<rows {
                let count = min(keyCount, max(1, visible(query)))
                let q = (0..<headWidth).map { queries.values[query * width + head * headWidth + $0] * scale }
                q.withUnsafeBufferPointer { q in
                    keys.values.withUnsafeBufferPointer { k in
                        scores.withUnsafeMutableBufferPointer { s in
                            AttentionKernel.probabilities(query: q.baseAddress!, keys: k.baseAddress! + head * headWidth, stride: width,
                                                          keyCount: count, headWidth: headWidth, into: s.baseAddress!)
                        }
                    }
                }
                for key in 0..<count { map.values[query * keyCount + key] = scores[key] }
            }
            return map
        }
    }
}
