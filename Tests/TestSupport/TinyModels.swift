import Foundation
import TernJSON
import TernModel
import TernTokenizer

/// Seeded random models, small enough for unit tests, written to a real model folder and
/// loaded back through `ModelDirectory`, so the loader is exercised too.
public enum TinyModels {
    public static let vocabularySize = 48

    /// A random model of `architecture`: 2 + 2 layers, width 16, 4 heads. Weights are large
    /// enough (σ 0.35) that outputs are decisive rather than near-uniform; the `<pad>` row of
    /// the embeddings is zero, as training keeps it.
    /// With `vocabulary` (a `Vocab/` folder), the model matches that vocabulary's size and its
    /// folder holds `vocab.json` and a `tern_vocabulary` reference, as a trained model's does.
    public static func make(_ architecture: Architecture, seed: UInt64 = 7, maxPositions: Int = 64,
                            vocabulary: SubwordVocabulary? = nil, vocabularyPath: String? = nil) throws -> (model: Model, folder: TemporaryDirectory) {
        let config = ModelConfig(architecture: architecture, vocabularySize: vocabulary?.size ?? vocabularySize, width: 16,
                                 encoderLayers: 2, decoderLayers: 2, heads: 4, feedForwardWidth: 32, maxPositions: maxPositions,
                                 vocabulary: vocabularyPath)
        var random = SplitMix64(seed: seed)
        let layout = TensorLayout(config: config, architecture: architecture)
        let initial = ParameterInitializer(deviation: 0.35, seed: seed).parameters(for: config, architecture: architecture)
        let tensors = zip(layout.parameters, initial).map { spec, tensor in
            var values = tensor.values
            if spec.role == .normGain || spec.role == .normShift {
                values = values.map { $0 + random.normal() * 0.1 }
            } else if spec == layout.logitsBias {
                values = values.map { $0 + random.normal() * 0.5 }
            }
            return (name: tensor.name, shape: tensor.shape, values: values)
        }
        let folder = try TemporaryDirectory()
        try SnakeCaseJSON.encoder(compact: true).encode(config).write(to: URL(fileURLWithPath: folder.file(ModelDirectory.configFile)))
        try SafeTensorsWriter.write(tensors, dtype: .f32, to: folder.file(ModelDirectory.weightsFile))
        if let vocabulary {
            let pieceIDs = Dictionary(uniqueKeysWithValues: vocabulary.pieces.enumerated().map { ($1, $0) })
            try JSONEncoder().encode(pieceIDs).write(to: URL(fileURLWithPath: folder.file(ModelDirectory.vocabularyFile)))
        }
        return (try ModelDirectory.load(folder.path), folder)
    }

    /// `count` random sources of lengths cycling through `lengths`, from ids 3..<V-1, framed for
    /// `model` (`TokenFraming.source`: ending with `</s>` or `<sep>`).
    public static func sources(count: Int, lengths: [Int], seed: UInt64 = 11, framedFor model: Model) -> [[Int32]] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            model.framing.source((0..<lengths[index % lengths.count]).map { _ in Int32.random(in: 3..<Int32(vocabularySize - 1), using: &random) })
        }
    }
}
