/// Takes a development (held-out) slice out of one parallel corpus, deterministically.
///
/// Every `interval`-th pair, starting with the first, goes to the slice; the others stay. On a
/// corpus ordered by length, as the Tatoeba exports are, this samples every length evenly. The
/// rest still holds pairs that share a sentence with the slice (Tatoeba repeats a sentence with
/// each of its translations): `tern corpus combine --exclude` removes them from training.
public enum HeldOutSlice {
    /// Splits `pairs` into the slice (every `interval`-th pair, from the first) and the rest, both
    /// in input order.
    /// - Precondition: `interval >= 2`.
    public static func split(_ pairs: [ParallelCorpus.Pair], every interval: Int) -> (slice: [ParallelCorpus.Pair], rest: [ParallelCorpus.Pair]) {
        precondition(interval >= 2, "a slice of every pair leaves nothing to train on")
        var slice: [ParallelCorpus.Pair] = []
        var rest: [ParallelCorpus.Pair] = []
        for (index, pair) in pairs.enumerated() {
            if index % interval == 0 {
                slice.append(pair)
            } else {
                rest.append(pair)
            }
        }
        return (slice, rest)
    }
}
