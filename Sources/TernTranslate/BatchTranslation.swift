import Foundation
import TernIO
import TernTensor

/// Translates a corpus file for throughput: `tern batch`.
///
/// - Reads every line of `inputPath` and keeps those of `shard` (see `ShardSpec`, which also
///   gives the rule for merging shard outputs back into one file).
/// - Cuts the shard's lines into chunks, in input order, and translates them on `threads`
///   threads, each with its own `Translator` over one shared model; chunks are written in
///   input order.
/// - One output line per input line of the shard: an empty line stays empty, invalid UTF-8 is
///   replaced (with a warning), and a line break inside a translation becomes a space.
/// - Writes through `ResumableOutput`: the output appears at `outputPath` only when complete,
///   and with `resume` an interrupted run keeps its finished lines and translates the rest.
///
/// ```swift
/// let batch = BatchTranslation(inputPath: "corpus.en", outputPath: "corpus.de",
///                              modelDirectory: "Models/en-de/encdec", options: TranslationOptions())
/// let display = BatchProgressDisplay()
/// let summary = try batch.run(progress: display.show)
/// ```
public struct BatchTranslation: Sendable {
    public var inputPath: String
    public var outputPath: String
    public var modelDirectory: String
    /// A multilingual model's target language (`de` for `>>de<<`).
    public var targetLanguage: String?
    /// How the model's weights are held (`ModelDirectory.load(_:computeType:)`).
    public var computeType: ComputeType
    public var options: TranslationOptions
    public var shard: ShardSpec
    /// Translating threads, each with its own `Translator`.
    public var threads: Int
    /// Continue an interrupted run from `OUTPUT.partial` when its progress file allows.
    public var resume: Bool
    /// Translate at most this many lines in this run, then stop, leaving `OUTPUT.partial` for
    /// `resume` (for jobs with a time limit); nil for no limit.
    public var lineLimit: Int?
    /// The most lines handed to one `Translator.translate` call.
    public var maximumChunkLines: Int

    public init(inputPath: String, outputPath: String, modelDirectory: String, targetLanguage: String? = nil,
                computeType: ComputeType = .auto, options: TranslationOptions,
                shard: ShardSpec = .whole, threads: Int = 2, resume: Bool = false, lineLimit: Int? = nil,
                maximumChunkLines: Int = 256) {
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.modelDirectory = modelDirectory
        self.targetLanguage = targetLanguage
        self.computeType = computeType
        self.options = options
        self.shard = shard
        self.threads = threads
        self.resume = resume
        self.lineLimit = lineLimit
        self.maximumChunkLines = maximumChunkLines
    }

    /// Runs the job, calling `progress` on the calling thread after every chunk written.
    /// - Throws: `TernIOError`, `ModelError`, `BatchError` (resuming), `DecodingError`.
    public func run(progress report: (BatchProgress) -> Void = { _ in }) throws -> BatchSummary {
        let started = Date()
        let model = try SharedTranslationModel.load(modelDirectory: modelDirectory, targetLanguage: targetLanguage,
                                                     computeType: computeType)
        let input = try LineReader(path: inputPath).readAllLines()
        let lines = shard.lineIndices(lineCount: input.count).map { input[$0] }
        let run = try BatchCheckpoint.Run(input: inputPath, shard: shard, shardLines: lines.count, modelDirectory: modelDirectory,
                                          targetLanguage: targetLanguage, computeType: computeType, decoding: options.decoding)
        let output = try ResumableOutput(path: outputPath, run: run, resume: resume)
        let linesKept = output.linesDone
        let pending = lines[linesKept..<min(lines.count, linesKept + (lineLimit ?? lines.count))]
        for line in pending { Diagnostics.warnIfRepaired(line, input: inputPath) }

        var progress = BatchProgress(linesDone: linesKept, linesTotal: lines.count, linesTranslated: 0, sourceTokens: 0,
                                     targetTokens: 0, elapsed: 0)
        let translator = ParallelTranslator(model: model, threads: threads, options: options)
        var nextLine = pending.startIndex
        let engine = try translator.translate(chunks(of: pending.map(\.text))) { translations in
            for translation in translations {
                Diagnostics.warnIfSplit(translation, line: pending[nextLine].number, input: inputPath)
                Diagnostics.warnIfUnknownCode(translation, line: pending[nextLine].number, input: inputPath)
                nextLine += 1
            }
            try output.append(translations.map(\.text))
            progress.linesDone = output.linesDone
            progress.linesTranslated += translations.count
            progress.sourceTokens += translations.reduce(0) { $0 + $1.sourceTokens }
            progress.targetTokens += translations.reduce(0) { $0 + $1.targetTokens }
            progress.elapsed = Date().timeIntervalSince(started)
            report(progress)
        }
        let isComplete = output.linesDone == lines.count
        if isComplete { try output.complete() }
        progress.elapsed = Date().timeIntervalSince(started)
        return BatchSummary(shard: shard, progress: progress, linesKept: linesKept, engine: engine,
                            peakMemoryBytes: BatchSummary.processPeakMemoryBytes(),
                            isComplete: isComplete, outputPath: output.path, partialPath: output.partialPath)
    }

    /// `lines` cut into chunks in order: about four per thread so that the threads finish
    /// together, but at most `maximumChunkLines` lines each.
    private func chunks(of lines: [String]) -> [[String]] {
        let size = min(maximumChunkLines, max(1, (lines.count + 4 * threads - 1) / (4 * threads)))
        return stride(from: 0, to: lines.count, by: size).map { Array(lines[$0..<min(lines.count, $0 + size)]) }
    }
}
