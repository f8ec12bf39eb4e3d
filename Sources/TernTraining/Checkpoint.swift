import Foundation
import TernIO
import TernModel

/// Where a run stands: enough, with the parameters and optimizer moments, to continue it
/// exactly. Stored as `checkpoint.json` beside `checkpoint.safetensors` in the run folder.
public struct TrainingState: Codable, Sendable, Equatable {
    public var step = 0
    public var targetTokensSeen = 0
    public var elapsedSeconds = 0.0
    public var bestBLEU: Double = -1
    public var bestStep = 0
    public var bestValidationLoss: Double = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case step
        case targetTokensSeen = "target_tokens_seen"
        case elapsedSeconds = "elapsed_seconds"
        case bestBLEU = "best_bleu"
        case bestStep = "best_step"
        case bestValidationLoss = "best_validation_loss"
    }
}

/// Saves and restores a run folder's checkpoint: `checkpoint.safetensors` holds the
/// parameters under their model names and Adam's moments under `optimizer.m.*` and
/// `optimizer.v.*`; `checkpoint.json` holds the `TrainingState`. Both are written to temporary
/// files and renamed into place, so a run killed mid-save keeps its previous checkpoint.
enum Checkpoint {
    static let weightsFile = "checkpoint.safetensors"
    static let stateFile = "checkpoint.json"

    static func exists(in runDirectory: String) -> Bool {
        FileManager.default.fileExists(atPath: path(runDirectory, stateFile))
    }

    static func save(network: TrainingNetwork, optimizer: AdamOptimizer, state: TrainingState, to runDirectory: String) throws {
        let parameters = network.parameters
        var tensors = parameters.tensors()
        for entry in parameters.entries {
            tensors.append((name: "optimizer.m." + entry.name, shape: entry.shape,
                            values: Array(UnsafeBufferPointer(start: optimizer.firstMoment + entry.offset, count: entry.count))))
            tensors.append((name: "optimizer.v." + entry.name, shape: entry.shape,
                            values: Array(UnsafeBufferPointer(start: optimizer.secondMoment + entry.offset, count: entry.count))))
        }
        try SafeTensorsWriter.write(tensors, dtype: .f32, to: path(runDirectory, weightsFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(state), to: path(runDirectory, stateFile))
    }

    /// Restores parameters and moments into `network` and `optimizer`; returns the state.
    /// - Throws: `TrainingError.checkpointMismatch` or `ModelError` when the files do not fit.
    static func restore(network: TrainingNetwork, optimizer: AdamOptimizer, from runDirectory: String) throws -> TrainingState {
        guard let data = FileManager.default.contents(atPath: path(runDirectory, stateFile)) else {
            throw TrainingError.missingFile(path(runDirectory, stateFile))
        }
        let state = try JSONDecoder().decode(TrainingState.self, from: data)
        let file = try SafeTensorsFile(path: path(runDirectory, weightsFile))
        let parameters = network.parameters
        var first = [Float](repeating: 0, count: parameters.count), second = first
        for entry in parameters.entries {
            let values = try file.floats(entry.name, shape: entry.shape)
            values.withUnsafeBufferPointer { (parameters.values + entry.offset).update(from: $0.baseAddress!, count: entry.count) }
            first.replaceSubrange(entry.offset..<(entry.offset + entry.count), with: try file.floats("optimizer.m." + entry.name, shape: entry.shape))
            second.replaceSubrange(entry.offset..<(entry.offset + entry.count), with: try file.floats("optimizer.v." + entry.name, shape: entry.shape))
        }
        optimizer.restore(first: first, second: second, steps: state.step)
        return state
    }

    static func path(_ directory: String, _ file: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(file).path
    }
}
