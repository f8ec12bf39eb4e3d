@testable import TernModel
import Testing

/// `SelfAttentionCache.select(parents:)` against a naive model of the same rows: every row's
/// keys and values as plain arrays, reordered by copying whole histories. Random parent lists
/// exercise the in-place path (rows that keep their history, swaps, cycles, repeated parents,
/// rows leaving) and growth (more rows than allocated, more positions than the capacity).
@Suite struct SelfAttentionCacheTests {
    @Test func selectMatchesCopyingWholeHistories() {
        var random = SystemRandomNumberGenerator()
        let layers = 2, width = 3
        for _ in 0..<20 {
            let cache = SelfAttentionCache(layers: layers, width: width, rows: 2)
            // model[layer][row] = [(key, value)] per position, each a [width] array.
            var model = [[[([Float], [Float])]]](repeating: [[], []], count: layers)
            var counter: Float = 0
            for _ in 0..<40 {
                // Append one position to every row.
                let position = cache.lengths.max() ?? 0
                cache.reserve(positions: position + 1)
                for layer in 0..<layers {
                    for row in 0..<cache.rows {
                        let key = (0..<width).map { _ in counter += 1; return counter }
                        let value = key.map { -$0 }
                        cache.write(layer: layer, row: row, key: key, value: value, at: cache.lengths[row])
                        model[layer][row].append((key, value))
                    }
                }
                cache.setLengths(cache.lengths.map { $0 + 1 })
                // Then reorder.
                let newRows = Int.random(in: 1...6, using: &random)
                let parents: [Int] = switch Int.random(in: 0..<4, using: &random) {
                case 0: Array(0..<min(newRows, cache.rows))
                case 1: (0..<cache.rows).reversed()
                default: (0..<newRows).map { _ in Int.random(in: 0..<cache.rows, using: &random) }
                }
                cache.select(parents: parents)
                model = model.map { rows in parents.map { rows[$0] } }
                for layer in 0..<layers {
                    for row in 0..<cache.rows {
                        #expect(cache.lengths[row] == model[layer][row].count)
                        let keys = cache.keys(layer: layer, row: row), values = cache.values(layer: layer, row: row)
                        for (position, (key, value)) in model[layer][row].enumerated() {
                            #expect(Array(UnsafeBufferPointer(start: keys + position * width, count: width)) == key,
                                    "layer \(layer), row \(row), position \(position) after parents \(parents)")
                            #expect(Array(UnsafeBufferPointer(start: values + position * width, count: width)) == value)
                        }
                    }
                }
            }
        }
    }
}
