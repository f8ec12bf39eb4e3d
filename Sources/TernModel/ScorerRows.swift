import TernDecoding
import TernTensor

/// The row bookkeeping both scorers share: which sentence each live row belongs to, and, when
/// the scorer recomputes everything (`CacheMode.recompute`), every row's tokens so far.
///
/// After `start`, row `b` is sentence `b`; each `advance` maps new row `i` to old row `parents[i]`.
struct ScorerRows {
    /// The sentence of each live row, `[R]`.
    private(set) var sentenceOfRow: [Int] = []
    /// Each live row's tokens so far, `[R][T]`; kept only when `keepsHistories`.
    private(set) var histories: [[Int32]] = []
    let keepsHistories: Bool

    init(cacheMode: CacheMode) {
        keepsHistories = cacheMode == .recompute
    }

    /// Starts one row per sentence, whose tokens so far are `prefixes[b]`.
    mutating func start(prefixes: [[Int32]]) {
        sentenceOfRow = Array(prefixes.indices)
        histories = keepsHistories ? prefixes : []
    }

    /// Makes new row `i` continue old row `parents[i]` with `tokens[i]`.
    mutating func advance(parents: [Int], tokens: [Int32]) {
        sentenceOfRow = parents.map { sentenceOfRow[$0] }
        if keepsHistories { histories = zip(parents, tokens).map { histories[$0] + [$1] } }
    }

    /// Counts one decoder step over `positions` positions and hands the workspace's logits to the
    /// search in `scores` (the buffers are swapped, not copied).
    static func emitScores(_ workspace: Workspace, positions: Int, statistics: inout EngineStatistics, into scores: inout TokenScores) {
        statistics.decoderSteps += 1
        statistics.decoderPositions += positions
        scores.replace(with: &workspace.logits)
    }
}
