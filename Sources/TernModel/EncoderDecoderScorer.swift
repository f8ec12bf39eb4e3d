import TernDecoding
import TernTensor

/// Runs an encoder-decoder model for search: encodes the sources exactly once, projects the
/// cross-attention keys and values once per sentence, then extends the self-attention cache one
/// position per step. Beams are rows mapped to their sentence; they share its cross cache.
///
/// Made by `Model.makeScorer(sources:cacheMode:)`.
public final class EncoderDecoderScorer: CountingStepScorer {
    public private(set) var statistics = EngineStatistics()
    private let model: Model
    private let encoder: Encoder
    private let sources: [[Int32]]
    private let cacheMode: CacheMode
    let workspace: Workspace
    private var memory: EncoderOutput?
    private var cross: CrossAttentionCache?
    private var cache: SelfAttentionCache?
    private var rows: ScorerRows

    /// - Parameter sources: framed sources (`TokenFraming.source`), each ending with `</s>`.
    /// - Precondition: `model` is an encoder-decoder.
    init(model: Model, sources: [[Int32]], cacheMode: CacheMode) {
        precondition(model.encoder != nil, "EncoderDecoderScorer needs an encoder-decoder model")
        self.model = model
        encoder = model.encoder!
        self.sources = sources
        self.cacheMode = cacheMode
        workspace = model.makeWorkspace()
        rows = ScorerRows(cacheMode: cacheMode)
    }

    public var sentenceCount: Int { sources.count }
    public var vocabularySize: Int { model.config.targetVocabSize }
    public var endToken: Int32 { Int32(model.config.eosTokenId) }
    public var suppressedTokens: [Int32] { model.suppressedTokens }

    public func sourceLength(of sentence: Int) -> Int { model.framing.sourceLength(ofFramed: sources[sentence]) }
    public func targetCapacity(of sentence: Int) -> Int { model.config.maxPositionEmbeddings }

    public func start(into scores: inout TokenScores) {
        let memory = encoder.encode(sources, workspace: workspace)
        workspace.releaseActivations()
        self.memory = memory
        statistics.encoderRuns += 1
        statistics.sentencesEncoded += sources.count
        let prefixes = sources.map(model.framing.decoderPrefix(ofFramed:))
        rows.start(prefixes: prefixes)
        switch cacheMode {
        case .cached, .recomputeCross:
            keepCross()
            cache = SelfAttentionCache(layers: model.decoder.layers.count, width: model.config.dModel, rows: sources.count)
            runStep(prefixes.map { $0[0] }, into: &scores)
        case .recompute:
            runRecompute(into: &scores)
        }
    }

    public func advance(parents: [Int], tokens: [Int32], into scores: inout TokenScores) {
        rows.advance(parents: parents, tokens: tokens)
        switch cacheMode {
        case .cached, .recomputeCross:
            cache!.select(parents: parents)
            if cacheMode == .recomputeCross { keepCross() }
            runStep(tokens, into: &scores)
        case .recompute:
            runRecompute(into: &scores)
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

    private func runStep(_ tokens: [Int32], into scores: inout TokenScores) {
        ScorerRows.scoreStep(workspace, positions: tokens.count, statistics: &statistics, into: &scores) {
            model.decoder.step(tokens, cache: cache!, cross: cross, sentenceOfRow: rows.sentenceOfRow, workspace: workspace)
        }
        statistics.peakSelfCacheBytes = max(statistics.peakSelfCacheBytes, cache!.usedBytes)
    }

    /// The baseline: recompute the cross-attention projections and every position of every row.
    private func runRecompute(into scores: inout TokenScores) {
        let cross = projectCross()
        ScorerRows.scoreStep(workspace, positions: rows.histories.reduce(0) { $0 + $1.count }, statistics: &statistics, into: &scores) {
            model.decoder.forward(rows.histories, mask: .causal, cross: cross, sentenceOfSequence: rows.sentenceOfRow, cache: nil,
                                  lastOnly: true, workspace: workspace)
        }
    }
}
