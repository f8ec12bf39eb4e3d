/// Segments normalized text with a BPE model, as sentencepiece's `bpe::Model::Encode` does:
/// start from characters (a user-defined symbol is one frozen symbol), then repeatedly merge the
/// adjacent pair whose merged piece has the highest score, the leftmost first among equal
/// scores. A merged piece of the unused type is split back into the pair that formed it.
struct BPESegmenter: Sendable {
    let vocabulary: PieceVocabulary

    /// A candidate merge of the symbols at `left` and `right`, forming a piece of `size` bytes
    /// that ends at trie node `node`.
    private struct Candidate {
        var score: Float
        var left: Int
        var right: Int
        var size: Int
        var node: Int

        /// Whether `lhs` merges after `rhs`: higher scores first, then the leftmost.
        static func < (lhs: Candidate, rhs: Candidate) -> Bool {
            lhs.score < rhs.score || (lhs.score == rhs.score && lhs.left > rhs.left)
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

    /// A binary max-heap of candidates, as `std::priority_queue` keeps sentencepiece's agenda.
    private struct CandidateQueue {
        private var items: [Candidate] = []

        mutating func push(_ candidate: Candidate) {
            items.append(candidate)
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard items[parent] < items[child] else { break }
                items.swapAt(parent, child)
                child = parent
            }
        }

        mutating func popMax() -> Candidate? {
            guard let top = items.first else { return nil }
            let last = items.removeLast()
            guard !items.isEmpty else { return top }
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < items.count, items[largest] < items[left] { largest = left }
                if right < items.count, items[largest] < items[right] { largest = right }
                guard largest != parent else { break }
                items.swapAt(parent, largest)
                parent = largest
            }
            return top
        }
    }

    /// The pieces of `normalized` as (byte range, id), in order.
    func segment(_ normalized: [UInt8]) -> [(range: Range<Int>, id: Int)] {
        guard !normalized.isEmpty else { return [] }
        return normalized.withUnsafeBufferPointer { segment(text: $0) }
    }

    private func segment(text: UnsafeBufferPointer<UInt8>) -> [(range: Range<Int>, id: Int)] {
        let trie = vocabulary.segmentable
        let scores = vocabulary.scores
        let types = vocabulary.types
        var symbols: [Symbol] = []
        symbols.reserveCapacity(text.count)
        var offset = 0
        while offset < text.count {
            var length = min(UTF8Scanning.characterLength(leadByte: text[offset]), text.count - offset)
            var frozen = false
            if let symbolLength = vocabulary.userDefinedSymbols?.longestPrefixLength(of: text[offset...]) {
                length = symbolLength
                frozen = true
            }
            let index = symbols.count
            let node = trie.node(after: text[offset..<(offset + length)]) ?? -1
            symbols.append(Symbol(start: offset, length: length, previous: index - 1,
                                  next: offset + length < text.count ? index + 1 : -1, frozen: frozen, node: node))
            offset += length
        }

        var agenda = CandidateQueue()
        // For each unused piece formed as a pair: the length of its left part, the last one seen.
        var splitOfUnused: [[UInt8]: Int] = [:]
        func addCandidate(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0, !symbols[left].frozen, !symbols[right].frozen, symbols[left].node >= 0 else { return }
            let rightStart = symbols[right].start
            guard let node = trie.node(after: text[rightStart..<(rightStart + symbols[right].length)], from: symbols[left].node),
                  let id = trie.value(at: node) else { return }
            let start = symbols[left].start
            let size = symbols[left].length + symbols[right].length
            agenda.push(Candidate(score: scores[id], left: left, right: right, size: size, node: node))
            if types[id] == .unused { splitOfUnused[Array(text[start..<(start + size)])] = symbols[left].length }
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
            let id = vocabulary.id(of: text[range])
            if types[id] == .unused, let leftLength = splitOfUnused[Array(text[range])] {
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
