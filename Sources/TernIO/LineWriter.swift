import Foundation

/// Writes lines of UTF-8 text to a file or standard output, each followed by `\n`.
///
/// Output is buffered. With `flushEachLine` every line is written through at once, so a person
/// typing into a pipeline sees each answer as soon as it is ready.
public final class LineWriter {
    private let handle: FileHandle
    private let ownsHandle: Bool
    private let flushEachLine: Bool
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 16

    /// Creates (or truncates) `path`, or writes to standard output when `path` is nil or "-".
    /// - Throws: `TernIOError.cannotCreate` when the file cannot be written.
    public init(path: String?, flushEachLine: Bool = false) throws {
        if let path, path != "-" {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: path)
            else {
                throw TernIOError.cannotCreate(path: path)
            }
            self.handle = handle
            ownsHandle = true
        } else {
            handle = FileHandle.standardOutput
            ownsHandle = false
        }
        self.flushEachLine = flushEachLine
    }

    deinit {
        try? flush()
        if ownsHandle { try? handle.close() }
    }

    /// Appends `line` and a newline.
    public func write(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if flushEachLine || buffer.count >= bufferLimit { try flush() }
    }

    /// Writes out everything buffered so far.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw TernIOError.writeFailed(reason: error.localizedDescription)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
