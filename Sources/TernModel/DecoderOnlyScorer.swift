import TernDecoding
import TernTensor

/// Runs a decoder-only model (prefix LM or causal LM) for search over `[source ; <sep> ; target]`:
/// the framed source (ending with `<sep>`) is prefilled into the self-attention cache in one
/// pass, then each step appends one position per row.
///
/// Made by `Model.makeScorer(sources:cacheMode:)`.
public final class DecoderOnlyScorer: CountingStepScorer {
    public private(set) var statistics = EngineStatistics()
    private let model: Model
    private let prefixes: [[Int32]]
    private let cacheMode: CacheMode
    let workspace: Workspace
    private var cache: SelfAttentionCache?
    private var rows: ScorerRows

    /// - Parameter sources: framed sources (`TokenFraming.source`), each ending with `<sep>`.
    /// - Precondition: `model` is decoder-only.
    init(model: Model, sources: [[Int32]], cacheMode: CacheMode) {
        precondition(model.architecture.isDecoderOnly, "DecoderOnlyScorer needs a decoder-only model")
        self.model = model
        prefixes = sources.map(model.framing.decoderPrefix(ofFramed:))
        self.cacheMode = cacheMode
        workspace = model.makeWorkspace()
        rows = ScorerRows(cacheMode: cacheMode)
    }

    public var sentenceCount: Int { prefixes.count }
    public var vocabularySize: Int { model.config.targetVocabSize }
    public var endToken: Int32 { Int32(model.config.eosTokenId) }
    public var suppressedTokens: [Int32] { model.suppressedTokens }

    public func sourceLength(of sentence: Int) -> Int { model.framing.sourceLength(ofFramed: prefixes[sentence]) }
    public func targetCapacity(of sentence: Int) -> Int { model.config.maxPositionEmbeddings - sourceLength(of: sentence) }

    public func start(into scores: inout TokenScores) {
        rows.start(prefixes: prefixes)
        switch cacheMode {
        case .cached, .recomputeCross:
            let cache = SelfAttentionCache(layers: model.decoder.layers.count, width: model.config.dModel, rows: prefixes.count)
            self.cache = cache
            ScorerRows.scoreStep(workspace, positions: prefixes.reduce(0) { $0 + $1.count }, statistics: &statistics, into: &scores) {
                model.decoder.forward(prefixes, mask: mask(for: rows.sentenceOfRow), cross: nil, sentenceOfSequence: rows.sentenceOfRow,
                                      cache: cache, lastOnly: true, workspace: workspace)
            }
            statistics.peakSelfCacheBytes = max(statistics.peakSelfCacheBytes, cache.usedBytes)
            workspace.releaseActivations()
        case .recompute:
            runRecompute(into: &scores)
        }
    }

    public func advance(parents: [Int], tokens: [Int32], into scores: inout TokenScores) {
        rows.advance(parents: parents, tokens: tokens)
        switch cacheMode {
        case .cached, .recomputeCross:
            cache!.select(parents: parents)
            ScorerRows.scoreStep(workspace, positions: tokens.count, statistics: &statistics, into: &scores) {
                model.decoder.step(tokens, cache: cache!, cross: nil, sentenceOfRow: rows.sentenceOfRow, workspace: workspace)
            }
            statistics.peakSelfCacheBytes = max(statistics.peakSelfCacheBytes, cache!.usedBytes)
        case .recompute:
            runRecompute(into: &scores)
        }
    }

    private func runRecompute(into scores: inout TokenScores) {
        ScorerRows.scoreStep(workspace, positions: rows.histories.reduce(0) { $0 + $1.count }, statistics: &statistics, into: &scores) {
            model.decoder.forward(rows.histories, mask: mask(for: rows.sentenceOfRow), cross: nil, sentenceOfSequence: rows.sentenceOfRow,
                                  cache: nil, lastOnly: true, workspace: workspace)
        }
    }

    /// The mask for rows whose sentences are `sentences`: each row's prefix is its sentence's.
    private func mask(for sentences: [Int]) -> AttentionMask {
        model.framing.decoderMask(framedSourceLengths: sentences.map { prefixes[$0].count })
    }
}
