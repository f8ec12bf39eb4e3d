import TernDecoding
import TernModel
import TestSupport
import Testing

@Suite struct EngineCounterTests {
    @Test("the encoder runs once per batch, cross K/V once per sentence per layer, whatever the beam and length",
          arguments: [1, 2, 5])
    func crossProjectionsOncePerSentence(beamSize: Int) throws {
        let (model, _) = try TinyModels.make(.encoderDecoder)
        let sources = TinyModels.sources(count: 4, lengths: [3, 8, 5, 11], framedFor: model)
        for maxLength in [3, 20] {
            let scorer = model.makeScorer(sources: sources)
            _ = try BeamSearch.run(scorer, options: DecodingOptions(beamSize: beamSize, maxLength: maxLength))
            #expect(scorer.statistics.encoderRuns == 1)
            #expect(scorer.statistics.sentencesEncoded == 4)
            #expect(scorer.statistics.crossAttentionProjections == 4 * model.config.decoderLayers)
            #expect(scorer.statistics.decoderSteps >= 1)
        }
    }

    @Test("without caches, cross K/V are projected again at every step")
    func recomputeProjectsEveryStep() throws {
        let (model, _) = try TinyModels.make(.encoderDecoder)
        let sources = TinyModels.sources(count: 2, lengths: [4, 6], framedFor: model)
        let scorer = model.makeScorer(sources: sources, cacheMode: .recompute)
        _ = try GreedySearch.run(scorer, options: DecodingOptions(maxLength: 10))
        #expect(scorer.statistics.encoderRuns == 1)
        #expect(scorer.statistics.crossAttentionProjections == 2 * model.config.decoderLayers * scorer.statistics.decoderSteps)
        #expect(scorer.statistics.peakSelfCacheBytes == 0)
    }

    @Test("recomputing only the cross K/V gives the same tokens, with one projection per sentence per layer per step")
    func recomputeCrossOnly() throws {
        let (model, _) = try TinyModels.make(.encoderDecoder)
        let sources = TinyModels.sources(count: 3, lengths: [4, 7, 5], framedFor: model)
        let options = DecodingOptions(beamSize: 3, maxLength: 9)
        let cachedScorer = model.makeScorer(sources: sources)
        let cached = try BeamSearch.run(cachedScorer, options: options)
        let scorer = model.makeScorer(sources: sources, cacheMode: .recomputeCross)
        let recomputed = try BeamSearch.run(scorer, options: options)
        #expect(recomputed.map { $0.map(\.tokens) } == cached.map { $0.map(\.tokens) })
        #expect(scorer.statistics.encoderRuns == 1)
        #expect(scorer.statistics.crossAttentionProjections == 3 * model.config.decoderLayers * scorer.statistics.decoderSteps)
        #expect(scorer.statistics.peakSelfCacheBytes == cachedScorer.statistics.peakSelfCacheBytes)
    }

    @Test("peak cache bytes follow the cache layout: 2 · layers · positions · D · 4")
    func cacheBytes() throws {
        let (model, _) = try TinyModels.make(.encoderDecoder)
        let source = TinyModels.sources(count: 1, lengths: [6], framedFor: model)
        let scorer = model.makeScorer(sources: source)
        let result = try GreedySearch.run(scorer, options: DecodingOptions(maxLength: 12))[0]
        let layers = model.config.decoderLayers, width = model.config.dModel
        #expect(scorer.statistics.peakCrossCacheBytes == 2 * layers * 7 * width * 4)
        // The start token plus every generated token that was fed back.
        let positions = result.finished ? result.tokens.count + 1 : result.tokens.count
        #expect(scorer.statistics.peakSelfCacheBytes == 2 * layers * positions * width * 4)
    }

    @Test("invalid options are refused with an error, never a trap")
    func invalidOptions() throws {
        let (model, _) = try TinyModels.make(.encoderDecoder)
        let sources = TinyModels.sources(count: 1, lengths: [3], framedFor: model)
        for options in [DecodingOptions(beamSize: 0), DecodingOptions(beamSize: 2, nBest: 3), DecodingOptions(maxLength: -1),
                        DecodingOptions(lengthPenalty: .nan)] {
            #expect(throws: DecodingError.self) { try BeamSearch.run(model.makeScorer(sources: sources), options: options) }
        }
    }

    @Test("length limits: absolute, relative to the source, and zero", arguments: Architecture.allCases)
    func lengthLimits(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture)
        let sources = TinyModels.sources(count: 3, lengths: [2, 6, 10], framedFor: model)
        func scorer() -> any StepScorer {
            model.makeScorer(sources: sources)
        }
        let zero = try GreedySearch.run(scorer(), options: DecodingOptions(maxLength: 0))
        #expect(zero.allSatisfy { $0.tokens.isEmpty && $0.tokenLogProbs.isEmpty })
        let relative = DecodingOptions(maxLength: 100, relativeMaxLength: .init(factor: 1, offset: 1))
        for beamSize in [1, 3] {
            var options = relative
            options.beamSize = beamSize
            let results = try BeamSearch.run(scorer(), options: options)
            for (index, hypotheses) in results.enumerated() {
                #expect(hypotheses.allSatisfy { $0.tokenLogProbs.count <= model.framing.sourceLength(ofFramed: sources[index]) + 1 })
            }
        }
    }

    @Test("a source longer than the model's positions decodes without trapping", arguments: Architecture.allCases)
    func overlongSource(architecture: Architecture) throws {
        let (model, _) = try TinyModels.make(architecture, maxPositions: 16)
        // Not cut by `framing.source`: 40 pieces and the closing </s> or <sep>, past the 16 positions.
        let framed = TinyModels.sources(count: 1, lengths: [40], framedFor: model)[0]
        let sources = [(0..<40).map { Int32(3 + $0 % 20) } + [framed.last!]]
        let scorer = model.makeScorer(sources: sources)
        let results = try BeamSearch.run(scorer, options: DecodingOptions(beamSize: 2, maxLength: 50))
        #expect(results.count == 1)
        #expect(results[0].allSatisfy { $0.tokenLogProbs.count <= 16 })
    }
}

@Suite struct MinimumLengthTests {
    @Test("with minimum = maximum length every output has exactly that length", arguments: [1, 3])
    func forcedLength(beamSize: Int) throws {
        let (model, _) = try TinyModels.make(.encoderDecoder)
        let sources = TinyModels.sources(count: 3, lengths: [2, 5, 8], framedFor: model)
        let options = DecodingOptions(beamSize: beamSize, maxLength: 17, minLength: 17)
        let results = try BeamSearch.run(model.makeScorer(sources: sources), options: options)
        #expect(results.allSatisfy { $0.allSatisfy { $0.tokens.count == 17 && !$0.tokens.contains(0) } })
    }
}
