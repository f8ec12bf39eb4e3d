import Foundation
import ICUFacade

/// Errors from building, loading or learning a subword vocabulary.
public enum TokenizerError: LocalizedError, Equatable {
    case icuFailure(operation: String, code: Int32)
    case missingVocabularyFile(path: String)
    case unreadableVocabularyFile(path: String, reason: String)
    case invalidManifest(path: String, reason: String)
    case unsupportedFormatVersion(path: String, found: Int, supported: Int)
    case corruptVocabulary(path: String, line: Int?, reason: String)
    case vocabularySizeTooSmall(requested: Int, minimum: Int)
    case emptyTrainingCorpus
    case unknownPiece(String)
    case invalidID(String, vocabularySize: Int)

    public var errorDescription: String? {
        switch self {
        case let .icuFailure(operation, code):
            let name = String(cString: tern_icu_error_name(code))
            return "ICU failed while \(operation) (\(name)); check that libicu is installed (Debian: libicu-dev)"
        case let .missingVocabularyFile(path):
            return "vocabulary file '\(path)' is missing; pass a folder made by 'tern vocab learn'"
        case let .unreadableVocabularyFile(path, reason):
            return "cannot read vocabulary file '\(path)': \(reason)"
        case let .invalidManifest(path, reason):
            return "vocabulary manifest '\(path)' is invalid: \(reason); relearn the vocabulary with 'tern vocab learn'"
        case let .unsupportedFormatVersion(path, found, supported):
            return "vocabulary '\(path)' has format version \(found), but this tern reads version \(supported); relearn it or upgrade tern"
        case let .corruptVocabulary(path, line, reason):
            let location = line.map { "\(path):\($0)" } ?? path
            return "vocabulary file '\(location)' is corrupt: \(reason); relearn the vocabulary with 'tern vocab learn'"
        case let .vocabularySizeTooSmall(requested, minimum):
            return "a vocabulary of \(requested) pieces is too small: special tokens, the 256 byte pieces and the space marker alone need \(minimum); pass --size \(minimum) or more"
        case .emptyTrainingCorpus:
            return "the training corpus holds no text; pass files with at least one non-empty line"
        case let .unknownPiece(piece):
            return "piece '\(piece)' is not in the vocabulary; was the text tokenized with another vocabulary?"
        case let .invalidID(text, size):
            return "'\(text)' is not a token id of this vocabulary (a whole number from 0 to \(size - 1)); "
                + "was the text tokenized with another vocabulary?"
        }
    }
}
