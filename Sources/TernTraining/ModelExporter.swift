import Foundation
import TernIO
import TernJSON
import TernModel
import TernTokenizer

/// Writes a trained network as a model folder that `tern translate`, Hugging Face transformers
/// (encoder-decoder) and CTranslate2's converter read: `config.json`, `model.safetensors`,
/// `vocab.json`, plus how it was made: `training-configuration.json`, `training-command.txt`,
/// `training-log.jsonl` and `training-summary.json`.
enum ModelExporter {
    struct Summary: Codable {
        var step: Int
        var validationBLEU: Double
        var validationLoss: Double
        var parameters: Int
        var targetTokensSeen: Int
        var trainingSeconds: Double
        /// The snapshot steps whose mean this model is, when it is an average.
        var averagedSteps: [Int]?
    }

    static func export(network: TrainingNetwork, configuration: TrainingConfiguration, to outputPath: String,
                       vocabulary: SubwordVocabulary, command: String, logPath: String, summary: Summary) throws {
        let output = URL(fileURLWithPath: outputPath).standardized
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var config = network.config
        config.ternVocabulary = relativePath(from: output, to: URL(fileURLWithPath: configuration.vocabulary).standardized)
        let encoder = SnakeCaseJSON.encoder()
        try AtomicFile.write(encoder.encode(config), to: output.appendingPathComponent(ModelDirectory.configFile).path)
        try SafeTensorsWriter.write(network.tensors(), dtype: configuration.exportHalfPrecision ? .f16 : .f32,
                                    to: output.appendingPathComponent(ModelDirectory.weightsFile).path)
        let pieceIDs = Dictionary(uniqueKeysWithValues: vocabulary.pieces.enumerated().map { ($1, $0) })
        try AtomicFile.write(encoder.encode(pieceIDs), to: output.appendingPathComponent(ModelDirectory.vocabularyFile).path)
        try configuration.write(to: output.appendingPathComponent("training-configuration.json").path)
        try AtomicFile.write(Data((command + "\n").utf8), to: output.appendingPathComponent("training-command.txt").path)
        try AtomicFile.write(encoder.encode(summary), to: output.appendingPathComponent("training-summary.json").path)
        let log = output.appendingPathComponent("training-log.jsonl")
        try? FileManager.default.removeItem(at: log)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: logPath), to: log)
    }

    /// `to` relative to the folder `from`, for example `../../../Vocab/multi30k-en-de`.
    static func relativePath(from: URL, to: URL) -> String {
        let base = from.pathComponents, target = to.pathComponents
        var common = 0
        while common < min(base.count, target.count), base[common] == target[common] { common += 1 }
        let ups = [String](repeating: "..", count: base.count - common)
        let path = (ups + target[common...]).joined(separator: "/")
        return path.isEmpty ? "." : path
    }
}
