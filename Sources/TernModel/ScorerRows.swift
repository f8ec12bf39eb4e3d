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

    /// Runs one decoder step over `positions` positions (`decode`, which leaves the logits
    /// `[R, V]` in `workspace.logits`), counts it, and hands the logits to the search in `scores`.
    /// The search's previous logits buffer is lent to the workspace for the step and comes back
    /// holding the new logits (swapped, not copied), so one `[R, V]` buffer serves every step.
    static func scoreStep(_ workspace: Workspace, positions: Int, statistics: inout EngineStatistics, into scores: inout TokenScores,
                          decode: () -> Void) {
        scores.lendLogits(to: &workspace.logits)
        decode()
        statistics.decoderSteps += 1
        statistics.decoderPositions += positions
        scores.replace(with: &workspace.logits)
    }
}
