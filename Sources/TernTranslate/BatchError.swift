import Foundation

/// Errors of `tern batch`: shard arguments and resuming.
public enum BatchError: LocalizedError, Equatable {
    /// `--shard` text that is not `I/N`.
    case invalidShard(String)
    /// A shard index outside 1 ... N, or N < 1.
    case shardOutOfRange(index: Int, count: Int)
    /// The progress file was written by a run with other settings or another input.
    case resumeMismatch(progressFile: String, differences: [String])
    /// The progress file or its `.partial` output cannot be used.
    case cannotResume(progressFile: String, reason: String)
    /// The output path is a device, FIFO or folder, which cannot hold a resumable output.
    case outputNotRegularFile(path: String, kind: String)
    /// Another run holds the lock on the output's `.partial` file.
    case outputBusy(output: String, partial: String)

    public var errorDescription: String? {
        switch self {
        case let .invalidShard(text):
            return "'\(text)' is not a shard: write I/N, the I-th of N shards counted from 1, e.g. --shard 2/8"
        case let .shardOutOfRange(index, count) where count < 1:
            return "shard \(index)/\(count) does not exist: the number of shards N in I/N must be at least 1"
        case let .shardOutOfRange(index, count):
            return "shard \(index)/\(count) does not exist: I in I/N counts from 1 and must be between 1 and \(count)"
        case let .resumeMismatch(progressFile, differences):
            return """
                cannot resume: \(progressFile) was written by a different run (\(differences.joined(separator: "; "))); \
                rerun with the same input and settings, or without --resume to start over
                """
        case let .cannotResume(progressFile, reason):
            return "cannot resume from \(progressFile): \(reason); rerun without --resume to start over"
        case let .outputNotRegularFile(path, kind):
            return "--output '\(path)' is \(kind): tern batch writes a regular file so that it can resume; "
                + "give a file path, or use tern translate to write to a device or pipe"
        case let .outputBusy(output, partial):
            return "another run is writing \(output) (it holds the lock on \(partial)); wait for it to finish, or choose another --output"
        }
    }
}
