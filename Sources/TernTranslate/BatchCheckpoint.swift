import Foundation
import TernDecoding
import TernIO
import TernModel
import TernTensor

/// The record in `OUTPUT.partial.progress`: which run the `.partial` output belongs to and how
/// far it got. `--resume` continues only a run whose `Run` is identical.
struct BatchCheckpoint: Codable, Equatable {
    /// Everything that decides the output's lines. The input and the model are recognized by
    /// path, size and modification time.
    struct Run: Codable, Equatable {
        var input: String
        var inputBytes: UInt64
        var inputModified: Double
        var shard: String
        var shardMode: ShardSpec.Mode
        /// Lines in the shard, so in a complete output.
        var shardLines: Int
        var model: String
        var modelModified: Double
        /// A multilingual model's target language.
        var targetLanguage: String?
        /// `--compute-type`, nil (shown as "none") for `auto`, so progress files written before the option still match.
        var computeType: String?
        var beamSize: Int
        var lengthPenalty: Float
        var maxLength: Int
        var minLength: Int
        var relativeMaxLength: String?

        init(input: String, shard: ShardSpec, shardLines: Int, modelDirectory: String, targetLanguage: String?,
             computeType: ComputeType = .auto, decoding: DecodingOptions) throws {
            let inputFile = try FileManager.default.attributesOfItem(atPath: input)
            let weights = ModelDirectory.weightsPath(modelDirectory)
            self.input = Self.absolute(input)
            inputBytes = (inputFile[.size] as? NSNumber)?.uint64Value ?? 0
            inputModified = (inputFile[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            self.shard = "\(shard.index)/\(shard.count)"
            shardMode = shard.mode
            self.shardLines = shardLines
            model = Self.absolute(modelDirectory)
            modelModified = ((try? FileManager.default.attributesOfItem(atPath: weights))?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            self.targetLanguage = targetLanguage
            self.computeType = computeType == .auto ? nil : computeType.rawValue
            beamSize = decoding.beamSize
            lengthPenalty = decoding.lengthPenalty
            maxLength = decoding.maxLength
            minLength = decoding.minLength
            relativeMaxLength = decoding.relativeMaxLength.map { "\($0.factor) × source length + \($0.offset)" }
        }

        /// `field: recorded → now` for each field that differs from `current`.
        func differences(from current: Run) -> [String] {
            zip(Mirror(reflecting: self).children, Mirror(reflecting: current).children).compactMap { recorded, now in
                let (old, new) = (Self.text(recorded.value), Self.text(now.value))
                return old == new ? nil : "\(recorded.label ?? "?"): \(old) → \(new)"
            }
        }

        private static func text(_ value: Any) -> String {
            switch value {
            case let mode as ShardSpec.Mode: mode.rawValue
            case let optional as String?: optional ?? "none"
            default: "\(value)"
            }
        }

        private static func absolute(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.path
        }
    }

    var run: Run
    /// Output lines finished, and the bytes they take at the start of the `.partial` file.
    var linesDone: Int
    var partialBytes: UInt64

    static func load(from path: String) throws -> BatchCheckpoint {
        guard let data = FileManager.default.contents(atPath: path),
              let checkpoint = try? JSONDecoder().decode(BatchCheckpoint.self, from: data),
              (0...checkpoint.run.shardLines).contains(checkpoint.linesDone)
        else {
            throw BatchError.cannotResume(progressFile: path, reason: "it is unreadable or not a progress file of tern batch")
        }
        return checkpoint
    }

    /// Replaces the file at `path` in one step, so a reader never sees half a record.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(self), to: path)
    }
}
