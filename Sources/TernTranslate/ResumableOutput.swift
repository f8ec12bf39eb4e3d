import Foundation
import TernIO

/// A batch run's output file, which appears only when complete.
///
/// Lines go to `OUTPUT.partial`; after each `append` the file is synced and
/// `OUTPUT.partial.progress` (a `BatchCheckpoint`) records how many lines it holds. `complete()`
/// renames the `.partial` file onto `OUTPUT`, so no partial file ever sits at the output path,
/// and a run killed at any moment can be resumed from its last append.
///
/// - A symbolic link as `OUTPUT` is resolved first, so its target receives the output and the
///   link stays.
/// - `OUTPUT` must be a regular file or not exist yet: a device, FIFO or folder is refused,
///   since resuming needs a file that keeps what was written.
/// - The `.partial` file is locked (`flock`) while the run writes it, so a second run on the same
///   output fails at once with `BatchError.outputBusy` instead of racing the first.
final class ResumableOutput {
    let path: String
    let partialPath: String
    let progressPath: String
    /// Output lines finished, including those kept from an earlier run.
    var linesDone: Int { checkpoint.linesDone }
    private let descriptor: Int32
    private var checkpoint: BatchCheckpoint

    /// Starts a new `.partial` file, replacing any, or with `resume` continues the one the
    /// progress file describes, after checking that it was written by the same `run`. With
    /// `resume` and no progress file there is nothing to continue and the run starts anew.
    /// - Throws: `BatchError.resumeMismatch`, `.cannotResume`, `.outputNotRegularFile` or
    ///   `.outputBusy`, `TernIOError.cannotCreate`.
    init(path requestedPath: String, run: BatchCheckpoint.Run, resume: Bool) throws {
        path = try Self.resolvedOutputPath(requestedPath)
        partialPath = path + ".partial"
        progressPath = partialPath + ".progress"
        descriptor = open(partialPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TernIOError.cannotCreate(path: partialPath, reason: String(cString: strerror(errno)).lowercased())
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw BatchError.outputBusy(output: path, partial: partialPath)
        }
        do {
            if resume, FileManager.default.fileExists(atPath: progressPath) {
                checkpoint = try BatchCheckpoint.load(from: progressPath)
                let differences = checkpoint.run.differences(from: run)
                guard differences.isEmpty else { throw BatchError.resumeMismatch(progressFile: progressPath, differences: differences) }
                let size = lseek(descriptor, 0, SEEK_END)
                guard size >= 0, UInt64(size) >= checkpoint.partialBytes else {
                    throw BatchError.cannotResume(progressFile: progressPath, reason: "\(partialPath) is shorter than the progress file says")
                }
                // Drop whatever an interrupted append wrote after the last recorded line.
                try Self.truncate(descriptor, to: checkpoint.partialBytes, path: partialPath)
            } else {
                try? FileManager.default.removeItem(atPath: progressPath)
                try Self.truncate(descriptor, to: 0, path: partialPath)
                checkpoint = BatchCheckpoint(run: run, linesDone: 0, partialBytes: 0)
                try checkpoint.write(to: progressPath)
            }
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit {
        close(descriptor)
    }

    /// Appends `lines`, each followed by `\n`, and records them as done.
    func append(_ lines: [String]) throws {
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        let failure = FileDescriptorWrite.writeAll(bytes[...], to: descriptor)
        guard failure == 0 else { throw TernIOError.writeFailed(output: "'\(partialPath)'", reason: String(cString: strerror(failure))) }
        guard fsync(descriptor) == 0 else {
            throw TernIOError.writeFailed(output: "'\(partialPath)'", reason: String(cString: strerror(errno)))
        }
        checkpoint.linesDone += lines.count
        checkpoint.partialBytes += UInt64(bytes.count)
        try checkpoint.write(to: progressPath)
    }

    /// Removes the progress file and moves the finished `.partial` file onto the output path
    /// (replacing any file there) in one step.
    func complete() throws {
        try FileManager.default.removeItem(atPath: progressPath)
        guard rename(partialPath, path) == 0 else {
            throw TernIOError.writeFailed(output: "'\(path)'", reason: "cannot rename \(partialPath) onto it: \(String(cString: strerror(errno)))")
        }
    }

    /// Cuts the file open at `descriptor` to `length` bytes and moves its offset to the end.
    private static func truncate(_ descriptor: Int32, to length: UInt64, path: String) throws {
        guard ftruncate(descriptor, off_t(length)) == 0, lseek(descriptor, off_t(length), SEEK_SET) >= 0 else {
            throw TernIOError.writeFailed(output: "'\(path)'", reason: String(cString: strerror(errno)))
        }
    }

    /// `path` with symbolic links resolved; a path that does not exist yet is kept as it is.
    /// - Throws: `BatchError.outputNotRegularFile` for a device, FIFO, socket or folder.
    private static func resolvedOutputPath(_ path: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { return path }
        let kind: String
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            guard let resolved = realpath(path, nil) else { return path }
            defer { free(resolved) }
            return String(cString: resolved)
        case S_IFDIR: kind = "a folder"
        case S_IFCHR, S_IFBLK: kind = "a device"
        case S_IFIFO: kind = "a FIFO"
        default: kind = "not a regular file"
        }
        throw BatchError.outputNotRegularFile(path: path, kind: kind)
    }
}
