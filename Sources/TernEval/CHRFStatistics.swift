import Foundation

/// chrF's corpus statistics: `[hypothesis n-grams, reference n-grams, matches]` per order,
/// summed over segments, each segment contributing the statistics of its best reference.
struct CHRFStatistics {
    private(set) var values: [Int]

    /// sacreBLEU's `CHRF._extract_corpus_statistics` and `_compute_segment_statistics`.
    init(metric: CHRF, hypotheses: [String], references: [[String]]) {
        let charOrder = metric.charOrder, wordOrder = metric.wordOrder
        let orders = charOrder + wordOrder
        values = [Int](repeating: 0, count: 3 * orders)
        var characters = NGramTrie(), words = NGramTrie(), wordNgrams = NGramTrie()
        var hypothesisCharacters = NGramCounts(), hypothesisWords = NGramCounts()
        var referenceCharacters = NGramCounts(), referenceWords = NGramCounts()

        /// A preprocessed segment: its n-gram counts are left in the counters given, its
        /// per-order totals are returned.
        func extract(_ line: String, _ characterCounts: inout NGramCounts, _ wordCounts: inout NGramCounts) -> [Int] {
            var text = PythonText.scalars(line)
            if metric.lowercase { text = PythonText.lowercased(text) }
            var totals = [Int](repeating: 0, count: orders)
            let characterText = metric.whitespace ? text : PythonText.removingSpaces(text)
            for start in characterText.indices {
                var node = NGramTrie.root
                for position in start..<min(start + charOrder, characterText.count) {
                    node = characters.child(node, characterText[position])
                    characterCounts.add(node)
                }
            }
            for order in 0..<charOrder { totals[order] = max(0, characterText.count - order) }
            if wordOrder > 0 {
                let tokens = Self.separatingPunctuation(text).map { words.id(of: text[$0]) }
                for start in tokens.indices {
                    var node = NGramTrie.root
                    for position in start..<min(start + wordOrder, tokens.count) {
                        node = wordNgrams.child(node, UInt32(bitPattern: tokens[position]))
                        wordCounts.add(node)
                    }
                }
                for order in 0..<wordOrder { totals[charOrder + order] = max(0, tokens.count - order) }
            }
            return totals
        }

        var best: [Int] = [], candidate = [Int](repeating: 0, count: 3 * orders)
        for (index, hypothesis) in hypotheses.enumerated() {
            characters.reset()
            words.reset()
            wordNgrams.reset()
            let hypothesisTotals = extract(hypothesis, &hypothesisCharacters, &hypothesisWords)
            var bestScore = -1.0
            for stream in references {
                let referenceTotals = extract(stream[index], &referenceCharacters, &referenceWords)
                for order in 0..<orders {
                    candidate[3 * order] = referenceTotals[order] > 0 ? hypothesisTotals[order] : 0
                    candidate[3 * order + 1] = referenceTotals[order]
                    candidate[3 * order + 2] = 0
                }
                for id in hypothesisCharacters.touched {
                    let order = Int(characters.order[Int(id)]) - 1
                    candidate[3 * order + 2] += Int(min(hypothesisCharacters[id], referenceCharacters[id]))
                }
                for id in hypothesisWords.touched {
                    let order = charOrder + Int(wordNgrams.order[Int(id)]) - 1
                    candidate[3 * order + 2] += Int(min(hypothesisWords[id], referenceWords[id]))
                }
                referenceCharacters.reset()
                referenceWords.reset()
                let score = metric.fScore(candidate)
                if score > bestScore {
                    bestScore = score
                    best = candidate
                }
            }
            for position in values.indices { values[position] += best[position] }
            hypothesisCharacters.reset()
            hypothesisWords.reset()
        }
    }

    /// sacreBLEU's `CHRF._remove_punctuation`: the whitespace-separated words of `text`, where a
    /// word longer than one code point that ends with ASCII punctuation (`string.punctuation`)
    /// has it split off, or failing that, one that starts with it. Returns ranges of `text`.
    static func separatingPunctuation(_ text: [UInt32]) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        for word in PythonText.split(text) {
            if word.count == 1 {
                tokens.append(word)
            } else if isPunctuation(text[word.upperBound - 1]) {
                tokens.append(word.lowerBound..<word.upperBound - 1)
                tokens.append(word.upperBound - 1..<word.upperBound)
            } else if isPunctuation(text[word.lowerBound]) {
                tokens.append(word.lowerBound..<word.lowerBound + 1)
                tokens.append(word.lowerBound + 1..<word.upperBound)
            } else {
                tokens.append(word)
            }
        }
        return tokens
    }

    /// Python's `string.punctuation`: the 32 ASCII punctuation characters.
    @inline(__always)
    static func isPunctuation(_ value: UInt32) -> Bool {
        switch value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }
}
