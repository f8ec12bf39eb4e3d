import Foundation
import TernTensor
import Testing

@Suite struct LinearTests {
    /// Weights that F16 holds exactly, with subnormals, zeros of both signs and large values mixed in.
    static func halfExactWeights(_ count: Int, using random: inout some RandomNumberGenerator) -> [Float] {
        let specials: [Float16] = [0, -0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 65504, -65504, 1e-6]
        return (0..<count).map { index in
            Float(index % 97 == 0 ? specials[index % specials.count] : Float16(Float.random(in: -2...2, using: &random)))
        }
    }

    /// Weights F16 cannot hold (each has more than 11 significant bits).
    static func singleOnlyWeights(_ count: Int, using random: inout some RandomNumberGenerator) -> [Float] {
        (0..<count).map { _ in Float.random(in: -2...2, using: &random) + 1e-4 }
    }

    static func randomMatrix(rows: Int, columns: Int, using random: inout some RandomNumberGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &random) })
    }

    /// Shapes around the kernels' tile edges: rows 1–9 and 13, 33 (tiles of 4, 6 and 8 rows);
    /// outputs around the 16-wide panels and their groups of 2 and 4; inputs with and without
    /// vector tails.
    static let shapes: [(rows: Int, outputs: Int, inputs: Int)] = [
        (1, 1, 1), (1, 16, 8), (1, 17, 129), (2, 15, 7), (3, 33, 16), (4, 64, 33), (5, 65, 3), (6, 130, 17),
        (7, 31, 64), (8, 48, 9), (9, 97, 12), (13, 80, 40), (33, 257, 31), (1, 6003, 128),
    ]

    /// `input · weightᵀ + bias` in Float64, with the sum of magnitudes for a tolerance.
    static func reference(_ input: Matrix, _ weight: Matrix, _ bias: [Float], row: Int, output: Int) -> (value: Double, magnitude: Double) {
        var value = Double(bias[output]), magnitude = abs(value)
        for column in 0..<input.columns {
            let term = Double(input.values[row * input.columns + column]) * Double(weight.values[output * weight.columns + column])
            value += term
            magnitude += abs(term)
        }
        return (value, magnitude)
    }

    @Test("every kernel this processor runs equals a float64 reference, F16 and F32 weights, at every tile edge")
    func productsMatchReference() {
        var random = SystemRandomNumberGenerator()
        for kernel in GEMMKernel.available {
            for (rows, outputs, inputs) in Self.shapes {
                for exact in [true, false] {
                    let values = exact ? Self.halfExactWeights(outputs * inputs, using: &random)
                                       : Self.singleOnlyWeights(outputs * inputs, using: &random)
                    let weight = Matrix(rows: outputs, columns: inputs, values: values)
                    let bias = (0..<outputs).map { _ in Float.random(in: -1...1, using: &random) }
                    let input = Self.randomMatrix(rows: rows, columns: inputs, using: &random)
                    let linear = Linear(weight: weight, bias: bias)
                    #expect(linear.weights.precision == (exact ? .half : .single))
                    var output = Matrix(rows: 0, columns: outputs)
                    linear.apply(input, into: &output, kernel: kernel)
                    #expect(output.rows == rows)
                    var worst = 0.0
                    for row in 0..<rows {
                        for column in 0..<outputs {
                            let (expected, magnitude) = Self.reference(input, weight, bias, row: row, output: column)
                            worst = max(worst, abs(Double(output.values[row * outputs + column]) - expected) / max(1, magnitude))
                        }
                    }
                    // The worst case of summing k + 1 F32 terms in any order: (k + 1)·ε relative to Σ|terms|.
                    let bound = Double(inputs + 1) * Double(Float.ulpOfOne)
                    #expect(worst <= bound, "\(kernel.name) [\(rows)×\(inputs)]·[\(outputs)×\(inputs)]ᵀ exact-F16 \(exact): relative error \(worst) > \(bound)")
                }
            }
        }
    }

    @Test("a row's result does not depend on the other rows in the batch, on every kernel")
    func rowsAreIndependentOfTheBatch() {
        var random = SystemRandomNumberGenerator()
        let linear = Linear(weight: Matrix(rows: 70, columns: 37, values: Self.singleOnlyWeights(70 * 37, using: &random)),
                            bias: (0..<70).map { _ in Float.random(in: -1...1, using: &random) })
        let batch = Self.randomMatrix(rows: 11, columns: 37, using: &random)
        for kernel in GEMMKernel.available {
            var together = Matrix(rows: 0, columns: 70)
            linear.apply(batch, into: &together, kernel: kernel)
            for row in 0..<batch.rows {
                var alone = Matrix(rows: 0, columns: 70)
                linear.apply(Matrix(rows: 1, columns: 37, values: Array(batch.row(row))), into: &alone, kernel: kernel)
                #expect(alone.values == Array(together.row(row)), "\(kernel.name) row \(row)")
            }
        }
    }

    @Test("the AVX2 and AVX-512 kernels give the same bits: both add the same fused products in the same order")
    func vectorKernelsAgreeExactly() throws {
        try #require(GEMMKernel.best == .avx512, "this processor has no AVX-512, so there is only one vector kernel to run")
        var random = SystemRandomNumberGenerator()
        for (rows, outputs, inputs) in Self.shapes {
            let linear = Linear(weight: Self.randomMatrix(rows: outputs, columns: inputs, using: &random),
                                bias: (0..<outputs).map { _ in Float.random(in: -1...1, using: &random) })
            let input = Self.randomMatrix(rows: rows, columns: inputs, using: &random)
            var wide = Matrix(rows: 0, columns: outputs), narrow = Matrix(rows: 0, columns: outputs)
            linear.apply(input, into: &wide, kernel: .avx512)
            linear.apply(input, into: &narrow, kernel: .avx2)
            #expect(wide.values == narrow.values, "[\(rows)×\(inputs)]·[\(outputs)×\(inputs)]ᵀ")
        }
    }

    @Test("packing keeps every weight: unpacked() and copyRow give the original matrix back, F16 and F32")
    func packingRoundTrips() {
        var random = SystemRandomNumberGenerator()
        for (outputs, inputs) in [(1, 1), (15, 3), (16, 16), (17, 5), (100, 33)] {
            for values in [Self.halfExactWeights(outputs * inputs, using: &random), Self.singleOnlyWeights(outputs * inputs, using: &random)] {
                let matrix = Matrix(rows: outputs, columns: inputs, values: values)
                let packed = PackedWeights(matrix)
                #expect(packed.unpacked().values.map(\.bitPattern) == values.map(\.bitPattern), "[\(outputs)×\(inputs)] \(packed.precision)")
                let bytesPerValue = packed.precision == .half ? 2 : 4
                #expect(packed.byteCount == (outputs + 15) / 16 * 16 * inputs * bytesPerValue)
            }
        }
    }

    @Test("one value F16 cannot hold keeps the whole layer F32, and its products exact")
    func inexactWeightsStayF32() {
        let linear = Linear(weight: Matrix(rows: 2, columns: 3, values: [0.1, 1, 2, 3, 4, 5]), bias: [0, 0])
        #expect(linear.weights.precision == .single)
        var output = Matrix(rows: 0, columns: 2)
        linear.apply(Matrix(rows: 1, columns: 3, values: [1, 1, 1]), into: &output)
        #expect(output.values == [3.1, 12])
    }

    @Test("TERN_GEMM_KERNEL can lower the kernel, never raise it past what the processor runs")
    func kernelChoiceFromEnvironment() {
        #expect(GEMMKernel.chosen(byEnvironmentValue: nil) == GEMMKernel.best)
        #expect(GEMMKernel.chosen(byEnvironmentValue: "portable") == .portable)
        #expect(GEMMKernel.chosen(byEnvironmentValue: "AVX2") == min(.avx2, GEMMKernel.best))
        #expect(GEMMKernel.chosen(byEnvironmentValue: "avx512") == GEMMKernel.best)
        #expect(GEMMKernel.chosen(byEnvironmentValue: "sse9") == GEMMKernel.best)
    }
}
