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
        var scores = TokenScores(vocabularySize: scorer.vocabularySize)
        scorer.start(into: &scores)
        // After `start`, row b is sentence b; sentences allowed no tokens at all are skipped.
        var sentenceOfRow = Array(0..<sentences).filter { limits[$0] > 0 }
        var rows = sentenceOfRow
        let suppressed = SuppressedTokens(scorer.suppressedTokens, vocabularySize: scorer.vocabularySize)
        while !rows.isEmpty {
            var parents: [Int] = [], tokens: [Int32] = [], nextSentences: [Int] = []
            for (index, row) in rows.enumerated() {
                let sentence = sentenceOfRow[index]
                let endAllowed = results[sentence].tokenLogProbs.count >= options.minLength
                let (token, logProb) = suppressed.best(in: scores, row: row, excluding: endAllowed ? nil : scorer.endToken)
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
            scorer.advance(parents: parents, tokens: tokens, into: &scores)
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
    /// the first such token on ties (of log-probabilities, as `TokenScores.logProbability` gives them).
    func best(in scores: TokenScores, row: Int, excluding excluded: Int32? = nil) -> (Int32, Float) {
        let columns = scores.vocabularySize, normalizer = scores.logNormalizers[row]
        // Usually the row's first maximum is allowed: the row's maximum is known and one scan finds it.
        let largest = scores.maxima[row] - normalizer
        let first: Int? = scores.logits.values.withUnsafeBufferPointer { values in
            let logits = values.baseAddress! + row * columns
            return (0..<columns).first { logits[$0] - normalizer == largest }
        }
        if let first, !isSuppressed[first], Int32(first) != excluded {
            return (Int32(first), largest)
        }
        var bestToken = -1, bestValue = -Float.infinity
        for token in 0..<columns where !isSuppressed[token] && Int32(token) != excluded {
            let value = scores.logProbability(row: row, token: token)
            if bestToken < 0 || value > bestValue {
                bestValue = value
                bestToken = token
            }
        }
        return (Int32(max(bestToken, 0)), bestValue)
    }
}
