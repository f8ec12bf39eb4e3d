import ArgumentParser
import Foundation
import TernEval
import TernIO
import TernModel
import TernTraining

struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an encoder-decoder, prefix-LM or causal-LM model on a parallel corpus.",
        discussion: """
        The run folder (default ~/.cache/tern/runs/NAME) keeps checkpoints, the configuration and \
        log.jsonl; --resume continues a stopped run exactly, optimizer state included. The best \
        model by validation BLEU is exported to --output after every validation that improves it. \
        Ctrl-C (or SIGTERM) stops after the current step and writes a checkpoint; a second Ctrl-C \
        quits at once.
        Settings come from the flags below, or from --config (a configuration.json written by an \
        earlier run).
        """
    )

    @OptionGroup var runFolder: RunFolderOptions
    @Flag(help: "Continue the run in the run folder from its last checkpoint.") var resume = false
    @Option(help: "A configuration.json to train with instead of the flags.") var config: String?
    @Option(help: "Stop after this many minutes of this invocation (a checkpoint is written).") var maxMinutes: Double?
    @Option(help: "Keep a copy of the parameters every N steps, for `tern average` (0: none).") var snapshotEvery = 0
    @Option(help: "How many of the newest parameter copies to keep.") var keepSnapshots = 10

    @Option(help: "Model architecture: encdec, prefix-lm or causal-lm.") var arch: Architecture = .encoderDecoder
    @Option(help: "Vocabulary folder.") var vocab: String?
    @Option(help: "Training source file.") var trainSource: String?
    @Option(help: "Training target file.") var trainTarget: String?
    @Option(help: "Validation source file.") var validSource: String?
    @Option(help: "Validation target file.") var validTarget: String?
    @Option(help: "Folder for the exported best model.") var output: String?

    @Option(help: "Encoder layers.") var encoderLayers = 4
    @Option(help: "Decoder layers.") var decoderLayers = 4
    @Option(help: "Model width (d_model).") var width = 128
    @Option(help: "Attention heads.") var heads = 4
    @Option(help: "Feed-forward width.") var feedForward = 256
    @Option(help: "Padded tokens per batch.") var batchTokens = 4096
    @Option(help: "Peak learning rate.") var learningRate: Float = 1e-3
    @Option(help: "Warm-up steps of the inverse-square-root schedule.") var warmup = 1000
    @Option(help: "Dropout.") var dropout: Float = 0.1
    @Option(help: "Label smoothing.") var labelSmoothing: Float = 0.1
    @Option(help: "Gradient-norm clip (0: none).") var clipNorm: Float = 1
    @Option(help: "Maximum updates.") var maxSteps = 100_000
    @Option(help: "Stop after this many target tokens (0: no limit).") var maxTargetTokens = 0
    @Option(help: "Validate every N steps.") var validateEvery = 500
    @Option(help: "Checkpoint every N steps.") var checkpointEvery = 250
    @Option(help: "Log every N steps.") var logEvery = 50
    @Option(help: "Validation sentences translated for BLEU (0: all).") var validationSentences = 0
    @Option(help: "sacreBLEU tokenization of validation BLEU.") var bleuTokenize: BLEUTokenization = .thirteenA
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Flag(help: "Export weights as F32 instead of F16.") var fullPrecision = false

    var runDirectory: String { runFolder.runDirectory }

    func makeConfiguration() throws -> TrainingConfiguration {
        if let config { return try TrainingConfiguration.load(path: config) }
        if resume { return try TrainingConfiguration.load(path: runDirectory + "/configuration.json") }
        guard let vocab, let trainSource, let trainTarget, let validSource, let validTarget, let output else {
            throw ValidationError("Pass --vocab, --train-source, --train-target, --valid-source, --valid-target and --output (or --config, or --resume).")
        }
        var configuration = TrainingConfiguration(vocabulary: vocab, trainSource: trainSource, trainTarget: trainTarget,
                                                  validSource: validSource, validTarget: validTarget, architecture: arch, output: output)
        configuration.encoderLayers = encoderLayers
        configuration.decoderLayers = decoderLayers
        configuration.width = width
        configuration.heads = heads
        configuration.feedForwardWidth = feedForward
        configuration.batchTokens = batchTokens
        configuration.learningRate = learningRate
        configuration.warmupSteps = warmup
        configuration.dropout = dropout
        configuration.labelSmoothing = labelSmoothing
        configuration.clipNorm = clipNorm
        configuration.maxSteps = maxSteps
        configuration.maxTargetTokens = maxTargetTokens
        configuration.validateEvery = validateEvery
        configuration.checkpointEvery = checkpointEvery
        configuration.logEvery = logEvery
        configuration.validationSentences = validationSentences
        configuration.bleuTokenize = bleuTokenize
        configuration.seed = seed
        configuration.exportHalfPrecision = !fullPrecision
        return configuration
    }

    func validate() throws {
        guard snapshotEvery >= 0, keepSnapshots > 0 else {
            throw ValidationError("--snapshot-every must be 0 or more and --keep-snapshots at least 1.")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let configuration = try makeConfiguration()
            let command = (["tern"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            let trainer = try Trainer(configuration: configuration, runDirectory: runDirectory, command: command) { path, line in
                Diagnostics.warn("\(path):\(line): invalid UTF-8 replaced with U+FFFD")
            }
            Diagnostics.printError("""
                \(configuration.architecture.rawValue): \(trainer.network.parameterCount) parameters, \
                \(trainer.trainingPairs) training pairs, \(trainer.batchesPerEpoch) batches per epoch; \
                run folder \(runDirectory)\(trainer.state.step > 0 ? ", resuming at step \(trainer.state.step)" : "")
                """)
            let stop = StopRequest { _ in
                Diagnostics.printError("stopping after this step; a checkpoint will be written (press Ctrl-C again to quit at once)")
            }
            let snapshots = snapshotEvery > 0 ? SnapshotPolicy(every: snapshotEvery, keep: keepSnapshots) : nil
            let state = try trainer.run(maxMinutes: maxMinutes ?? .infinity, snapshots: snapshots, stopRequested: { stop.isRequested }) {
                Diagnostics.printError($0)
            }
            Diagnostics.printError(state.bestStep > 0
                ? String(format: "stopped at step %d; best valid BLEU %.2f at step %d, exported to %@",
                         state.step, state.bestBLEU, state.bestStep, configuration.output)
                : "stopped at step \(state.step), before the first validation; --resume continues from its checkpoint")
        }
    }
}

extension Architecture: ExpressibleByArgument {}
