import TernCorpus
import Testing

struct HeldOutSliceTests {
    @Test("every Nth pair from the first goes to the slice; slice and rest partition the input in order")
    func partition() {
        let pairs: [ParallelCorpus.Pair] = (0..<23).map { ("en \($0)", "de \($0)") }
        for interval in [2, 3, 5, 22, 23, 40] {
            let (slice, rest) = HeldOutSlice.split(pairs, every: interval)
            // Naive oracle: the indices divisible by the interval.
            let expectedSlice = pairs.indices.filter { $0.isMultiple(of: interval) }.map { pairs[$0].source }
            #expect(slice.map(\.source) == expectedSlice, "every \(interval)")
            #expect(slice.count + rest.count == pairs.count)
            #expect(Set(slice.map(\.source)).isDisjoint(with: rest.map(\.source)))
            // Both keep the input order, and each pair keeps its own target.
            let merged = (slice + rest).sorted { Int($0.source.dropFirst(3))! < Int($1.source.dropFirst(3))! }
            #expect(merged.map(\.source) == pairs.map(\.source))
            #expect(merged.allSatisfy { $0.source.dropFirst(3) == $0.target.dropFirst(3) })
        }
    }
}
