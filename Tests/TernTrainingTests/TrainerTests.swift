import Foundation
import TernModel
import TernTokenizer
import TernTraining
import TestSupport
import Testing

/// The training loop on the committed smoke corpus (60 English–German pairs) with a tiny model
/// and a 400-piece vocabulary learned from the same corpus.
@Suite struct TrainerTests {
    static let smokeEnglish = PackagePaths.file("Corpora/smoke/smoke.en")
    static let smokeGerman = PackagePaths.file("Corpora/smoke/smoke.de")

    static func configuration(in folder: TemporaryDirectory, architecture: Architecture = .encoderDecoder) throws -> TrainingConfiguration {
        let lines = try [smokeEnglish, smokeGerman].flatMap { try CorpusText.lines(of: URL(fileURLWithPath: $0)) }
        try VocabularyStore.write(BPETrainer(options: .init(size: 400)).learn(lines: lines), training: nil, to: folder.file("vocab"))
        var configuration = TrainingConfiguration(vocabulary: folder.file("vocab"), trainSource: smokeEnglish, trainTarget: smokeGerman,
                                                  validSource: smokeEnglish, validTarget: smokeGerman, architecture: architecture,
                                                  output: folder.file("model"))
        configuration.encoderLayers = 1
        configuration.decoderLayers = architecture == .encoderDecoder ? 1 : 2
        configuration.width = 32
        configuration.heads = 2
        configuration.feedForwardWidth = 64
        configuration.maxPositions = 128
        configuration.maxSentenceTokens = 60
        configuration.batchTokens = 400
        configuration.learningRate = 3e-3
        configuration.warmupSteps = 20
        configuration.dropout = 0.1
        configuration.validateEvery = 1000
        configuration.checkpointEvery = 1000
        configuration.logEvery = 10
        configuration.validationSentences = 10
        configuration.initDeviation = 0.1
        return configuration
    }

    static func meanLoss(_ log: String, steps: ClosedRange<Int>) throws -> Double {
        let losses = try log.split(separator: "\n").compactMap { line -> Double? in
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let step = record?["step"] as? Int, steps.contains(step) else { return nil }
            return record?["train_loss"] as? Double
        }
        return losses.reduce(0, +) / Double(max(1, losses.count))
    }

    @Test("a few hundred steps on the smoke corpus cut the training loss by more than 40%", arguments: [Architecture.encoderDecoder, .prefixLM])
    func lossFalls(architecture: Architecture) throws {
        let folder = try TemporaryDirectory()
        var configuration = try Self.configuration(in: folder, architecture: architecture)
        configuration.maxSteps = 300
        configuration.learningRate = 5e-3
        configuration.dropout = 0
        let trainer = try Trainer(configuration: configuration, runDirectory: folder.file("run"), command: "test")
        try trainer.run { _ in }
        let log = try String(contentsOfFile: folder.file("run/log.jsonl"), encoding: .utf8)
        let first = try Self.meanLoss(log, steps: 10...10), last = try Self.meanLoss(log, steps: 270...300)
        #expect(last < 0.6 * first, "loss \(first) → \(last)")
        // The exported model loads and its <pad> row is still exactly zero.
        let model = try ModelDirectory.load(configuration.output)
        let pad = model.config.padTokenId
        #expect(model.weights.embedding.table.unpacked().row(pad).allSatisfy { $0 == 0 })
        for file in ["training-configuration.json", "training-command.txt", "training-log.jsonl", "training-summary.json", "vocab.json"] {
            #expect(FileManager.default.fileExists(atPath: configuration.output + "/" + file), "\(file)")
        }
    }

    /// A run of `steps` steps without interruption, in `folder/straight`.
    static func uninterruptedRun(steps: Int, in folder: TemporaryDirectory) throws -> (TrainingConfiguration, Trainer) {
        var configuration = try configuration(in: folder)
        configuration.maxSteps = steps
        let straight = try Trainer(configuration: configuration, runDirectory: folder.file("straight"), command: "test")
        try straight.run { _ in }
        return (configuration, straight)
    }

    static func expectSameParameters(_ straight: Trainer, _ resumed: Trainer) {
        for (a, b) in zip(straight.network.tensors(), resumed.network.tensors()) {
            #expect(a.values == b.values, "\(a.name) differs after resuming")
        }
    }

    @Test("stopping and resuming gives exactly the parameters of an uninterrupted run")
    func resumeIsExact() throws {
        let folder = try TemporaryDirectory()
        let (configuration, straight) = try Self.uninterruptedRun(steps: 24, in: folder)

        var firstHalf = configuration
        firstHalf.maxSteps = 11
        try Trainer(configuration: firstHalf, runDirectory: folder.file("resumed"), command: "test").run { _ in }
        let resumed = try Trainer(configuration: configuration, runDirectory: folder.file("resumed"), command: "test")
        #expect(resumed.state.step == 11)
        try resumed.run { _ in }
        #expect(resumed.state.step == 24)
        #expect(resumed.state.targetTokensSeen == straight.state.targetTokensSeen)
        Self.expectSameParameters(straight, resumed)
    }

