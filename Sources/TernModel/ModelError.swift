import Foundation

/// Errors loading a model directory. Each names the file or tensor at fault and what to do.
public enum ModelError: LocalizedError, Equatable {
    case missingFile(path: String)
    case invalidConfig(path: String, reason: String)
    case unsupportedArchitecture(path: String, architecture: String)
    case corruptWeights(path: String, reason: String)
    case notAStateDict(path: String, reason: String)
    case missingTensor(name: String, path: String)
    case wrongShape(name: String, expected: [Int], found: [Int])
    case unsupportedDType(name: String, dtype: String)
    case tensorOutOfBounds(name: String, path: String)
    case notFinite(name: String)
    case vocabularyMismatch(reason: String)
    case unknownModel(name: String, searched: [String])

    public var errorDescription: String? {
        switch self {
        case let .missingFile(path):
            return "model file '\(path)' is missing; a model folder holds config.json, model.safetensors (or pytorch_model.bin) and vocab.json"
        case let .invalidConfig(path, reason):
            return "model config '\(path)' is invalid: \(reason)"
        case let .unsupportedArchitecture(path, architecture):
            return "model '\(path)' has architecture '\(architecture)'; Tern runs MarianMTModel and TernDecoderOnlyLM"
        case let .corruptWeights(path, reason):
            return "weights file '\(path)' is corrupt: \(reason); re-export or re-train the model"
        case let .notAStateDict(path, reason):
            return "'\(path)' is not a plain tensor state dict: \(reason). Tern reads only the tensors of such a pickle and never "
                + "runs its code; save the weights as model.safetensors (save_pretrained(DIR, safe_serialization=True))"
        case let .missingTensor(name, path):
            return "tensor '\(name)' is missing from '\(path)'; the weights do not match config.json"
        case let .wrongShape(name, expected, found):
            return "tensor '\(name)' has shape \(found) but config.json implies \(expected); the weights do not match the config"
        case let .unsupportedDType(name, dtype):
            return "tensor '\(name)' has dtype \(dtype); Tern reads F32, F16 and BF16"
        case let .tensorOutOfBounds(name, path):
            return "tensor '\(name)' points past the end of '\(path)'; the file is truncated"
        case let .notFinite(name):
            return "tensor '\(name)' holds NaN or infinite values; the model is damaged"
        case let .vocabularyMismatch(reason):
            return "the model and its vocabulary do not match: \(reason)"
        case let .unknownModel(name, searched):
            return "no model '\(name)' found (looked in \(searched.joined(separator: ", "))); pass a model folder, a name like en-de, "
                + "or the name of a model fetched with `tern model fetch` (such as Helsinki-NLP/opus-mt-en-de)"
        }
    }
}
