import Foundation
import TernIO

/// Reads files front to back in fixed-size chunks, so that a file never has to fit in memory.
enum FileChunks {
    /// Bytes read at a time: 64 KiB.
    static let chunkSize = 1 << 16

    /// Calls `body` with each successive chunk of the file at `url`.
    /// - Throws: `TernIOError` when the file cannot be opened or read, or what `body` throws.
    static func forEach(inFileAt url: URL, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw TernIOError.cannotOpen(path: url.path, reason: "missing or not readable")
        }
        defer { try? handle.close() }
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: chunkSize)
            } catch {
                throw TernIOError.readFailed(input: "'\(url.path)'", reason: error.localizedDescription)
            }
            guard let chunk, !chunk.isEmpty else { return }
            try chunk.withUnsafeBytes(body)
        }
    }

    /// The number of lines in the file at `url`, counted the way `LineReader` reads them:
    /// every `\n` ends a line, and a last line without one counts too.
    static func lineCount(ofFileAt url: URL) throws -> Int {
        var newlines = 0
        var lastByte: UInt8?
        try forEach(inFileAt: url) { chunk in
            for byte in chunk where byte == UInt8(ascii: "\n") {
                newlines += 1
            }
            lastByte = chunk.last
        }
        guard let lastByte else { return 0 }
        return lastByte == UInt8(ascii: "\n") ? newlines : newlines + 1
    }
}
