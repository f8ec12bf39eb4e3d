import TernDecoding
import TernModel
import TernTranslate

/// `POST /v1/translate`: lines with Tern's own search settings; answers every alternative with
/// its score and the token counts.
///
/// Request: `{"lines": ["…"], "model": "en-de", "mode": "encdec", "target_language": "de", "beam": 5,
/// "n_best": 2, "length_penalty": 1, "max_length": 256, "stream": false}`; all but `lines` are
/// optional, `target_language` needed for a multilingual model.
/// With `"stream": true` the answer is server-sent events, one `line` event per line as soon
/// as it is translated, then `done`.
struct TernTranslateRequest: Decodable {
    let lines: [String]
    let model: String?
    let mode: String?
    /// A multilingual model's target (`fr` for `>>fr<<`); nil: the model's only one.
    let targetLanguage: String?
    let stream: Bool?
    let apiKey: String?
    let search: SearchSettings

    enum CodingKeys: String, CodingKey {
        case lines, model, mode, stream
        case targetLanguage = "target_language"
        case apiKey = "api_key"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lines = try container.decode([String].self, forKey: .lines)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        mode = try container.decodeIfPresent(String.self, forKey: .mode)
        targetLanguage = try container.decodeIfPresent(String.self, forKey: .targetLanguage)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        apiKey = try container.decodeIfPresent(String.self, forKey: .apiKey)
        search = try SearchSettings(from: decoder)
    }

    /// The architecture asked for, nil when the request names none.
    /// - Throws: `ServeError.badRequest` for an unknown mode.
    func architecture() throws -> Architecture? {
        guard let mode else { return nil }
        guard let architecture = Architecture(rawValue: mode) else {
            throw ServeError.badRequest("mode '\(mode)' is unknown: use \(Architecture.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return architecture
    }
}

/// The search settings of a request (`beam`, `n_best`, `length_penalty`, `max_length`), each
/// optional with `tern translate`'s default: the model's, else the library's.
struct SearchSettings: Decodable {
    let beam: Int?
    let nBest: Int?
    let lengthPenalty: Float?
    let maxLength: Int?

    enum CodingKeys: String, CodingKey {
        case beam
        case nBest = "n_best"
        case lengthPenalty = "length_penalty"
        case maxLength = "max_length"
    }

    /// No settings: every one is the model's or the library's.
    static let none = SearchSettings(beam: nil, nBest: nil, lengthPenalty: nil, maxLength: nil)

    /// The search settings, as `tern translate` builds them from the same flags for a model whose
    /// folder asks for `model`, with the batching of `batching`.
    /// - Throws: `ServeError.badRequest` naming the setting that is out of range.
    func options(limits: RequestLimits, batching: TranslationOptions, model: GenerationDefaults = GenerationDefaults()) throws -> TranslationOptions {
        if let beam, !(1...limits.maximumBeam).contains(beam) {
            throw ServeError.badRequest("beam must be between 1 and \(limits.maximumBeam) (--max-beam)")
        }
        var options = batching
        options.decoding = model.decodingOptions(beam: beam, nBest: nBest, lengthPenalty: lengthPenalty, maxLength: maxLength,
                                                 minLength: nil, maximumBeam: limits.maximumBeam)
        do {
            try options.decoding.validate()
        } catch let error as DecodingError {
            throw ServeError.badRequest(error.description)
        }
        guard options.decoding.maxLength >= 1 else { throw ServeError.badRequest("max_length must be at least 1") }
        return options
    }
}

/// The `lines` of a `/v1` request: at least one, each without line breaks, within the limits.
/// - Throws: `ServeError.badRequest` or `.tooLarge` saying what to change.
func checkRequestLines(_ lines: [String], limits: RequestLimits) throws {
    guard !lines.isEmpty else { throw ServeError.badRequest("lines is empty: send at least one line to translate") }
    if let index = lines.firstIndex(where: { $0.contains("\n") || $0.contains("\r") }) {
        throw ServeError.badRequest("lines[\(index)] holds a line break: send each line as its own entry of lines")
    }
    try limits.check(lines)
}

/// The answer to `POST /v1/translate`.
struct TernTranslateResponse: Encodable {
    let model: String
    let mode: String
    let translations: [LineTranslation]
}

/// One line's translation: the best text, every alternative asked for with its score, and the
/// source and target token counts.
struct LineTranslation: Encodable {
    struct Alternative: Encodable {
        let text: String
        let score: Float
    }

    let index: Int
    let text: String
    let alternatives: [Alternative]
    let sourceTokens: Int
    let targetTokens: Int

    enum CodingKeys: String, CodingKey {
        case index, text, alternatives
        case sourceTokens = "source_tokens"
        case targetTokens = "target_tokens"
    }

    init(index: Int, _ translation: Translation) {
        self.index = index
        text = translation.text
        alternatives = translation.alternatives.map { Alternative(text: $0.text, score: $0.score) }
        sourceTokens = translation.sourceTokens
        targetTokens = translation.targetTokens
    }
}