    @Test("a resumed run takes another budget and bookkeeping, records them in the run folder, and still trains exactly")
    func resumeWithOtherBookkeeping() throws {
        let folder = try TemporaryDirectory()
        let (configuration, straight) = try Self.uninterruptedRun(steps: 16, in: folder)

        var firstPart = configuration
        firstPart.maxSteps = 7
        try Trainer(configuration: firstPart, runDirectory: folder.file("resumed"), command: "test").run { _ in }
        var rest = configuration
        rest.validateEvery = 5
        rest.checkpointEvery = 3
        rest.logEvery = 4
        rest.validationSentences = 3
        rest.exportHalfPrecision = false
        rest.output = folder.file("other-model")
        let resumed = try Trainer(configuration: rest, runDirectory: folder.file("resumed"), command: "test")
        #expect(resumed.state.step == 7)
        #expect(try TrainingConfiguration.load(path: folder.file("resumed/configuration.json")) == rest)
        try resumed.run { _ in }
        #expect(resumed.state.step == 16)
        Self.expectSameParameters(straight, resumed)

        var otherSeed = rest
        otherSeed.seed = 2
        otherSeed.maxSteps = 20
        let error = #expect(throws: TrainingError.self) { try Trainer(configuration: otherSeed, runDirectory: folder.file("resumed"), command: "test") }
        #expect(error?.localizedDescription.contains("(seed)") == true, "\(String(describing: error))")
        #expect(try TrainingConfiguration.load(path: folder.file("resumed/configuration.json")) == rest, "a refused run leaves the saved settings")
    }

    @Test("a stop request (Ctrl-C) checkpoints at once, and resuming from there is exact")
    func stopRequestCheckpoints() throws {
        let folder = try TemporaryDirectory()
        let (configuration, straight) = try Self.uninterruptedRun(steps: 12, in: folder)
        let interrupted = try Trainer(configuration: configuration, runDirectory: folder.file("interrupted"), command: "test")
        try interrupted.run(stopRequested: { interrupted.state.step >= 5 }) { _ in }
        #expect(interrupted.state.step == 5)
        let resumed = try Trainer(configuration: configuration, runDirectory: folder.file("interrupted"), command: "test")
        #expect(resumed.state.step == 5)
        try resumed.run { _ in }
        Self.expectSameParameters(straight, resumed)
    }

    @Test("snapshots keep the newest N, and their average is the element-wise mean, exported as a loadable model")
    func averagedSnapshots() throws {
        let folder = try TemporaryDirectory()
        var configuration = try Self.configuration(in: folder)
        configuration.maxSteps = 8
        configuration.exportHalfPrecision = false
        configuration.snapshots = SnapshotPolicy(every: 2, keep: 3)
        let trainer = try Trainer(configuration: configuration, runDirectory: folder.file("run"), command: "test")
        try trainer.run { _ in }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.file("run/snapshots")).sorted()
        #expect(names == ["step-0000004.safetensors", "step-0000006.safetensors", "step-0000008.safetensors"])
        let sixth = try SafeTensorsFile(path: folder.file("run/snapshots/step-0000006.safetensors"))
        let eighth = try SafeTensorsFile(path: folder.file("run/snapshots/step-0000008.safetensors"))
        for tensor in trainer.network.tensors() {
            #expect(try eighth.floats(tensor.name, shape: tensor.shape) == tensor.values, "the newest snapshot is the final \(tensor.name)")
        }

