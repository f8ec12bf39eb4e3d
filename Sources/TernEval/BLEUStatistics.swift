import Foundation

/// BLEU's corpus statistics, summed over segments: sacreBLEU's `[sys_len, ref_len, correct…,
/// total…]`.
struct BLEUStatistics {
    var hypothesisLength = 0
    var referenceLength = 0
    var matches = [Int](repeating: 0, count: BLEU.maxNgramOrder)
    var totals = [Int](repeating: 0, count: BLEU.maxNgramOrder)

    /// Extracts and sums the statistics of every segment, as sacreBLEU's
    /// `_extract_corpus_statistics` and `_compute_segment_statistics` do.
    init(metric: BLEU, hypotheses: [String], references: [[String]]) {
        let maxOrder = BLEU.maxNgramOrder
        var words = NGramTrie(), ngrams = NGramTrie()
        var merged = NGramCounts(), single = NGramCounts(), hypothesis = NGramCounts()
        var referenceLengths: [Int] = []

        /// Counts the n-grams (orders 1…maxOrder) of a tokenized line into `counts`; returns the
        /// number of tokens.
        func count(_ line: [UInt32], into counts: inout NGramCounts) -> Int {
            let tokens = PythonText.split(line).map { words.id(of: line[$0]) }
            for start in tokens.indices {
                var node = NGramTrie.root
                for position in start..<min(start + maxOrder, tokens.count) {
                    node = ngrams.child(node, UInt32(bitPattern: tokens[position]))
                    counts.add(node)
                }
            }
            return tokens.count
        }

        for (index, hypothesisLine) in hypotheses.enumerated() {
            words.reset()
            ngrams.reset()
            referenceLengths.removeAll(keepingCapacity: true)
            for stream in references {
                referenceLengths.append(count(metric.preprocess(stream[index]), into: &single))
                for id in single.touched { merged.raise(id, to: single[id]) }
                single.reset()
            }
            let length = count(metric.preprocess(hypothesisLine), into: &hypothesis)
            for id in hypothesis.touched {
                let order = Int(ngrams.order[Int(id)]) - 1
                let hypothesisCount = Int(hypothesis[id])
                totals[order] += hypothesisCount
                matches[order] += min(hypothesisCount, Int(merged[id]))
            }
            hypothesisLength += length
            referenceLength += Self.closestReferenceLength(length, referenceLengths)
            hypothesis.reset()
            merged.reset()
        }
    }

    /// sacreBLEU's `_get_closest_ref_len`: the reference length closest to the hypothesis
    /// length, the shorter one on a tie.
    static func closestReferenceLength(_ hypothesisLength: Int, _ referenceLengths: [Int]) -> Int {
        var closestDifference = -1, closestLength = -1
        for length in referenceLengths {
            let difference = abs(hypothesisLength - length)
            if closestDifference == -1 || difference < closestDifference {
                closestDifference = difference
                closestLength = length
            } else if difference == closestDifference, length < closestLength {
                closestLength = length
            }
        }
        return closestLength
    }
}
