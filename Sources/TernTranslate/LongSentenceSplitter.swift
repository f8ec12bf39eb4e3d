/// Cuts a sentence with more pieces than a model's positions hold into consecutive parts that
/// each fit, at word boundaries, so that all of it is translated and nothing is dropped.
///
/// Words (`TranslationTokenizer.encodeWords`: for Tern's tokenizer an ICU word and the spaces
/// before it; for SentencePiece a piece that starts with `▁` and those that follow) are gathered from the left while
/// their pieces fit in `limit`; the pieces are those of the whole sentence, so the parts joined
/// are exactly the sentence's encoding. A single word of more than `limit` pieces (a long run of
/// letters without spaces, say) is cut into runs of `limit` pieces.
enum LongSentenceSplitter {
    /// The piece ids of each part of `sentence`, in order; one part when it fits already.
    /// - Parameters:
    ///   - limit: the most pieces a part may have (at least 1).
    ///   - tokenizer: the model's source tokenizer.
    static func parts(of sentence: String, limit: Int, tokenizer: any TranslationTokenizer) -> [[Int32]] {
        let words = tokenizer.encodeWords(sentence)
        guard words.reduce(0, { $0 + $1.count }) > limit else { return [words.flatMap { $0 }] }
        var parts: [[Int32]] = []
        var part: [Int32] = []
        for word in words {
            if part.count + word.count > limit, !part.isEmpty {
                parts.append(part)
                part = []
            }
            if word.count > limit {
                parts += stride(from: 0, to: word.count, by: limit).map { Array(word[$0..<min(word.count, $0 + limit)]) }
            } else {
                part += word
            }
        }
        if !part.isEmpty { parts.append(part) }
        return parts
    }
}
