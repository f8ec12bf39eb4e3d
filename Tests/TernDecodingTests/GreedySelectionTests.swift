import TernDecoding
import TernModel
import TernTensor
import Testing

/// A scorer that replays seeded log-probabilities with many ties, whose row maximum is often a
/// suppressed token or the end token.
private final class TiedScorer: StepScorer {
    let sentenceCount = 3
    let vocabularySize = 37
    let endToken: Int32 = 0
    let suppressedTokens: [Int32] = [3, 5, 36]
    private var generator: SplitMix64
    private(set) var rowsByStep: [[[Float]]] = []

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    func sourceLength(of sentence: Int) -> Int { 4 }
    func targetCapacity(of sentence: Int) -> Int { 12 }
    func start(into scores: inout TokenScores) { fill(rows: sentenceCount, into: &scores) }
    func advance(parents: [Int], tokens: [Int32], into scores: inout TokenScores) { fill(rows: parents.count, into: &scores) }

    private func fill(rows: Int, into scores: inout TokenScores) {
        let step = (0..<rows).map { _ in
            var row = (0..<vocabularySize).map { _ in -Float(generator.next() % 6) }
            if generator.next() % 2 == 0 { row[Int([3, 5, 36, 0][Int(generator.next() % 4)])] = 1 }
            return row
        }
        rowsByStep.append(step)
        scores = TokenScores(logProbabilities: Matrix(rows: rows, columns: vocabularySize, values: step.flatMap { $0 }))
    }
}

@Suite struct GreedySelectionTests {
    @Test("greedy takes the first most probable allowed token, skipping suppressed ones and </s> before the minimum length",
          arguments: [1, 2, 3, 4] as [UInt64])
    func firstAllowedMaximum(seed: UInt64) throws {
        let scorer = TiedScorer(seed: seed)
        let minLength = 3
        let results = try GreedySearch.run(scorer, options: DecodingOptions(maxLength: 12, minLength: minLength))
        // Replay with a naive scan over the recorded rows, following the same sentences.
        var active = Array(0..<scorer.sentenceCount), expected = [[Int32]](repeating: [], count: scorer.sentenceCount)
        for step in scorer.rowsByStep {
            var next: [Int] = []
            for (row, sentence) in active.enumerated() {
                let banned = Set(scorer.suppressedTokens + (expected[sentence].count >= minLength ? [] : [scorer.endToken]))
                var best = -1
                for token in 0..<scorer.vocabularySize where !banned.contains(Int32(token)) {
                    if best < 0 || step[row][token] > step[row][best] { best = token }
                }
                if Int32(best) == scorer.endToken { continue }
                expected[sentence].append(Int32(best))
                if expected[sentence].count < 12 { next.append(sentence) }
            }
            active = next
        }
        #expect(results.map(\.tokens) == expected)
    }
}
