import HeapModule

/// Segments normalized text with a BPE model, as sentencepiece's `bpe::Model::Encode` does:
/// start from characters (a user-defined symbol is one frozen symbol), then repeatedly merge the
/// adjacent pair whose merged piece has the highest score, the leftmost first among equal
/// scores. A merged piece of the unused type is split back into the pair that formed it.
struct BPESegmenter: Sendable {
    let vocabulary: PieceVocabulary

    /// A candidate merge of the symbols at `left` and `right`, forming a piece of `size` bytes
    /// that ends at trie node `node`.
    private struct Candidate: Comparable {
        var score: Float
        var left: Int
        var right: Int
        var size: Int
        var node: Int

        /// Higher scores first, then the leftmost.
        static func < (lhs: Candidate, rhs: Candidate) -> Bool {
            lhs.score < rhs.score || (lhs.score == rhs.score && lhs.left > rhs.left)
        }
        static func == (lhs: Candidate, rhs: Candidate) -> Bool {
            lhs.score == rhs.score && lhs.left == rhs.left
        }
    }

    /// A symbol: the bytes `start..<start+length` of the text; length 0 once merged away.
    /// `node` is the trie node its bytes lead to (-1: no piece starts with them), so that a
    /// merge looks up only the right symbol's bytes.
    private struct Symbol {
        var start: Int
        var length: Int
        var previous: Int
        var next: Int
        var frozen: Bool
        var node: Int
    }

    /// The pieces of `normalized` as (byte range, id), in order.
    func segment(_ normalized: [UInt8]) -> [(range: Range<Int>, id: Int)] {
        guard !normalized.isEmpty else { return [] }
        let trie = vocabulary.segmentable
        let scores = vocabulary.scores
        let types = vocabulary.types
        var symbols: [Symbol] = []
        var offset = 0
        while offset < normalized.count {
            let rest = normalized[offset...]
            var length = min(UTF8Scanning.characterLength(leadByte: normalized[offset]), rest.count)
            var frozen = false
            if let symbolLength = vocabulary.userDefinedSymbols?.longestPrefixLength(of: rest) {
                length = symbolLength
                frozen = true
            }
            let index = symbols.count
            let node = trie.node(after: normalized[offset..<(offset + length)]) ?? -1
            symbols.append(Symbol(start: offset, length: length, previous: index - 1,
                                  next: offset + length < normalized.count ? index + 1 : -1, frozen: frozen, node: node))
            offset += length
        }

        var agenda = Heap<Candidate>()
        // For each unused piece formed as a pair: the length of its left part, the last one seen.
        var splitOfUnused: [ArraySlice<UInt8>: Int] = [:]
        func addCandidate(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0, !symbols[left].frozen, !symbols[right].frozen, symbols[left].node >= 0 else { return }
            let size = symbols[left].length + symbols[right].length
            let start = symbols[left].start
            let piece = normalized[start..<(start + size)]
            let rightBytes = normalized[symbols[right].start..<(symbols[right].start + symbols[right].length)]
            guard let node = trie.node(after: rightBytes, from: symbols[left].node), let id = trie.value(at: node) else { return }
            agenda.insert(Candidate(score: scores[id], left: left, right: right, size: size, node: node))
            if types[id] == .unused { splitOfUnused[piece] = symbols[left].length }
        }
        for index in 1..<symbols.count { addCandidate(index - 1, index) }

        while let top = agenda.popMax() {
            let left = symbols[top.left], right = symbols[top.right]
            // Stale: one side was merged into something else since.
            guard left.length > 0, right.length > 0, left.length + right.length == top.size else { continue }
            symbols[top.left].length += right.length
            symbols[top.left].node = top.node
            symbols[top.left].next = right.next
            if right.next >= 0 { symbols[right.next].previous = top.left }
            symbols[top.right].length = 0
            addCandidate(symbols[top.left].previous, top.left)
            addCandidate(top.left, symbols[top.left].next)
        }

        var result: [(range: Range<Int>, id: Int)] = []
        func resegment(_ range: Range<Int>) {
            let id = vocabulary.id(of: normalized[range])
            if types[id] == .unused, let leftLength = splitOfUnused[normalized[range]] {
                resegment(range.lowerBound..<(range.lowerBound + leftLength))
                resegment((range.lowerBound + leftLength)..<range.upperBound)
            } else {
                result.append((range, id))
            }
        }
        var index = 0
        while index >= 0, index < symbols.count {
            resegment(symbols[index].start..<(symbols[index].start + symbols[index].length))
            index = symbols[index].next
        }
        return result
    }
}
