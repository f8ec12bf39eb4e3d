import TernEval
import TernModel
import TernTensor
import TernTranslate

/// A model taking part in a comparison.
public struct ComparedModel {
    public var mode: Architecture
    public var folder: String
    public var translator: Translator

    public init(mode: Architecture, folder: String, translator: Translator) {
        self.mode = mode
        self.folder = folder
        self.translator = translator
    }

    /// Loads each folder of `selection` as a `Translator`.
    /// - Parameters:
    ///   - targetLanguage: a multilingual Marian model's target language (`de` for `>>de<<`).
    ///   - computeType: how the weights are held (`ModelDirectory.load(_:computeType:)`).
    /// - Throws: `ModelError` or `TokenizerError` naming the folder's problem, `MarianVocabularyError`
    ///   for a target language that a folder lacks or needs, `ComputeTypeError`.
    public static func load(_ selection: ModelSelection, targetLanguage: String? = nil, computeType: ComputeType = .auto) throws -> [ComparedModel] {
        try selection.folders.map {
            ComparedModel(mode: $0.mode, folder: $0.folder,
                          translator: try Translator(modelDirectory: $0.folder, targetLanguage: targetLanguage, computeType: computeType))
        }
    }
}

/// How to compare: search settings, cache ablation and BLEU's tokenizer.
public struct ComparisonSettings: Sendable {
    /// Search and cache settings of the primary rows; batching settings are ignored (every
    /// line is translated alone).
    public var options: TranslationOptions
    /// Also run every mode with `.recompute` (no caches) and compare its tokens with the
    /// cached run's.
    public var cacheAblation: Bool
    public var tokenization: BLEUTokenization
    /// Translate the first line once, untimed, before measuring each row.
    public var warmUp: Bool

    public init(options: TranslationOptions = TranslationOptions(), cacheAblation: Bool = false,
                tokenization: BLEUTokenization = .thirteenA, warmUp: Bool = true) {
        self.options = options
        self.cacheAblation = cacheAblation
        self.tokenization = tokenization
        self.warmUp = warmUp
    }
}

/// Runs every compared model over the same lines, one line at a time, and summarizes.
public enum Comparison {
    /// Checks the input before any model runs.
    /// - Throws: `CompareError.noInput` or `.referenceLineCount`.
    public static func check(lines: [String], references: [String]?) throws {
        guard !lines.isEmpty else { throw CompareError.noInput }
        if let references, references.count != lines.count {
            throw CompareError.referenceLineCount(input: lines.count, reference: references.count)
        }
    }

    /// The rows: each model with `settings.options`, followed, with cache ablation, by the same
    /// model with `.recompute`.
    /// - Throws: `CompareError` for bad input; `DecodingError.invalidOptions`.
    public static func runRows(_ models: [ComparedModel], lines: [String], references: [String]?,
                               settings: ComparisonSettings) throws -> [(model: ComparedModel, run: ModeRun)] {
        try check(lines: lines, references: references)
        var rows: [(model: ComparedModel, run: ModeRun)] = []
        for model in models {
            let runner = ModeRunner(translator: model.translator)
            rows.append((model, try runner.run(lines, options: settings.options, warmUp: settings.warmUp)))
            if settings.cacheAblation, settings.options.cacheMode != .recompute {
                var options = settings.options
                options.cacheMode = .recompute
                rows.append((model, try runner.run(lines, options: options, warmUp: settings.warmUp)))
            }
        }
        return rows
    }
}
