import Foundation
import TernModel
import TernTokenizer

/// Finds the vocabularies of a model folder, in either of the two layouts Tern reads:
///
/// - a Hugging Face Marian folder (OPUS-MT): `source.spm`, `target.spm` and `vocab.json`
///   (`MarianVocabularies`);
/// - a Tern model: the subword vocabulary its `config.json` names in `tern_vocabulary`, checked
///   against the folder's `vocab.json`.
public enum ModelVocabularies {
    /// The vocabularies of the model in `directory`, whose config is `config`.
    /// - Parameter targetLanguage: a multilingual Marian model's target language (`de` for `>>de<<`).
    /// - Throws: `ModelError` or `TokenizerError` naming what is missing or wrong, and
    ///   `MarianVocabularyError` for a target language the model lacks or needs.
    public static func load(modelDirectory directory: String, config: ModelConfig, targetLanguage: String? = nil) throws
        -> any TranslationVocabularies {
        if FileManager.default.fileExists(atPath: URL(fileURLWithPath: directory).appendingPathComponent(MarianVocabularies.sourceModelFile).path) {
            return try MarianVocabularies.load(modelDirectory: directory, targetLanguage: targetLanguage)
        }
        if let targetLanguage {
            throw MarianVocabularyError.noLanguageTokens(directory: directory, requested: targetLanguage)
        }
        return try subwordVocabularies(modelDirectory: directory, config: config)
    }

    /// The target languages a multilingual Marian folder chooses between (`de` for its `>>de<<`
    /// token), sorted; empty for a model of one target language. Reads only `vocab.json`.
    /// - Throws: `ModelError` for a missing or malformed `vocab.json` in a Marian folder.
    public static func targetLanguageCodes(modelDirectory directory: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: URL(fileURLWithPath: directory).appendingPathComponent(MarianVocabularies.sourceModelFile).path) else {
            return []
        }
        return MarianVocabularies.languageTokens(among: try ModelDirectory.pieceIDs(directory).keys).map(MarianVocabularies.languageCode(of:))
    }

    /// The Tern vocabulary named in `tern_vocabulary`, checked piece by piece against `vocab.json`.
    static func subwordVocabularies(modelDirectory directory: String, config: ModelConfig) throws -> SubwordVocabularies {
        guard let reference = config.ternVocabulary else {
            throw ModelError.invalidConfig(path: directory + "/config.json",
                                           reason: "tern_vocabulary does not name the model's vocabulary folder, and there is no source.spm")
        }
        let vocabularyPath = reference.hasPrefix("/") ? reference
            : URL(fileURLWithPath: directory).absoluteURL.appendingPathComponent(reference).standardized.path
        let vocabulary = try VocabularyStore.load(from: vocabularyPath)
        let pieceIDs = try ModelDirectory.pieceIDs(directory)
        if let mismatch = vocabulary.pieces.enumerated().first(where: { pieceIDs[$1] != $0 }) {
            throw ModelError.vocabularyMismatch(reason: "vocab.json gives '\(mismatch.element)' id \(pieceIDs[mismatch.element].map(String.init) ?? "none"), \(vocabularyPath) gives \(mismatch.offset)")
        }
        return SubwordVocabularies(source: vocabulary, target: vocabulary)
    }
}
