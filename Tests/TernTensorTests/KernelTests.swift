import Foundation
import TernTensor
import Testing

@Suite struct KernelTests {
    @Test("log-softmax matches a float64 reference within 1e-5, from tiny to huge logits")
    func logSoftmax() {
        var random = SystemRandomNumberGenerator()
        for (columns, spread) in [(1, 1.0), (7, 1.0), (8, 3.0), (6000, 10.0), (6003, 80.0), (33, 500.0)] as [(Int, Float)] {
            let values = (0..<(3 * columns)).map { _ in Float.random(in: -spread...spread, using: &random) }
            var matrix = Matrix(rows: 3, columns: columns, values: values)
            Kernels.logSoftmax(&matrix)
            for row in 0..<3 {
                let logits = values[(row * columns)..<((row + 1) * columns)].map(Double.init)
                let maximum = logits.max()!
                let logSum = maximum + log(logits.reduce(0) { $0 + exp($1 - maximum) })
                for column in 0..<columns {
                    let expected = logits[column] - logSum
                    // Float32 logits near ±500 carry rounding of ~3e-5 themselves, hence the term in the maximum.
                    #expect(abs(Double(matrix.values[row * columns + column]) - expected) <= 1e-5 * max(1, abs(expected)) + 1e-6 * abs(maximum),
                            "columns \(columns), spread \(spread), [\(row), \(column)]")
                }
            }
        }
    }

    @Test("log-softmax keeps −∞ logits at −∞ and stays finite elsewhere")
    func infinities() {
        var matrix = Matrix(rows: 1, columns: 10, values: [0, -.infinity, 1, 2, -.infinity, 3, 4, 5, 6, 7])
        Kernels.logSoftmax(&matrix)
        #expect(matrix.values[1] == -.infinity && matrix.values[4] == -.infinity)
        #expect(matrix.values.enumerated().allSatisfy { $0.offset == 1 || $0.offset == 4 || $0.element.isFinite })
    }
}
