import Foundation
import TernModel
import TernTraining
import TestSupport
import Testing

/// The whole-model loss and gradient of a tiny seeded model against PyTorch autograd (float64),
/// from `Fixtures/make_gradient_fixture.py` (versions and definitions in `Fixtures/README.md`).
@Suite struct PyTorchGradientTests {
    struct Batch: Decodable {
        var sources: [[Int32]]
        var targets: [[Int32]]
        var labelSmoothing: Float
        var loss: Double
    }

    @Test("loss and every parameter gradient match PyTorch", arguments: ["encdec", "prefix-lm"])
    func gradientsMatchPyTorch(architectureName: String) throws {
        let folder = PackagePaths.file("Tests/TernTrainingTests/Fixtures/\(architectureName)")
        let config = try ModelConfig.load(path: folder + "/config.json")
        let architecture = try config.architecture(path: folder)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let batch = try decoder.decode(Batch.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/batch.json")))
        let eos = Int32(config.eosTokenId)
        func dropEOS(_ ids: [Int32]) -> [Int32] { ids.last == eos ? Array(ids.dropLast()) : ids }
        let pairs = zip(batch.sources, batch.targets).map { SentencePair(source: dropEOS($0), target: dropEOS($1)) }
        let network = try TrainingNetwork(config: config, architecture: architecture,
                                          source: SafeTensorsFile(path: folder + "/model.safetensors"))
        let loss = network.trainStep(pairs, labelSmoothing: batch.labelSmoothing, dropout: 0, seed: 1)
        #expect(abs(loss.smoothedSum / Double(loss.tokens) - batch.loss) < 1e-5, "loss \(loss.smoothedSum / Double(loss.tokens)) vs \(batch.loss)")
        let expected = try SafeTensorsFile(path: folder + "/gradients.safetensors")
        #expect(Set(expected.tensors.keys) == Set(network.gradientTensors().map(\.name)))
        for gradient in network.gradientTensors() {
            let reference = try expected.floats(gradient.name, shape: gradient.shape)
            let scale = max(reference.map(abs).max() ?? 0, 1e-6)
            let worst = zip(gradient.values, reference).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-4 * scale + 1e-7, "\(gradient.name): largest difference \(worst), largest value \(scale)")
        }
    }
}
