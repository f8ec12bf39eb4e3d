import Foundation
import TernCompare
import TernEval
import TernModel
import TernTranslate
import TestSupport
import Testing

/// The comparison's numbers on random models: the JSON report's fields are all there and agree
/// with each other, with the engine's counters and with TernEval.
@Suite struct ComparisonTests {
    @Test("the JSON report has every documented field, and they agree with each other")
    func jsonSchema() throws {
        let fixture = try CompareFixture()
        let result = try CompareTool.run(fixture.request(cacheAblation: true))
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.rendered.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["pair", "decoding", "scoring", "modes", "sentences"])
        let modes = try #require(object["modes"] as? [[String: Any]])
        let required: Set<String> = [
            "label", "mode", "cache", "folder", "parameters", "sentences", "generatedTokens", "decoderSteps", "decoderPositions",
            "encoderRuns", "sentencesEncoded", "crossAttentionProjections", "peakSelfCacheBytes", "peakCrossCacheBytes",
            "totalSeconds", "tokensPerSecond", "latencyP50Ms", "latencyP95Ms", "timeToFirstTokenP50Ms", "bleu", "chrf",
        ]
        #expect(modes.count == 6, "three modes, each cached and recompute")
        for mode in modes {
            #expect(required.isSubset(of: Set(mode.keys)), "missing: \(required.subtracting(mode.keys))")
        }
        let sentences = try #require(object["sentences"] as? [[String: Any]])
        #expect(sentences.count == CompareFixture.lines.count)
        for sentence in sentences {
            #expect(Set(sentence.keys) == ["index", "source", "reference", "outputs", "measurements"])
        }

        let report = try JSONReport.parse(result.rendered)
        #expect(report == result.report, "the JSON reads back to the same report")
        #expect(report.modes.map(\.label) == ["encdec", "encdec/recompute", "prefix-lm", "prefix-lm/recompute", "causal-lm", "causal-lm/recompute"])
        let count = CompareFixture.lines.count
        for mode in report.modes {
            #expect(mode.sentences == count)
            let measurements = report.sentences.map { $0.measurements[mode.label]! }
            #expect(mode.decoderSteps == measurements.reduce(0) { $0 + $1.decoderSteps })
            #expect(mode.generatedTokens == measurements.reduce(0) { $0 + $1.generatedTokens })
            #expect(mode.tokensPerSecond > 0 && mode.totalSeconds > 0)
            let (p50, p95, ttft) = (try #require(mode.latencyP50Ms), try #require(mode.latencyP95Ms), try #require(mode.timeToFirstTokenP50Ms))
            #expect(p50 <= p95 && ttft <= p95 && ttft > 0)
            #expect(measurements.allSatisfy { ($0.timeToFirstTokenMs ?? .infinity) <= $0.latencyMs })
            #expect(mode.peakSelfCacheBytes > 0 || mode.cache == "recompute")
            if mode.mode == "encdec" {
                #expect(mode.encoderRuns == count, "one encoder run per sentence at batch 1")
                #expect(mode.sentencesEncoded == count)
                #expect(mode.peakCrossCacheBytes > 0 || mode.cache == "recompute")
                #expect(mode.crossAttentionProjections > 0)
            } else {
                #expect(mode.encoderRuns == 0 && mode.sentencesEncoded == 0 && mode.crossAttentionProjections == 0)
                #expect(mode.peakCrossCacheBytes == 0)
            }
        }
        let parameters = Dictionary(grouping: report.modes, by: \.mode).mapValues { Set($0.map(\.parameters)) }
        #expect(parameters.values.allSatisfy { $0.count == 1 }, "cached and recompute rows share their model")
        #expect(parameters["encdec"]!.first! > parameters["prefix-lm"]!.first!, "the encoder-decoder has an encoder and cross-attention")
    }

    @Test("cache-ablation rows give the same tokens as the cached rows, and say so")
    func cacheAblation() throws {
        let fixture = try CompareFixture()
        let report = try CompareTool.run(fixture.request(cacheAblation: true)).report
        for mode in Architecture.allCases {
            let cached = try #require(report.modes.first { $0.label == mode.rawValue })
            let recompute = try #require(report.modes.first { $0.label == mode.rawValue + "/recompute" })
            #expect(recompute.cache == "recompute" && cached.cache == "cached")
            #expect(recompute.sameOutputsAsCached == true && recompute.differingSentences == [])
            #expect(cached.sameOutputsAsCached == nil)
            #expect(report.sentences.allSatisfy { $0.outputs[cached.label] == $0.outputs[recompute.label] })
            #expect(recompute.generatedTokens == cached.generatedTokens)
            #expect(recompute.peakSelfCacheBytes == 0 && recompute.peakCrossCacheBytes == 0, "no caches kept")
            #expect(recompute.decoderPositions > cached.decoderPositions, "recomputing runs every position again")
        }
    }

