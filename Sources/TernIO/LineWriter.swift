import Foundation

/// Writes lines of UTF-8 text to a file or standard output, each followed by `\n`.
///
/// Output is buffered. With `flushEachLine` every line is written through at once, so a person
/// typing into a pipeline sees each answer as soon as it is ready.
///
/// A path is opened as `open(2)` opens it: a symbolic link is followed and its target written, and
/// a device or FIFO (`/dev/null`, `/dev/stdout`, a named pipe) is written through, never replaced.
public final class LineWriter {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// `path`, or "standard output", for messages.
    private let outputName: String
    private let flushEachLine: Bool
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 16

    /// Creates (or truncates) `path`, or writes to standard output when `path` is nil or "-".
    /// - Throws: `TernIOError.cannotCreate` when the file cannot be written.
    public init(path: String?, flushEachLine: Bool = false) throws {
        if let path, path != "-" {
            descriptor = try Self.openForWriting(path)
            ownsDescriptor = true
            outputName = "'\(path)'"
        } else {
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
            outputName = "standard output"
        }
        self.flushEachLine = flushEachLine
    }

    deinit {
        try? flush()
        if ownsDescriptor { close(descriptor) }
    }

    /// Checks that `path` can be opened for writing, without changing it: for commands that
    /// should fail before their work, not after it.
    /// - Throws: `TernIOError.cannotCreate` naming the path and the reason.
    public static func checkWritable(_ path: String) throws {
        let existed = FileManager.default.fileExists(atPath: path)
        let descriptor = try openForWriting(path, truncating: false)
        close(descriptor)
        if !existed { unlink(path) }
    }

    /// Appends `line` and a newline.
    public func write(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if flushEachLine || buffer.count >= bufferLimit { try flush() }
    }

    /// Writes out everything buffered so far.
    public func flush() throws {
        guard ownsDescriptor || !StandardStreams.wasClosedAtStart(descriptor) else {
            buffer.removeAll(keepingCapacity: true)
            throw TernIOError.writeFailed(output: outputName, reason: "it is closed; give --output FILE")
        }
        let failure = FileDescriptorWrite.writeAll(buffer[...], to: descriptor)
        guard failure == 0 else {
            buffer.removeAll(keepingCapacity: true)
            throw TernIOError.writeFailed(output: outputName, reason: String(cString: strerror(failure)))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func openForWriting(_ path: String, truncating: Bool = true) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (truncating ? O_TRUNC : 0), 0o644)
        guard descriptor >= 0 else {
            let reason = errno == EISDIR ? "it is a folder" : String(cString: strerror(errno)).lowercased()
            throw TernIOError.cannotCreate(path: path, reason: reason)
        }
        return descriptor
    }
}
