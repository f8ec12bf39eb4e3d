import CBLAS
import Foundation
import TernModel
import TernTensor

/// One training example: token ids of a source sentence and of its target, without `</s>`.
public struct SentencePair: Sendable, Equatable {
    public var source: [Int32]
    public var target: [Int32]

    public init(source: [Int32], target: [Int32]) {
        self.source = source
        self.target = target
    }
}

/// The loss of a batch: summed over its target tokens.
public struct BatchLoss: Sendable {
    /// Σ label-smoothed cross-entropy (what is optimized).
    public var smoothedSum: Double
    /// Σ plain negative log-likelihood (what validation reports).
    public var negativeLogLikelihoodSum: Double
    /// Target tokens scored, `</s>` included.
    public var tokens: Int
}

/// The network being trained: the same architecture and parameter names as the inference
/// `Model`, with forward and backward passes over padded batches.
///
/// - Encoder-decoder: the encoder reads `source + </s>`; the decoder reads `<pad> + target`
///   (pad is the start token) and predicts `target + </s>`.
/// - Decoder-only: one stack reads `source + <sep> + target`; the positions from `<sep>` on
///   predict `target + </s>`. The prefix LM lets `source + <sep>` see itself in both directions.
public final class TrainingNetwork {
    public let config: ModelConfig
    public let architecture: Architecture
    /// How sentence pairs become the network's input (the same rule as inference).
    let framing: TokenFraming
    let parameters: ParameterStore
    private let encoderLayers: [TrainingLayer]
    private let decoderLayers: [TrainingLayer]
    private let embeddingOffset: Int
    private let logitsBiasOffset: Int
    private let positions: Matrix
    private let scratch = BackwardScratch()

    // Kept from the forward pass.
    private var encoderStates: [FloatBuffer] = []
    private var decoderStates: [FloatBuffer] = []
    private let encoderEmbeddingMask = FloatBuffer(), decoderEmbeddingMask = FloatBuffer()
    private let encoderGradient = FloatBuffer(), gradientA = FloatBuffer(), gradientB = FloatBuffer()
    private let gathered = FloatBuffer(), logits = FloatBuffer(), gatheredGradient = FloatBuffer()
    private var layout = BatchLayout.empty

    /// - Throws: `TrainingError.invalidConfiguration` for a feed-forward activation other than
    ///   swish (the only one `TrainingLayer` differentiates); `ModelError` when `source` lacks a
    ///   tensor the config implies.
    public init(config: ModelConfig, architecture: Architecture, source: some TensorSource) throws {
        guard config.activationFunction == .swish || config.activationFunction == .silu else {
            throw TrainingError.invalidConfiguration(
                "activation_function \(config.activationFunction.rawValue) can be translated with but not trained: the trainer implements swish (silu) only")
        }
        self.config = config
        self.architecture = architecture
        framing = TokenFraming(config: config, architecture: architecture)
        // Matrix products split their rows over the cores themselves (`TrainingKernels.forEachRowBlock`).
        BLASThreads.limit(to: 1)
        let layout = TensorLayout(config: config, architecture: architecture)
        let store = try ParameterStore(layout: layout.parameters, source: source)
        parameters = store
        encoderLayers = layout.encoderLayers.map { TrainingLayer($0, store: store) }
        decoderLayers = layout.decoderLayers.map { TrainingLayer($0, store: store) }
        embeddingOffset = store.offset(of: layout.embedding)
        logitsBiasOffset = store.offset(of: layout.logitsBias)
        positions = SinusoidalPositions.table(positions: config.maxPositionEmbeddings, width: config.dModel)
        encoderStates = (0...encoderLayers.count).map { _ in FloatBuffer() }
        decoderStates = (0...decoderLayers.count).map { _ in FloatBuffer() }
    }

    /// Number of trainable parameters.
    public var parameterCount: Int { parameters.count }

    /// The current parameters as named tensors (Hugging Face Marian names).
    public func tensors() -> [(name: String, shape: [Int], values: [Float])] { parameters.tensors() }

    /// The accumulated gradients as named tensors.
    public func gradientTensors() -> [(name: String, shape: [Int], values: [Float])] { parameters.gradientTensors() }

    /// Sets every gradient to zero.
    public func zeroGradients() { parameters.zeroGradients() }

    /// An inference model with the current parameters.
    public func inferenceModel() throws -> Model {
        Model(weights: try ModelWeights(config: config, architecture: architecture, file: TensorDictionary(tensors())))
    }

