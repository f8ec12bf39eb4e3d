import Foundation

/// Errors reading or writing text files.
public enum TernIOError: LocalizedError, Equatable {
    case cannotOpen(path: String, reason: String)
    case cannotCreate(path: String, reason: String)
    case readFailed(input: String, reason: String)
    case writeFailed(output: String, reason: String)
    /// Line `line` of `input` could not be processed.
    case badLine(input: String, line: Int, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open '\(path)' for reading (\(reason)); check the path"
        case let .cannotCreate(path, reason):
            return "cannot write '\(path)' (\(reason)); check that its folder exists and is writable"
        case let .readFailed(input, reason):
            return "cannot read \(input): \(reason)"
        case let .writeFailed(output, reason):
            return "cannot write \(output): \(reason)"
        case let .badLine(input, line, reason):
            return "\(input):\(line): \(reason)"
        }
    }
}
