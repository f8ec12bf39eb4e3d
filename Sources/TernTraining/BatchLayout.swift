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

    init(_ pairs: [SentencePair], framing: TokenFraming, pad: Int32) {
        batch = pairs.count
        var decoderSequences: [[Int32]] = [], labelSequences: [[Int32]] = [], firstPrediction: [Int] = []
        var sources: [[Int32]] = []
        for pair in pairs {
            let source = framing.source(pair.source)
            let (input, labels, first) = framing.teacherForcing(framedSource: source, target: pair.target)
            if framing.architecture == .encoderDecoder { sources.append(source) }
            decoderSequences.append(input)
            labelSequences.append(labels)
            firstPrediction.append(first)
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
        decoderMask = framing.decoderMask(framedSourceLengths: pairs.map { framing.source($0.source).count })
    }
}
