import TernTensor

/// The sub-layers shared by the encoder and the decoder. Each reads `workspace.hidden`
/// (`[M, D]`) and leaves its result, before the residual, in `workspace.projected`.
enum TransformerOps {
    /// Self-attention over `N` sequences padded to `L` positions (`hidden` is `[N·L, D]`).
    /// The keys and values stay in `workspace.key` and `workspace.value` (`[N·L, D]`) for the
    /// caller to cache.
    static func selfAttention(_ weights: AttentionWeights, lengths: [Int], paddedLength: Int, mask: AttentionMask, workspace ws: Workspace) {
        project(weights, workspace: ws)
        let width = weights.query.outputSize, headWidth = weights.headWidth
        ws.reserveScores(paddedLength)
        ws.context.resize(rows: ws.hidden.rows)
        ws.query.values.withUnsafeBufferPointer { q in
            ws.key.values.withUnsafeBufferPointer { k in
                ws.value.values.withUnsafeBufferPointer { v in
                    ws.context.values.withUnsafeMutableBufferPointer { context in
                        ws.scores.withUnsafeMutableBufferPointer { scores in
                            for (sequence, length) in lengths.enumerated() {
                                let base = sequence * paddedLength * width
                                for position in 0..<paddedLength {
                                    let row = base + position * width
                                    let visible = max(1, mask.visibleKeys(sequence: sequence, query: position, length: length))
                                    for head in 0..<weights.heads {
                                        let offset = head * headWidth
                                        AttentionKernel.attend(query: q.baseAddress! + row + offset, keys: k.baseAddress! + base + offset,
                                                               values: v.baseAddress! + base + offset, stride: width, keyCount: visible,
                                                               headWidth: headWidth, scores: scores.baseAddress!,
                                                               output: context.baseAddress! + row + offset)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        weights.output.apply(ws.context, into: &ws.projected)
    }

    /// Self-attention for one new position per row, over the rows' cached positions. Writes
    /// this step's keys and values into `cache` at each row's current length.
    static func cachedSelfAttention(_ weights: AttentionWeights, layer: Int, cache: SelfAttentionCache, workspace ws: Workspace) {
        project(weights, workspace: ws)
        let width = weights.query.outputSize, headWidth = weights.headWidth
        let rows = ws.hidden.rows
        ws.reserveScores((cache.lengths.max() ?? 0) + 1)
        ws.context.resize(rows: rows)
        ws.query.values.withUnsafeBufferPointer { q in
            ws.key.values.withUnsafeBufferPointer { k in
                ws.value.values.withUnsafeBufferPointer { v in
                    ws.context.values.withUnsafeMutableBufferPointer { context in
                        ws.scores.withUnsafeMutableBufferPointer { scores in
                            for row in 0..<rows {
                                let position = cache.lengths[row]
                                cache.write(layer: layer, row: row, key: k.baseAddress! + row * width,
                                            value: v.baseAddress! + row * width, at: position)
                                let keys = cache.keys(layer: layer, row: row), values = cache.values(layer: layer, row: row)
                                for head in 0..<weights.heads {
                                    let offset = head * headWidth
                                    AttentionKernel.attend(query: q.baseAddress! + row * width + offset, keys: keys + offset,
                                                           values: values + offset, stride: width, keyCount: position + 1,
                                                           headWidth: headWidth, scores: scores.baseAddress!,
                                                           output: context.baseAddress! + row * width + offset)
                                }
                            }
                        }
                    }
                }
            }
        }
        weights.output.apply(ws.context, into: &ws.projected)
    }

    /// Cross-attention of each row of `hidden` over the cached encoder keys and values of its
    /// sentence, `sentenceOfRow[m]`.
    static func crossAttention(_ weights: AttentionWeights, layer: Int, cache: CrossAttentionCache, sentenceOfRow: [Int], workspace ws: Workspace) {
        weights.query.apply(ws.hidden, into: &ws.query)
        scale(&ws.query, by: weights.queryScale)
        let width = weights.query.outputSize, headWidth = weights.headWidth
        let rows = ws.hidden.rows
        ws.reserveScores(cache.paddedLength)
        ws.context.resize(rows: rows)
        ws.query.values.withUnsafeBufferPointer { q in
            cache.keys[layer].values.withUnsafeBufferPointer { k in
                cache.values[layer].values.withUnsafeBufferPointer { v in
                    ws.context.values.withUnsafeMutableBufferPointer { context in
                        ws.scores.withUnsafeMutableBufferPointer { scores in
                            for row in 0..<rows {
                                let sentence = sentenceOfRow[row]
                                let base = sentence * cache.paddedLength * width
                                for head in 0..<weights.heads {
                                    let offset = head * headWidth
                                    AttentionKernel.attend(query: q.baseAddress! + row * width + offset, keys: k.baseAddress! + base + offset,
                                                           values: v.baseAddress! + base + offset, stride: width,
                                                           keyCount: max(1, cache.sourceLengths[sentence]), headWidth: headWidth,
                                                           scores: scores.baseAddress!, output: context.baseAddress! + row * width + offset)
                                }
                            }
                        }
                    }
                }
            }
        }
        weights.output.apply(ws.context, into: &ws.projected)
    }

    /// `projected = fc2(act(fc1(hidden)))`.
    static func feedForward(_ weights: FeedForwardWeights, workspace ws: Workspace) {
        weights.expand.apply(ws.hidden, into: &ws.expanded)
        weights.activation.apply(to: &ws.expanded.values, count: ws.expanded.count)
        weights.contract.apply(ws.expanded, into: &ws.projected)
    }

    /// `hidden = LayerNorm(hidden + projected)`: the post-layer-norm residual.
    static func addAndNormalize(_ norm: LayerNormWeights, workspace ws: Workspace) {
        Kernels.add(ws.projected, to: &ws.hidden)
        norm.apply(&ws.hidden)
    }

    private static func project(_ weights: AttentionWeights, workspace ws: Workspace) {
        weights.query.apply(ws.hidden, into: &ws.query)
        scale(&ws.query, by: weights.queryScale)
        weights.key.apply(ws.hidden, into: &ws.key)
        weights.value.apply(ws.hidden, into: &ws.value)
    }

    private static func scale(_ matrix: inout Matrix, by factor: Float) {
        let count = matrix.count
        matrix.values.withUnsafeMutableBufferPointer { values in
            for index in 0..<count { values[index] *= factor }
        }
    }
}
