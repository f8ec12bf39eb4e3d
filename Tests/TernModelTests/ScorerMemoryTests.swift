import TernDecoding
@testable import TernModel
import TestSupport
import Testing

/// What a scorer holds while a batch decodes. Two properties, each of which an earlier version
/// broke at OPUS-MT's shape (58k-id logits, a batch of 32 sentences under beam 4):
/// - one `[R, V]` logits buffer, lent to the workspace for each step and handed back to the
///   search, not a second buffer swapped with it;
/// - no activation buffer sized for the encoder pass (or the prefill) of every source position
///   once the steps have started: they are sized by the rows being decoded.
@Suite struct ScorerMemoryTests {
    static func workspace(of scorer: any StepScorer) -> Workspace {
        if let encoderDecoder = scorer as? EncoderDecoderScorer { return encoderDecoder.workspace }
        return (scorer as! DecoderOnlyScorer).workspace
    }

    @Test("a scorer keeps one logits buffer, and no activations sized for the sources once decoding", arguments: Architecture.allCases)
    func decodingMemory(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture)
        let sources = TinyModels.sources(count: 5, lengths: [3, 9, 5, 12, 1], framedFor: model)
        let scorer = model.makeScorer(sources: sources, cacheMode: .cached)
        let workspace = Self.workspace(of: scorer)
        var scores = TokenScores(vocabularySize: scorer.vocabularySize)
        scorer.start(into: &scores)
        var mostRows = scores.rows
        func check(_ moment: String) {
            #expect(workspace.logits.values.isEmpty, "\(moment): the workspace holds a logits buffer of its own")
            #expect(scores.logits.values.count >= scores.rows * scorer.vocabularySize, "\(moment)")
            for (name, matrix) in [("hidden", workspace.hidden), ("expanded", workspace.expanded)] {
                #expect(matrix.values.count <= mostRows * matrix.columns,
                        "\(moment): \(name) holds \(matrix.values.count / matrix.columns) rows; at most \(mostRows) were decoded")
            }
        }
        check("after start")
        #expect(sources.map(\.count).max()! > 1, "the sources should be longer than one position")
        // Beam-like steps: every row forks into two, then the batch shrinks to its first rows.
        for step in 0..<4 {
            let parents = step < 2 ? (0..<scores.rows).flatMap { [$0, $0] } : Array(0..<max(1, scores.rows / 2))
            scorer.advance(parents: parents, tokens: parents.map { _ in Int32(4) }, into: &scores)
            mostRows = max(mostRows, scores.rows)
            check("after step \(step + 1)")
        }
    }
}
