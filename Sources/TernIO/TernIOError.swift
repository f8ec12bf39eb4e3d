import Foundation

/// Errors reading or writing text files.
public enum TernIOError: LocalizedError, Equatable {
    case cannotOpen(path: String, reason: String)
    case cannotCreate(path: String)
    case readFailed(reason: String)
    case writeFailed(reason: String)

    public var errorDescription: String? {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open '\(path)' for reading (\(reason)); check the path"
        case let .cannotCreate(path):
            return "cannot create '\(path)'; check that its folder exists and is writable"
        case let .readFailed(reason):
            return "reading input failed: \(reason)"
        case let .writeFailed(reason):
            return "writing output failed: \(reason)"
        }
    }
}