    /// Forward and backward over `batch`, adding the gradient of the mean label-smoothed loss
    /// per target token to the parameter gradients. The `<pad>` row's gradient is zeroed.
    public func trainStep(_ batch: [SentencePair], labelSmoothing: Float, dropout: Float, seed: UInt64) -> BatchLoss {
        var random = DropoutRandom(seed: seed)
        let loss = forward(batch, labelSmoothing: labelSmoothing, dropout: dropout, random: &random, keepGradient: true)
        backward()
        let pad = parameters.gradients + embeddingOffset + config.padTokenId * config.dModel
        pad.update(repeating: 0, count: config.dModel)
        return loss
    }

    /// The loss of `batch` without dropout and without touching gradients.
    public func evaluate(_ batch: [SentencePair], labelSmoothing: Float) -> BatchLoss {
        var random = DropoutRandom(seed: 1)
        return forward(batch, labelSmoothing: labelSmoothing, dropout: 0, random: &random, keepGradient: false)
    }

    // MARK: Forward

    private func forward(_ batch: [SentencePair], labelSmoothing: Float, dropout: Float, random: inout DropoutRandom, keepGradient: Bool) -> BatchLoss {
        layout = BatchLayout(batch, framing: framing, pad: Int32(config.padTokenId))
        let d = config.dModel
        var cross: CrossAttentionInput? = nil
        if architecture == .encoderDecoder {
            let rows = layout.batch * layout.sourceLength
            embed(layout.sourceTokens, rows: rows, length: layout.sourceLength, into: encoderStates[0].reserve(rows * d),
                  dropout: dropout, mask: encoderEmbeddingMask, random: &random)
            for (index, layer) in encoderLayers.enumerated() {
                layer.forward(encoderStates[index].pointer, batch: layout.batch, length: layout.sourceLength, lengths: layout.sourceLengths,
                              mask: .bidirectional, cross: nil, dropout: dropout, random: &random, output: encoderStates[index + 1].reserve(rows * d))
            }
            cross = CrossAttentionInput(states: encoderStates[encoderLayers.count].pointer, gradient: encoderGradient.reserve(rows * d),
                                        lengths: layout.sourceLengths, paddedLength: layout.sourceLength)
        }
        let rows = layout.batch * layout.decoderLength
        embed(layout.decoderTokens, rows: rows, length: layout.decoderLength, into: decoderStates[0].reserve(rows * d),
              dropout: dropout, mask: decoderEmbeddingMask, random: &random)
        for (index, layer) in decoderLayers.enumerated() {
            layer.forward(decoderStates[index].pointer, batch: layout.batch, length: layout.decoderLength, lengths: layout.decoderLengths,
                          mask: layout.decoderMask, cross: cross, dropout: dropout, random: &random,
                          output: decoderStates[index + 1].reserve(rows * d))
        }
        return outputLoss(labelSmoothing: labelSmoothing, keepGradient: keepGradient)
    }

    private func embed(_ tokens: [Int32], rows: Int, length: Int, into x: UnsafeMutablePointer<Float>, dropout: Float,
                       mask: FloatBuffer, random: inout DropoutRandom) {
        let d = config.dModel
        let scale = config.scaleEmbedding ? Float(d).squareRoot() : 1
        let table = parameters.values + embeddingOffset
        positions.values.withUnsafeBufferPointer { sinusoids in
            for row in 0..<rows {
                let token = Int(tokens[row]), position = min(row % length, positions.rows - 1)
                for column in 0..<d {
                    x[row * d + column] = table[token * d + column] * scale + sinusoids[position * d + column]
                }
            }
        }
        if dropout > 0 { TrainingKernels.dropoutForward(x, count: rows * d, rate: dropout, mask: mask.reserve(rows * d), random: &random) }
        embeddingDropout = dropout > 0
    }

    private var embeddingDropout = false

