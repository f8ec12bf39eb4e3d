import Foundation

/// Errors from loading or using a SentencePiece model.
public enum SentencePieceError: LocalizedError, Equatable {
    /// The model file cannot be read at all (missing, a folder, no permission).
    case unreadableFile(path: String, reason: String)
    /// The bytes are not a well-formed protobuf `ModelProto`: truncated, or a field whose wire
    /// type or length does not fit. `offset` is the byte where reading stopped.
    case malformedProtobuf(offset: Int, reason: String)
    /// The protobuf is well formed, but its content breaks a rule sentencepiece also enforces
    /// (a duplicate or empty piece, no `<unk>`, missing byte pieces, a broken character map...).
    case invalidModel(reason: String)
    /// `trainer_spec.model_type` names a model this reader does not implement.
    case unsupportedModelType(Int)
    /// A model file that failed to load, with the reason.
    case invalidModelFile(path: String, reason: String)
    /// An id outside `0..<count`, given to `decode(ids:)`.
    case invalidID(Int, count: Int)

    public var errorDescription: String? {
        switch self {
        case let .unreadableFile(path, reason):
            return "cannot read SentencePiece model '\(path)': \(reason)"
        case let .malformedProtobuf(offset, reason):
            return "not a SentencePiece model: the protobuf is malformed at byte \(offset) (\(reason)); "
                + "pass the .model/.spm file that sentencepiece's trainer wrote"
        case let .invalidModel(reason):
            return "invalid SentencePiece model: \(reason)"
        case let .unsupportedModelType(type):
            let name = [3: "WORD", 4: "CHAR"][type].map { " (\($0))" } ?? ""
            return "SentencePiece model type \(type)\(name) is not supported; only unigram (1) and BPE (2) models are"
        case let .invalidModelFile(path, reason):
            return "'\(path)': \(reason)"
        case let .invalidID(id, count):
            return "\(id) is not a piece id of this SentencePiece model (ids run from 0 to \(count - 1)); "
                + "were the ids made with another model?"
        }
    }
}
