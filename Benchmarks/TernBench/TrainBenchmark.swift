import ArgumentParser
import Foundation
import TernModel
import TernTraining

/// Training throughput of the network alone (forward + backward, no optimizer), in target tokens/s.
struct TrainStepBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train-step", abstract: "Forward+backward target tokens/s on random batches.")

    @Option var layers = 4
    @Option var width = 128
    @Option var feedForward = 256
    @Option var heads = 4
    @Option var vocabulary = 6000
    @Option var sentences = 270
    @Option var steps = 5

    func run() throws {
        let config = ModelConfig(architecture: .encoderDecoder, vocabularySize: vocabulary, width: width, encoderLayers: layers,
                                 decoderLayers: layers, heads: heads, feedForwardWidth: feedForward, maxPositions: 256)
        let network = try TrainingNetwork(config: config, architecture: .encoderDecoder,
                                          source: TensorDictionary(ParameterInitializer().parameters(for: config, architecture: .encoderDecoder)))
        var random = SplitMix64(seed: 1)
        let batch = (0..<sentences).map { _ in
            SentencePair(source: (0..<Int.random(in: 12...16, using: &random)).map { _ in Int32.random(in: 3..<Int32(vocabulary - 1), using: &random) },
                         target: (0..<Int.random(in: 13...17, using: &random)).map { _ in Int32.random(in: 3..<Int32(vocabulary - 1), using: &random) })
        }
        var tokens = 0
        let start = Date()
        for step in 0..<steps {
            network.zeroGradients()
            tokens += network.trainStep(batch, labelSmoothing: 0.1, dropout: 0.1, seed: UInt64(step)).tokens
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "%d target tokens/step, %.0f target tokens/s, %.3f s/step", tokens / steps, Double(tokens) / seconds, seconds / Double(steps)))
    }
}
