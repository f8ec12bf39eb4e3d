import ArgumentParser
import TernDecoding
import TernModel
import TernTensor
import TernTranslate

/// `--model` and `--mode`: which model translates.
struct ModelOptions: ParsableArguments {
    @Option(help: "A model name such as en-de (looked up in Models/NAME/MODE) or a model folder.")
    var model: String = ModelLocator.defaultModel

    @Option(help: "Architecture to use for a named model: encdec, prefix-lm or causal-lm.")
    var mode: Architecture = .encoderDecoder

    /// `--target-language`'s help, for every command that takes it.
    static let targetLanguageHelp = ArgumentHelp("A multilingual model's target language: de starts every sentence with the model's >>de<< "
                                                 + "token (a line that starts with a code of its own, >>fr<< ..., keeps that one).")

    @Option(help: Self.targetLanguageHelp)
    var targetLanguage: String?

    @OptionGroup var compute: ComputeTypeOption

    /// The folder of the chosen model.
    func directory() throws -> String {
        try ModelLocator.resolve(model, mode: mode)
    }

    /// Loads the translator for the chosen model.
    func makeTranslator() throws -> Translator {
        try Translator(modelDirectory: directory(), targetLanguage: targetLanguage, computeType: compute.computeType)
    }

    /// The search settings the chosen model's folder asks for (`GenerationDefaults`).
    func generationDefaults() throws -> GenerationDefaults {
        try GenerationDefaults.load(directory: directory())
    }
}

/// `--compute-type`: how the weights of the models a command loads are held.
struct ComputeTypeOption: ParsableArguments {
    static let help = ArgumentHelp("How model weights are held: auto (as the file stores them), float32, or int8 "
                                   + "(per-row int8 weights, activations quantized per row; faster, slightly less exact).")

    @Option(help: Self.help) var computeType: ComputeType = .auto
}

extension ComputeType: ExpressibleByArgument {}

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

    /// The library's defaults, which the flags start from where the model's config gives no beam or length.
    static let defaults = DecodingOptions()

    @Option(help: "Beam size (1: greedy search; at most \(maximumBeam)). Default: the model's num_beams, else \(defaults.beamSize).")
    var beam: Int?
    @Option(help: "Translations to print per line, at most the beam. Default: \(defaults.nBest).") var nBest: Int?
    @Option(help: "Most target tokens per sentence (and at most \(relativeLimitText)). Default: the model's max_length, else \(defaults.maxLength).")
    var maxLength: Int?
    @Option(help: "Fewest target tokens per sentence: </s> is not allowed before them (with --max-length N, --min-length N makes every output exactly N tokens long, as benchmarks need).")
    var minLength = defaults.minLength
    @Option(help: "Length penalty α: scores are log P / length^α. Default: \(defaults.lengthPenalty).") var lengthPenalty: Float?
    @Flag(help: "Recompute all keys and values at every step instead of caching them (the slow baseline).") var noCache = false

    func validate() throws {
        if let beam { guard (1...Self.maximumBeam).contains(beam) else { throw ValidationError("--beam must be between 1 and \(Self.maximumBeam).") } }
        if let nBest { guard nBest >= 1 && nBest <= (beam ?? Self.maximumBeam) else { throw ValidationError("--n-best must be between 1 and --beam.") } }
        guard (maxLength ?? Self.defaults.maxLength) >= 1 else { throw ValidationError("--max-length must be at least 1.") }
        guard minLength >= 0 else { throw ValidationError("--min-length must not be negative.") }
        if let maxLength, minLength > maxLength {
            throw ValidationError("--min-length (\(minLength)) must not exceed --max-length (\(maxLength)).")
        }
        guard lengthPenalty?.isFinite ?? true else { throw ValidationError("--length-penalty must be a finite number.") }
    }

    /// The options, with the settings the flags give, else the model's (a Hugging Face folder's
    /// `num_beams` and `max_length`), else the defaults (`GenerationDefaults.decodingOptions`).
    /// - Throws: `ValidationError` when `--n-best` exceeds the model's beam (no `--beam` given).
    func options(model: GenerationDefaults = GenerationDefaults()) throws -> TranslationOptions {
        let decoding = model.decodingOptions(beam: beam, nBest: nBest, lengthPenalty: lengthPenalty, maxLength: maxLength,
                                             minLength: minLength, maximumBeam: Self.maximumBeam)
        guard decoding.nBest <= decoding.beamSize else {
            throw ValidationError("--n-best (\(decoding.nBest)) must not exceed the model's beam (\(decoding.beamSize)): give --beam too.")
        }
        return TranslationOptions(decoding: decoding, cacheMode: noCache ? .recompute : .cached)
    }
}
