import Foundation
import TernDecoding
import TernModel
import TernTensor
import TestSupport
import Testing

/// Parity with Hugging Face transformers on a tiny random `MarianMTModel` written by
/// `Fixtures/make_marian_fixture.py` (versions in `Fixtures/README.md`).
@Suite struct MarianParityTests {
    struct Fixture: Decodable {
        struct TeacherForcing: Decodable {
            struct Sentence: Decodable {
                var decoderInputIds: [Int32]
                var logits: [[Float]]
            }
            struct PaddedBatch: Decodable {
                var sentenceIndex: Int
                var logits: [[Float]]
            }
            var perSentence: [Sentence]
            var encoderLastHiddenStateSentence0: [[Float]]
            var paddedBatch: PaddedBatch
        }
        struct Greedy: Decodable {
            struct Result: Decodable {
                var ids: [Int32]
                var eosForced: Bool
                var logprobRaw: [Float]
            }
            var results: [Result]
        }
        struct Beam: Decodable {
            struct Result: Decodable {
                struct Hypothesis: Decodable {
                    var ids: [Int32]
                    var hitMaxNewTokens: Bool
                    var sequencesScore: Float
                }
                var hypotheses: [Hypothesis]
            }
            var results: [Result]
        }
        var sources: [[Int32]]
        var teacherForcing: TeacherForcing
        var greedy: Greedy
        var beam4: Beam
    }

    static let folder = PackagePaths.file("Tests/TernModelTests/Fixtures/marian-tiny")

    static func load() throws -> (Model, Fixture) {
        let data = try Data(contentsOf: URL(fileURLWithPath: PackagePaths.file("Tests/TernModelTests/Fixtures/marian_tiny_fixture.json")))
        return (try ModelDirectory.load(folder), try JSONDecoder.snakeCaseKeys.decode(Fixture.self, from: data))
    }

    @Test("the model folder written by transformers loads, every tensor accounted for")
    func loadsHuggingFaceFolder() throws {
        let (model, _) = try Self.load()
        let file = try SafeTensorsFile(path: Self.folder + "/model.safetensors")
        let expected = TensorLayout(config: model.config, architecture: .encoderDecoder).parameters
        #expect(Set(expected.map(\.name)) == Set(file.tensors.keys))
        for tensor in expected { #expect(file.tensors[tensor.name]?.shape == tensor.shape, "\(tensor.name)") }
        #expect(model.architecture == .encoderDecoder)
    }

    @Test("encoder output matches transformers within 1e-4")
    func encoderOutput() throws {
        let (model, fixture) = try Self.load()
        let memory = try #require(model.encode([fixture.sources[0]]))
        let expected = fixture.teacherForcing.encoderLastHiddenStateSentence0
        expectClose(memory.states.values, expected.flatMap { $0 }, tolerance: 1e-4)
    }

    @Test("teacher-forced logits match transformers within 1e-4, alone and in a padded batch")
    func teacherForcedLogits() throws {
        let (model, fixture) = try Self.load()
        for (index, sentence) in fixture.teacherForcing.perSentence.enumerated() {
            let logits = model.logits(sources: [fixture.sources[index]], targets: [sentence.decoderInputIds])
            expectClose(logits.values, sentence.logits.flatMap { $0 }, tolerance: 1e-4)
        }
        let batch = model.logits(sources: fixture.sources, targets: fixture.teacherForcing.perSentence.map(\.decoderInputIds))
        let index = fixture.teacherForcing.paddedBatch.sentenceIndex
        let length = fixture.teacherForcing.perSentence[index].decoderInputIds.count
        let rows = Array(batch.values[(index * length * batch.columns)..<((index + 1) * length * batch.columns)])
        expectClose(rows, fixture.teacherForcing.paddedBatch.logits.flatMap { $0 }, tolerance: 1e-4)
    }

    @Test("greedy search gives transformers' tokens; where transformers forces </s> at the limit, Tern stops there instead")
    func greedyTokens() throws {
        let (model, fixture) = try Self.load()
        let options = DecodingOptions(maxLength: 24)
        let results = try GreedySearch.run(model.makeScorer(sources: fixture.sources), options: options)
        for (result, expected) in zip(results, fixture.greedy.results) {
            if expected.eosForced {
                #expect(!result.finished)
                #expect(result.tokens.prefix(23) == expected.ids.prefix(23))
                #expect(result.tokens.count == 24)
            } else {
                #expect(result.finished)
                #expect(result.tokens + [0] == expected.ids)
                expectClose(result.tokenLogProbs, expected.logprobRaw, tolerance: 1e-4)
            }
        }
    }

    @Test("beam search (k = 4, 4-best) gives transformers' hypotheses and scores for sentences that finish naturally")
    func beamHypotheses() throws {
        let (model, fixture) = try Self.load()
        let options = DecodingOptions(beamSize: 4, nBest: 4, lengthPenalty: 1, maxLength: 24)
        let results = try BeamSearch.run(model.makeScorer(sources: fixture.sources), options: options)
        var compared = 0
        for (result, expected) in zip(results, fixture.beam4.results) where !expected.hypotheses.contains(where: \.hitMaxNewTokens) {
            #expect(result.map { $0.tokens + [0] } == expected.hypotheses.map(\.ids))
            expectClose(result.map { $0.score(lengthPenalty: 1) }, expected.hypotheses.map(\.sequencesScore), tolerance: 1e-4)
            compared += 1
        }
        #expect(compared >= 2)
    }
}

extension JSONDecoder {
    static var snakeCaseKeys: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