    @Test("BLEU and chrF are TernEval's corpus scores of the same outputs", arguments: BLEUTokenization.allCases)
    func scores(tokenization: BLEUTokenization) throws {
        let fixture = try CompareFixture()
        var request = fixture.request()
        request.settings.tokenization = tokenization
        // A reference equal to one model's output for some lines, so that scores are not all 0.
        let first = try CompareTool.run(request).report
        var references = CompareFixture.references
        references[0] = first.sentences[0].outputs["encdec"]!
        references[1] = first.sentences[1].outputs["prefix-lm"]!
        request.references = references
        let report = try CompareTool.run(request).report
        #expect(report.scoring?.tokenize == tokenization.rawValue)
        #expect(report.scoring?.bleuSignature == BLEU(tokenization: tokenization).signature(referenceCount: 1))
        for mode in report.modes {
            let outputs = report.sentences.map { $0.outputs[mode.label]! }
            #expect(mode.bleu == (try BLEU(tokenization: tokenization).corpusScore(hypotheses: outputs, references: [references]).score))
            #expect(mode.chrf == (try CHRF().corpusScore(hypotheses: outputs, references: [references]).score))
        }
        #expect(report.modes.contains { ($0.bleu ?? 0) > 0 })
    }

    @Test("without a reference there are no scores, and the rest is unchanged")
    func noReference() throws {
        let fixture = try CompareFixture()
        let report = try CompareTool.run(fixture.request(references: nil)).report
        #expect(report.scoring == nil)
        #expect(report.modes.allSatisfy { $0.bleu == nil && $0.chrf == nil })
        #expect(report.sentences.allSatisfy { $0.reference == nil })
        let json = try JSONReport.render(report)
        #expect(!json.contains("\"bleu\"") && !json.contains("\"reference\""))
    }

    @Test("outputs are Translator's, one line at a time, with per-line counters", arguments: Architecture.allCases)
    func outputsMatchTranslator(mode: Architecture) throws {
        let fixture = try CompareFixture()
        let translator = try Translator(modelDirectory: fixture.paths[mode]!)
        let options = CompareFixture.settings.options
        let expected = try translator.translate(CompareFixture.lines, options: options).map(\.text)
        let run = try ModeRunner(translator: translator).run(CompareFixture.lines + ["   "], options: options)
        #expect(run.sentences.dropLast().map(\.output) == expected)
        #expect(run.sentences.last?.output == "" && run.sentences.last?.timeToFirstTokenSeconds == nil, "a blank line runs no model")
        #expect(run.sentences.dropLast().allSatisfy { $0.decoderSteps >= 1 && $0.decoderSteps <= $0.generatedTokens + 1 })
        #expect(run.statistics.encoderRuns == (mode == .encoderDecoder ? CompareFixture.lines.count : 0))
    }

    @Test("beam search runs too, and gives Translator's outputs")
    func beamSearch() throws {
        let fixture = try CompareFixture()
        let translator = try Translator(modelDirectory: fixture.paths[.prefixLM]!)
        let options = TranslationOptions(decoding: .init(beamSize: 3, maxLength: 10))
        let expected = try translator.translate(CompareFixture.lines, options: options).map(\.text)
        #expect(try ModeRunner(translator: translator).run(CompareFixture.lines, options: options).sentences.map(\.output) == expected)
    }

    @Test("a reference with a different number of lines is a clear error, before any model loads")
    func mismatchedReference() throws {
        var request = CompareRequest(folders: [.encoderDecoder: "/nonexistent"], lines: CompareFixture.lines,
                                     references: Array(CompareFixture.references.prefix(2)))
        #expect(throws: CompareError.referenceLineCount(input: 4, reference: 2)) { try CompareTool.run(request) }
        #expect(CompareError.referenceLineCount(input: 4, reference: 2).localizedDescription
            == "the reference has 2 lines but the input has 4; --reference must hold one line per input line")
        request.references = nil
        request.lines = []
        #expect(throws: CompareError.noInput) { try CompareTool.run(request) }
    }

    @Test("percentiles interpolate linearly between ranks, as NumPy does")
    func percentiles() {
        #expect(Percentile.of([], 50) == nil)
        #expect(Percentile.of([7], 95) == 7)
        #expect(Percentile.of([4, 1, 3, 2], 50) == 2.5)
        #expect(abs(Percentile.of([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)! - 9.55) < 1e-12)
    }

    @Test("model folders come from --model, explicit folders and --modes")
    func modelSelection() throws {
        let explicit = try ModelSelection.resolve(model: nil, folders: [.causalLM: "/m/en-de/causal-lm", .encoderDecoder: "/m/en-de/encdec"], modes: nil)
        #expect(explicit.folders.map(\.mode) == [.encoderDecoder, .causalLM])
        #expect(explicit.pair == "en-de")
        let other = try ModelSelection.resolve(model: nil, folders: [.prefixLM: "/tmp/some-model"], modes: nil)
        #expect(other.pair == "some-model")
        #expect(try ModelSelection.parseModes("encdec, causal-lm") == [.encoderDecoder, .causalLM])
        #expect(throws: CompareError.self) { try ModelSelection.parseModes("encdec,rnn") }
        #expect(throws: ModelError.self) { try ModelSelection.resolve(model: "no-such-pair", folders: [:], modes: nil) }
    }
}
