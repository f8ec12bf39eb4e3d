import Foundation
import TernIO

/// A batch run's output file, which appears only when complete.
///
/// Lines go to `OUTPUT.partial`; after each `append` the file is synced and
/// `OUTPUT.partial.progress` (a `BatchCheckpoint`) records how many lines it holds. `complete()`
/// renames the `.partial` file onto `OUTPUT`, so no partial file ever sits at the output path,
/// and a run killed at any moment can be resumed from its last append.
final class ResumableOutput {
    let path: String
    let partialPath: String
    let progressPath: String
    /// Output lines finished, including those kept from an earlier run.
    var linesDone: Int { checkpoint.linesDone }
    private let handle: FileHandle
    private var checkpoint: BatchCheckpoint

    /// Starts a new `.partial` file, replacing any, or with `resume` continues the one the
    /// progress file describes, after checking that it was written by the same `run`. With
    /// `resume` and no progress file there is nothing to continue and the run starts anew.
    /// - Throws: `BatchError.resumeMismatch` or `.cannotResume`, `TernIOError.cannotCreate`.
    init(path: String, run: BatchCheckpoint.Run, resume: Bool) throws {
        self.path = path
        partialPath = path + ".partial"
        progressPath = partialPath + ".progress"
        if resume, FileManager.default.fileExists(atPath: progressPath) {
            checkpoint = try BatchCheckpoint.load(from: progressPath)
            let differences = checkpoint.run.differences(from: run)
            guard differences.isEmpty else { throw BatchError.resumeMismatch(progressFile: progressPath, differences: differences) }
            guard let handle = FileHandle(forUpdatingAtPath: partialPath) else {
                throw BatchError.cannotResume(progressFile: progressPath, reason: "its output \(partialPath) is missing")
            }
            self.handle = handle
            guard try handle.seekToEnd() >= checkpoint.partialBytes else {
                throw BatchError.cannotResume(progressFile: progressPath, reason: "\(partialPath) is shorter than the progress file says")
            }
            // Drop whatever an interrupted append wrote after the last recorded line.
            try handle.truncate(atOffset: checkpoint.partialBytes)
        } else {
            try? FileManager.default.removeItem(atPath: progressPath)
            guard FileManager.default.createFile(atPath: partialPath, contents: nil),
                  let handle = FileHandle(forWritingAtPath: partialPath)
            else {
                throw TernIOError.cannotCreate(path: partialPath)
            }
            self.handle = handle
            checkpoint = BatchCheckpoint(run: run, linesDone: 0, partialBytes: 0)
            try checkpoint.write(to: progressPath)
        }
    }

    deinit {
        try? handle.close()
    }

    /// Appends `lines`, each followed by `\n`, and records them as done.
    func append(_ lines: [String]) throws {
        let bytes = Data(lines.map { $0 + "\n" }.joined().utf8)
        do {
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
        } catch {
            throw TernIOError.writeFailed(reason: "\(partialPath): \(error.localizedDescription)")
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
            throw TernIOError.writeFailed(reason: "cannot rename \(partialPath) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
