import ArgumentParser
import TernIO
import TernTranslate

struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Translate a corpus file for throughput: on several threads, in shards, resumably.",
        discussion: """
        One output line per input line of the shard, in input order. The output is written to \
        OUTPUT.partial and renamed onto OUTPUT only when complete; with --resume an interrupted \
        run keeps its finished lines (OUTPUT.partial.progress records them) and translates the rest.

        Shards split a file among independent jobs (a Slurm job array, a Kubernetes Indexed Job): \
        with --shard-mode interleaved, 0-based line k belongs to shard (k mod N) + 1, and the \
        shard outputs merge back by taking one line from each in turn; with contiguous, shard I \
        is the I-th of N consecutive blocks, and the outputs merge back by concatenation. \
        examples/merge-shards.sh does either.

        Each thread multiplies its own matrices, so --threads N keeps N cores busy.
        """
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var decoding: DecodingFlags
    @Option(name: .shortAndLong, help: "The file to translate, one sentence or paragraph per line.") var input: String
    @Option(name: .shortAndLong, help: "Where to write the translations (replaced when the run completes).") var output: String
    @Option(help: "Most source tokens (padding included) in one batch.") var batchTokens = TranslationOptions().maxBatchTokens
    @Option(help: "Most sentences in one batch (memory grows with sentences × beam size).")
    var batchSentences = TranslationOptions().maxBatchSentences
    @Option(help: "Translate only shard I of N, counted from 1, e.g. 2/8.") var shard = "1/1"
    @Option(help: "How lines are dealt to shards: interleaved (line k to shard k mod N + 1) or contiguous (N blocks).")
    var shardMode: ShardSpec.Mode = .interleaved
    @Flag(help: "Continue an interrupted run from OUTPUT.partial instead of starting over.") var resume = false
    @Option(help: "Translating threads, each with its own translator over one shared model.") var threads = 2
    @Option(help: "Stop after translating this many lines, keeping OUTPUT.partial for --resume (for jobs with a time limit).")
    var stopAfter: Int?

    func validate() throws {
        do {
            _ = try ShardSpec(parsing: shard, mode: shardMode)
        } catch {
            throw ValidationError("--shard \(shard): \(error.localizedDescription)")
        }
        guard (decoding.nBest ?? 1) == 1 else { throw ValidationError("--n-best must be 1: tern batch writes one line per input line; use tern translate for n-best lists.") }
        guard batchTokens >= 1 else { throw ValidationError("--batch-tokens must be at least 1.") }
        guard batchSentences >= 1 else { throw ValidationError("--batch-sentences must be at least 1.") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
        guard stopAfter.map({ $0 >= 1 }) ?? true else { throw ValidationError("--stop-after must be at least 1.") }
        guard input != "-", output != "-" else {
            throw ValidationError("tern batch translates files (so that it can resume); use tern translate for standard input and output.")
        }
        guard input != output else { throw ValidationError("--output must differ from --input.") }
    }

    func run() async throws {
        try await reportingFailures {
            var options = try decoding.options(model: try model.generationDefaults())
            options.maxBatchTokens = batchTokens
            options.maxBatchSentences = batchSentences
            let batch = BatchTranslation(
                inputPath: input, outputPath: output, modelDirectory: try model.directory(), targetLanguage: model.targetLanguage,
                computeType: model.compute.computeType, options: options, shard: try ShardSpec(parsing: shard, mode: shardMode), threads: threads, resume: resume,
                lineLimit: stopAfter)
            let display = BatchProgressDisplay()
            let summary: BatchSummary
            do {
                defer { display.finish() }
                summary = try batch.run(progress: display.show)
            }
            Diagnostics.printError(summary.description)
        }
    }
}

extension ShardSpec.Mode: ExpressibleByArgument {}
