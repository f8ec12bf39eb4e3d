/// Which lines of an input file one of N independent jobs translates: shard `index` of `count`,
/// counted from 1, as `--shard I/N` writes it.
///
/// Every line belongs to exactly one shard, and a shard's output holds its lines in input
/// order, one output line per input line. With L lines and 0-based line numbers k:
///
/// - `interleaved` (the default): line k belongs to shard (k mod N) + 1. Each shard samples the
///   whole file, so shards take about equally long even when the file is sorted by length.
///   **Merge**: line k of the whole is line ⌊k / N⌋ of shard (k mod N) + 1, that is, take one
///   line from each shard in turn: `paste -d '\n' shard1 … shardN`, then drop the empty lines
///   `paste` adds after the last real one (`examples/merge-shards.sh` does both).
/// - `contiguous`: the file is cut into N consecutive blocks; shard i holds lines
///   ⌊(i − 1)·L / N⌋ ..< ⌊i·L / N⌋, so block sizes differ by at most one.
///   **Merge**: concatenate the shard outputs in order, `cat shard1 … shardN`.
public struct ShardSpec: Sendable, Equatable, CustomStringConvertible {
    /// How lines are dealt to shards.
    public enum Mode: String, Sendable, Codable, CaseIterable {
        case interleaved, contiguous
    }

    /// 1-based: 1 ... count.
    public let index: Int
    public let count: Int
    public let mode: Mode

    /// The whole file as one shard.
    public static let whole = ShardSpec(validIndex: 1, count: 1, mode: .interleaved)

    /// - Throws: `BatchError.shardOutOfRange` unless 1 ≤ index ≤ count.
    public init(index: Int, count: Int, mode: Mode = .interleaved) throws {
        guard count >= 1, (1...count).contains(index) else { throw BatchError.shardOutOfRange(index: index, count: count) }
        self.init(validIndex: index, count: count, mode: mode)
    }

    /// Parses `I/N`, as in `--shard 2/8`.
    /// - Throws: `BatchError.invalidShard` for text that is not `I/N`, `.shardOutOfRange` for
    ///   an index outside 1 ... N.
    public init(parsing text: String, mode: Mode = .interleaved) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { throw BatchError.invalidShard(text) }
        try self.init(index: index, count: count, mode: mode)
    }

    private init(validIndex: Int, count: Int, mode: Mode) {
        index = validIndex
        self.count = count
        self.mode = mode
    }

    /// `I/N mode`, e.g. `2/8 interleaved`.
    public var description: String { "\(index)/\(count) \(mode.rawValue)" }

    /// The 0-based numbers of this shard's lines in a file of `lineCount` lines, ascending.
    public func lineIndices(lineCount: Int) -> [Int] {
        switch mode {
        case .interleaved: Array(stride(from: index - 1, to: lineCount, by: count))
        case .contiguous: Array((index - 1) * lineCount / count ..< index * lineCount / count)
        }
    }
}
