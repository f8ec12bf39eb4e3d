import CKernels
import TernTensor

/// Beam search with length normalization, as Hugging Face `generate` does it with
/// `early_stopping=True`:
///
/// - each step, the `2k` best continuations of a sentence's `k` beams are ranked by total
///   log-probability;
/// - a continuation ending in `</s>` among the top `k` becomes a finished hypothesis, scored
///   `log P / length^α` (`length` counts generated tokens, `</s>` included); the best `k`
///   finished hypotheses are kept;
/// - the `k` best other continuations go on;
/// - a sentence is done when it holds `k` finished hypotheses, or at its length limit, where
///   its live beams join the finished ones.
///
/// Done sentences leave the batch. Returns the `nBest` best hypotheses of each sentence.
public enum BeamSearch {
    /// - Throws: `DecodingError.invalidOptions`.
    public static func run(_ scorer: some StepScorer, options: DecodingOptions) throws -> [[Hypothesis]] {
        try options.validate()
        let beamSize = options.beamSize
        let sentences = scorer.sentenceCount
        let limits = (0..<sentences).map { options.limit(for: $0, of: scorer) }
        let suppressed = SuppressedTokens(scorer.suppressedTokens, vocabularySize: scorer.vocabularySize)
        var finished = [FinishedHypotheses](repeating: FinishedHypotheses(capacity: beamSize, lengthPenalty: options.lengthPenalty), count: sentences)

        var scores = TokenScores(vocabularySize: scorer.vocabularySize)
        scorer.start(into: &scores)
        // Live beams, grouped by sentence; beam i sits in scorer row `beams[i].row`.
        var beams = (0..<sentences).filter { limits[$0] > 0 }.map { Beam(sentence: $0, row: $0, hypothesis: .empty, total: 0) }
        while !beams.isEmpty {
            var next: [Beam] = []
            var start = 0
            while start < beams.count {
                let sentence = beams[start].sentence
                var end = start
                while end < beams.count, beams[end].sentence == sentence { end += 1 }
                let endAllowed = beams[start].hypothesis.tokenLogProbs.count >= options.minLength
                let candidates = topCandidates(of: beams[start..<end], scores: scores, count: 2 * beamSize, suppressed: suppressed,
                                               excluding: endAllowed ? nil : scorer.endToken)
                var continuing: [Beam] = []
                for (rank, candidate) in candidates.enumerated() {
                    let parent = beams[candidate.beam]
                    var hypothesis = parent.hypothesis
                    hypothesis.tokenLogProbs.append(candidate.logProb)
                    if candidate.token == scorer.endToken {
                        if rank < beamSize {
                            hypothesis.finished = true
                            finished[sentence].add(hypothesis)
                        }
                        continue
                    }
                    hypothesis.tokens.append(candidate.token)
                    continuing.append(Beam(sentence: sentence, row: parent.row, hypothesis: hypothesis, total: candidate.total))
                    if continuing.count == beamSize { break }
                }
                if finished[sentence].isFull {
                    // Done: its live beams are dropped.
                } else if (continuing.first?.hypothesis.tokenLogProbs.count ?? 0) >= limits[sentence] {
                    continuing.forEach { finished[sentence].add($0.hypothesis) }
                } else {
                    next.append(contentsOf: continuing)
                }
                start = end
            }
            guard !next.isEmpty else { break }
            scorer.advance(parents: next.map(\.row), tokens: next.map { $0.hypothesis.tokens.last! }, into: &scores)
            beams = next.enumerated().map { index, beam in
                Beam(sentence: beam.sentence, row: index, hypothesis: beam.hypothesis, total: beam.total)
            }
        }
        return finished.map { Array($0.best.prefix(options.nBest)) }
    }

    private struct Beam {
        var sentence: Int
        var row: Int
        var hypothesis: Hypothesis
        /// Sum of the hypothesis's log-probabilities, accumulated step by step.
        var total: Float
    }

    private struct Candidate {
        var beam: Int
        var token: Int32
        var logProb: Float
        var total: Float
    }

    /// The `count` best (beam, token) continuations of `beams`, best first; ties go to the
    /// earlier beam, then the lower token id.
    private static func topCandidates(of beams: ArraySlice<Beam>, scores: TokenScores, count: Int, suppressed: SuppressedTokens,
                                      excluding excluded: Int32?) -> [Candidate] {
        var best: [Candidate] = []
        best.reserveCapacity(count + 1)
        let columns = scores.vocabularySize
        // The total a continuation must beat to enter `best`: −∞ until `best` is full.
        var entryTotal = -Float.infinity
        scores.logits.values.withUnsafeBufferPointer { values in
            for index in beams.indices {
                let beam = beams[index]
                let row = values.baseAddress! + beam.row * columns
                let normalizer = scores.logNormalizers[beam.row]
                // Most tokens cannot enter `best`: a vector scan jumps to the next one that can,
                // computing its total exactly as below.
                var token = tern_first_total_above(row, columns, normalizer, beam.total, entryTotal)
                while token < columns {
                    let logProb = row[token] - normalizer
                    let total = beam.total + logProb
                    if suppressed.allows(token), Int32(token) != excluded {
                        var position = best.count
                        while position > 0, best[position - 1].total < total { position -= 1 }
                        best.insert(Candidate(beam: index, token: Int32(token), logProb: logProb, total: total), at: position)
                        if best.count > count { best.removeLast() }
                        if best.count == count { entryTotal = best[count - 1].total }
                    }
                    token += 1 + tern_first_total_above(row + token + 1, columns - token - 1, normalizer, beam.total, entryTotal)
                }
            }
        }
        return best
    }
}

/// The best finished hypotheses of one sentence, at most `capacity` of them.
struct FinishedHypotheses {
    let capacity: Int
    let lengthPenalty: Float
    private(set) var best: [Hypothesis] = []

    init(capacity: Int, lengthPenalty: Float) {
        self.capacity = capacity
        self.lengthPenalty = lengthPenalty
    }

    var isFull: Bool { best.count >= capacity }

    /// Keeps `hypothesis` if it is among the `capacity` best by score.
    mutating func add(_ hypothesis: Hypothesis) {
        let score = hypothesis.score(lengthPenalty: lengthPenalty)
        var position = best.count
        while position > 0, best[position - 1].score(lengthPenalty: lengthPenalty) < score { position -= 1 }
        guard position < capacity else { return }
        best.insert(hypothesis, at: position)
        if best.count > capacity { best.removeLast() }
    }
}

extension Hypothesis {
    static let empty = Hypothesis(tokens: [], tokenLogProbs: [], finished: false)
}
