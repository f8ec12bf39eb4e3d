import Foundation
import TernModel
import TernTensor
import TernTraining
import TestSupport
import Testing

/// Every parameter's gradient against central finite differences of the loss, on tiny models.
/// In float32 the differences are accurate to a few parts in a thousand, so the comparison is
/// relative with a floor; the float64 PyTorch fixture checks the same gradients tightly.
@Suite struct FiniteDifferenceTests {
    static func config(_ architecture: Architecture) -> ModelConfig {
        ModelConfig(architecture: architecture, vocabularySize: 30, width: 8, encoderLayers: 2, decoderLayers: 2, heads: 2,
                    feedForwardWidth: 16, maxPositions: 32)
    }

    static let batch = [
        SentencePair(source: [5, 6, 7, 8], target: [9, 10, 11]),
        SentencePair(source: [12, 13], target: [14, 15, 16, 17, 18]),
        SentencePair(source: [19, 20, 21], target: [22]),
    ]

    static func loss(_ tensors: [(name: String, shape: [Int], values: [Float])], _ architecture: Architecture) throws -> Double {
        let network = try TrainingNetwork(config: config(architecture), architecture: architecture, source: TensorDictionary(tensors))
        let loss = network.evaluate(batch, labelSmoothing: 0.1)
        return loss.smoothedSum / Double(loss.tokens)
    }

    @Test("the gradient of every tensor matches finite differences", arguments: Architecture.allCases)
    func gradientsMatchFiniteDifferences(architecture: Architecture) throws {
        let config = Self.config(architecture)
        var random = SplitMix64(seed: 3)
        let tensors = ParameterInitializer(deviation: 0.3, seed: 5).parameters(for: config, architecture: architecture).map { tensor in
            (name: tensor.name, shape: tensor.shape, values: tensor.values.map { $0 + random.normal() * 0.05 })
        }.map { tensor -> (name: String, shape: [Int], values: [Float]) in
            guard tensor.name == TensorLayout.embeddingName else { return tensor }
            var values = tensor.values
            for column in 0..<config.dModel { values[config.padTokenId * config.dModel + column] = 0 }
            return (tensor.name, tensor.shape, values)
        }
        let network = try TrainingNetwork(config: config, architecture: architecture, source: TensorDictionary(tensors))
        _ = network.trainStep(Self.batch, labelSmoothing: 0.1, dropout: 0, seed: 1)
        let gradients = network.gradientTensors()
        let step: Float = 1e-2
        var checked = 0
        for (tensorIndex, tensor) in tensors.enumerated() {
            for index in Array(Set((0..<3).map { _ in Int.random(in: 0..<tensor.values.count, using: &random) })).sorted() {
                if tensor.name == TensorLayout.embeddingName && index / config.dModel == config.padTokenId { continue }
                var plus = tensors, minus = tensors
                plus[tensorIndex].values[index] += step
                minus[tensorIndex].values[index] -= step
                let numeric = (try Self.loss(plus, architecture) - Self.loss(minus, architecture)) / Double(2 * step)
                let analytic = Double(gradients[tensorIndex].values[index])
                let tolerance = 2e-3 + 2e-2 * abs(numeric)
                #expect(abs(numeric - analytic) <= tolerance, "\(tensor.name)[\(index)]: analytic \(analytic), numeric \(numeric)")
                checked += 1
            }
        }
        #expect(checked > 80)
        let padRow = gradients[0].values[(config.padTokenId * config.dModel)..<((config.padTokenId + 1) * config.dModel)]
        #expect(padRow.allSatisfy { $0 == 0 }, "the <pad> row gets no gradient")
    }

    @Test("an activation the trainer does not differentiate is refused before training starts", arguments: [Activation.relu, .gelu, .geluNew])
    func refusesUntrainableActivation(activation: Activation) throws {
        var config = Self.config(.encoderDecoder)
        config.activationFunction = activation
        let tensors = ParameterInitializer(seed: 5).parameters(for: config, architecture: .encoderDecoder)
        let error = #expect(throws: TrainingError.self) {
            try TrainingNetwork(config: config, architecture: .encoderDecoder, source: TensorDictionary(tensors))
        }
        #expect(error?.localizedDescription.contains(activation.rawValue) == true)
        #expect(error?.localizedDescription.contains("swish") == true)
    }

    @Test("training and inference compute the same loss", arguments: Architecture.allCases)
    func trainingMatchesInference(architecture: Architecture) throws {
        let config = Self.config(architecture)
        let network = try TrainingNetwork(config: config, architecture: architecture,
                                          source: TensorDictionary(ParameterInitializer(deviation: 0.3, seed: 9).parameters(for: config, architecture: architecture)))
        let model = try network.inferenceModel()
        var expected = 0.0, tokens = 0
        for pair in Self.batch {
            let eos = Int32(config.eosTokenId)
            let (sources, targets, first): ([[Int32]], [[Int32]], Int) = architecture == .encoderDecoder
                ? ([pair.source + [eos]], [[Int32(config.decoderStartTokenId)] + pair.target], 0)
                : ([pair.source + [2]], [pair.source + [2] + pair.target], pair.source.count)
            let logits = model.logits(sources: sources, targets: targets)
            for (offset, label) in (pair.target + [eos]).enumerated() {
                let row = logits.values[((first + offset) * logits.columns)...].prefix(logits.columns).map(Double.init)
                let maximum = row.max()!
                let logNormalizer = maximum + log(row.reduce(0) { $0 + exp($1 - maximum) })
                expected -= row[Int(label)] - logNormalizer
                tokens += 1
            }
        }
        let loss = network.evaluate(Self.batch, labelSmoothing: 0)
        #expect(loss.tokens == tokens)
        #expect(abs(loss.negativeLogLikelihoodSum - expected) < 1e-3 * abs(expected))
        #expect(abs(loss.smoothedSum - loss.negativeLogLikelihoodSum) < 1e-9, "no smoothing: the two sums agree")
    }
}
