import ArgumentParser
import TernDecoding
import TernModel
import TernTranslate

/// `--model` and `--mode`: which model translates.
struct ModelOptions: ParsableArguments {
    @Option(help: "A model name such as en-de (looked up in Models/NAME/MODE) or a model folder.")
    var model: String = ModelLocator.defaultModel

    @Option(help: "Architecture to use for a named model: encdec, prefix-lm or causal-lm.")
    var mode: Architecture = .encoderDecoder

    @Option(help: "A multilingual model's target language: de starts every sentence with the model's >>de<< token.")
    var targetLanguage: String?

    /// The folder of the chosen model.
    func directory() throws -> String {
        try ModelLocator.resolve(model, mode: mode)
    }

    /// Loads the translator for the chosen model.
    func makeTranslator() throws -> Translator {
        try Translator(modelDirectory: directory(), targetLanguage: targetLanguage)
    }
}

/// Search settings shared by every command that translates.
struct DecodingFlags: ParsableArguments {
    /// The largest beam accepted: wider beams cost memory and time for no gain in quality.
    static let maximumBeam = 128
    /// The limit relative to the source length, applied beside `--max-length`.
    static let relativeLimit = DecodingOptions.RelativeLimit.default
    private static var relativeLimitText: String {
        let factor = relativeLimit.factor
        return "\(factor == factor.rounded() ? String(Int(factor)) : String(factor)) × source tokens + \(relativeLimit.offset)"
    }

    @Option(help: "Beam size (1: greedy search; at most \(maximumBeam)).") var beam = 1
    @Option(help: "Translations to print per line, at most the beam size.") var nBest = 1
    @Option(help: "Most target tokens per sentence (and at most \(relativeLimitText)).") var maxLength = 256
    @Option(help: "Length penalty α: scores are log P / length^α.") var lengthPenalty: Float = 1
    @Flag(help: "Recompute all keys and values at every step instead of caching them (the slow baseline).") var noCache = false

    func validate() throws {
        guard (1...Self.maximumBeam).contains(beam) else { throw ValidationError("--beam must be between 1 and \(Self.maximumBeam).") }
        guard (1...beam).contains(nBest) else { throw ValidationError("--n-best must be between 1 and --beam.") }
        guard maxLength >= 1 else { throw ValidationError("--max-length must be at least 1.") }
        guard lengthPenalty.isFinite else { throw ValidationError("--length-penalty must be a finite number.") }
    }

    var options: TranslationOptions {
        TranslationOptions(decoding: DecodingOptions(beamSize: beam, nBest: nBest, lengthPenalty: lengthPenalty, maxLength: maxLength,
                                                     relativeMaxLength: Self.relativeLimit),
                           cacheMode: noCache ? .recompute : .cached)
    }
}
