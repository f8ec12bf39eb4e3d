/// Segments normalized text with a unigram model: the best-scoring path through the lattice of
/// every vocabulary piece found in the text, as sentencepiece's `unigram::Model::EncodeOptimized`
/// (its default encoder) computes it.
///
/// Positions are UTF-8 byte offsets. A character no piece of one character covers gets an
/// unknown node scored `min score - 10`. A user-defined symbol scores
/// `length * max score - 0.1`. Ties keep the path found first (the earliest start, then the
/// shorter piece), and scores add up in `Float`, as in the reference, so that near-ties round
/// the same way and the same path wins.
struct UnigramSegmenter: Sendable {
    private static let unknownPenalty: Float = 10
    let vocabulary: PieceVocabulary

    /// The pieces of `normalized` as (byte range, id), in order.
    func segment(_ normalized: [UInt8]) -> [(range: Range<Int>, id: Int)] {
        let size = normalized.count
        guard size > 0 else { return [] }
        let trie = vocabulary.segmentable
        let types = vocabulary.types
        let scores = vocabulary.scores
        let maximumScore = vocabulary.maximumNormalScore
        let unknownScore = vocabulary.minimumNormalScore - Self.unknownPenalty
        let unknownID = vocabulary.unknownID
        // The best path that ends at each byte offset: its score, where its last piece starts
        // (-1: no path yet) and that piece's id.
        var bestScore = [Float](repeating: 0, count: size + 1)
        var bestStart = [Int](repeating: -1, count: size + 1)
        var bestID = [Int](repeating: -1, count: size + 1)
        normalized.withUnsafeBufferPointer { text in
            var start = 0
            while start < size {
                let scoreHere = bestScore[start]
                let characterLength = min(UTF8Scanning.characterLength(leadByte: text[start]), size - start)
                var hasSingleCharacterPiece = false
                var node = PieceTrie.root
                var end = start
                while end < size, let next = trie.child(of: node, text[end]) {
                    node = next
                    end += 1
                    guard let id = trie.value(at: node), types[id] != .unused else { continue }
                    let length = end - start
                    let score = types[id] == .userDefined ? Float(Double(Float(length) * maximumScore) - 0.1) : scores[id]
                    let candidate = score + scoreHere
                    if bestStart[end] == -1 || candidate > bestScore[end] {
                        bestScore[end] = candidate
                        bestStart[end] = start
                        bestID[end] = id
                    }
                    if length == characterLength { hasSingleCharacterPiece = true }
                }
                if !hasSingleCharacterPiece {
                    let end = start + characterLength
                    let candidate = unknownScore + scoreHere
                    if bestStart[end] == -1 || candidate > bestScore[end] {
                        bestScore[end] = candidate
                        bestStart[end] = start
                        bestID[end] = unknownID
                    }
                }
                start += characterLength
            }
        }
        var result: [(range: Range<Int>, id: Int)] = []
        var end = size
        while end > 0 {
            let start = bestStart[end]
            guard start >= 0, start < end else { break }
            result.append((start..<end, bestID[end]))
            end = start
        }
        result.reverse()
        return result
    }
}
