import Foundation

/// Errors fetching a model from the Hugging Face hub. Each says what to do.
public enum ModelFetchError: LocalizedError, Equatable {
    case invalidName(String)
    case hubUnreachable(url: String, reason: String, folder: String)
    case httpStatus(url: String, status: Int)
    case downloadFailed(url: String, reason: String)
    case unexpectedListing(url: String, reason: String)
    case notAMarianFolder(name: String, missing: [String])
    case sizeMismatch(file: String, expected: Int, found: Int)
    case checksumMismatch(file: String, kind: String, expected: String, found: String)

    public var errorDescription: String? {
        switch self {
        case let .invalidName(name):
            return "'\(name)' is not a hub model name; names look like Helsinki-NLP/opus-mt-en-de (letters, digits, '.', '_', '-', one '/')"
        case let .hubUnreachable(url, reason, folder):
            return "could not reach the Hugging Face hub at \(url) (\(reason)); this machine may be offline. "
                + "With a copy of the model folder, pass it to --model DIR, or copy it to \(folder)"
        case let .httpStatus(url, status):
            return "downloading \(url) failed with HTTP status \(status); check the model name, or set \(ModelFetcher.endpointVariable) "
                + "to a hub that has it"
        case let .downloadFailed(url, reason):
            return "downloading \(url) failed (\(reason)); run the same command again to resume"
        case let .unexpectedListing(url, reason):
            return "the hub's answer at \(url) is not a model listing: \(reason); check \(ModelFetcher.endpointVariable)"
        case let .notAMarianFolder(name, missing):
            return "'\(name)' lacks \(missing.joined(separator: ", ")), which a Marian model folder needs; Tern runs Marian (OPUS-MT) models"
        case let .sizeMismatch(file, expected, found):
            return "'\(file)' has \(found) bytes but the hub lists \(expected); it was removed: run the command again to download it afresh"
        case let .checksumMismatch(file, kind, expected, found):
            return "'\(file)' has \(kind) \(found) but the hub lists \(expected); it was removed: run the command again to download it afresh"
        }
    }
}
