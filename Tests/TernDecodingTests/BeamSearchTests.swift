import Foundation
import TernDecoding
import TernTensor
import Testing

/// A scorer whose next-token probabilities are a table keyed by the prefix generated so far, so
/// that what search must find can be worked out by hand. Tokens: 0 `</s>`, 1 A, 2 B, 3 C.
private final class ScriptedScorer: StepScorer {
    let sentenceCount = 1
    let vocabularySize = 4
    let endToken: Int32 = 0
    let suppressedTokens: [Int32] = []
    /// Probabilities of `</s>`, A, B, C after each prefix.
    let table: [[Int32]: [Double]]
    /// The prefix of each live row.
    private var prefixes: [[Int32]] = []
    /// Prefixes search asked about that the table does not script.
    private(set) var unscripted: [[Int32]] = []

    init(_ table: [[Int32]: [Double]]) { self.table = table }

    func sourceLength(of sentence: Int) -> Int { 5 }
    func targetCapacity(of sentence: Int) -> Int { 10 }

    func start(into scores: inout TokenScores) {
        prefixes = [[]]
        fill(into: &scores)
    }

    func advance(parents: [Int], tokens: [Int32], into scores: inout TokenScores) {
        prefixes = zip(parents, tokens).map { prefixes[$0] + [$1] }
        fill(into: &scores)
    }

    private func fill(into scores: inout TokenScores) {
        let rows = prefixes.map { prefix -> [Float] in
            guard let probabilities = table[prefix] else {
                unscripted.append(prefix)
                return [Float](repeating: Float(log(0.25)), count: vocabularySize)
            }
            return probabilities.map { Float(log($0)) }
        }
        scores = TokenScores(logProbabilities: Matrix(rows: rows.count, columns: vocabularySize, values: rows.flatMap { $0 }))
    }
}

@Suite struct BeamSearchTests {
    static let a: Int32 = 1, b: Int32 = 2

    /// P(next | prefix) for </s>, A, B, C. Worked by hand for beam 2 (search ranks the 2k = 4 best
    /// continuations by total probability each step; a `</s>` among the first k finishes a
    /// hypothesis; the next k others go on; the sentence is done once k hypotheses have finished):
    ///
    /// step 1, from []:   A .5, B .3, C .15, </s> .05
    ///                    → A and B go on.
    /// step 2, from A:    A A .5·.6 = .30, A B .5·.2 = .10, A </s> .05, A C .04
    ///         from B:    B </s> .3·.8 = .24, B A .03, B B .015, B C .015
    ///                    ranked: A A .30, B </s> .24, A B .10, A </s> .05
    ///                    → "B" finishes (rank 1 < 2); A A and A B go on; A </s> (rank 3) does not count.
    /// step 3, from A A:  A A </s> .30·.5 = .15, A A A .075, A A B .045, A A C .03
    ///         from A B:  A B </s> .10·.7 = .07, A B A/B/C .01 each
    ///                    ranked: A A </s> .15, A A A .075, A B </s> .07, A A B .045
    ///                    → "A A" finishes (rank 0); two hypotheses have finished: done.
    ///
    /// Greedy takes the most probable token each step: A (.5), A (.6), </s> (.5): "A A", P = .15.
    static let table: [[Int32]: [Double]] = [
        []: [0.05, 0.5, 0.3, 0.15],
        [a]: [0.1, 0.6, 0.2, 0.08],
        [b]: [0.8, 0.1, 0.05, 0.05],
        [a, a]: [0.5, 0.25, 0.15, 0.1],
        [a, b]: [0.7, 0.1, 0.1, 0.1],
    ]

    /// The finished hypotheses, with `log P` and the number of generated tokens (`</s>` included):
    /// "B":   log .3 + log .8        = log .24 = −1.42712, 2 tokens
    /// "A A": log .5 + log .6 + log .5 = log .15 = −1.89712, 3 tokens
    ///
    /// Length penalty 0 scores log P:        "B" −1.42712 > "A A" −1.89712, so beam 2 prefers "B"
    /// (greedy's "A A" is second).
    /// Length penalty 1 scores log P / length: "A A" −1.89712 / 3 = −0.63237 > "B" −1.42712 / 2 = −0.71356,
    /// so "A A" comes first.
    ///
    /// Below: each finished hypothesis's tokens and the log-probabilities of its steps.
    static let stepLogProbs: [[Int32]: [Float]] = [
        [b]: [Float(log(0.3)), Float(log(0.8))],
        [a, a]: [Float(log(0.5)), Float(log(0.6)), Float(log(0.5))],
    ]

    static func expectClose(_ actual: Float, _ expected: Double, _ what: String) {
        #expect(abs(Double(actual) - expected) < 1e-5, "\(what): \(actual), expected \(expected)")
    }

    @Test("greedy search follows the locally best token to \"A A\"")
    func greedy() throws {
        let scorer = ScriptedScorer(Self.table)
        let result = try GreedySearch.run(scorer, options: DecodingOptions(maxLength: 10))
        #expect(result.map(\.tokens) == [[Self.a, Self.a]])
        #expect(result.map(\.tokenLogProbs) == [Self.stepLogProbs[[Self.a, Self.a]]!])
        #expect(result.map(\.finished) == [true])
        Self.expectClose(result[0].logProb, -1.89712, "log P of A A")
        #expect(scorer.unscripted.isEmpty, "\(scorer.unscripted)")
    }

    @Test("beam 2 finds the n-best worked out by hand: by log P with length penalty 0, by log P / length with 1",
          arguments: [(Float(0), [BeamSearchTests.b]), (Float(1), [BeamSearchTests.a, BeamSearchTests.a])])
    func beamTwo(lengthPenalty: Float, best: [Int32]) throws {
        let scorer = ScriptedScorer(Self.table)
        let options = DecodingOptions(beamSize: 2, nBest: 2, lengthPenalty: lengthPenalty, maxLength: 10)
        let result = try BeamSearch.run(scorer, options: options)
        #expect(scorer.unscripted.isEmpty, "search asked about unscripted prefixes \(scorer.unscripted)")
        try #require(result.count == 1 && result[0].count == 2)
        let nBest = result[0]
        #expect(nBest.map(\.tokens) == (best == [Self.b] ? [[Self.b], [Self.a, Self.a]] : [[Self.a, Self.a], [Self.b]]))
        #expect(nBest.map(\.finished) == [true, true])
        for hypothesis in nBest {
            let reference = try #require(Self.stepLogProbs[hypothesis.tokens])
            #expect(hypothesis.tokenLogProbs.count == reference.count, "\(hypothesis.tokens)")
            for (actual, wanted) in zip(hypothesis.tokenLogProbs, reference) {
                Self.expectClose(actual, Double(wanted), "a log-probability of \(hypothesis.tokens)")
            }
            // The hand-computed values of the comment above.
            let (logP, score0, score1) = hypothesis.tokens == [Self.b] ? (-1.42712, -1.42712, -0.71356) : (-1.89712, -1.89712, -0.63237)
            Self.expectClose(hypothesis.logProb, logP, "log P of \(hypothesis.tokens)")
            Self.expectClose(hypothesis.score(lengthPenalty: lengthPenalty), lengthPenalty == 0 ? score0 : score1, "score of \(hypothesis.tokens)")
        }

        let single = try BeamSearch.run(ScriptedScorer(Self.table), options: DecodingOptions(beamSize: 2, nBest: 1, lengthPenalty: lengthPenalty, maxLength: 10))
        #expect(single.map { $0.map(\.tokens) } == [[best]])
    }
}
