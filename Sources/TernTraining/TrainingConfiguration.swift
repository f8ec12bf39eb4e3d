import Foundation
import TernEval
import TernIO
import TernJSON
import TernModel

/// Everything that defines a training run. Saved as `configuration.json` in the run folder
/// and beside the exported model, so a run can be repeated exactly.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    // Data.
    /// Vocabulary folder, shared by source and target.
    public var vocabulary: String
    public var trainSource: String
    public var trainTarget: String
    public var validSource: String
    public var validTarget: String
    /// Sentence pairs longer than this (in tokens, either side) are left out of training.
    public var maxSentenceTokens: Int = 100

    // Network.
    public var architecture: Architecture
    public var encoderLayers: Int = 4
    public var decoderLayers: Int = 4
    public var width: Int = 128
    public var heads: Int = 4
    public var feedForwardWidth: Int = 256
    public var maxPositions: Int = 256
    public var initDeviation: Float = 0.02

    // Optimization.
    /// Padded tokens per batch on the longer side.
    public var batchTokens: Int = 4096
    public var learningRate: Float = 1e-3
    public var warmupSteps: Int = 1000
    public var adamBeta1: Float = 0.9
    public var adamBeta2: Float = 0.98
    public var dropout: Float = 0.1
    public var labelSmoothing: Float = 0.1
    /// Global gradient-norm limit (0: none).
    public var clipNorm: Float = 1
    public var seed: UInt64 = 1

    // Budget and bookkeeping.
    /// Stop after this many updates.
    public var maxSteps: Int = 100_000
    /// Stop once this many target tokens have been trained on (0: no limit); equal budgets make
    /// architectures comparable.
    public var maxTargetTokens: Int = 0
    public var validateEvery: Int = 500
    public var checkpointEvery: Int = 250
    public var logEvery: Int = 50
    /// Validation sentences decoded for BLEU (0: all).
    public var validationSentences: Int = 0
    /// sacreBLEU tokenization for validation BLEU: 13a, zh, intl or none in JSON.
    public var bleuTokenize: BLEUTokenization = .thirteenA
    /// Folder the best model (by validation BLEU) is exported to.
    public var output: String
    /// Export weights as F16 (half the size on disk).
    public var exportHalfPrecision: Bool = true
    /// Parameter copies kept for checkpoint averaging (nil: none); they never change the training.
    public var snapshots: SnapshotPolicy?

    public init(vocabulary: String, trainSource: String, trainTarget: String, validSource: String, validTarget: String,
                architecture: Architecture = .encoderDecoder, output: String) {
        self.vocabulary = vocabulary
        self.trainSource = trainSource
        self.trainTarget = trainTarget
        self.validSource = validSource
        self.validTarget = validTarget
        self.architecture = architecture
        self.output = output
    }

    /// The model config this run trains, for a vocabulary of `vocabularySize` pieces.
    func modelConfig(vocabularySize: Int, separatorTokenId: Int) -> ModelConfig {
        ModelConfig(architecture: architecture, vocabularySize: vocabularySize, width: width, encoderLayers: encoderLayers,
                    decoderLayers: decoderLayers, heads: heads, feedForwardWidth: feedForwardWidth, maxPositions: maxPositions,
                    separatorTokenId: separatorTokenId)
    }

    /// Checks the settings.
    /// - Throws: `TrainingError.invalidConfiguration`.
    public func validate() throws {
        func require(_ condition: Bool, _ reason: String) throws {
            if !condition { throw TrainingError.invalidConfiguration(reason) }
        }
        try require(width > 0 && heads > 0 && width % heads == 0, "width must be a positive multiple of heads")
        try require(decoderLayers > 0 && feedForwardWidth > 0, "the decoder needs layers and a feed-forward width")
        try require(architecture != .encoderDecoder || encoderLayers > 0, "an encoder-decoder needs encoder layers")
        try require(batchTokens > 0 && learningRate > 0 && warmupSteps >= 0, "batch tokens and learning rate must be positive")
        try require((0..<1).contains(dropout) && (0..<1).contains(labelSmoothing), "dropout and label smoothing must be in [0, 1)")
        try require(maxSteps > 0 && validateEvery > 0 && checkpointEvery > 0 && logEvery > 0, "step counts must be positive")
        try require(maxPositions > 2 * maxSentenceTokens + 2, "max positions must exceed twice the longest sentence plus two")
        try require(snapshots.map { $0.every > 0 && $0.keep > 0 } ?? true, "snapshots need a positive interval and count")
    }

    /// Reads a configuration file (JSON, snake_case keys).
    public static func load(path: String) throws -> TrainingConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw TrainingError.missingFile(path) }
        do {
            return try SnakeCaseJSON.decode(TrainingConfiguration.self, from: data)
        } catch {
            throw TrainingError.invalidConfiguration("\(path): \(error.localizedDescription)")
        }
    }

    public func write(to path: String) throws {
        try AtomicFile.write(SnakeCaseJSON.encoder().encode(self), to: path)
    }
}

/// Errors from training.
public enum TrainingError: LocalizedError, Equatable {
    case invalidConfiguration(String)
    case missingFile(String)
    case noTrainingData
    case checkpointMismatch(String)

    public var errorDescription: String? {
        switch self {
        case let .invalidConfiguration(reason): return "invalid training configuration: \(reason)"
        case let .missingFile(path): return "'\(path)' is missing"
        case .noTrainingData:
            return "no sentence pair is left to train on; check the training files, and max_sentence_tokens "
                + "(pairs with more tokens on either side are left out; it is set in a --config file)"
        case let .checkpointMismatch(reason): return "the checkpoint does not fit this run: \(reason); start a new run folder"
        }
    }
}
