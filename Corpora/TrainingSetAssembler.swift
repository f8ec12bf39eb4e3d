import Foundation

/// Joins several parallel corpora into one training set and leaves out every pair that leaks a
/// held-out (validation or test) sentence.
///
/// A training pair is left out when its source matches the source of any held-out pair, or its
/// target matches the target of any held-out pair. Sentences match when they are equal after
/// `matchKey(_:)`: case folded, with runs of whitespace collapsed and the ends trimmed, so that
/// a capital letter or a stray space does not hide a leak.
public struct TrainingSetAssembler {
    private let heldOutSources: Set<String>
    private let heldOutTargets: Set<String>

    /// - Parameter heldOut: every pair that must not be trained on (all validation and test sets).
    public init(heldOut: [ParallelCorpus.Pair]) {
        heldOutSources = Set(heldOut.map { Self.matchKey($0.source) })
        heldOutTargets = Set(heldOut.map { Self.matchKey($0.target) })
    }

    /// The form in which two sentences are compared: lowercased, whitespace runs collapsed to one
    /// space, ends trimmed.
    public static func matchKey(_ sentence: String) -> String {
        sentence.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether `pair` shares its source or its target with a held-out pair.
    public func leaks(_ pair: ParallelCorpus.Pair) -> Bool {
        heldOutSources.contains(Self.matchKey(pair.source)) || heldOutTargets.contains(Self.matchKey(pair.target))
    }

    /// The pairs of `corpora`, in order (first corpus first), without the leaking ones.
    public func assemble(_ corpora: [[ParallelCorpus.Pair]]) -> TrainingSet {
        var kept: [ParallelCorpus.Pair] = []
        var removed = 0
        for pair in corpora.joined() {
            if leaks(pair) {
                removed += 1
            } else {
                kept.append(pair)
            }
        }
        return TrainingSet(pairs: kept, removedPairs: removed)
    }
}

/// The result of `TrainingSetAssembler.assemble(_:)`.
public struct TrainingSet {
    /// The pairs kept, in input order.
    public let pairs: [ParallelCorpus.Pair]
    /// How many pairs were left out because they leak a held-out sentence.
    public let removedPairs: Int

    /// Writes the sources to `sourceURL` and the targets to `targetURL`, one per line. Both files
    /// appear together, or neither changes.
    public func write(sourceTo sourceURL: URL, targetTo targetURL: URL) throws {
        try ParallelCorpus.write(pairs, sourceTo: sourceURL, targetTo: targetURL)
    }
}
