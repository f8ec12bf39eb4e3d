/// Groups sentence pairs into batches under a token budget, by length, and orders the batches
/// of each epoch by a seeded shuffle. Batch `i` of epoch `e` depends only on the data, the
/// budget, the seed and `(e, i)`, so a resumed run sees exactly the batches it would have seen.
public struct BatchPlan: Sendable {
    /// Pair indices of each batch, before shuffling.
    public let batches: [[Int]]
    public let seed: UInt64

    /// - Parameters:
    ///   - lengths: `(source, target)` token counts of each pair.
    ///   - maxTokens: a batch holds at most this many padded tokens on its longer side
    ///     (sentences × longest source or target), as fairseq's `--max-tokens` counts them; a
    ///     single longer pair still gets a batch of its own.
    public init(lengths: [(source: Int, target: Int)], maxTokens: Int, seed: UInt64) {
        let order = lengths.indices.sorted { a, b in
            (lengths[a].source, lengths[a].target, a) < (lengths[b].source, lengths[b].target, b)
        }
        var batches: [[Int]] = [], current: [Int] = [], longest = 0
        for index in order {
            let length = max(lengths[index].source, lengths[index].target) + 1
            if !current.isEmpty, (current.count + 1) * max(longest, length) > maxTokens {
                batches.append(current)
                current = []
                longest = 0
            }
            current.append(index)
            longest = max(longest, length)
        }
        if !current.isEmpty { batches.append(current) }
        self.batches = batches
        self.seed = seed
    }

    public var batchesPerEpoch: Int { batches.count }

    /// The pair indices of the `step`-th batch overall (0-based), and its epoch.
    public func batch(at step: Int) -> (epoch: Int, pairs: [Int]) {
        let epoch = step / max(1, batches.count)
        let order = shuffledOrder(epoch: epoch)
        return (epoch, batches[order[step % batches.count]])
    }

    private func shuffledOrder(epoch: Int) -> [Int] {
        var random = DropoutRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &+ 1)
        var order = Array(batches.indices)
        for index in stride(from: order.count - 1, to: 0, by: -1) {
            let other = Int(random.nextUnit() * Float(index + 1)) % (index + 1)
            order.swapAt(index, other)
        }
        return order
    }
}
