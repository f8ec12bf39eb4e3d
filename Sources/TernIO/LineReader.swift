import Foundation

/// One line of input text, without its line terminator.
public struct TextLine: Sendable, Equatable {
    /// 1-based line number in the input.
    public let number: Int
    /// The line's text, without `\n` or `\r\n`. Invalid UTF-8 has been replaced with U+FFFD.
    public let text: String
    /// True when the raw bytes were not valid UTF-8 and U+FFFD replacements were made.
    public let repairedInvalidUTF8: Bool

    public init(number: Int, text: String, repairedInvalidUTF8: Bool) {
        self.number = number
        self.text = text
        self.repairedInvalidUTF8 = repairedInvalidUTF8
    }
}

/// Reads `\n`-terminated lines from a file or standard input, as UTF-8, as soon as each arrives.
///
/// Every line of the input is returned, in order: empty lines included, and a last line that
/// lacks a final newline too. One `\r` before the `\n` (a CRLF file) is dropped. Bytes that are
/// not valid UTF-8 become U+FFFD and the line is flagged, so a caller can warn and carry on
/// rather than lose the line.
///
/// Reads take whatever the input has ready (`read(2)`), so a line typed into a terminal or
/// written by another program through a pipe is returned at once, without waiting for more
/// input. `bufferedLines(limit:)` then hands over the lines that already arrived with it,
/// without waiting, so a caller can batch them.
///
/// ```swift
/// let reader = try LineReader(path: nil)       // standard input
/// while let line = try reader.readLine() { print(line.text) }
/// ```
public final class LineReader {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// `path`, or "standard input", for messages.
    private let inputName: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var reachedEnd = false
    private var linesRead = 0
    private let chunkSize = 1 << 16

    /// Opens `path`, or standard input when `path` is nil or "-".
    /// - Throws: `TernIOError.cannotOpen` when the file cannot be read or is a folder.
    public init(path: String?) throws {
        if let path, path != "-" {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw TernIOError.cannotOpen(path: path, reason: String(cString: strerror(errno)).lowercased())
            }
            var status = stat()
            if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
                close(descriptor)
                throw TernIOError.cannotOpen(path: path, reason: "it is a folder")
            }
            self.descriptor = descriptor
            ownsDescriptor = true
            inputName = "'\(path)'"
        } else {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
            inputName = "standard input"
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Returns the next line, waiting for it if it has not arrived yet; nil at the end of the input.
    /// - Throws: `TernIOError.readFailed` when the underlying read fails.
    public func readLine() throws -> TextLine? {
        while true {
            if let line = nextBufferedLine() { return line }
            if reachedEnd {
                guard start < buffer.count else { return nil }
                let line = makeLine(buffer[start...])
                start = buffer.count
                return line
            }
            try fill()
        }
    }

    /// The complete lines that have already arrived, at most `limit`, without waiting for more.
    public func bufferedLines(limit: Int) -> [TextLine] {
        var lines: [TextLine] = []
        while lines.count < limit, let line = nextBufferedLine() {
            lines.append(line)
        }
        return lines
    }

    /// Whether a complete line has arrived that `readLine()` would return without waiting.
    public var hasBufferedLine: Bool {
        buffer[start...].contains(UInt8(ascii: "\n"))
    }

    /// Reads all remaining lines.
    public func readAllLines() throws -> [TextLine] {
        var lines: [TextLine] = []
        while let line = try readLine() { lines.append(line) }
        return lines
    }

    /// The next `\n`-terminated line in the buffer, or nil when none is complete.
    private func nextBufferedLine() -> TextLine? {
        guard let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = makeLine(buffer[start..<newline])
        start = newline + 1
        return line
    }

    /// Appends whatever the input has ready (at least one byte, or the end of the input).
    private func fill() throws {
        if !ownsDescriptor, StandardStreams.wasClosedAtStart(descriptor) {
            throw TernIOError.readFailed(input: inputName, reason: "it is closed; give --input FILE or pipe text in")
        }
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return
            }
            if count == 0 {
                reachedEnd = true
                return
            }
            if errno == EINTR || errno == EAGAIN { continue }
            throw TernIOError.readFailed(input: inputName, reason: String(cString: strerror(errno)))
        }
    }

    private func makeLine(_ bytes: ArraySlice<UInt8>) -> TextLine {
        linesRead += 1
        let content = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
        if let text = String(validating: content, as: UTF8.self) {
            return TextLine(number: linesRead, text: text, repairedInvalidUTF8: false)
        }
        return TextLine(number: linesRead, text: String(decoding: content, as: UTF8.self), repairedInvalidUTF8: true)
    }
}
