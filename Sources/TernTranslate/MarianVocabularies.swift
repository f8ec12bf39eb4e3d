import Foundation
import TernModel
import TernSentencePiece

/// The text side of a Hugging Face Marian folder (what `MarianTokenizer.save_pretrained`
/// writes, as OPUS-MT publishes it): `source.spm` and `target.spm`, SentencePiece models that
/// cut text into pieces, and `vocab.json`, which numbers the pieces of both for the model
/// (`</s>` 0, `<unk>` 1, `<pad>` last). The SentencePiece models' own ids are not used. A folder
/// whose `tokenizer_config.json` says `separate_vocabs` numbers the target pieces in
/// `target_vocab.json` instead, for a model with separate embeddings.
///
/// A multilingual model's vocabulary holds target-language tokens `>>xx<<`; every source
/// sentence then starts with the chosen one (`sourcePrefix`). A line may also carry its own code,
/// typed at its very start as transformers' `MarianTokenizer` reads it (`TypedLanguageCode`):
/// that code, and not the chosen one, then starts each of the line's sentences
/// (`sourcePrefix(of:)`), so one input can ask for several languages.
///
/// ```swift
/// let vocabularies = try MarianVocabularies.load(modelDirectory: "opus-mt-en-ROMANCE", targetLanguage: "fr")
/// let (source, target) = try vocabularies.makeTokenizers()
/// ```
public struct MarianVocabularies: TranslationVocabularies {
    public static let sourceModelFile = "source.spm"
    public static let targetModelFile = "target.spm"
    /// The target vocabulary of a folder with separate vocabularies (`separate_vocabs`).
    public static let targetVocabularyFile = "target_vocab.json"
    /// Where `MarianTokenizer.save_pretrained` records `separate_vocabs`.
    public static let tokenizerConfigFile = "tokenizer_config.json"

    public let source: SentencePieceModel
    public let target: SentencePieceModel
    /// `vocab.json`: the ids of source pieces.
    public let sourcePieces: MarianPieceTable
    /// The ids of target pieces: `target_vocab.json`'s with separate vocabularies, else `sourcePieces`.
    public let targetPieces: MarianPieceTable
    /// The target-language tokens of the vocabulary (`>>de<<`, …), sorted.
    public let languageTokens: [String]
    public let sourcePrefix: [Int32]

    /// Reads the folder's tokenizer files.
    /// - Parameter targetLanguage: the target language (`de` for `>>de<<`, or `>>de<<` itself);
    ///   required exactly when the vocabulary has such tokens.
    /// - Throws: `ModelError` for a missing or malformed file, `SentencePieceError` for a
    ///   damaged `.spm`, `MarianVocabularyError` for a target language that is missing, unknown
    ///   or not needed.
    public static func load(modelDirectory directory: String, targetLanguage: String?) throws -> MarianVocabularies {
        func file(_ name: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(name).path }
        let sourcePath = file(sourceModelFile), targetPath = file(targetModelFile)
        for path in [sourcePath, targetPath] where !FileManager.default.fileExists(atPath: path) {
            throw ModelError.missingFile(path: path)
        }
        let sourcePieces = try MarianPieceTable(pieceIDs: try ModelDirectory.pieceIDs(directory), path: file(ModelDirectory.vocabularyFile))
        var targetPieces = sourcePieces
        if try separateVocabularies(tokenizerConfigPath: file(tokenizerConfigFile)) {
            targetPieces = try MarianPieceTable(pieceIDs: try ModelDirectory.pieceIDs(directory, file: targetVocabularyFile),
                                                path: file(targetVocabularyFile))
        }
        return try MarianVocabularies(source: try SentencePieceModel(contentsOf: URL(fileURLWithPath: sourcePath)),
                                      target: try SentencePieceModel(contentsOf: URL(fileURLWithPath: targetPath)),
                                      sourcePieces: sourcePieces, targetPieces: targetPieces, targetLanguage: targetLanguage)
    }

    /// Whether `tokenizer_config.json` sets `separate_vocabs` (absent file or key: no, as in transformers).
    /// - Throws: `ModelError.invalidConfig` for a file that is not a JSON object, or a key that is not a boolean.
    private static func separateVocabularies(tokenizerConfigPath path: String) throws -> Bool {
        struct TokenizerConfig: Decodable {
            var separateVocabs: Bool?
            enum CodingKeys: String, CodingKey { case separateVocabs = "separate_vocabs" }
        }
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        do {
            return try JSONDecoder().decode(TokenizerConfig.self, from: data).separateVocabs ?? false
        } catch {
            throw ModelError.invalidConfig(path: path, reason: "it is not a JSON object whose separate_vocabs is true or false")
        }
    }

