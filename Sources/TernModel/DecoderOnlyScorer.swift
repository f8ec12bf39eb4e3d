import TernDecoding
import TernTensor

/// Runs a decoder-only model (prefix LM or causal LM) for search over `[source ; <sep> ; target]`:
/// the source and separator are prefilled into the self-attention cache in one pass, then each
/// step appends one position per row.
public final class DecoderOnlyScorer: StepScorer {
    public private(set) var statistics = EngineStatistics()
    private let model: Model
    private let prefixes: [[Int32]]
    private let cacheMode: CacheMode
    private let workspace: Workspace
    private var cache: SelfAttentionCache?
    private var sentenceOfRow: [Int] = []
    private var histories: [[Int32]] = []

    /// - Parameter sources: token ids of each source sentence, without `</s>`; the separator is
    ///   appended here.
    /// - Precondition: `model` is decoder-only.
    public init(model: Model, sources: [[Int32]], cacheMode: CacheMode = .cached) {
        precondition(model.architecture.isDecoderOnly, "DecoderOnlyScorer needs a decoder-only model")
        self.model = model
        let separator = Int32(model.config.ternSeparatorTokenId ?? model.config.eosTokenId)
        prefixes = sources.map { $0 + [separator] }
        self.cacheMode = cacheMode
        workspace = model.makeWorkspace()
    }

    public var sentenceCount: Int { prefixes.count }
    public var vocabularySize: Int { model.config.vocabSize }
    public var endToken: Int32 { Int32(model.config.eosTokenId) }
    public var suppressedTokens: [Int32] { model.suppressedTokens }

    public func sourceLength(of sentence: Int) -> Int { prefixes[sentence].count - 1 }
    public func targetCapacity(of sentence: Int) -> Int { model.config.maxPositionEmbeddings - sourceLength(of: sentence) }

    public func start(into logProbs: inout Matrix) {
        sentenceOfRow = Array(prefixes.indices)
        switch cacheMode {
        case .cached, .recomputeCross:
            let cache = SelfAttentionCache(layers: model.decoder.layers.count, width: model.config.dModel, rows: prefixes.count)
            self.cache = cache
            model.decoder.forward(prefixes, mask: mask(for: sentenceOfRow), cross: nil, sentenceOfSequence: sentenceOfRow,
                                  cache: cache, lastOnly: true, workspace: workspace)
            statistics.peakSelfCacheBytes = max(statistics.peakSelfCacheBytes, cache.usedBytes)
            record(positions: prefixes.reduce(0) { $0 + $1.count }, into: &logProbs)
        case .recompute:
            histories = prefixes
            runRecompute(into: &logProbs)
        }
    }

    public func advance(parents: [Int], tokens: [Int32], into logProbs: inout Matrix) {
        sentenceOfRow = parents.map { sentenceOfRow[$0] }
        switch cacheMode {
        case .cached, .recomputeCross:
            cache!.select(parents: parents)
            model.decoder.step(tokens, cache: cache!, cross: nil, sentenceOfRow: sentenceOfRow, workspace: workspace)
            statistics.peakSelfCacheBytes = max(statistics.peakSelfCacheBytes, cache!.usedBytes)
            record(positions: tokens.count, into: &logProbs)
        case .recompute:
            histories = zip(parents, tokens).map { histories[$0] + [$1] }
            runRecompute(into: &logProbs)
        }
    }

    private func runRecompute(into logProbs: inout Matrix) {
        model.decoder.forward(histories, mask: mask(for: sentenceOfRow), cross: nil, sentenceOfSequence: sentenceOfRow,
                              cache: nil, lastOnly: true, workspace: workspace)
        record(positions: histories.reduce(0) { $0 + $1.count }, into: &logProbs)
    }

    /// The mask for rows whose sentences are `sentences`: each row's prefix is its sentence's.
    private func mask(for sentences: [Int]) -> AttentionMask {
        model.decoderOnlyMask(prefixLengths: sentences.map { prefixes[$0].count })
    }

    private func record(positions: Int, into logProbs: inout Matrix) {
        statistics.decoderSteps += 1
        statistics.decoderPositions += positions
        Kernels.logSoftmax(&workspace.logits)
        swap(&logProbs, &workspace.logits)
    }
}
