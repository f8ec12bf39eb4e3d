import Foundation
import TernModel
import TernSentencePiece

/// The text side of a Hugging Face Marian folder (what `MarianTokenizer.save_pretrained`
/// writes, as OPUS-MT publishes it): `source.spm` and `target.spm`, SentencePiece models that
/// cut text into pieces, and `vocab.json`, which numbers the pieces of both for the model
/// (`</s>` 0, `<unk>` 1, `<pad>` last). The SentencePiece models' own ids are not used.
///
/// A multilingual model's vocabulary holds target-language tokens `>>xx<<`; every source
/// sentence then starts with the chosen one (`sourcePrefix`).
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

    public let source: SentencePieceModel
    public let target: SentencePieceModel
    /// The model id of each piece.
    public let pieceIDs: [String: Int32]
    /// The piece of each model id, `[V]`.
    public let pieces: [String]
    public let unknownID: Int32
    /// Ids that decoding drops, as `MarianTokenizer.decode(skip_special_tokens=True)` does:
    /// `</s>`, `<unk>` and `<pad>`.
    public let specialIDs: Set<Int32>
    /// The target-language tokens of the vocabulary (`>>de<<`, …), sorted.
    public let languageTokens: [String]
    public let sourcePrefix: [Int32]

    /// Reads the folder's tokenizer files.
    /// - Parameter targetLanguage: the target language (`de` for `>>de<<`, or `>>de<<` itself);
    ///   required exactly when the vocabulary has such tokens.
    /// - Throws: `ModelError` for a missing or malformed file, `SentencePieceError` for a
    ///   damaged `.spm`, `MarianVocabularyError` for separate vocabularies or a target language
    ///   that is missing, unknown or not needed.
    public static func load(modelDirectory directory: String, targetLanguage: String?) throws -> MarianVocabularies {
        func file(_ name: String) -> URL { URL(fileURLWithPath: directory).appendingPathComponent(name) }
        if FileManager.default.fileExists(atPath: file(targetVocabularyFile).path) {
            throw MarianVocabularyError.separateVocabularies(directory: directory)
        }
        let sourcePath = file(sourceModelFile).path, targetPath = file(targetModelFile).path
        for path in [sourcePath, targetPath] where !FileManager.default.fileExists(atPath: path) {
            throw ModelError.missingFile(path: path)
        }
        let pieceIDs = try ModelDirectory.pieceIDs(directory)
        return try MarianVocabularies(source: try SentencePieceModel(contentsOf: URL(fileURLWithPath: sourcePath)),
                                      target: try SentencePieceModel(contentsOf: URL(fileURLWithPath: targetPath)),
                                      pieceIDs: pieceIDs, vocabularyPath: file(ModelDirectory.vocabularyFile).path,
                                      targetLanguage: targetLanguage)
    }

    /// - Parameters:
    ///   - pieceIDs: `vocab.json`: piece → model id, ids `0..<V` each used once.
    ///   - vocabularyPath: where `pieceIDs` came from, for errors.
    /// - Throws: `ModelError.invalidConfig` when ids are not `0..<V` or `</s>`, `<unk>` or `<pad>`
    ///   is missing; `MarianVocabularyError` for the target language.
    public init(source: SentencePieceModel, target: SentencePieceModel, pieceIDs: [String: Int], vocabularyPath: String,
                targetLanguage: String?) throws {
        func invalid(_ reason: String) -> ModelError { .invalidConfig(path: vocabularyPath, reason: reason) }
        var pieces = [String?](repeating: nil, count: pieceIDs.count)
        for (piece, id) in pieceIDs {
            guard pieces.indices.contains(id), pieces[id] == nil else {
                throw invalid("ids must number the \(pieceIDs.count) pieces 0 to \(pieceIDs.count - 1), once each; '\(piece)' has \(id)")
            }
            pieces[id] = piece
        }
        let special = try ["</s>", "<unk>", "<pad>"].map { piece in
            guard let id = pieceIDs[piece] else { throw invalid("it has no '\(piece)'") }
            return Int32(id)
        }
        self.source = source
        self.target = target
        self.pieceIDs = pieceIDs.mapValues(Int32.init)
        self.pieces = pieces.map { $0! }
        unknownID = special[1]
        specialIDs = Set(special)
        languageTokens = pieceIDs.keys.filter { $0.hasPrefix(">>") && $0.hasSuffix("<<") && $0.count > 4 }.sorted()
        sourcePrefix = try Self.languagePrefix(targetLanguage, tokens: languageTokens, pieceIDs: pieceIDs)
    }

    /// The `>>xx<<` id that starts every source sentence: none for a model without such tokens.
    private static func languagePrefix(_ language: String?, tokens: [String], pieceIDs: [String: Int]) throws -> [Int32] {
        let codes = tokens.map { String($0.dropFirst(2).dropLast(2)) }
        guard let language else {
            guard tokens.isEmpty else { throw MarianVocabularyError.targetLanguageNeeded(codes: codes) }
            return []
        }
        let token = language.hasPrefix(">>") ? language : ">>\(language)<<"
        guard !tokens.isEmpty else { throw MarianVocabularyError.noLanguageTokens(directory: nil, requested: language) }
        guard tokens.contains(token), let id = pieceIDs[token] else {
            throw MarianVocabularyError.unknownTargetLanguage(requested: language, codes: codes)
        }
        return [Int32(id)]
    }

    public func makeTokenizers() throws -> (source: any TranslationTokenizer, target: any TranslationTokenizer) {
        (MarianTokenizer(model: source, vocabularies: self), MarianTokenizer(model: target, vocabularies: self))
    }

    public func check(against config: ModelConfig) throws {
        guard pieces.count == config.vocabSize else {
            throw ModelError.vocabularyMismatch(reason: "vocab.json has \(pieces.count) pieces but config.json's vocab_size is \(config.vocabSize)")
        }
        guard pieceIDs["</s>"] == Int32(config.eosTokenId), pieceIDs["<pad>"] == Int32(config.padTokenId) else {
            throw ModelError.vocabularyMismatch(reason: "config.json's eos_token_id \(config.eosTokenId) and pad_token_id \(config.padTokenId) "
                                                + "are not the ids of </s> and <pad> in vocab.json")
        }
    }
}

/// A Marian folder's target language, or its vocabularies, do not fit the request.
public enum MarianVocabularyError: LocalizedError, Equatable {
    case targetLanguageNeeded(codes: [String])
    case unknownTargetLanguage(requested: String, codes: [String])
    case noLanguageTokens(directory: String?, requested: String)
    case separateVocabularies(directory: String)

    public var errorDescription: String? {
        switch self {
        case let .targetLanguageNeeded(codes):
            return "this model translates into several languages; choose one with --target-language (one of: \(codes.joined(separator: ", ")))"
        case let .unknownTargetLanguage(requested, codes):
            return "the model has no target language '\(requested)'; --target-language takes one of: \(codes.joined(separator: ", "))"
        case let .noLanguageTokens(directory, requested):
            return "the model\(directory.map { " '\($0)'" } ?? "") translates into one language only, so --target-language \(requested) "
                + "does not apply; leave it out"
        case let .separateVocabularies(directory):
            return "'\(directory)' has separate source and target vocabularies (target_vocab.json) and so separate embeddings, "
                + "which Tern's engine does not run; Tern runs Marian models with one shared vocabulary"
        }
    }
}