    /// - Parameters:
    ///   - sourcePieces: the source side's numbering (`vocab.json`).
    ///   - targetPieces: the target side's: the same table, or `target_vocab.json`'s.
    /// - Throws: `MarianVocabularyError` for the target language.
    public init(source: SentencePieceModel, target: SentencePieceModel, sourcePieces: MarianPieceTable, targetPieces: MarianPieceTable,
                targetLanguage: String?) throws {
        self.source = source
        self.target = target
        self.sourcePieces = sourcePieces
        self.targetPieces = targetPieces
        languageTokens = Self.languageTokens(among: sourcePieces.pieceIDs.keys)
        sourcePrefix = try Self.languagePrefix(targetLanguage, tokens: languageTokens, pieces: sourcePieces)
    }

    /// The ids that start every sentence of `line`, and the text left to translate. A line that
    /// starts with a code (`TypedLanguageCode`) gives that code's id, or `<unk>`'s when the
    /// vocabulary lacks it, as `MarianTokenizer` does, whatever the target language chosen at
    /// loading; any other line gives `sourcePrefix` and the whole line.
    public func sourcePrefix(of line: String) -> (ids: [Int32], text: Substring) {
        guard let (code, rest) = TypedLanguageCode.split(line) else { return (sourcePrefix, line[...]) }
        return ([sourcePieces.id(of: String(code))], rest)
    }

    public func unknownLanguageCode(in line: String) -> String? {
        guard let (code, _) = TypedLanguageCode.split(line), sourcePieces.pieceIDs[String(code)] == nil else { return nil }
        return String(code)
    }

    /// The target-language tokens (`>>de<<`) among `pieces`, sorted.
    static func languageTokens(among pieces: some Sequence<String>) -> [String] {
        pieces.filter { $0.hasPrefix(">>") && $0.hasSuffix("<<") && $0.count > 4 }.sorted()
    }

    /// The code of a target-language token: `de` for `>>de<<`.
    static func languageCode(of token: String) -> String { String(token.dropFirst(2).dropLast(2)) }

    /// The `>>xx<<` id that starts every source sentence: none for a model without such tokens.
    private static func languagePrefix(_ language: String?, tokens: [String], pieces: MarianPieceTable) throws -> [Int32] {
        let codes = tokens.map(languageCode(of:))
        guard let language else {
            guard tokens.isEmpty else { throw MarianVocabularyError.targetLanguageNeeded(codes: codes) }
            return []
        }
        let token = language.hasPrefix(">>") ? language : ">>\(language)<<"
        guard !tokens.isEmpty else { throw MarianVocabularyError.noLanguageTokens(directory: nil, requested: language) }
        guard tokens.contains(token), let id = pieces.pieceIDs[token] else {
            throw MarianVocabularyError.unknownTargetLanguage(requested: language, codes: codes)
        }
        return [id]
    }

    public func makeTokenizers() throws -> (source: any TranslationTokenizer, target: any TranslationTokenizer) {
        (MarianTokenizer(model: source, pieces: sourcePieces), MarianTokenizer(model: target, pieces: targetPieces))
    }

    public func check(against config: ModelConfig) throws {
        let separate = sourcePieces != targetPieces
        guard sourcePieces.pieces.count == config.vocabSize else {
            throw ModelError.vocabularyMismatch(reason: "vocab.json has \(sourcePieces.pieces.count) pieces but config.json's vocab_size is \(config.vocabSize)")
        }
        guard targetPieces.pieces.count == config.targetVocabSize else {
            let file = separate ? Self.targetVocabularyFile : ModelDirectory.vocabularyFile
            throw ModelError.vocabularyMismatch(reason: "\(file) has \(targetPieces.pieces.count) pieces but the model's decoder has "
                                                + "\(config.targetVocabSize) (config.json's decoder_vocab_size)")
        }
        guard sourcePieces.endOfSentenceID == Int32(config.eosTokenId), targetPieces.endOfSentenceID == Int32(config.eosTokenId),
              targetPieces.paddingID == Int32(config.padTokenId) else {
            throw ModelError.vocabularyMismatch(reason: "config.json's eos_token_id \(config.eosTokenId) and pad_token_id \(config.padTokenId) "
                                                + "are not the ids of </s> and <pad> in \(separate ? Self.targetVocabularyFile : "vocab.json")")
        }
    }
}

/// A Marian folder's target language does not fit the request.
public enum MarianVocabularyError: LocalizedError, Equatable {
    case targetLanguageNeeded(codes: [String])
    case unknownTargetLanguage(requested: String, codes: [String])
    case noLanguageTokens(directory: String?, requested: String)

    public var errorDescription: String? {
        switch self {
        case let .targetLanguageNeeded(codes):
            return "this model translates into several languages; choose one with --target-language (one of: \(codes.joined(separator: ", ")))"
        case let .unknownTargetLanguage(requested, codes):
            return "the model has no target language '\(requested)'; --target-language takes one of: \(codes.joined(separator: ", "))"
        case let .noLanguageTokens(directory, requested):
            return "the model\(directory.map { " '\($0)'" } ?? "") translates into one language only, so --target-language \(requested) "
                + "does not apply; leave it out"
        }
    }
}
