import Foundation

/// One line of input text, without its line terminator.
public struct TextLine: Sendable, Equatable {
    /// 1-based line number in the input.
    public let number: Int
    /// The line's text. Invalid UTF-8 has been replaced with U+FFFD.
    public let text: String
    /// True when the raw bytes were not valid UTF-8 and U+FFFD replacements were made.
    public let repairedInvalidUTF8: Bool
}

/// Reads `\n`-terminated lines from a file or standard input, as UTF-8.
///
/// Every line of the input is returned, in order: empty lines included, and a last line that
/// lacks a final newline too. Bytes that are not valid UTF-8 become U+FFFD and the line is
/// flagged, so a caller can warn and carry on rather than lose the line.
///
/// ```swift
/// let reader = try LineReader(path: nil)       // standard input
/// while let line = try reader.readLine() { print(line.text) }
/// ```
public final class LineReader {
    private let handle: FileHandle
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var reachedEnd = false
    private var linesRead = 0
    private let chunkSize = 1 << 16

    /// Opens `path`, or standard input when `path` is nil or "-".
    /// - Throws: `TernIOError.cannotOpen` when the file cannot be read.
    public init(path: String?) throws {
        if let path, path != "-" {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw TernIOError.cannotOpen(path: path, reason: Self.openFailureReason(path))
            }
            self.handle = handle
            ownsHandle = true
        } else {
            handle = FileHandle.standardInput
            ownsHandle = false
        }
    }

    deinit {
        if ownsHandle { try? handle.close() }
    }

    /// Returns the next line, or nil at the end of the input.
    /// - Throws: `TernIOError.readFailed` when the underlying read fails.
    public func readLine() throws -> TextLine? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = makeLine(buffer[start..<newline])
                start = newline + 1
                return line
            }
            if reachedEnd {
                guard start < buffer.count else { return nil }
                let line = makeLine(buffer[start...])
                start = buffer.count
                return line
            }
            try fill()
        }
    }

    /// Reads all remaining lines.
    public func readAllLines() throws -> [TextLine] {
        var lines: [TextLine] = []
        while let line = try readLine() { lines.append(line) }
        return lines
    }

    private func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk: Data?
        do {
            chunk = try handle.read(upToCount: chunkSize)
        } catch {
            throw TernIOError.readFailed(reason: error.localizedDescription)
        }
        if let chunk, !chunk.isEmpty {
            buffer.append(contentsOf: chunk)
        } else {
            reachedEnd = true
        }
    }

    private func makeLine(_ bytes: ArraySlice<UInt8>) -> TextLine {
        linesRead += 1
        if let text = String(validating: bytes, as: UTF8.self) {
            return TextLine(number: linesRead, text: text, repairedInvalidUTF8: false)
        }
        return TextLine(number: linesRead, text: String(decoding: bytes, as: UTF8.self), repairedInvalidUTF8: true)
    }

    private static func openFailureReason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return "no such file"
        }
        return isDirectory.boolValue ? "it is a directory" : "permission denied"
    }
}
