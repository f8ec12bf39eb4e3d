import TernTensor

/// The decoder stack, shared by the encoder-decoder (with cross-attention) and the
/// decoder-only modes (without). Two entry points over the same weights:
///
/// - `forward`: every position of whole sequences at once (prefill, the no-cache baseline,
///   teacher-forced scoring);
/// - `step`: one new position per row, reading and extending a `SelfAttentionCache`.
///
/// Both give the same logits for the same positions; the tests hold them to it.
struct Decoder {
    let embedding: Embedding
    let layers: [DecoderLayerWeights]
    /// `y = x · Wᵀ + final_logits_bias`: the output layer, `W` `[V_t, D]` the decoder's embedding
    /// table when tied, else `lm_head.weight` (`ModelWeights.outputProjection`).
    let outputLayer: Linear

    init(weights: ModelWeights) {
        embedding = weights.decoderEmbedding
        layers = weights.decoderLayers
        outputLayer = Linear(weights: weights.outputProjection, bias: weights.finalLogitsBias)
    }

    /// Runs `N` whole sequences, right-padded to the longest.
    /// - Parameters:
    ///   - sequences: token ids, `N` of them.
    ///   - mask: which keys each position sees.
    ///   - cross: encoder keys and values (encoder-decoder only); sequence `n` reads sentence
    ///     `sentenceOfSequence[n]`.
    ///   - cache: when given, receives every real position's keys and values, row `n` for
    ///     sequence `n`, and its lengths are set to the sequence lengths.
    ///   - lastOnly: when true, `workspace.logits` gets one row per sequence (its last real
    ///     position); otherwise `[N·L, V]`, every position.
    func forward(_ sequences: [[Int32]], mask: AttentionMask, cross: CrossAttentionCache?, sentenceOfSequence: [Int],
                 cache: SelfAttentionCache?, lastOnly: Bool, workspace ws: Workspace) {
        let paddedLength = max(1, sequences.map(\.count).max() ?? 1)
        let lengths = sequences.map { max(1, $0.count) }
        ws.hidden.resize(rows: sequences.count * paddedLength)
        for (sequence, tokens) in sequences.enumerated() {
            for position in 0..<paddedLength {
                embedding.embed(token: position < tokens.count ? tokens[position] : -1, position: position,
                                into: &ws.hidden, row: sequence * paddedLength + position)
            }
        }
        cache?.reserve(positions: paddedLength)
        let sentenceOfRow = sentenceOfSequence.flatMap { repeatElement($0, count: paddedLength) }
        for (index, layer) in layers.enumerated() {
            TransformerOps.selfAttention(layer.selfAttention, lengths: lengths, paddedLength: paddedLength, mask: mask, workspace: ws)
            if let cache { store(layer: index, lengths: lengths, paddedLength: paddedLength, in: cache, workspace: ws) }
            finishLayer(index, layer, cross: cross, sentenceOfRow: sentenceOfRow, workspace: ws)
        }
        cache?.setLengths(lengths)
        if lastOnly {
            var last = Matrix(rows: sequences.count, columns: ws.hidden.columns)
            for (sequence, length) in lengths.enumerated() {
                let source = (sequence * paddedLength + length - 1) * ws.hidden.columns
                for column in 0..<ws.hidden.columns {
                    last.values[sequence * ws.hidden.columns + column] = ws.hidden.values[source + column]
                }
            }
            outputLayer.apply(last, into: &ws.logits)
        } else {
            outputLayer.apply(ws.hidden, into: &ws.logits)
        }
    }

    /// Runs one new token per cached row: `tokens[r]` at position `cache.lengths[r]`. Leaves
    /// the logits `[R, V]` in `workspace.logits` and each row's cache one position longer.
    func step(_ tokens: [Int32], cache: SelfAttentionCache, cross: CrossAttentionCache?, sentenceOfRow: [Int], workspace ws: Workspace) {
        ws.hidden.resize(rows: tokens.count)
        for (row, token) in tokens.enumerated() {
            embedding.embed(token: token, position: cache.lengths[row], into: &ws.hidden, row: row)
        }
        cache.reserve(positions: (cache.lengths.max() ?? 0) + 1)
        for (index, layer) in layers.enumerated() {
            TransformerOps.cachedSelfAttention(layer.selfAttention, layer: index, cache: cache, workspace: ws)
            finishLayer(index, layer, cross: cross, sentenceOfRow: sentenceOfRow, workspace: ws)
        }
        cache.setLengths(cache.lengths.map { $0 + 1 })
        outputLayer.apply(ws.hidden, into: &ws.logits)
    }

    /// Everything after self-attention: its residual and norm, cross-attention when the model
    /// has it, and the feed-forward block.
    private func finishLayer(_ index: Int, _ layer: DecoderLayerWeights, cross: CrossAttentionCache?, sentenceOfRow: [Int], workspace ws: Workspace) {
        TransformerOps.addAndNormalize(layer.selfAttentionNorm, workspace: ws)
        if let attention = layer.crossAttention, let norm = layer.crossAttentionNorm, let cross {
            TransformerOps.crossAttention(attention, layer: index, cache: cross, sentenceOfRow: sentenceOfRow, workspace: ws)
            TransformerOps.addAndNormalize(norm, workspace: ws)
        }
        TransformerOps.feedForward(layer.feedForward, workspace: ws)
        TransformerOps.addAndNormalize(layer.finalNorm, workspace: ws)
    }

    private func store(layer: Int, lengths: [Int], paddedLength: Int, in cache: SelfAttentionCache, workspace ws: Workspace) {
        let width = ws.key.columns
        ws.key.values.withUnsafeBufferPointer { keys in
            ws.value.values.withUnsafeBufferPointer { values in
                for (sequence, length) in lengths.enumerated() {
                    for position in 0..<length {
                        let row = (sequence * paddedLength + position) * width
                        cache.write(layer: layer, row: sequence, key: keys.baseAddress! + row, value: values.baseAddress! + row, at: position)
                    }
                }
            }
        }
    }
}
