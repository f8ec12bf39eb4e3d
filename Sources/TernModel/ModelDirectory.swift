import Foundation
import TernTensor

/// A model folder on disk:
///
/// - `config.json`: `ModelConfig` (Hugging Face `MarianConfig` keys, plus Tern's own);
/// - `model.safetensors`: the weights, F32, F16 or BF16 (memory-mapped while loading), or else
///   `pytorch_model.bin`, the same tensors as `torch.save` writes them;
/// - `vocab.json`: piece → id, as Hugging Face Marian folders have.
///
/// Bundled models live at `Models/<pair>/<mode>/`, mode one of `encdec`, `prefix-lm`, `causal-lm`.
public enum ModelDirectory {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"
    public static let pyTorchWeightsFile = "pytorch_model.bin"
    public static let vocabularyFile = "vocab.json"

    /// Loads the model in `directory`, its weights held as `computeType` asks (`PackedWeights.converted(to:)`).
    /// - Throws: `ModelError` naming the file or tensor at fault, `ComputeTypeError`.
    public static func load(_ directory: String, computeType: ComputeType = .auto) throws -> Model {
        let configPath = path(directory, configFile)
        let config = try ModelConfig.load(path: configPath)
        let architecture = try config.architecture(path: configPath)
        let file = try weights(directory)
        try checkSizes(of: config, architecture: architecture, against: file, configPath: configPath)
        let weights = try ModelWeights(config: config, architecture: architecture, file: file, computeType: computeType)
        return Model(weights: weights, directory: directory)
    }

    /// The folder's weights: `model.safetensors`, or `pytorch_model.bin` when only that is there.
    /// - Throws: `ModelError.missingFile` (naming `model.safetensors`) when neither exists, or
    ///   the reader's error.
    public static func weights(_ directory: String) throws -> any WeightsFile {
        let file = weightsPath(directory)
        return file.hasSuffix(pyTorchWeightsFile) ? try PyTorchCheckpointFile(path: file) : try SafeTensorsFile(path: file)
    }

    /// The path of the weights file `weights(_:)` reads: `model.safetensors`, or
    /// `pytorch_model.bin` when only that exists.
    public static func weightsPath(_ directory: String) -> String {
        let pyTorch = path(directory, pyTorchWeightsFile)
        let safeTensors = path(directory, weightsFile)
        return !FileManager.default.fileExists(atPath: safeTensors) && FileManager.default.fileExists(atPath: pyTorch) ? pyTorch : safeTensors
    }

    /// Checks the sizes in `config` against the tensors `file` holds, so that a damaged
    /// `config.json` is refused, naming its key, before anything is allocated from it.
    /// - Throws: `ModelError.invalidConfig`.
    static func checkSizes(of config: ModelConfig, architecture: Architecture, against file: some WeightsFile, configPath: String) throws {
        func mismatch(_ reason: String) -> ModelError {
            .invalidConfig(path: configPath, reason: reason + " in \(file.path); the config does not belong to these weights")
        }
        let shapes = file.shapes
        let tables = EmbeddingTensors(config: config)
        for table in tables.all where shapes[table.name] != table.shape {
            let size = table == tables.encoder || config.sharesEmbeddings ? "vocab_size \(config.vocabSize)" : "decoder_vocab_size \(config.targetVocabSize)"
            throw mismatch("\(size) and d_model \(config.dModel) do not match the shape "
                           + "\(shapes[table.name].map { "\($0)" } ?? "(missing)") of \(table.name)")
        }
        let stacks = [("encoder", TensorLayout.encoderLayerPrefix, config.encoderLayers, config.encoderFfnDim),
                      ("decoder", TensorLayout.decoderLayerPrefix, config.decoderLayers, config.decoderFfnDim)]
        for (stack, prefix, layers, feedForward) in stacks where stack == "decoder" || architecture == .encoderDecoder {
            let held = Set(shapes.keys.filter { $0.hasPrefix(prefix) }.compactMap { $0.dropFirst(prefix.count).split(separator: ".").first })
            guard held.count == layers else {
                throw mismatch("\(stack)_layers is \(layers) but there are \(held.count) \(stack) layers")
            }
            let expand = LayerTensors(prefix + "0", width: config.dModel, heads: 1, feedForward: feedForward, crossAttends: false).expand.weight
            let shape = shapes[expand.name]
            guard shape == expand.shape else {
                throw mismatch("\(stack)_ffn_dim \(feedForward) does not match the shape \(shape.map { "\($0)" } ?? "(missing)") of \(expand.name)")
            }
        }
    }

    /// The piece → id map of `vocab.json`, or of another file of the same form (`target_vocab.json`).
    /// - Throws: `ModelError.missingFile` or `.invalidConfig`.
    public static func pieceIDs(_ directory: String, file: String = vocabularyFile) throws -> [String: Int] {
        let vocabularyPath = path(directory, file)
        guard let data = FileManager.default.contents(atPath: vocabularyPath) else { throw ModelError.missingFile(path: vocabularyPath) }
        guard let map = try? JSONDecoder().decode([String: Int].self, from: data) else {
            throw ModelError.invalidConfig(path: vocabularyPath, reason: "it is not a JSON object of piece → id")
        }
        return map
    }

    /// Resolves a model argument: an existing folder, or a name such as `en-de` (mode
    /// `encdec` unless `mode` says otherwise) looked up under each of `roots`' `Models/`.
    /// - Throws: `ModelError.unknownModel` listing where it looked.
    public static func resolve(_ nameOrPath: String, mode: Architecture, roots: [String]) throws -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path(nameOrPath, configFile)) { return nameOrPath }
        let candidates = roots.map { path(path(path($0, "Models"), nameOrPath), mode.rawValue) }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) && isDirectory.boolValue {
            return candidate
        }
        throw ModelError.unknownModel(name: nameOrPath, searched: [nameOrPath] + candidates)
    }

    static func path(_ directory: String, _ file: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(file).path
    }
}
