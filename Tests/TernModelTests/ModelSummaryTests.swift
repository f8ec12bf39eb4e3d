import Foundation
import TernDecoding
import TernModel
import TestSupport
import Testing

@Suite struct ModelSummaryTests {
    @Test("cache bytes per token match what decoding measures; parameters and file size match the folder",
          arguments: Architecture.allCases)
    func summaryMatchesMeasurement(architecture: Architecture) throws {
        let (model, folder) = try TinyModels.make(architecture)
        let summary = try ModelSummary(directory: folder.path)
        #expect(summary.architecture == architecture)
        #expect(summary.parameters == model.weights.parameterCount)
        let fileBytes = try FileManager.default.attributesOfItem(atPath: folder.file(ModelDirectory.weightsFile))[.size] as? Int
        #expect(summary.fileBytes == fileBytes)
        #expect(summary.storedTypes == ["F32"])

        let sourceLength = 6
        let sources = TinyModels.sources(count: 1, lengths: [sourceLength], framedFor: model)
        let options = DecodingOptions(maxLength: 5, minLength: 5)
        let statistics: EngineStatistics
        if architecture == .encoderDecoder {
            let scorer = model.makeScorer(sources: sources)
            _ = try GreedySearch.run(scorer, options: options)
            statistics = scorer.statistics
        } else {
            let scorer = model.makeScorer(sources: sources)
            _ = try GreedySearch.run(scorer, options: options)
            statistics = scorer.statistics
        }
        // Self-cache positions: the start token (a decoder-only model's separator) and the 4 of
        // the 5 generated tokens fed back, plus a decoder-only model's source. Cross-cache
        // positions: the encoder-decoder's source with its </s>.
        let selfPositions = 5 + (architecture == .encoderDecoder ? 0 : sourceLength)
        #expect(statistics.peakSelfCacheBytes == summary.selfCacheBytesPerToken * selfPositions)
        #expect(statistics.peakCrossCacheBytes == summary.crossCacheBytesPerSourceToken * (sourceLength + 1))
    }
}
