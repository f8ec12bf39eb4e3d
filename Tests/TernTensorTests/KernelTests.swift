import Foundation
import TernTensor
import Testing

@Suite struct KernelTests {
    @Test("the log-softmax normalizer log Σ exp matches a float64 reference within 1e-5, from tiny to huge logits")
    func logSumOfExponentials() {
        var random = SystemRandomNumberGenerator()
        for (columns, spread) in [(1, 1.0), (7, 1.0), (8, 3.0), (6000, 10.0), (6003, 80.0), (33, 500.0)] as [(Int, Float)] {
            let values = (0..<columns).map { _ in Float.random(in: -spread...spread, using: &random) }
            let logits = values.map(Double.init)
            let maximum = logits.max()!
            let expected = maximum + log(logits.reduce(0) { $0 + exp($1 - maximum) })
            let computed = values.withUnsafeBufferPointer { VectorExp.logSumOfExponentials($0.baseAddress!, count: columns) }
            // Float32 logits near ±500 carry rounding of ~3e-5 themselves, hence the term in the maximum.
            #expect(abs(Double(computed) - expected) <= 1e-5 * max(1, abs(expected)) + 1e-6 * abs(maximum),
                    "columns \(columns), spread \(spread)")
        }
    }

    @Test("−∞ logits add nothing to the normalizer, so their log-probabilities stay −∞ and the others finite")
    func infinities() {
        let values: [Float] = [0, -.infinity, 1, 2, -.infinity, 3, 4, 5, 6, 7]
        let normalizer = values.withUnsafeBufferPointer { VectorExp.logSumOfExponentials($0.baseAddress!, count: values.count) }
        let finite = values.filter(\.isFinite).map(Double.init)
        #expect(abs(Double(normalizer) - log(finite.reduce(0) { $0 + exp($1) })) <= 1e-5)
        #expect(values.map { $0 - normalizer }.enumerated().allSatisfy { $0.offset == 1 || $0.offset == 4 ? $0.element == -.infinity : $0.element.isFinite })
    }

    @Test("layer norm, swish, softmax and dot match float64 references, for widths with and without vector tails")
    func rowKernels() {
        var random = SystemRandomNumberGenerator()
        for columns in [1, 5, 8, 13, 32, 128, 131] {
            let values = (0..<(2 * columns)).map { _ in Float.random(in: -6...6, using: &random) }
            let gamma = (0..<columns).map { _ in Float.random(in: 0.5...1.5, using: &random) }
            let beta = (0..<columns).map { _ in Float.random(in: -1...1, using: &random) }
            var normalized = Matrix(rows: 2, columns: columns, values: values)
            Kernels.layerNorm(&normalized, gamma: gamma, beta: beta)
            var activated = values
            Activation.swish.apply(to: &activated, count: values.count)
            var probabilities = values
            probabilities.withUnsafeMutableBufferPointer { Kernels.softmax($0.baseAddress!, count: columns) }
            for row in 0..<2 {
                let x = values[(row * columns)..<((row + 1) * columns)].map(Double.init)
                let mean = x.reduce(0, +) / Double(columns)
                let deviation = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(columns) + 1e-5).squareRoot()
                for column in 0..<columns {
                    let expected = (x[column] - mean) / deviation * Double(gamma[column]) + Double(beta[column])
                    #expect(abs(Double(normalized.values[row * columns + column]) - expected) <= 1e-5 * max(1, abs(expected)),
                            "layer norm, width \(columns)")
                }
            }
            for (index, x) in values.enumerated() {
                let expected = Double(x) / (1 + exp(-Double(x)))
                #expect(abs(Double(activated[index]) - expected) <= 1e-6 * max(1, abs(expected)), "swish(\(x))")
            }
            let firstRow = values.prefix(columns).map(Double.init), largest = firstRow.max()!
            let total = firstRow.reduce(0) { $0 + exp($1 - largest) }
            for column in 0..<columns {
                #expect(abs(Double(probabilities[column]) - exp(firstRow[column] - largest) / total) <= 1e-6, "softmax, width \(columns)")
            }
            let dot = values.withUnsafeBufferPointer { Kernels.dot($0.baseAddress!, $0.baseAddress! + columns, count: columns) }
            let expectedDot = (0..<columns).reduce(0.0) { $0 + Double(values[$1]) * Double(values[columns + $1]) }
            #expect(abs(Double(dot) - expectedDot) <= 1e-5 * max(1, abs(expectedDot)), "dot, width \(columns)")
        }
    }
}