    /// Logits for the predicting positions only, then the label-smoothed loss; with
    /// `keepGradient`, leaves `dLoss/dLogits` (already divided by the token count) in `logits`.
    private func outputLoss(labelSmoothing: Float, keepGradient: Bool) -> BatchLoss {
        let d = config.dModel, v = config.vocabSize, count = layout.predictions.count
        let states = decoderStates[decoderLayers.count].pointer
        let compact = gathered.reserve(count * d)
        for (index, prediction) in layout.predictions.enumerated() {
            (compact + index * d).update(from: states + prediction.row * d, count: d)
        }
        let scores = logits.reserve(count * v)
        TrainingKernels.linearForward(compact, rows: count, weight: parameters.values + embeddingOffset,
                                      bias: parameters.values + logitsBiasOffset, outputs: v, inputs: d, into: scores)
        let uniform = labelSmoothing / Float(v), scale = 1 / Float(max(1, count))
        let labels = layout.predictions.map { Int($0.label) }
        // Rows are independent: split them over the cores, each chunk summing its own losses.
        let chunks = min(count, 8), chunkSize = (count + max(1, chunks) - 1) / max(1, chunks)
        var smoothedSums = [Double](repeating: 0, count: chunks), nllSums = [Double](repeating: 0, count: chunks)
        let rows = UnsafeSendable(scores)
        smoothedSums.withUnsafeMutableBufferPointer { smoothedOut in
            nllSums.withUnsafeMutableBufferPointer { nllOut in
                let smoothedOut = UnsafeSendable(smoothedOut.baseAddress!), nllOut = UnsafeSendable(nllOut.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    var smoothed = 0.0, nll = 0.0
                    for index in min(count, chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) {
                        let row = rows.pointer + index * v, label = labels[index]
                        var logitSum: Float = 0
                        for token in 0..<v { logitSum += row[token] }
                        let logNormalizer = VectorExp.logSumOfExponentials(row, count: v)
                        let negativeLogProb = logNormalizer - row[label]
                        nll += Double(negativeLogProb)
                        smoothed += Double((1 - labelSmoothing) * negativeLogProb + labelSmoothing * (logNormalizer - logitSum / Float(v)))
                        guard keepGradient else { continue }
                        // d/dlogit of the smoothed loss: softmax − ((1 − ε)·onehot + ε/V), over the token count.
                        VectorExp.exponentiate(row, count: v, shift: logNormalizer)
                        for token in 0..<v { row[token] = (row[token] - uniform) * scale }
                        row[label] -= (1 - labelSmoothing) * scale
                    }
                    smoothedOut.pointer[chunk] = smoothed
                    nllOut.pointer[chunk] = nll
                }
            }
        }
        let smoothedSum = smoothedSums.reduce(0, +), nllSum = nllSums.reduce(0, +)
        return BatchLoss(smoothedSum: smoothedSum, negativeLogLikelihoodSum: nllSum, tokens: count)
    }

    // MARK: Backward

    private func backward() {
        let d = config.dModel, v = config.vocabSize, count = layout.predictions.count
        // Output layer, tied to the embeddings: dStates = dLogits · E, dE += dLogitsᵀ · states, dBias += Σ dLogits.
        let compactGradient = gatheredGradient.reserve(count * d)
        TrainingKernels.linearBackward(logits.pointer, input: gathered.pointer, rows: count, weight: parameters.values + embeddingOffset,
                                       outputs: v, inputs: d, inputGradient: compactGradient,
                                       weightGradient: parameters.gradients + embeddingOffset,
                                       biasGradient: parameters.gradients + logitsBiasOffset)
        let decoderRows = layout.batch * layout.decoderLength
        var dOutput = gradientA.reserve(decoderRows * d), dInput = gradientB.reserve(decoderRows * d)
        dOutput.update(repeating: 0, count: decoderRows * d)
        for (index, prediction) in layout.predictions.enumerated() {
            (dOutput + prediction.row * d).update(from: compactGradient + index * d, count: d)
        }
        var cross: CrossAttentionInput? = nil
        if architecture == .encoderDecoder {
            let sourceRows = layout.batch * layout.sourceLength
            encoderGradient.zero(sourceRows * d)
            cross = CrossAttentionInput(states: encoderStates[encoderLayers.count].pointer, gradient: encoderGradient.pointer,
                                        lengths: layout.sourceLengths, paddedLength: layout.sourceLength)
        }
        for layer in decoderLayers.reversed() {
            layer.backward(dOutput, cross: cross, scratch: scratch, inputGradient: dInput)
            swap(&dOutput, &dInput)
        }
        embedBackward(dOutput, tokens: layout.decoderTokens, rows: decoderRows, mask: embeddingDropout ? decoderEmbeddingMask : nil)
        guard architecture == .encoderDecoder else { return }
        let sourceRows = layout.batch * layout.sourceLength
        var dEncoder = gradientA.reserve(max(decoderRows, sourceRows) * d), dEncoderInput = gradientB.reserve(max(decoderRows, sourceRows) * d)
        dEncoder.update(from: encoderGradient.pointer, count: sourceRows * d)
        for layer in encoderLayers.reversed() {
            layer.backward(dEncoder, cross: nil, scratch: scratch, inputGradient: dEncoderInput)
            swap(&dEncoder, &dEncoderInput)
        }
        embedBackward(dEncoder, tokens: layout.sourceTokens, rows: sourceRows, mask: embeddingDropout ? encoderEmbeddingMask : nil)
    }

    private func embedBackward(_ dx: UnsafeMutablePointer<Float>, tokens: [Int32], rows: Int, mask: FloatBuffer?) {
        let d = config.dModel
        let scale = config.scaleEmbedding ? Float(d).squareRoot() : 1
        if let mask { TrainingKernels.multiply(dx, by: mask.pointer, count: rows * d) }
        let table = parameters.gradients + embeddingOffset
        for row in 0..<rows {
            let token = Int(tokens[row])
            for column in 0..<d { table[token * d + column] += dx[row * d + column] * scale }
        }
    }
}
