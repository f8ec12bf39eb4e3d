import Foundation
import TernJSON
import TernCorpus
import TernDecoding
import TernEval
import TernModel
import TernTokenizer
import TernTranslate

/// Trains a model on a parallel corpus: token-budget batches in seeded order, Adam with an
/// inverse-square-root schedule, label smoothing, dropout and gradient clipping. Validates at
/// intervals (loss, and BLEU of greedy translations), exports the best model by validation
/// BLEU, and checkpoints so that `resume` continues the run exactly.
///
/// ```swift
/// let trainer = try Trainer(configuration: configuration, runDirectory: "~/.cache/tern/runs/en-de", command: "tern train …")
/// let state = try trainer.run(maxMinutes: 60) { print($0) }
/// ```
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let runDirectory: String
    public let network: TrainingNetwork
    public private(set) var state: TrainingState
    private let command: String
    private let vocabulary: SubwordVocabulary
    private let training: [SentencePair]
    private let validation: [SentencePair]
    private let validationText: [(source: String, target: String)]
    private let plan: BatchPlan
    private let optimizer: AdamOptimizer
    private let schedule: LearningRateSchedule
    private var logPath: String { Checkpoint.path(runDirectory, "log.jsonl") }

    /// Prepares a run: a new one when `runDirectory` holds no checkpoint, otherwise the
    /// checkpointed one, whose saved configuration must equal `configuration` but for the budget
    /// and bookkeeping (see `comparable`); those settings are taken from `configuration` and
    /// written to the run folder's configuration.json.
    /// - Throws: `TrainingError`, `TokenizerError`, `ModelError` or corpus errors naming what is wrong.
    public init(configuration: TrainingConfiguration, runDirectory: String, command: String,
                onRepairedLine: (String, Int) -> Void = { _, _ in }) throws {
        try configuration.validate()
        self.configuration = configuration
        self.runDirectory = runDirectory
        self.command = command
        vocabulary = try VocabularyStore.load(from: configuration.vocabulary)
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        func read(_ source: String, _ target: String) throws -> [(source: String, target: String)] {
            try ParallelCorpus.read(sourcePath: source, targetPath: target) { path, line in onRepairedLine(path, line.number) }
                .map { (source: $0.source, target: $0.target) }
        }
        let limit = configuration.maxSentenceTokens
        training = try read(configuration.trainSource, configuration.trainTarget)
            .map { SentencePair(source: tokenizer.encode($0.source), target: tokenizer.encode($0.target)) }
            .filter { !$0.source.isEmpty && !$0.target.isEmpty && $0.source.count <= limit && $0.target.count <= limit }
        guard !training.isEmpty else { throw TrainingError.noTrainingData }
        validationText = try read(configuration.validSource, configuration.validTarget)
        validation = validationText.map {
            SentencePair(source: Array(tokenizer.encode($0.source).prefix(limit)), target: Array(tokenizer.encode($0.target).prefix(limit)))
        }
        plan = BatchPlan(lengths: training.map { ($0.source.count, $0.target.count) }, maxTokens: configuration.batchTokens,
                         seed: configuration.seed)
        let config = configuration.modelConfig(vocabularySize: vocabulary.size, separatorTokenId: Int(vocabulary.separatorID))
        let initial = ParameterInitializer(deviation: configuration.initDeviation, seed: configuration.seed)
        network = try TrainingNetwork(config: config, architecture: configuration.architecture,
                                      source: TensorDictionary(initial.parameters(for: config, architecture: configuration.architecture)))
        optimizer = AdamOptimizer(count: network.parameters.count, beta1: configuration.adamBeta1, beta2: configuration.adamBeta2)
        schedule = LearningRateSchedule(peak: configuration.learningRate, warmupSteps: configuration.warmupSteps)
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        let savedConfiguration = Checkpoint.path(runDirectory, "configuration.json")
        if Checkpoint.exists(in: runDirectory) {
            let saved = try TrainingConfiguration.load(path: savedConfiguration)
            guard saved.comparable == configuration.comparable else {
                let keys = TrainingConfiguration.differingKeys(saved.comparable, configuration.comparable)
                throw TrainingError.checkpointMismatch("its configuration.json differs from this run's settings"
                    + (keys.isEmpty ? "" : " (\(keys.joined(separator: ", ")))"))
            }
            state = try Checkpoint.restore(network: network, optimizer: optimizer, from: runDirectory)
            if saved != configuration { try configuration.write(to: savedConfiguration) }
        } else {
            state = TrainingState()
            try configuration.write(to: savedConfiguration)
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
    }

    /// Sentence pairs kept for training, and batches per epoch.
    public var trainingPairs: Int { training.count }
    public var batchesPerEpoch: Int { plan.batchesPerEpoch }

    /// Trains until the step or token budget is spent, or `maxMinutes` of this call have passed,
    /// then validates (unless it just did) and checkpoints; or, as soon as `stopRequested()` says
    /// so after a step, checkpoints without validating. Keeps parameter snapshots for averaging
    /// as `configuration.snapshots` says. Calls `progress` with a line for people at every log interval.
    @discardableResult
    public func run(maxMinutes: Double = .infinity, stopRequested: () -> Bool = { false },
                    progress: (String) -> Void) throws -> TrainingState {
        let started = Date(), elapsedBefore = state.elapsedSeconds
        var window = (loss: 0.0, tokens: 0, norm: 0.0, steps: 0, started: Date())
        while !budgetSpent, Date().timeIntervalSince(started) < maxMinutes * 60 {
            if stopRequested() {
                try saveCheckpoint()
                return state
            }
            let (epoch, indices) = plan.batch(at: state.step)
            network.zeroGradients()
            let loss = network.trainStep(indices.map { training[$0] }, labelSmoothing: configuration.labelSmoothing,
                                         dropout: configuration.dropout, seed: configuration.seed &* 1_000_003 &+ UInt64(state.step))
            let norm = clipGradients(network.parameters.gradients, count: network.parameters.count, maxNorm: configuration.clipNorm)
            let rate = schedule.rate(at: state.step + 1)
            optimizer.update(values: network.parameters.values, gradients: network.parameters.gradients, learningRate: rate)
            state.step += 1
            state.targetTokensSeen += loss.tokens
            state.elapsedSeconds = elapsedBefore + Date().timeIntervalSince(started)
            window.loss += loss.smoothedSum
            window.tokens += loss.tokens
            window.norm += Double(norm)
            window.steps += 1
            if state.step % configuration.logEvery == 0 {
                let seconds = Date().timeIntervalSince(window.started)
                let record = LogRecord(step: state.step, epoch: epoch, trainLoss: window.loss / Double(window.tokens),
                                       learningRate: Double(rate), gradientNorm: window.norm / Double(window.steps),
                                       tokensPerSecond: Double(window.tokens) / seconds, targetTokensSeen: state.targetTokensSeen,
                                       elapsedSeconds: state.elapsedSeconds)
                try append(record)
                progress(record.line(maxSteps: configuration.maxSteps))
                window = (0, 0, 0, 0, Date())
            }
            if state.step % configuration.validateEvery == 0 { try validate(progress: progress) }
            if state.step % configuration.checkpointEvery == 0 { try saveCheckpoint() }
            if let snapshots = configuration.snapshots, state.step % snapshots.every == 0 {
                try Snapshots.save(network.parameters, step: state.step, keep: snapshots.keep, in: runDirectory)
            }
        }
        if state.step % configuration.validateEvery != 0 { try validate(progress: progress) }
        try saveCheckpoint()
        return state
    }

    private var budgetSpent: Bool {
        state.step >= configuration.maxSteps
            || (configuration.maxTargetTokens > 0 && state.targetTokensSeen >= configuration.maxTargetTokens)
    }

    /// Validation loss and greedy BLEU; exports the model when BLEU improves.
    private func validate(progress: (String) -> Void) throws {
        let (loss, bleu) = try score()
        let improved = bleu > state.bestBLEU
        if improved {
            state.bestBLEU = bleu
            state.bestStep = state.step
            state.bestValidationLoss = loss
        }
        let record = LogRecord(step: state.step, validLoss: loss, validBLEU: bleu, best: improved, elapsedSeconds: state.elapsedSeconds)
        try append(record)
        progress(record.line(maxSteps: configuration.maxSteps))
        if improved {
            try export(to: configuration.output, validationBLEU: bleu, validationLoss: loss, averagedSteps: nil)
        }
    }

    /// The model averaged over the run's newest snapshots: its validation scores, and the steps averaged.
    public struct AveragedModel: Sendable {
        public let steps: [Int]
        public let validationBLEU: Double
        public let validationLoss: Double
    }

    /// Replaces the network's parameters by the mean of the run's newest `count` snapshots (see
    /// `SnapshotPolicy`), validates the result and exports it to `output`. The trainer is then
    /// spent: its parameters no longer match its optimizer state.
    /// - Throws: `TrainingError.missingFile` when the run has fewer snapshots, `ModelError` when one
    ///   does not fit.
    public func exportAverage(last count: Int, to output: String) throws -> AveragedModel {
        let steps = try Snapshots.average(last: count, into: network.parameters, from: runDirectory)
        let (loss, bleu) = try score()
        try export(to: output, validationBLEU: bleu, validationLoss: loss, averagedSteps: steps)
        return AveragedModel(steps: steps, validationBLEU: bleu, validationLoss: loss)
    }

    /// The length limit of validation translations: `2 · sourceLength + 10` target tokens (and
    /// at most `max_positions`), tighter than the `3 · sourceLength + 10` of `tern translate`
    /// (`DecodingOptions.RelativeLimit.default`); it bounds the time a validation takes while
    /// the model still repeats itself to the limit. It has been 2 since the trainer was written,
    /// and it is part of how validation BLEU is measured: changing it would change the BLEU
    /// logged and the checkpoint exported as the best, so runs would no longer compare with
    /// earlier ones (the committed models' training logs among them).
    static let validationLengthLimit = DecodingOptions.RelativeLimit(factor: 2, offset: 10)

    /// Validation loss (per target token, no label smoothing) and BLEU of greedy translations.
    private func score() throws -> (loss: Double, bleu: Double) {
        var nll = 0.0, tokens = 0
        let lossPlan = BatchPlan(lengths: validation.map { ($0.source.count, $0.target.count) }, maxTokens: configuration.batchTokens, seed: 0)
        for batch in lossPlan.batches {
            let loss = network.evaluate(batch.map { validation[$0] }, labelSmoothing: 0)
            nll += loss.negativeLogLikelihoodSum
            tokens += loss.tokens
        }
        let count = configuration.validationSentences > 0 ? min(configuration.validationSentences, validationText.count) : validationText.count
        let sample = Array(validationText.prefix(count))
        let translator = try Translator(model: network.inferenceModel(), sourceVocabulary: vocabulary, targetVocabulary: vocabulary)
        let options = TranslationOptions(decoding: DecodingOptions(maxLength: configuration.maxPositions,
                                                                   relativeMaxLength: Self.validationLengthLimit))
        let hypotheses = try translator.translate(sample.map(\.source), options: options).map(\.text)
        let bleu = try BLEU(tokenization: configuration.bleuTokenize).corpusScore(hypotheses: hypotheses, references: [sample.map(\.target)]).score
        return (nll / Double(max(1, tokens)), bleu)
    }

    private func export(to output: String, validationBLEU: Double, validationLoss: Double, averagedSteps: [Int]?) throws {
        try ModelExporter.export(network: network, configuration: configuration, to: output, vocabulary: vocabulary, command: command,
                                 logPath: logPath,
                                 summary: .init(step: state.step, validationBLEU: validationBLEU, validationLoss: validationLoss,
                                                parameters: network.parameterCount, targetTokensSeen: state.targetTokensSeen,
                                                trainingSeconds: state.elapsedSeconds, averagedSteps: averagedSteps))
    }

    private func saveCheckpoint() throws {
        try Checkpoint.save(network: network, optimizer: optimizer, state: state, to: runDirectory)
    }

    private func append(_ record: LogRecord) throws {
        let encoder = SnakeCaseJSON.encoder(compact: true)
        guard let handle = FileHandle(forWritingAtPath: logPath) else { throw TrainingError.missingFile(logPath) }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: encoder.encode(record) + Data("\n".utf8))
    }
}

extension TrainingConfiguration {
    /// The settings that must match for a checkpoint to continue: all but the budget and the
    /// bookkeeping (how often to validate, checkpoint and log, how many sentences validation
    /// translates, where and how the best model is exported, which snapshots are kept), which
    /// change no parameter.
    var comparable: TrainingConfiguration {
        var copy = self
        copy.maxSteps = 0
        copy.maxTargetTokens = 0
        copy.validateEvery = 1
        copy.checkpointEvery = 1
        copy.logEvery = 1
        copy.validationSentences = 0
        copy.output = ""
        copy.exportHalfPrecision = true
        copy.snapshots = nil
        return copy
    }

    /// The JSON keys (`width`) whose values differ between `a` and `b`.
    static func differingKeys(_ a: TrainingConfiguration, _ b: TrainingConfiguration) -> [String] {
        func fields(_ configuration: TrainingConfiguration) -> [String: String] {
            guard let data = try? SnakeCaseJSON.encoder().encode(configuration),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
            return object.mapValues { "\($0)" }
        }
        let first = fields(a), second = fields(b)
        return Set(first.keys).union(second.keys).filter { first[$0] != second[$0] }.sorted()
    }
}
