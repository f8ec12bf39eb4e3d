import Foundation
import TernDecoding

/// The search settings a Hugging Face model folder asks for: `num_beams` and `max_length`,
/// from `generation_config.json`, else from `config.json` (where OPUS-MT models keep them).
/// The command line and the server use them where a request names no beam or length limit.
public struct GenerationDefaults: Equatable, Sendable {
    public static let generationConfigFile = "generation_config.json"

    public var numBeams: Int?
    public var maxLength: Int?

    public init(numBeams: Int? = nil, maxLength: Int? = nil) {
        self.numBeams = numBeams
        self.maxLength = maxLength
    }

    /// The search settings of a request: each setting it gives wins, else this model's, else the
    /// library's (`DecodingOptions()`); the model's beam is capped at `maximumBeam`. The length
    /// limit relative to the source is always `RelativeLimit.default`.
    public func decodingOptions(beam: Int?, nBest: Int?, lengthPenalty: Float?, maxLength: Int?, minLength: Int?,
                                maximumBeam: Int) -> DecodingOptions {
        let library = DecodingOptions()
        return DecodingOptions(beamSize: beam ?? min(numBeams ?? library.beamSize, maximumBeam), nBest: nBest ?? library.nBest,
                               lengthPenalty: lengthPenalty ?? library.lengthPenalty,
                               maxLength: maxLength ?? self.maxLength ?? library.maxLength, minLength: minLength ?? library.minLength,
                               relativeMaxLength: .default)
    }

    /// The settings of the model in `directory`; none for a folder that names none.
    /// - Throws: `ModelError.invalidConfig` when one of the files is not a JSON object or a
    ///   value is not a positive integer.
    public static func load(directory: String) throws -> GenerationDefaults {
        var defaults = GenerationDefaults()
        for file in [generationConfigFile, ModelDirectory.configFile] {
            let path = ModelDirectory.path(directory, file)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ModelError.invalidConfig(path: path, reason: "it is not a JSON object")
            }
            func positive(_ key: String) throws -> Int? {
                guard let value = object[key], !(value is NSNull) else { return nil }
                guard let number = value as? Int, number >= 1 else {
                    throw ModelError.invalidConfig(path: path, reason: "\(key) must be a positive integer")
                }
                return number
            }
            defaults.numBeams = try defaults.numBeams ?? positive("num_beams")
            defaults.maxLength = try defaults.maxLength ?? positive("max_length")
        }
        return defaults
    }
}
