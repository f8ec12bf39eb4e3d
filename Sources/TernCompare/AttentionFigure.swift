import TernModel
import TernTensor

/// A matrix of attention probabilities for drawing: rows are query positions, columns keys.
public struct AttentionHeatmap: Sendable, Equatable {
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `values[row][column]`, each in 0…1.
    public var values: [[Double]]
}

/// Everything `AttentionSVG` draws for one sentence: (a) the three modes' attention masks over
/// the sentence's real tokens, and (b) the encoder-decoder's cross-attention beside the
/// prefix LM's attention from target positions to source positions, both from the last decoder
/// layer, averaged over its heads, on the same teacher-forced target.
public struct AttentionFigure: Sendable, Equatable {
    /// 1-based input line.
    public var line: Int
    public var source: String
    /// Where the teacher-forced target came from, such as "the reference".
    public var targetOrigin: String
    /// The causal LM's mask over `[source ; <sep> ; target]`.
    public var causalMask: MaskMatrix
    /// The prefix LM's mask over the same sequence.
    public var prefixMask: MaskMatrix
    /// The encoder-decoder's cross-attention mask: decoder positions `[start ; target]` × source positions.
    public var crossMask: MaskMatrix
    /// Source positions of the decoder-only sequence (before `<sep>`), for drawing boundaries.
    public var decoderOnlySourceLength: Int
    /// The encoder-decoder's cross-attention: decoder positions × source positions (with `</s>`).
    public var crossAttention: AttentionHeatmap
    /// The prefix LM's self-attention from `<sep>` and the target positions to the source positions.
    public var prefixAttention: AttentionHeatmap
    /// Which layer and heads the heatmaps show, in words.
    public var layerDescription: String

    /// Builds the figure for `sentence` (the text of input line `line`).
    /// - Parameters:
    ///   - encoderDecoder, prefixLM: runners over the encoder-decoder and prefix-LM models.
    ///   - target: the target tokens to teacher-force (same vocabulary for both models), cut
    ///     here to fit both models' positions.
    ///   - targetOrigin: where `target` came from, for the caption.
    public static func build(line: Int, sentence: String, encoderDecoder: ModeRunner, prefixLM: ModeRunner,
                             target: [Int32], targetOrigin: String) -> AttentionFigure {
        let encdecModel = encoderDecoder.translator.model, prefixModel = prefixLM.translator.model
        let encdecSource = encoderDecoder.sourceIDs(sentence), prefixFramed = prefixLM.sourceIDs(sentence)
        // The prefix LM's source pieces, without the `<sep>` that ends its framed source.
        let prefixSource = Array(prefixFramed.dropLast())
        let fitting = min(encdecModel.config.maxPositionEmbeddings - 1, prefixModel.config.maxPositionEmbeddings - prefixSource.count - 1)
        let target = Array(target.prefix(max(0, fitting)))
        let encdecPieces = encoderDecoder.translator.sourceTokenizer.pieces
        let prefixPieces = prefixLM.translator.sourceTokenizer.pieces
        let targetPieces = encoderDecoder.translator.targetTokenizer.pieces(target)

        let sequence = prefixPieces(prefixFramed) + targetPieces
        let decoderInputs = encdecPieces([Int32(encdecModel.config.decoderStartTokenId)]) + targetPieces
        let sourcePieces = encdecPieces(encdecSource)

        let cross = encdecModel.attentionProbabilities(source: encdecSource, target: target)
        let prefix = prefixModel.attentionProbabilities(source: prefixFramed, target: target)
        let crossMap = averageOverHeads(cross.crossAttention.last ?? [])
        let prefixMap = averageOverHeads(prefix.selfAttention.last ?? [])
        let targetRows = prefixSource.count..<(prefixSource.count + 1 + target.count)
        let layers = encdecModel.config.decoderLayers, heads = encdecModel.config.decoderAttentionHeads
        let prefixLayers = prefixModel.config.decoderLayers, prefixHeads = prefixModel.config.decoderAttentionHeads
        return AttentionFigure(
            line: line, source: sentence, targetOrigin: targetOrigin,
            causalMask: .selfAttention(.causal, tokens: sequence),
            prefixMask: .selfAttention(.prefix(prefixLengths: [prefixSource.count + 1]), tokens: sequence),
            crossMask: .crossAttention(queries: decoderInputs, keys: sourcePieces),
            decoderOnlySourceLength: prefixSource.count,
            crossAttention: AttentionHeatmap(rowLabels: decoderInputs, columnLabels: sourcePieces,
                                             values: rows(crossMap, rows: 0..<crossMap.rows, columns: 0..<crossMap.columns)),
            prefixAttention: AttentionHeatmap(rowLabels: Array(sequence[targetRows]), columnLabels: prefixPieces(prefixSource),
                                              values: rows(prefixMap, rows: targetRows, columns: 0..<prefixSource.count)),
            layerDescription: "last decoder layer (encdec \(layers) of \(layers), prefix-LM \(prefixLayers) of \(prefixLayers)), "
                + "mean over heads (\(heads) and \(prefixHeads))")
    }

    /// The element-wise mean of per-head maps of one shape.
    public static func averageOverHeads(_ maps: [Matrix]) -> Matrix {
        guard let first = maps.first else { return Matrix(rows: 0, columns: 0) }
        var mean = Matrix(rows: first.rows, columns: first.columns)
        for map in maps {
            for index in 0..<mean.count { mean.values[index] += map.values[index] / Float(maps.count) }
        }
        return mean
    }

    private static func rows(_ matrix: Matrix, rows: Range<Int>, columns: Range<Int>) -> [[Double]] {
        rows.map { row in columns.map { Double(matrix.values[row * matrix.columns + $0]) } }
    }
}
