import TernTensor

/// What a search needs from a model, and nothing more: the next token's scores (`TokenScores`)
/// for each live hypothesis row. Search strategies know no model type; the encoder-decoder and
/// decoder-only adapters implement this protocol one layer up.
///
/// Rows: after `start`, row `b` belongs to sentence `b`. Each `advance` names, for every new
/// row, the old row it continues (`parents`), which is how beams fork and how finished
/// sentences leave the batch.
public protocol StepScorer: AnyObject {
    /// Sentences in the batch, `B`.
    var sentenceCount: Int { get }
    /// `V`.
    var vocabularySize: Int { get }
    /// The end-of-sentence token.
    var endToken: Int32 { get }
    /// Tokens that must never be produced (the decoder's start token, the separator).
    var suppressedTokens: [Int32] { get }

    /// Source length of `sentence`, for limits relative to it.
    func sourceLength(of sentence: Int) -> Int
    /// The most target tokens `sentence` can hold before the model runs out of positions.
    func targetCapacity(of sentence: Int) -> Int

    /// Scores of the first target token, `[B, V]`, one row per sentence.
    func start(into scores: inout TokenScores)

    /// Makes new row `i` a continuation of old row `parents[i]` that has just chosen
    /// `tokens[i]`, and returns the next scores, `[parents.count, V]`.
    func advance(parents: [Int], tokens: [Int32], into scores: inout TokenScores)
}
