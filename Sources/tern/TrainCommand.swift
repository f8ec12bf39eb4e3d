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
        Settings start from the defaults shown below, from --config (a configuration.json written \
        by an earlier run), or, with --resume, from the run folder's configuration.json; the flags \
        given change them. A resumed run takes only the flags that leave the training itself \
        unchanged: --max-steps, --max-target-tokens, --validate-every, --checkpoint-every, \
        --log-every, --validation-sentences, --output, --full-precision and the snapshot flags, \
        which it records in the run folder's configuration.json, and --max-minutes.
        """
    )

    @OptionGroup var runFolder: RunFolderOptions
    @Flag(help: "Continue the run in the run folder from its last checkpoint.") var resume = false
    @Option(help: "A configuration.json to train with; flags given change its settings.") var config: String?
    @Option(help: "Stop after this many minutes of this invocation (a checkpoint is written).") var maxMinutes: Double?
    @Option(help: "Keep a copy of the parameters every N steps, for `tern average` (0: none; a resumed run goes on as it was started). (default: 0)")
    var snapshotEvery: Int?
    @Option(help: "How many of the newest parameter copies to keep. (default: \(SnapshotPolicy.defaultKeep))") var keepSnapshots: Int?

    @Option(help: setting("Model architecture", \.architecture)) var arch: Architecture?
    @Option(help: "Vocabulary folder.") var vocab: String?
    @Option(help: "Training source file.") var trainSource: String?
    @Option(help: "Training target file.") var trainTarget: String?
    @Option(help: "Validation source file.") var validSource: String?
    @Option(help: "Validation target file.") var validTarget: String?
    @Option(help: "Folder for the exported best model.") var output: String?

    @Option(help: setting("Encoder layers", \.encoderLayers)) var encoderLayers: Int?
    @Option(help: setting("Decoder layers", \.decoderLayers)) var decoderLayers: Int?
    @Option(help: setting("Model width (d_model)", \.width)) var width: Int?
    @Option(help: setting("Attention heads", \.heads)) var heads: Int?
    @Option(help: setting("Feed-forward width", \.feedForwardWidth)) var feedForward: Int?
    @Option(help: setting("Padded tokens per batch", \.batchTokens)) var batchTokens: Int?
    @Option(help: setting("Peak learning rate", \.learningRate)) var learningRate: Float?
    @Option(help: setting("Warm-up steps of the inverse-square-root schedule", \.warmupSteps)) var warmup: Int?
    @Option(help: setting("Dropout", \.dropout)) var dropout: Float?
    @Option(help: setting("Label smoothing", \.labelSmoothing)) var labelSmoothing: Float?
    @Option(help: setting("Gradient-norm clip (0: none)", \.clipNorm)) var clipNorm: Float?
    @Option(help: setting("Maximum updates", \.maxSteps)) var maxSteps: Int?
    @Option(help: setting("Stop after this many target tokens (0: no limit)", \.maxTargetTokens)) var maxTargetTokens: Int?
    @Option(help: setting("Validate every N steps", \.validateEvery)) var validateEvery: Int?
    @Option(help: setting("Checkpoint every N steps", \.checkpointEvery)) var checkpointEvery: Int?
    @Option(help: setting("Log every N steps", \.logEvery)) var logEvery: Int?
    @Option(help: setting("Validation sentences translated for BLEU (0: all)", \.validationSentences)) var validationSentences: Int?
    @Option(help: setting("sacreBLEU tokenization of validation BLEU", \.bleuTokenize)) var bleuTokenize: BLEUTokenization?
    @Option(help: setting("Random seed", \.seed)) var seed: UInt64?
    @Flag(help: "Export weights as F32 instead of F16.") var fullPrecision = false

    var runDirectory: String { runFolder.runDirectory }

    /// `TrainingConfiguration`'s defaults, the one place they are set, for a new run and for `--help`.
    private static let defaults = TrainingConfiguration(vocabulary: "", trainSource: "", trainTarget: "", validSource: "", validTarget: "",
                                                        output: "")

    /// A setting's help, with its default.
    private static func setting<Value>(_ text: String, _ key: KeyPath<TrainingConfiguration, Value>) -> ArgumentHelp {
        let value = defaults[keyPath: key]
        return ArgumentHelp("\(text). (default: \((value as? any RawRepresentable<String>)?.rawValue ?? "\(value)"))")
    }

    /// A flag given on the command line, applied over the configuration.
    private struct GivenSetting {
        var flag: String
        /// Why a resumed run refuses it; nil when it takes it.
        var fixedOnResume: String?
        var apply: (inout TrainingConfiguration) -> Void
    }

    /// The settings flags given, in the order of `--help`.
    private var givenSettings: [GivenSetting] {
        var settings: [GivenSetting] = []
        func add<Value>(_ flag: String, _ value: Value?, _ key: WritableKeyPath<TrainingConfiguration, Value>, fixedOnResume reason: String? = nil) {
            guard let value else { return }
            settings.append(GivenSetting(flag: flag, fixedOnResume: reason, apply: { $0[keyPath: key] = value }))
        }
        let shape = "it changes the shape of the network, which the checkpoint's parameters fix"
        let data = "the run's seeded batch order is planned over its training files"
        let validation = "the best model so far was chosen on the run's validation files"
        let optimization = "--resume continues the run exactly, and this changes its optimization"
        add("--arch", arch, \.architecture, fixedOnResume: shape)
        add("--vocab", vocab, \.vocabulary, fixedOnResume: "the checkpoint's embeddings belong to the run's vocabulary")
        add("--train-source", trainSource, \.trainSource, fixedOnResume: data)
        add("--train-target", trainTarget, \.trainTarget, fixedOnResume: data)
        add("--valid-source", validSource, \.validSource, fixedOnResume: validation)
        add("--valid-target", validTarget, \.validTarget, fixedOnResume: validation)
        add("--output", output, \.output)
        add("--encoder-layers", encoderLayers, \.encoderLayers, fixedOnResume: shape)
        add("--decoder-layers", decoderLayers, \.decoderLayers, fixedOnResume: shape)
        add("--width", width, \.width, fixedOnResume: shape)
        add("--heads", heads, \.heads, fixedOnResume: shape)
        add("--feed-forward", feedForward, \.feedForwardWidth, fixedOnResume: shape)
        add("--batch-tokens", batchTokens, \.batchTokens, fixedOnResume: "it changes the batches of the run's seeded batch plan")
        add("--learning-rate", learningRate, \.learningRate, fixedOnResume: optimization)
        add("--warmup", warmup, \.warmupSteps, fixedOnResume: optimization)
        add("--dropout", dropout, \.dropout, fixedOnResume: optimization)
        add("--label-smoothing", labelSmoothing, \.labelSmoothing, fixedOnResume: optimization)
        add("--clip-norm", clipNorm, \.clipNorm, fixedOnResume: optimization)
        add("--max-steps", maxSteps, \.maxSteps)
        add("--max-target-tokens", maxTargetTokens, \.maxTargetTokens)
        add("--validate-every", validateEvery, \.validateEvery)
        add("--checkpoint-every", checkpointEvery, \.checkpointEvery)
        add("--log-every", logEvery, \.logEvery)
        add("--validation-sentences", validationSentences, \.validationSentences)
        add("--bleu-tokenize", bleuTokenize, \.bleuTokenize, fixedOnResume: "the best model so far was chosen by BLEU with the run's tokenization")
        add("--seed", seed, \.seed, fixedOnResume: "the seed fixes the batch order and dropout of the run being continued")
        add("--full-precision", fullPrecision ? false : nil, \.exportHalfPrecision)
        return settings
    }

    /// The configuration to train with: the run folder's (with --resume), --config's or the
    /// defaults with the data flags, changed by the settings flags given.
    func makeConfiguration() throws -> TrainingConfiguration {
        var configuration: TrainingConfiguration
        if let config {
            configuration = try TrainingConfiguration.load(path: config)
        } else if resume {
            configuration = try TrainingConfiguration.load(path: runDirectory + "/configuration.json")
        } else {
            configuration = Self.defaults  // `validate()` has checked that the data flags, which fill in the paths, are given.
        }
        for setting in givenSettings { setting.apply(&configuration) }
        try configuration.changeSnapshots(every: snapshotEvery, keep: keepSnapshots)
        return configuration
    }

    func validate() throws {
        guard (snapshotEvery ?? 0) >= 0, (keepSnapshots ?? 1) > 0 else {
            throw ValidationError("--snapshot-every must be 0 or more and --keep-snapshots at least 1.")
        }
        if resume, let refused = givenSettings.first(where: { $0.fixedOnResume != nil }) {
            throw ValidationError("""
                \(refused.flag) cannot change a resumed run: \(refused.fixedOnResume!). Leave it out, or start a new run \
                (another --name or --run-dir).
                """)
        }
        if config == nil, !resume, vocab == nil || trainSource == nil || trainTarget == nil || validSource == nil || validTarget == nil || output == nil {
            throw ValidationError("Pass --vocab, --train-source, --train-target, --valid-source, --valid-target and --output (or --config, or --resume).")
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
            let state = try trainer.run(maxMinutes: maxMinutes ?? .infinity, stopRequested: { stop.isRequested }) {
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
