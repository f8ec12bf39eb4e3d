import TernModel

/// How a batch of sentence pairs is laid out as padded rows for one forward pass.
struct BatchLayout {
    /// A position whose output is scored: its row in the decoder's `[B·L]` rows, and the
    /// token it must predict.
    struct Prediction {
        let row: Int
        let label: Int32
    }

    let batch: Int
    /// Encoder input `[B·S]` (encoder-decoder only): `source + </s>`, padded with `<pad>`.
    let sourceTokens: [Int32]
    let sourceLengths: [Int]
    let sourceLength: Int
    /// Decoder input `[B·L]`: `<pad> + target`, or `source + <sep> + target` for decoder-only.
    let decoderTokens: [Int32]
    let decoderLengths: [Int]
    let decoderLength: Int
    let decoderMask: AttentionMask
    let predictions: [Prediction]

    static let empty = BatchLayout(batch: 0, sourceTokens: [], sourceLengths: [], sourceLength: 0, decoderTokens: [],
                                   decoderLengths: [], decoderLength: 0, decoderMask: .causal, predictions: [])

    private init(batch: Int, sourceTokens: [Int32], sourceLengths: [Int], sourceLength: Int, decoderTokens: [Int32],
                 decoderLengths: [Int], decoderLength: Int, decoderMask: AttentionMask, predictions: [Prediction]) {
        self.batch = batch
        self.sourceTokens = sourceTokens
        self.sourceLengths = sourceLengths
        self.sourceLength = sourceLength
        self.decoderTokens = decoderTokens
        self.decoderLengths = decoderLengths
        self.decoderLength = decoderLength
        self.decoderMask = decoderMask
        self.predictions = predictions
    }

    init(_ pairs: [SentencePair], architecture: Architecture, config: ModelConfig) {
        let pad = Int32(config.padTokenId), eos = Int32(config.eosTokenId), start = Int32(config.decoderStartTokenId)
        let separator = Int32(config.ternSeparatorTokenId ?? config.eosTokenId)
        let limit = config.maxPositionEmbeddings
        batch = pairs.count
        var decoderSequences: [[Int32]] = [], labelSequences: [[Int32]] = [], firstPrediction: [Int] = []
        var sources: [[Int32]] = []
        for pair in pairs {
            let labels = pair.target + [eos]
            if architecture == .encoderDecoder {
                sources.append(Array((pair.source + [eos]).suffix(limit)))
                let input = Array(([start] + pair.target).prefix(limit))
                decoderSequences.append(input)
                labelSequences.append(Array(labels.prefix(input.count)))
                firstPrediction.append(0)
            } else {
                let prefix = pair.source + [separator]
                let input = Array((prefix + pair.target).prefix(limit))
                decoderSequences.append(input)
                labelSequences.append(Array(labels.prefix(max(0, input.count - prefix.count + 1))))
                firstPrediction.append(prefix.count - 1)
            }
        }
        let paddedSource = sources.map(\.count).max() ?? 0
        let paddedDecoder = decoderSequences.map(\.count).max() ?? 0
        sourceLength = paddedSource
        sourceLengths = sources.map(\.count)
        sourceTokens = sources.flatMap { $0 + [Int32](repeating: pad, count: paddedSource - $0.count) }
        decoderLength = paddedDecoder
        decoderLengths = decoderSequences.map(\.count)
        decoderTokens = decoderSequences.flatMap { $0 + [Int32](repeating: pad, count: paddedDecoder - $0.count) }
        var predictions: [Prediction] = []
        for (sentence, labels) in labelSequences.enumerated() {
            for (offset, label) in labels.enumerated() {
                predictions.append(Prediction(row: sentence * paddedDecoder + firstPrediction[sentence] + offset, label: label))
            }
        }
        self.predictions = predictions
        switch architecture {
        case .encoderDecoder, .causalLM: decoderMask = .causal
        case .prefixLM: decoderMask = .prefix(prefixLengths: pairs.map { $0.source.count + 1 })
        }
    }
}
