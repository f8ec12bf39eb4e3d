import TernDecoding
import TernTensor

/// Runs an encoder-decoder model for search: encodes the sources exactly once, projects the
/// cross-attention keys and values once per sentence, then extends the self-attention cache one
/// position per step. Beams are rows mapped to their sentence; they share its cross cache.
public final class EncoderDecoderScorer: StepScorer {
    public private(set) var statistics = EngineStatistics()
    private let model: Model
    private let encoder: Encoder
    private let sources: [[Int32]]
    private let cacheMode: CacheMode
    private let workspace: Workspace
    private var memory: EncoderOutput?
    private var cross: CrossAttentionCache?
    private var cache: SelfAttentionCache?
    private var sentenceOfRow: [Int] = []
    /// Every row's tokens so far, start token included (the recompute mode reruns them).
    private var histories: [[Int32]] = []

    /// - Parameter sources: token ids of each source sentence, each ending with `</s>`.
    /// - Precondition: `model` is an encoder-decoder.
    public init(model: Model, sources: [[Int32]], cacheMode: CacheMode = .cached) {
        precondition(model.encoder != nil, "EncoderDecoderScorer needs an encoder-decoder model")
        self.model = model
        encoder = model.encoder!
        self.sources = sources
        self.cacheMode = cacheMode
        workspace = model.makeWorkspace()
    }

    public var sentenceCount: Int { sources.count }
    public var vocabularySize: Int { model.config.vocabSize }
    public var endToken: Int32 { Int32(model.config.eosTokenId) }
    public var suppressedTokens: [Int32] { model.suppressedTokens }

    public func sourceLength(of sentence: Int) -> Int { sources[sentence].count }
    public func targetCapacity(of sentence: Int) -> Int { model.config.maxPositionEmbeddings }

    public func start(into logProbs: inout Matrix) {
        let memory = encoder.encode(sources, workspace: workspace)
        self.memory = memory
        statistics.encoderRuns += 1
        statistics.sentencesEncoded += sources.count
        sentenceOfRow = Array(sources.indices)
        let startTokens = [Int32](repeating: Int32(model.config.decoderStartTokenId), count: sources.count)
        switch cacheMode {
        case .cached, .recomputeCross:
            keepCross()
            cache = SelfAttentionCache(layers: model.decoder.layers.count, width: model.config.dModel, rows: sources.count)
            runStep(startTokens, into: &logProbs)
        case .recompute:
            histories = startTokens.map { [$0] }
            runRecompute(into: &logProbs)
        }
    }

    public func advance(parents: [Int], tokens: [Int32], into logProbs: inout Matrix) {
        sentenceOfRow = parents.map { sentenceOfRow[$0] }
        switch cacheMode {
        case .cached, .recomputeCross:
            cache!.select(parents: parents)
            if cacheMode == .recomputeCross { keepCross() }
            runStep(tokens, into: &logProbs)
        case .recompute:
            histories = zip(parents, tokens).map { histories[$0] + [$1] }
            runRecompute(into: &logProbs)
        }
    }

    /// Projects the cross-attention keys and values of every sentence from the encoder output,
    /// counting the projections.
    private func projectCross() -> CrossAttentionCache {
        let cross = CrossAttentionCache(memory: memory!, layers: model.decoder.layers)
        statistics.crossAttentionProjections += sources.count * cross.keys.count
        return cross
    }

    /// Projects the cross-attention keys and values and keeps them for the following steps.
    private func keepCross() {
        let cross = projectCross()
        self.cross = cross
        statistics.peakCrossCacheBytes = max(statistics.peakCrossCacheBytes, cross.byteCount)
    }

    private func runStep(_ tokens: [Int32], into logProbs: inout Matrix) {
        model.decoder.step(tokens, cache: cache!, cross: cross, sentenceOfRow: sentenceOfRow, workspace: workspace)
        statistics.decoderSteps += 1
        statistics.decoderPositions += tokens.count
        statistics.peakSelfCacheBytes = max(statistics.peakSelfCacheBytes, cache!.usedBytes)
        finish(into: &logProbs)
    }

    /// The baseline: recompute the cross-attention projections and every position of every row.
    private func runRecompute(into logProbs: inout Matrix) {
        let cross = projectCross()
        model.decoder.forward(histories, mask: .causal, cross: cross, sentenceOfSequence: sentenceOfRow, cache: nil,
                              lastOnly: true, workspace: workspace)
        statistics.decoderSteps += 1
        statistics.decoderPositions += histories.reduce(0) { $0 + $1.count }
        finish(into: &logProbs)
    }

    private func finish(into logProbs: inout Matrix) {
        Kernels.logSoftmax(&workspace.logits)
        swap(&logProbs, &workspace.logits)
    }
}
