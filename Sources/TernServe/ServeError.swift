import Foundation
import Hummingbird

/// What went wrong with a request or the server's settings, with the HTTP status a client gets
/// and a message that says what to change. Clients receive `{"error": message}`.
public enum ServeError: LocalizedError, Equatable {
    /// The request is malformed or names something the server does not have (400).
    case badRequest(String)
    /// The request is larger than a limit allows (413).
    case tooLarge(String)
    /// No valid API key came with the request (403, as LibreTranslate answers).
    case forbidden(String)
    /// No route for the method and path (404).
    case notFound(String)
    /// A `--model` argument that names no model or language pair.
    case invalidModelArgument(String)
    /// `--api-key-file` cannot be read or holds no key.
    case invalidAPIKeyFile(String)

    public var status: HTTPResponse.Status {
        switch self {
        case .badRequest: return .badRequest
        case .tooLarge: return .contentTooLarge
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .invalidModelArgument, .invalidAPIKeyFile: return .internalServerError
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .badRequest(message), let .tooLarge(message), let .forbidden(message), let .notFound(message),
             let .invalidModelArgument(message), let .invalidAPIKeyFile(message):
            return message
        }
    }
}
