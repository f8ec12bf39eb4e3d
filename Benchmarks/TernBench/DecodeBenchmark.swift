import ArgumentParser
import Foundation
import TernDecoding
import TernIO
import TernModel
import TernTokenizer

/// Decoding speed and cache memory of the engine, on a trained model folder or on a seeded
/// random model of a given size (the speed of a network does not depend on its weights, only
/// on its shape and on how many tokens it generates).
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decoding tokens/s (greedy, beam 4; batch 1, 32), cached vs no-cache, KV-cache bytes per token."
    )

    @Option(help: "Source sentences, one per line.") var input: String
    @Option(help: "Vocabulary folder that tokenizes the input.") var vocab: String
    @Option(help: "Model folder per mode, MODE=DIR (encdec, prefix-lm, causal-lm). Without it, random models.")
    var model: [String] = []
    @Option(help: "Random models: layers (encoder and decoder each; decoder-only models get twice this).") var layers = 4
    @Option(help: "Random models: model width.") var width = 128
    @Option(help: "Random models: feed-forward width.") var feedForward = 256
    @Option(help: "Random models: attention heads.") var heads = 4
    @Option(help: "Sentences used for the throughput runs.") var sentences = 64
    @Option(help: "Forced output lengths for the cache comparison.") var lengths: [Int] = [32, 64, 128, 256]

    func run() throws {
        let tokenizer = try Tokenizer(vocabulary: VocabularyStore.load(from: vocab))
        let lines = try LineReader(path: input).readAllLines().map(\.text).filter { !$0.isEmpty }.prefix(sentences)
        let tokenized = lines.map { tokenizer.encode($0) }
        let models = try Architecture.allCases.map { try loadModel($0, vocabularySize: tokenizer.vocabulary.size) }
        print("BLAS threads: \(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "default"); \(lines.count) sentences")
        for model in models {
            print("\(model.architecture.rawValue): \(model.weights.parameterCount) parameters")
        }

        print("\nthroughput (max 64 tokens per sentence, caches on)")
        print("mode\tsearch\tbatch\ttokens/s\tms/sentence")
        for model in models {
            let sources = tokenized.map(model.framing.source)
            for (name, options) in [("greedy", DecodingOptions(maxLength: 64)), ("beam4", DecodingOptions(beamSize: 4, maxLength: 64))] {
                for batchSize in [1, 32] {
                    let measured = try decode(model, sources, batchSize: batchSize, options: options, cacheMode: .cached)
                    print(String(format: "%@\t%@\t%d\t%.0f\t%.2f", model.architecture.rawValue, name, batchSize,
                                 Double(measured.tokens) / measured.seconds, 1000 * measured.seconds / Double(sources.count)))
                }
            }
        }

        print("\ncached vs no-cache, greedy, batch 1, forced output length (median of the per-sentence times)")
        print("cross recomputed: the self-attention cache kept, the cross-attention K/V projected again at every step")
        print("mode\tlength\tcached ms\tno-cache ms\tspeed-up\tcross recomputed ms\tcross cache speed-up\tself KV bytes/token\tcross KV bytes/sentence")
        let comparisonSources = Array(tokenized.prefix(8))
        for model in models {
            let sources = comparisonSources.map(model.framing.source)
            for length in lengths {
                // A length beyond the model's positions runs on random weights of the same shape
                // with room for it: with the output length forced, the time does not depend on the weights.
                let needed = length + (sources.map(\.count).max() ?? 0) + 2
                let timed = needed <= model.config.maxPositionEmbeddings ? model : try sameShape(as: model, positions: max(512, needed))
                let options = DecodingOptions(maxLength: length, minLength: length)
                let cached = try decode(timed, sources, batchSize: 1, options: options, cacheMode: .cached)
                let recomputed = try decode(timed, sources, batchSize: 1, options: options, cacheMode: .recompute)
                let crossRecomputed = model.architecture == .encoderDecoder
                    ? try decode(timed, sources, batchSize: 1, options: options, cacheMode: .recomputeCross) : nil
                let selfBytesPerToken = Double(cached.statistics.peakSelfCacheBytes) / Double(cached.maxPositions)
                print(String(format: "%@%@\t%d\t%.2f\t%.2f\t%.1f×\t%@\t%@\t%.0f\t%d", model.architecture.rawValue,
                             timed === model ? "" : " (random weights)", length,
                             1000 * cached.medianSentenceSeconds, 1000 * recomputed.medianSentenceSeconds,
                             recomputed.medianSentenceSeconds / cached.medianSentenceSeconds,
                             crossRecomputed.map { String(format: "%.2f", 1000 * $0.medianSentenceSeconds) } ?? "–",
                             crossRecomputed.map { String(format: "%.2f×", $0.medianSentenceSeconds / cached.medianSentenceSeconds) } ?? "–",
                             selfBytesPerToken, cached.statistics.peakCrossCacheBytes))
            }
        }
    }

    private struct Measurement {
        var seconds: Double
        var tokens: Int
        var medianSentenceSeconds: Double
        var statistics: EngineStatistics
        /// The most self-attention positions one row held.
        var maxPositions: Int
    }

    private func decode(_ model: Model, _ sources: [[Int32]], batchSize: Int, options: DecodingOptions, cacheMode: CacheMode) throws -> Measurement {
        var tokens = 0, batchTimes: [Double] = [], statistics = EngineStatistics(), maxPositions = 0
        for start in stride(from: 0, to: sources.count, by: batchSize) {
            let batch = Array(sources[start..<min(start + batchSize, sources.count)])
            let began = DispatchTime.now().uptimeNanoseconds
            let (hypotheses, batchStatistics) = try search(model, batch, options: options, cacheMode: cacheMode)
            batchTimes.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9)
            tokens += hypotheses.reduce(0) { $0 + ($1.first?.tokenLogProbs.count ?? 0) }
            statistics.merge(batchStatistics)
            // The prefix (start token, or source and separator) plus every generated token fed back: all but the last.
            let prefix = batch.map { model.framing.decoderPrefix(ofFramed: $0).count }.max()!
            maxPositions = max(maxPositions, prefix + (hypotheses.map { $0.first?.tokenLogProbs.count ?? 0 }.max() ?? 0) - 1)
        }
        let perSentence = batchTimes.map { $0 / Double(batchSize) }.sorted()
        return Measurement(seconds: batchTimes.reduce(0, +), tokens: tokens, medianSentenceSeconds: perSentence[perSentence.count / 2],
                           statistics: statistics, maxPositions: max(1, maxPositions))
    }

    private func search(_ model: Model, _ batch: [[Int32]], options: DecodingOptions, cacheMode: CacheMode) throws -> ([[Hypothesis]], EngineStatistics) {
        let scorer = model.makeScorer(sources: batch, cacheMode: cacheMode)
        return (try Search.run(scorer, options: options), scorer.statistics)
    }

    /// Random weights in the shape of `model`, with `positions` positions.
    private func sameShape(as model: Model, positions: Int) throws -> Model {
        var config = model.config
        config.maxPositionEmbeddings = positions
        return try randomModel(config, model.architecture)
    }

    private func loadModel(_ architecture: Architecture, vocabularySize: Int) throws -> Model {
        if let entry = model.first(where: { $0.hasPrefix(architecture.rawValue + "=") }) {
            return try ModelDirectory.load(String(entry.dropFirst(architecture.rawValue.count + 1)))
        }
        let decoderLayers = architecture == .encoderDecoder ? layers : 2 * layers
        let config = ModelConfig(architecture: architecture, vocabularySize: vocabularySize, width: width, encoderLayers: layers,
                                 decoderLayers: decoderLayers, heads: heads, feedForwardWidth: feedForward, maxPositions: 512)
        return try randomModel(config, architecture)
    }

    /// Seeded random weights for `config`, rounded to F16 like the bundled models' files, so that
    /// they take the same (F16) single-row products.
    private func randomModel(_ config: ModelConfig, _ architecture: Architecture) throws -> Model {
        let parameters = ParameterInitializer(deviation: 0.1).parameters(for: config, architecture: architecture)
            .map { (name: $0.name, shape: $0.shape, values: $0.values.map { Float(Float16($0)) }) }
        return Model(weights: try ModelWeights(config: config, architecture: architecture, file: TensorDictionary(parameters)))
    }
}
