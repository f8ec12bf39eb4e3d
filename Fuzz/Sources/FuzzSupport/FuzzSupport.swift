import Foundation
import FuzzDriver

/// What every harness needs: where the repository is, a private scratch folder for the files a
/// parser is given, and a way to fail loudly (a trap that libFuzzer records as a crash).
public enum FuzzSupport {
    /// The repository root: `$TERN_ROOT`, or the folder three levels above this package's sources.
    public static let repositoryRoot: String = {
        if let root = ProcessInfo.processInfo.environment["TERN_ROOT"], !root.isEmpty { return root }
        var url = URL(fileURLWithPath: #filePath)  // <root>/Fuzz/Sources/FuzzSupport/FuzzSupport.swift
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A folder of this process's own under `$TMPDIR` (or /tmp), removed at exit.
    public static let scratch: String = {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let path = "\(base)/tern-fuzz-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        guard mkdir(path, 0o700) == 0 else { fatalError("cannot create scratch folder \(path)") }
        scratchToRemove = path
        atexit { if let path = scratchToRemove { try? FileManager.default.removeItem(atPath: path) } }
        return path
    }()

    private nonisolated(unsafe) static var scratchToRemove: String?

    /// Writes `bytes` to `path`, replacing it.
    public static func write<C: Collection>(_ bytes: C, to path: String) where C.Element == UInt8 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { fatalError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let array = Array(bytes)
        var written = 0
        array.withUnsafeBytes { raw in
            while written < raw.count {
                let count = Foundation.write(descriptor, raw.baseAddress! + written, raw.count - written)
                guard count > 0 else { fatalError("cannot write \(path): \(String(cString: strerror(errno)))") }
                written += count
            }
        }
    }

    /// Removes `path` if it exists.
    public static func remove(_ path: String) {
        unlink(path)
    }

    /// Traps with `message` (also printed to standard error) when `condition` is false.
    public static func check(_ condition: Bool, _ message: @autoclosure () -> String,
                             file: StaticString = #fileID, line: UInt = #line) {
        if condition { return }
        let text = "FUZZ PROPERTY VIOLATED (\(file):\(line)): \(message())\n"
        FileHandle.standardError.write(Data(text.utf8))
        fatalError(text)
    }

    /// Whether `TERN_FUZZ_VERBOSE` is set: harnesses then say what each input came to (for
    /// checking seeds: `TERN_FUZZ_VERBOSE=1 fuzz-vocab seeds/vocab/*`).
    public static let verbose = getenv("TERN_FUZZ_VERBOSE") != nil

    /// Prints `message` to standard error when `verbose`.
    public static func note(_ message: @autoclosure () -> String) {
        if verbose { FileHandle.standardError.write(Data(("[fuzz] " + message() + "\n").utf8)) }
    }

    /// A short readable rendering of bytes for messages.
    public static func describe<C: Collection>(_ bytes: C, limit: Int = 200) -> String where C.Element == UInt8 {
        let shown = bytes.prefix(limit).map { String(format: "%02x", $0) }.joined(separator: " ")
        return bytes.count > limit ? shown + " … (\(bytes.count) bytes)" : shown
    }

    /// Runs libFuzzer's driver on `body` (the harness's `LLVMFuzzerTestOneInput`) with this
    /// process's command line, and exits with its status.
    public static func runLibFuzzer(_ body: @escaping (UnsafePointer<UInt8>, Int) -> CInt) -> Never {
        testOneInput = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzSupport.testOneInput!(data!, size)
        }
        exit(status)
    }

    private nonisolated(unsafe) static var testOneInput: ((UnsafePointer<UInt8>, Int) -> CInt)?
}
