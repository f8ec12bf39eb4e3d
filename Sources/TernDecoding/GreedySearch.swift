import TernTensor

/// Greedy search: each row takes its most probable token. Sentences that finish leave the
/// batch, so later steps only run the rows still going.
public enum GreedySearch {
    /// Decodes every sentence of `scorer`; returns one hypothesis per sentence, in order.
    /// - Throws: `DecodingError.invalidOptions`.
    public static func run(_ scorer: some StepScorer, options: DecodingOptions) throws -> [Hypothesis] {
        try options.validate()
        let sentences = scorer.sentenceCount
        let limits = (0..<sentences).map { options.limit(for: $0, of: scorer) }
        var results = [Hypothesis](repeating: Hypothesis(tokens: [], tokenLogProbs: [], finished: false), count: sentences)
        var logProbs = Matrix(rows: 0, columns: scorer.vocabularySize)
        scorer.start(into: &logProbs)
        // After `start`, row b is sentence b; sentences allowed no tokens at all are skipped.
        var sentenceOfRow = Array(0..<sentences).filter { limits[$0] > 0 }
        var rows = sentenceOfRow
        let suppressed = SuppressedTokens(scorer.suppressedTokens, vocabularySize: scorer.vocabularySize)
        while !rows.isEmpty {
            var parents: [Int] = [], tokens: [Int32] = [], nextSentences: [Int] = []
            for (index, row) in rows.enumerated() {
                let sentence = sentenceOfRow[index]
                let endAllowed = results[sentence].tokenLogProbs.count >= options.minLength
                let (token, logProb) = suppressed.best(in: logProbs, row: row, excluding: endAllowed ? nil : scorer.endToken)
                if token == scorer.endToken {
                    results[sentence].tokenLogProbs.append(logProb)
                    results[sentence].finished = true
                    continue
                }
                results[sentence].tokens.append(token)
                results[sentence].tokenLogProbs.append(logProb)
                if results[sentence].tokenLogProbs.count < limits[sentence] {
                    parents.append(row)
                    tokens.append(token)
                    nextSentences.append(sentence)
                }
            }
            guard !parents.isEmpty else { break }
            scorer.advance(parents: parents, tokens: tokens, into: &logProbs)
            rows = Array(0..<parents.count)
            sentenceOfRow = nextSentences
        }
        return results
    }
}

/// A mask of tokens that search never chooses.
struct SuppressedTokens {
    private var isSuppressed: [Bool]

    init(_ tokens: [Int32], vocabularySize: Int) {
        isSuppressed = [Bool](repeating: false, count: vocabularySize)
        for token in tokens where (0..<Int32(vocabularySize)).contains(token) { isSuppressed[Int(token)] = true }
    }

    func allows(_ token: Int) -> Bool { !isSuppressed[token] }

    /// The most probable allowed token of `row` (other than `excluded`) and its log-probability;
    /// the first such token on ties.
    func best(in logProbs: Matrix, row: Int, excluding excluded: Int32? = nil) -> (Int32, Float) {
        let base = row * logProbs.columns
        // Usually the row's first maximum is allowed: a vectorized maximum and one scan find it.
        let first: Int? = logProbs.values.withUnsafeBufferPointer { values in
            let row = values.baseAddress! + base
            let largest = VectorExp.maximum(row, count: logProbs.columns)
            return (0..<logProbs.columns).first { row[$0] == largest }
        }
        if let first, !isSuppressed[first], Int32(first) != excluded {
            return (Int32(first), logProbs.values[base + first])
        }
        var bestToken = -1, bestValue = -Float.infinity
        for token in 0..<logProbs.columns where !isSuppressed[token] && Int32(token) != excluded {
            let value = logProbs.values[base + token]
            if bestToken < 0 || value > bestValue {
                bestValue = value
                bestToken = token
            }
        }
        return (Int32(max(bestToken, 0)), bestValue)
    }
}