        let averaging = try Trainer(configuration: configuration, runDirectory: folder.file("run"), command: "test average")
        #expect(throws: TrainingError.self) { try averaging.exportAverage(last: 4, to: folder.file("too-many")) }
        let averaged = try averaging.exportAverage(last: 2, to: folder.file("averaged"))
        #expect(averaged.steps == [6, 8])
        let exported = try SafeTensorsFile(path: folder.file("averaged/model.safetensors"))
        for tensor in trainer.network.tensors() {
            let mean = try zip(sixth.floats(tensor.name, shape: tensor.shape), eighth.floats(tensor.name, shape: tensor.shape)).map { ($0 + $1) / 2 }
            let values = try exported.floats(tensor.name, shape: tensor.shape)
            #expect(zip(values, mean).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(tensor.name) is not the mean")
        }
        let model = try ModelDirectory.load(folder.file("averaged"))
        let pad = model.config.padTokenId
        #expect(model.weights.embedding.table.unpacked().row(pad).allSatisfy { $0 == 0 })
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("averaged/training-summary.json")))) as? [String: Any]
        #expect(summary?["averaged_steps"] as? [Int] == [6, 8])
    }

    @Test("when max_sentence_tokens leaves nothing to train on, the error names that key, not a flag tern train lacks")
    func noTrainingData() throws {
        let folder = try TemporaryDirectory()
        var configuration = try Self.configuration(in: folder)
        configuration.maxSentenceTokens = 1
        let error = #expect(throws: TrainingError.noTrainingData) {
            try Trainer(configuration: configuration, runDirectory: folder.file("run"), command: "test")
        }
        let message = error?.localizedDescription ?? ""
        #expect(message.contains("max_sentence_tokens") && !message.contains("--max-sentence-tokens"), "\(message)")
    }

    @Test("the committed models' training configurations load, bleu_tokenize as before", arguments: [
        ("en-de/encdec", "13a"), ("en-de-multi30k/encdec", "13a"), ("en-de-multi30k/prefix-lm", "13a"),
        ("en-de-multi30k/causal-lm", "13a"), ("en-zh/encdec", "zh"),
    ])
    func committedConfigurationsLoad(model: String, tokenization: String) throws {
        let path = PackagePaths.file("Models/\(model)/training-configuration.json")
        let configuration = try TrainingConfiguration.load(path: path)
        #expect(configuration.bleuTokenize.rawValue == tokenization)
        try configuration.validate()
        // Written back, it has the same keys, `bleu_tokenize` the same string, and reads back the same.
        let folder = try TemporaryDirectory()
        try configuration.write(to: folder.file("configuration.json"))
        let original = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let written = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("configuration.json")))) as? [String: Any])
        #expect(Set(written.keys) == Set(original.keys))
        #expect(written["bleu_tokenize"] as? String == tokenization)
        #expect(try TrainingConfiguration.load(path: folder.file("configuration.json")) == configuration)
    }

    @Test("an unknown bleu_tokenize is refused when the configuration loads, naming the key and the choices")
    func unknownTokenizationRefused() throws {
        let folder = try TemporaryDirectory()
        let text = try String(contentsOfFile: PackagePaths.file("Models/en-zh/encdec/training-configuration.json"), encoding: .utf8)
        try text.replacingOccurrences(of: "\"bleu_tokenize\" : \"zh\"", with: "\"bleu_tokenize\" : \"13b\"")
            .write(toFile: folder.file("configuration.json"), atomically: true, encoding: .utf8)
        let error = #expect(throws: TrainingError.self) { try TrainingConfiguration.load(path: folder.file("configuration.json")) }
        let message = error?.localizedDescription ?? ""
        #expect(message.contains("bleu_tokenize") && message.contains("'13b'") && message.contains("13a, zh, intl, none"), "\(message)")
    }

    @Test("a checkpoint from other settings is refused")
    func mismatchedResume() throws {
        let folder = try TemporaryDirectory()
        var configuration = try Self.configuration(in: folder)
        configuration.maxSteps = 2
        try Trainer(configuration: configuration, runDirectory: folder.file("run"), command: "test").run { _ in }
        configuration.width = 64
        #expect(throws: TrainingError.self) { try Trainer(configuration: configuration, runDirectory: folder.file("run"), command: "test") }
    }
}

@Suite struct BatchPlanTests {
    @Test("every pair appears once per epoch, within the token budget, in a seeded order")
    func plan() {
        var random = SplitMix64(seed: 4)
        let lengths = (0..<500).map { _ in (source: Int.random(in: 1...40, using: &random), target: Int.random(in: 1...40, using: &random)) }
        let plan = BatchPlan(lengths: lengths, maxTokens: 300, seed: 9)
        for epoch in 0..<2 {
            let batches = (0..<plan.batchesPerEpoch).map { plan.batch(at: epoch * plan.batchesPerEpoch + $0) }
            #expect(batches.allSatisfy { $0.epoch == epoch })
            #expect(batches.flatMap(\.pairs).sorted() == Array(0..<500))
            for batch in batches {
                let longest = batch.pairs.map { max(lengths[$0].source, lengths[$0].target) + 1 }.max()!
                #expect(batch.pairs.count * longest <= 300)
            }
        }
        let first = (0..<plan.batchesPerEpoch).map { plan.batch(at: $0).pairs }
        let second = (0..<plan.batchesPerEpoch).map { plan.batch(at: plan.batchesPerEpoch + $0).pairs }
        #expect(first != second, "epochs are shuffled differently")
        #expect(first == (0..<plan.batchesPerEpoch).map { BatchPlan(lengths: lengths, maxTokens: 300, seed: 9).batch(at: $0).pairs })
    }

    @Test("the inverse-square-root schedule warms up linearly, peaks, then decays as 1/√step")
    func schedule() {
        let schedule = LearningRateSchedule(peak: 1e-3, warmupSteps: 100)
        #expect(abs(schedule.rate(at: 50) - 5e-4) < 1e-9)
        #expect(abs(schedule.rate(at: 100) - 1e-3) < 1e-9)
        #expect(abs(schedule.rate(at: 400) - 5e-4) < 1e-9)
    }
}
