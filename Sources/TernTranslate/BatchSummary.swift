import Foundation
import TernModel

/// What a batch run did, for the summary `tern batch` prints at the end:
///
/// ```text
/// summary: 27 lines translated (shard 1/1 interleaved, 40 lines; 13 kept from an interrupted run)
/// summary: 310 source tokens, 215 target tokens
/// summary: 2 batches searched, 13.5 sentences each
/// summary: wall time 1.52 s, 141 target tokens/s, peak memory 38 MB
/// wrote out.de
/// ```
public struct BatchSummary: Sendable, CustomStringConvertible {
    public var shard: ShardSpec
    /// This run's counts; `progress.linesDone` includes the kept lines.
    public var progress: BatchProgress
    /// Lines kept from an interrupted run.
    public var linesKept: Int
    /// The engine counters of this run, among them the batches it searched.
    public var engine: EngineStatistics
    /// The most memory the process has held, in bytes (`getrusage`'s `ru_maxrss`).
    public var peakMemoryBytes: Int
    /// Whether the output is complete and at `outputPath`; otherwise the run stopped early
    /// (`lineLimit`) and `partialPath` holds the lines done so far.
    public var isComplete: Bool
    public var outputPath: String
    public var partialPath: String

    public var description: String {
        let kept = linesKept > 0 ? "; \(linesKept.grouped) kept from an interrupted run" : ""
        let ending = isComplete ? "wrote \(outputPath)" : """
            stopped as asked: \(partialPath) holds \(progress.linesDone.grouped) of \(progress.linesTotal.grouped) lines; \
            run again with --resume to finish
            """
        return """
            summary: \(progress.linesTranslated.grouped) lines translated (shard \(shard), \(progress.linesTotal.grouped) lines\(kept))
            summary: \(progress.sourceTokens.grouped) source tokens, \(progress.targetTokens.grouped) target tokens
            summary: \(engine.searches.grouped) batches searched, \(String(format: "%.1f", engine.meanBatchSize)) sentences each
            summary: wall time \(String(format: "%.2f", progress.elapsed)) s, \
            \(Int(progress.targetTokensPerSecond.rounded()).grouped) target tokens/s, \
            peak memory \(peakMemoryBytes / 1_000_000) MB
            \(ending)
            """
    }

    /// The process's peak resident memory so far, in bytes.
    public static func processPeakMemoryBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024   // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss          // bytes on macOS
        #endif
    }
}
