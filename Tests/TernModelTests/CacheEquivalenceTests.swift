import TernDecoding
import TernModel
import TernTensor
import TestSupport
import Testing

/// Incremental decoding with caches must equal recomputing everything without them, in every
/// mode and under every search.
@Suite struct CacheEquivalenceTests {
    static let architectures = Architecture.allCases

    static func scorer(_ model: Model, _ sources: [[Int32]], _ mode: CacheMode) -> any StepScorer {
        model.makeScorer(sources: sources, cacheMode: mode)
    }

    static func sources(for model: Model, count: Int = 5) -> [[Int32]] {
        TinyModels.sources(count: count, lengths: [3, 9, 5, 12, 1], framedFor: model)
    }

    @Test("greedy: cached and recomputed decoding give the same tokens and log-probs", arguments: architectures)
    func greedy(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture)
        let sources = Self.sources(for: model)
        let options = DecodingOptions(maxLength: 30)
        let cached = try GreedySearch.run(Self.scorer(model, sources, .cached), options: options)
        let recomputed = try GreedySearch.run(Self.scorer(model, sources, .recompute), options: options)
        #expect(cached.map(\.tokens) == recomputed.map(\.tokens))
        expectClose(cached.flatMap(\.tokenLogProbs), recomputed.flatMap(\.tokenLogProbs), tolerance: 1e-4)
        #expect(cached.contains { $0.tokens.count > 5 }, "the test should decode more than a few steps")
    }

    @Test("beam 4: cached and recomputed decoding give the same hypotheses", arguments: architectures)
    func beam(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture)
        let sources = Self.sources(for: model)
        let options = DecodingOptions(beamSize: 4, nBest: 3, maxLength: 30)
        let cached = try BeamSearch.run(Self.scorer(model, sources, .cached), options: options)
        let recomputed = try BeamSearch.run(Self.scorer(model, sources, .recompute), options: options)
        #expect(cached.map { $0.map(\.tokens) } == recomputed.map { $0.map(\.tokens) })
        expectClose(cached.flatMap { $0.flatMap(\.tokenLogProbs) }, recomputed.flatMap { $0.flatMap(\.tokenLogProbs) }, tolerance: 1e-4)
    }

    @Test("beam size 1 equals greedy", arguments: architectures)
    func beamOneIsGreedy(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture)
        let sources = Self.sources(for: model)
        let greedy = try GreedySearch.run(Self.scorer(model, sources, .cached), options: DecodingOptions(maxLength: 30))
        let beam = try BeamSearch.run(Self.scorer(model, sources, .cached), options: DecodingOptions(beamSize: 1, maxLength: 30))
        #expect(beam.map { $0[0].tokens } == greedy.map(\.tokens))
        expectClose(beam.flatMap { $0[0].tokenLogProbs }, greedy.flatMap(\.tokenLogProbs), tolerance: 1e-5)
    }

    @Test("each sentence alone equals the same sentence inside a padded batch of mixed lengths", arguments: architectures)
    func batchInvariance(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture)
        let sources = Self.sources(for: model, count: 6)
        for options in [DecodingOptions(maxLength: 25), DecodingOptions(beamSize: 3, maxLength: 25)] {
            let batch = try BeamSearch.run(Self.scorer(model, sources, .cached), options: options)
            for (index, source) in sources.enumerated() {
                let alone = try BeamSearch.run(Self.scorer(model, [source], .cached), options: options)[0]
                #expect(alone.map(\.tokens) == batch[index].map(\.tokens), "sentence \(index)")
                expectClose(alone.flatMap(\.tokenLogProbs), batch[index].flatMap(\.tokenLogProbs), tolerance: 1e-4)
            }
        }
    }

    @Test("the engine's logits equal a naive reference implementation's", arguments: architectures)
    func naiveReference(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture)
        let reference = NaiveReference(weights: model.weights)
        let sources = Self.sources(for: model, count: 3)
        let start: [Int32] = architecture == .encoderDecoder ? [Int32(model.config.decoderStartTokenId)] : []
        let targets = sources.enumerated().map { index, source in
            // Decoder-only sources are framed with their <sep> already.
            (architecture == .encoderDecoder ? start : source) + [5, 9, 14, 22, 7].prefix(index + 3)
        }
        let logits = model.logits(sources: sources, targets: targets)
        let paddedLength = targets.map(\.count).max()!
        for (index, target) in targets.enumerated() {
            let expected = reference.logits(source: sources[index], target: target).flatMap { $0 }
            let start = index * paddedLength * logits.columns
            expectClose(Array(logits.values[start..<(start + target.count * logits.columns)]), expected, tolerance: 1e-4)
        }
    }

    @Test("incremental steps give the same log-probs as one teacher-forced pass", arguments: architectures)
    func stepMatchesForward(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture)
        let source = Self.sources(for: model, count: 1)[0]
        let continuation: [Int32] = [5, 9, 14, 22]
        let scorer = Self.scorer(model, [source], .cached)
        var stepScores = TokenScores(vocabularySize: model.config.vocabSize)
        scorer.start(into: &stepScores)
        var collected = stepScores.logProbabilities(row: 0)
        for token in continuation {
            scorer.advance(parents: [0], tokens: [token], into: &stepScores)
            collected += stepScores.logProbabilities(row: 0)
        }
        let prefix: [Int32] = architecture == .encoderDecoder ? [Int32(model.config.decoderStartTokenId)] : source
        var forward = TokenScores(vocabularySize: model.config.vocabSize)
        var logits = model.logits(sources: [source], targets: [prefix + continuation])
        forward.replace(with: &logits)
        let firstPredicting = prefix.count - 1
        expectClose(collected, (firstPredicting..<forward.rows).flatMap { forward.logProbabilities(row: $0) }, tolerance: 1e-4)
    }

    @Test("a reordered cache plus one step equals a fresh run on the reordered prefixes", arguments: architectures)
    func reorderedCache(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture)
        let source = Self.sources(for: model, count: 1)[0]
        // Three rows of one sentence with different histories, then reorder to [2, 0, 0].
        let scorer = Self.scorer(model, [source], .cached)
        var scores = TokenScores(vocabularySize: model.config.vocabSize)
        scorer.start(into: &scores)
        scorer.advance(parents: [0, 0, 0], tokens: [5, 6, 7], into: &scores)
        scorer.advance(parents: [0, 1, 2], tokens: [8, 9, 10], into: &scores)
        scorer.advance(parents: [2, 0, 0], tokens: [11, 12, 13], into: &scores)
        let reordered: [[Int32]] = [[7, 10, 11], [5, 8, 12], [5, 8, 13]]
        for (row, history) in reordered.enumerated() {
            let fresh = Self.scorer(model, [source], .recompute)
            var expected = TokenScores(vocabularySize: model.config.vocabSize)
            fresh.start(into: &expected)
            for token in history { fresh.advance(parents: [0], tokens: [token], into: &expected) }
            expectClose(scores.logProbabilities(row: row), expected.logProbabilities(row: 0), tolerance: 1e-4)
        }
    }
}
