import TernDecoding
import TernModel

/// How `Translator` runs: search settings, caches and batching.
public struct TranslationOptions: Sendable {
    public var decoding: DecodingOptions
    public var cacheMode: CacheMode
    /// The most source tokens (padding included) in one batch.
    public var maxBatchTokens: Int
    /// The most sentences in one batch.
    public var maxBatchSentences: Int

    public init(decoding: DecodingOptions = DecodingOptions(), cacheMode: CacheMode = .cached,
                maxBatchTokens: Int = 4096, maxBatchSentences: Int = 64) {
        self.decoding = decoding
        self.cacheMode = cacheMode
        self.maxBatchTokens = maxBatchTokens
        self.maxBatchSentences = maxBatchSentences
    }
}

/// The translation of one input line.
public struct Translation: Sendable, Equatable {
    /// One of the `nBest` translations, with its length-normalized score (summed over the
    /// line's sentences).
    public struct Alternative: Sendable, Equatable {
        public var text: String
        public var score: Float
    }

    /// The best translation, detokenized.
    public var text: String { alternatives.first?.text ?? "" }
    /// The `nBest` best translations, best first.
    public var alternatives: [Alternative]
    /// Source tokens as the model reads them (`TokenFraming.sourceLength`: with `</s>` for the
    /// encoder-decoder, without `<sep>` for the decoder-only models) and target tokens (without
    /// `</s>`), summed over the line's sentences.
    public var sourceTokens: Int
    public var targetTokens: Int
    /// Sentences of the line too long for the model's positions, each translated in parts.
    public var sentencesSplit: Int
    /// The code typed at the start of the line (`>>it<<`) when the vocabulary lacks it, so that
    /// it was read as `<unk>`, as transformers reads it; nil otherwise.
    public var unknownLanguageCode: String? = nil
}
