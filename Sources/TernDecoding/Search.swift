/// The one entry from a scorer to finished hypotheses: greedy search for a beam of 1, beam
/// search otherwise. Callers choose options, never the algorithm.
///
/// ```swift
/// let scorer = model.makeScorer(sources: sources)
/// let hypotheses = try Search.run(scorer, options: DecodingOptions(beamSize: 5))   // [B][nBest]
/// ```
public enum Search {
    /// The `options.nBest` best hypotheses of every sentence of `scorer`, best first, sentences
    /// in order: `[B][nBest]` (greedy search gives one per sentence).
    /// - Throws: `DecodingError.invalidOptions`.
    public static func run(_ scorer: some StepScorer, options: DecodingOptions) throws -> [[Hypothesis]] {
        if options.beamSize == 1 {
            return try GreedySearch.run(scorer, options: options).map { [$0] }
        }
        return try BeamSearch.run(scorer, options: options)
    }
}
