import TernModel
import TernTokenizer

/// How a translator turns a sentence into source ids and target ids back into text, for one
/// side of a model. Tern's own `Tokenizer` is one; `MarianTokenizer` (SentencePiece pieces
/// numbered by a Hugging Face Marian `vocab.json`) is the other.
///
/// Not required to be thread-safe: each `Translator` makes its own from `TranslationVocabularies`.
public protocol TranslationTokenizer: AnyObject {
    /// The ids of `text`, without `</s>`.
    func encode(_ text: String) -> [Int32]
    /// The ids of `text` grouped by word, the spaces before a word in its group; joined, they
    /// are exactly `encode(text)`. Long sentences are cut between these groups.
    func encodeWords(_ text: String) -> [[Int32]]
    /// The spelling of each id.
    func pieces(_ ids: [Int32]) -> [String]
    /// The text that `ids` spell; special tokens vanish.
    func decode(_ ids: some Sequence<Int32>) -> String
    /// `decode`, as one line: line breaks become spaces.
    func decodeLine(_ ids: some Sequence<Int32>) -> String
}

extension Tokenizer: TranslationTokenizer {}

/// The text side of a translation model, loaded once and shared by threads: it checks itself
/// against the model and makes each translator's tokenizers.
public protocol TranslationVocabularies: Sendable {
    /// Ids that start every source sentence (a multilingual model's `>>xx<<` token), or none.
    var sourcePrefix: [Int32] { get }
    /// The ids that start every sentence of `line`, and the text of `line` left to translate:
    /// `sourcePrefix` and the whole line, unless the line carries a prefix of its own.
    func sourcePrefix(of line: String) -> (ids: [Int32], text: Substring)
    /// The code typed at the start of `line` when the vocabulary lacks it (it is then read as
    /// `<unk>`); nil otherwise.
    func unknownLanguageCode(in line: String) -> String?
    /// New source and target tokenizers, for one thread.
    /// - Throws: `TokenizerError` when one cannot be made.
    func makeTokenizers() throws -> (source: any TranslationTokenizer, target: any TranslationTokenizer)
    /// Checks sizes and special ids against the model's `config`.
    /// - Throws: `ModelError.vocabularyMismatch`.
    func check(against config: ModelConfig) throws
}

/// Tern's own subword vocabularies (the same one twice for a joint vocabulary).
public struct SubwordVocabularies: TranslationVocabularies {
    public let source: SubwordVocabulary
    public let target: SubwordVocabulary

    public init(source: SubwordVocabulary, target: SubwordVocabulary) {
        self.source = source
        self.target = target
    }

    public var sourcePrefix: [Int32] { [] }

    public func sourcePrefix(of line: String) -> (ids: [Int32], text: Substring) { ([], line[...]) }

    public func unknownLanguageCode(in line: String) -> String? { nil }

    public func makeTokenizers() throws -> (source: any TranslationTokenizer, target: any TranslationTokenizer) {
        (try Tokenizer(vocabulary: source), try Tokenizer(vocabulary: target))
    }

    public func check(against config: ModelConfig) throws {
        for vocabulary in [source, target] where vocabulary.size != config.vocabSize {
            throw ModelError.vocabularyMismatch(reason: "the vocabulary has \(vocabulary.size) pieces but the model \(config.vocabSize)")
        }
        guard Int(target.eosID) == config.eosTokenId, Int(target.padID) == config.padTokenId else {
            throw ModelError.vocabularyMismatch(reason: "the model's </s> and <pad> ids differ from the vocabulary's")
        }
    }
}
