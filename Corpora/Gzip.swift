import CGzip
import Foundation

/// Decompresses gzip files through zlib (the `CGzip` C target).
enum Gzip {
    /// Writes the decompressed contents of the gzip file `source` to `destination`.
    /// - Throws: `GzipError`.
    static func decompress(_ source: URL, to destination: URL) throws {
        switch tern_gunzip_file(source.path, destination.path) {
        case 0: return
        case -1: throw GzipError.cannotOpen(path: source.path)
        case -2: throw GzipError.cannotWrite(path: destination.path)
        default: throw GzipError.corrupt(path: source.path)
        }
    }
}

/// Errors decompressing a gzip file.
public enum GzipError: LocalizedError, Equatable {
    case cannotOpen(path: String)
    case cannotWrite(path: String)
    case corrupt(path: String)

    public var errorDescription: String? {
        switch self {
        case let .cannotOpen(path):
            return "cannot open '\(path)' for decompression; check that it exists and is readable"
        case let .cannotWrite(path):
            return "cannot write the decompressed file '\(path)'; check that its folder is writable and the disk is not full"
        case let .corrupt(path):
            return "'\(path)' is not valid gzip data or is truncated; download it again"
        }
    }
}
