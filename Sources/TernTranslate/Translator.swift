import Foundation
import TernDecoding
import TernModel
import TernTensor
import TernTokenizer

/// Text lines in, translated lines out, in the same order: tokenizer → engine → detokenizer.
///
/// - An empty line (or one of only whitespace) translates to an empty line without running the model.
/// - A Marian folder's line may start with a target-language code of its own (`>>fr<< …`), which
///   then starts each of its sentences in place of `--target-language`'s (`MarianVocabularies.sourcePrefix(of:)`).
/// - A line is split into sentences with ICU when it holds several; each is translated and the
///   results are joined, so long paragraphs work. A sentence longer than the model's positions
///   is cut at word boundaries into parts that fit (`LongSentenceSplitter`), each translated,
///   and joined again: nothing is dropped. `Translation.sentencesSplit` counts such sentences.
/// - Lines of one call are translated in length-sorted batches under a token budget.
///
/// ```swift
/// let translator = try Translator(modelDirectory: "Models/en-de/encdec")
/// let lines = try translator.translate(["A dog runs in the park."])
/// print(lines[0].text)
/// ```
///
/// Not thread-safe (it keeps a tokenizer and counters); make one per thread over a shared `Model`.
public final class Translator {
    public let model: Model
    /// The model's text side, shared with other translators of the same model.
    public let vocabularies: any TranslationVocabularies
    public let sourceTokenizer: any TranslationTokenizer
    public let targetTokenizer: any TranslationTokenizer
    public private(set) var statistics = EngineStatistics()
    private let splitter: SentenceSplitter

    /// - Parameters:
    ///   - model: the network.
    ///   - vocabularies: its text side: `SubwordVocabularies` or `MarianVocabularies`.
    /// - Throws: `ModelError.vocabularyMismatch` when the vocabularies and the model disagree.
    public init(model: Model, vocabularies: any TranslationVocabularies) throws {
        try vocabularies.check(against: model.config)
        self.model = model
        self.vocabularies = vocabularies
        (sourceTokenizer, targetTokenizer) = try vocabularies.makeTokenizers()
        splitter = try SentenceSplitter()
    }

    /// - Parameters:
    ///   - model: the network.
    ///   - sourceVocabulary, targetVocabulary: the subword vocabularies it was trained with (the
    ///     same one for a joint vocabulary).
    /// - Throws: `ModelError.vocabularyMismatch` when the vocabulary and the model disagree.
    public convenience init(model: Model, sourceVocabulary: SubwordVocabulary, targetVocabulary: SubwordVocabulary) throws {
        try self.init(model: model, vocabularies: SubwordVocabularies(source: sourceVocabulary, target: targetVocabulary))
    }

    /// Loads a model folder and its vocabularies (`ModelVocabularies`): a Tern model with the
    /// vocabulary its `config.json` names, or a Hugging Face Marian folder.
    /// - Parameters:
    ///   - targetLanguage: a multilingual model's target language (`de` for `>>de<<`).
    ///   - computeType: how the weights are held (`ModelDirectory.load(_:computeType:)`).
    /// - Throws: `ModelError`, `TokenizerError` or `MarianVocabularyError` naming what is missing or wrong, `ComputeTypeError`.
    public convenience init(modelDirectory: String, targetLanguage: String? = nil, computeType: ComputeType = .auto) throws {
        let model = try ModelDirectory.load(modelDirectory, computeType: computeType)
        try self.init(model: model, vocabularies: try ModelVocabularies.load(modelDirectory: modelDirectory, config: model.config,
                                                                              targetLanguage: targetLanguage))
    }

    /// Translates `lines`, returning one translation per line, in order.
    /// - Throws: `DecodingError.invalidOptions`.
    public func translate(_ lines: [String], options: TranslationOptions = TranslationOptions()) throws -> [Translation] {
        // Every sentence of every line, tokenized; `owner[i]` is the line sentence i came from.
        var sentences: [[Int32]] = [], owner: [Int] = []
        var results = lines.map { _ in Translation(alternatives: [], sourceTokens: 0, targetTokens: 0, sentencesSplit: 0) }
        for (index, line) in lines.enumerated() {
            let (prefix, text) = vocabularies.sourcePrefix(of: line)
            results[index].unknownLanguageCode = vocabularies.unknownLanguageCode(in: line)
            for sentence in sentencesOf(String(text)) {
                let parts = LongSentenceSplitter.parts(of: sentence, limit: max(1, model.framing.sourcePieceLimit - prefix.count),
                                                       tokenizer: sourceTokenizer)
                if parts.count > 1 { results[index].sentencesSplit += 1 }
                for part in parts {
                    sentences.append(model.framing.source(prefix + part))
                    owner.append(index)
                }
            }
        }
        let hypotheses = try decode(sentences, options: options)
        for (sentence, line) in owner.enumerated() {
            let found = hypotheses[sentence]
            let alternatives = found.map {
                Translation.Alternative(text: targetTokenizer.decodeLine($0.tokens),
                                        score: $0.score(lengthPenalty: options.decoding.lengthPenalty))
            }
            var result = results[line]
            result.alternatives = result.alternatives.isEmpty ? alternatives : zip(result.alternatives, alternatives).map {
                Translation.Alternative(text: Self.join($0.text, $1.text), score: $0.score + $1.score)
            }
            result.sourceTokens += model.framing.sourceLength(ofFramed: sentences[sentence])
            result.targetTokens += found.first?.tokens.count ?? 0
            results[line] = result
        }
        return results
    }

    /// The sentences of a line worth translating: none for a blank line.
    private func sentencesOf(_ line: String) -> [String] {
        splitter.split(line).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Decodes sentences in length-sorted batches under the token budget; results in input order.
    private func decode(_ sentences: [[Int32]], options: TranslationOptions) throws -> [[Hypothesis]] {
        var results = [[Hypothesis]](repeating: [], count: sentences.count)
        let order = sentences.indices.sorted { sentences[$0].count < sentences[$1].count }
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, end - start < options.maxBatchSentences,
                  (end - start + 1) * sentences[order[end]].count <= options.maxBatchTokens {
                end += 1
            }
            let batch = order[start..<end].map { sentences[$0] }
            let hypotheses = try search(batch, options: options)
            for (offset, index) in order[start..<end].enumerated() { results[index] = hypotheses[offset] }
            start = end
        }
        return results
    }

    private func search(_ batch: [[Int32]], options: TranslationOptions) throws -> [[Hypothesis]] {
        let scorer = model.makeScorer(sources: batch, cacheMode: options.cacheMode)
        statistics.searches += 1
        statistics.sentencesSearched += batch.count
        defer { statistics.merge(scorer.statistics) }
        return try Search.run(scorer, options: options.decoding)
    }

    /// Joins the translations of consecutive sentences: with a space, unless the first ends in
    /// a character of a script written without spaces (Chinese, Japanese, Thai).
    static func join(_ first: String, _ second: String) -> String {
        guard let last = first.unicodeScalars.last, !second.isEmpty else { return first + second }
        let unspaced = (0x2E80...0x9FFF).contains(last.value) || (0xFF00...0xFFEF).contains(last.value)
            || (0x0E00...0x0E7F).contains(last.value)
        return first + (unspaced ? "" : " ") + second
    }
}
