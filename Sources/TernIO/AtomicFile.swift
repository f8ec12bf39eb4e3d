import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replacing a file's contents all at once: readers see the old file or the new one, never a
/// part, and a crash leaves at most a `.NAME.tmp-…` file beside it.
///
/// Foundation's `Data.write(to:options: .atomic)` does the same on Linux through a folder in
/// `/tmp` that it never removes, one per write; a batch run checkpoints after every chunk, so
/// those folders piled up by the thousand.
public enum AtomicFile {
    /// Writes `bytes` to a new file beside `path`, flushes it to disk and renames it over `path`.
    /// - Throws: `TernIOError.cannotCreate` or `.writeFailed`; the temporary file is removed.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UUID().uuidString.prefix(8))").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw TernIOError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        var failure = FileDescriptorWrite.writeAll(ArraySlice(bytes), to: descriptor)
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw TernIOError.writeFailed(output: path, reason: String(cString: strerror(failure)))
        }
    }
}
