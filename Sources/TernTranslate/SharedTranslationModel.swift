import TernModel
import TernTensor
import TernTokenizer

/// A model and its vocabularies, loaded once and shared by translators on several threads.
///
/// `Translator` is not thread-safe but `Model` is immutable, so a multi-threaded job loads the
/// model once and gives each thread its own translator:
///
/// ```swift
/// let shared = try SharedTranslationModel.load(modelDirectory: "Models/en-de/encdec")
/// // on each worker thread:
/// let translator = try shared.makeTranslator()
/// ```
public struct SharedTranslationModel: Sendable {
    public let model: Model
    public let vocabularies: any TranslationVocabularies

    /// Loads a model folder exactly as `Translator(modelDirectory:targetLanguage:computeType:)` does, with the same checks.
    /// - Throws: `ModelError`, `TokenizerError` or `MarianVocabularyError` naming what is missing or wrong, `ComputeTypeError`.
    public static func load(modelDirectory: String, targetLanguage: String? = nil,
                            computeType: ComputeType = .auto) throws -> SharedTranslationModel {
        let translator = try Translator(modelDirectory: modelDirectory, targetLanguage: targetLanguage, computeType: computeType)
        return SharedTranslationModel(model: translator.model, vocabularies: translator.vocabularies)
    }

    /// A new translator over the shared model, for the calling thread only.
    public func makeTranslator() throws -> Translator {
        try Translator(model: model, vocabularies: vocabularies)
    }
}
