import Foundation
import TernTensor
import Testing

@Suite struct Int8ProductTests {
    /// The documented quantization of one row (`tern_gemm_int8.h`), written independently of the C code.
    static func quantize(_ row: ArraySlice<Float>) -> (values: [Int32], scale: Float) {
        let largest = row.reduce(Float(0)) { max($0, abs($1)) }
        guard largest > 0 else { return ([Int32](repeating: 0, count: row.count), 0) }
        let inverse = 127 / largest
        return (row.map { Int32(max(-127, min(127, ($0 * inverse).rounded(.toNearestOrEven)))) }, largest / 127)
    }

    /// The naive integer product: `fma(Float(Σ qa·qw), s_a · s_w, bias)` for every row and output.
    static func integerReference(_ input: Matrix, _ weight: Matrix, _ bias: [Float]) -> [Float] {
        let rows = (0..<input.rows).map { quantize(input.row($0)) }
        let outputs = (0..<weight.rows).map { quantize(weight.row($0)) }
        var result: [Float] = []
        for row in rows {
            for (output, (values, scale)) in outputs.enumerated() {
                var sum: Int32 = 0
                for k in values.indices { sum += row.values[k] * values[k] }
                result.append(bias[output].addingProduct(Float(sum), row.scale * scale))
            }
        }
        return result
    }

    static func randomMatrix(rows: Int, columns: Int, using random: inout some RandomNumberGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &random) })
    }

    static func randomBias(_ count: Int, using random: inout some RandomNumberGenerator) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1...1, using: &random) }
    }

    /// Rows 1–9, 13, 33 around the 4- and 8-row tiles; outputs around the 16-wide panels and their
    /// pairs; inputs that are odd, not multiples of 4, and one wide enough for many groups.
    static let shapes: [(rows: Int, outputs: Int, inputs: Int)] = [
        (1, 1, 1), (1, 16, 8), (1, 17, 129), (2, 15, 7), (3, 33, 16), (4, 64, 33), (5, 65, 3), (6, 130, 17),
        (7, 31, 64), (8, 48, 9), (9, 97, 2), (13, 80, 42), (33, 257, 31), (2, 300, 1023),
    ]

    static func int8Linear(_ weight: Matrix, _ bias: [Float]) throws -> Linear {
        try Linear(weight: weight, bias: bias).converted(to: .int8)
    }

    @Test("weights are quantized per row as documented: max|row| / 127, rounded half to even")
    func weightQuantizationMatchesReference() throws {
        var random = SystemRandomNumberGenerator()
        for (outputs, inputs) in [(1, 1), (15, 3), (17, 5), (40, 130)] {
            var weight = Self.randomMatrix(rows: outputs, columns: inputs, using: &random)
            weight.values.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: 0, count: inputs) }  // row 0 all zeros
            let packed = try PackedWeights(weight).converted(to: .int8)
            #expect(packed.precision == .int8)
            for row in 0..<outputs {
                let (values, scale) = try #require(packed.quantizedRow(row))
                let expected = Self.quantize(weight.row(row))
                #expect(values.map(Int32.init) == expected.values, "row \(row) of [\(outputs)×\(inputs)]")
                #expect(scale == expected.scale)
            }
        }
    }

    /// The reference handles each row alone, so matching it at every batch size also shows that a row's
    /// result does not depend on the other rows in the batch.
    @Test("every kernel this processor runs gives the bits of the naive integer reference, at every tile edge")
    func kernelsMatchIntegerReferenceExactly() throws {
        var random = SystemRandomNumberGenerator()
        for kernel in GEMMKernel.available {
            for (rows, outputs, inputs) in Self.shapes {
                let weight = Self.randomMatrix(rows: outputs, columns: inputs, using: &random)
                let bias = Self.randomBias(outputs, using: &random)
                let input = Self.randomMatrix(rows: rows, columns: inputs, using: &random)
                var output = Matrix(rows: 0, columns: outputs)
                try Self.int8Linear(weight, bias).apply(input, into: &output, kernel: kernel)
                #expect(output.values.map(\.bitPattern) == Self.integerReference(input, weight, bias).map(\.bitPattern),
                        "\(kernel.name) [\(rows)×\(inputs)]·[\(outputs)×\(inputs)]ᵀ")
            }
        }
    }

    @Test("full-scale bytes of equal sign (|q| = 127 everywhere) sum exactly: AVX2's int16 pair sums never saturate")
    func fullScaleProductsAreExact() throws {
        for kernel in GEMMKernel.available {
            for sign in [Float(1), -1] {
                let inputs = 4099
                let weight = Matrix(rows: 17, columns: inputs, values: [Float](repeating: sign * 3, count: 17 * inputs))
                let input = Matrix(rows: 5, columns: inputs, values: [Float](repeating: 2, count: 5 * inputs))
                var output = Matrix(rows: 0, columns: 17)
                try Self.int8Linear(weight, [Float](repeating: 0, count: 17)).apply(input, into: &output, kernel: kernel)
                // 127 · 127 · 4099 · (2/127) · (3/127) = 6 · 4099, up to the rounding of the two scales.
                #expect(output.values.map(\.bitPattern) == Self.integerReference(input, weight, [Float](repeating: 0, count: 17)).map(\.bitPattern))
                for value in output.values { #expect(abs(value - sign * 6 * Float(inputs)) <= 1e-5 * 6 * Float(inputs), "\(kernel.name)") }
            }
        }
    }

    @Test("a row of zeros (scale 0) gives the bias exactly, in the input and in the weights; NaN input rows give NaN")
    func zeroAndNaNRows() throws {
        var random = SystemRandomNumberGenerator()
        var weight = Self.randomMatrix(rows: 20, columns: 13, using: &random)
        weight.values.withUnsafeMutableBufferPointer { ($0.baseAddress! + 3 * 13).update(repeating: 0, count: 13) }  // output 3
        let bias = Self.randomBias(20, using: &random)
        var input = Self.randomMatrix(rows: 3, columns: 13, using: &random)
        input.values.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: 0, count: 13) }  // row 0
        input.values[2 * 13 + 5] = .nan  // row 2
        for kernel in GEMMKernel.available {
            var output = Matrix(rows: 0, columns: 20)
            try Self.int8Linear(weight, bias).apply(input, into: &output, kernel: kernel)
            #expect(Array(output.row(0)) == bias, "\(kernel.name): zero input row")
            #expect(output.values[1 * 20 + 3] == bias[3], "\(kernel.name): zero weight row")
            #expect(output.row(1).allSatisfy { $0.isFinite })
            #expect(output.row(2).allSatisfy { $0.isNaN }, "\(kernel.name): NaN input row")
        }
    }

    @Test("the int8 product is within the quantization bound of the exact product")
    func errorWithinQuantizationBound() throws {
        // a = s_a·q_a + e_a with |e_a| ≤ s_a/2, w = s_w·q_w + e_w with |e_w| ≤ s_w/2, so
        // |Σ a·w − Σ â·ŵ| = |Σ â·e_w + e_a·ŵ + e_a·e_w| ≤ Σ_k (|â_k|·s_w + |ŵ_k|·s_a + s_a·s_w/2) / 2.
        var random = SystemRandomNumberGenerator()
        for (rows, outputs, inputs) in Self.shapes {
            let weight = Self.randomMatrix(rows: outputs, columns: inputs, using: &random)
            let bias = Self.randomBias(outputs, using: &random)
            let input = Self.randomMatrix(rows: rows, columns: inputs, using: &random)
            var output = Matrix(rows: 0, columns: outputs)
            try Self.int8Linear(weight, bias).apply(input, into: &output)
            for row in 0..<rows {
                let a = Self.quantize(input.row(row))
                for column in 0..<outputs {
                    let w = Self.quantize(weight.row(column))
                    var exact = Double(bias[column]), bound = 0.0, magnitude = abs(exact)
                    for k in 0..<inputs {
                        let term = Double(input.values[row * inputs + k]) * Double(weight.values[column * inputs + k])
                        exact += term
                        magnitude += abs(term)
                        let (sa, sw) = (Double(a.scale), Double(w.scale))
                        bound += (abs(Double(a.values[k]) * sa) * sw + abs(Double(w.values[k]) * sw) * sa + sa * sw / 2) / 2
                    }
                    // F32 rounding of the scales, the quantized values and the final fma: a few ε of the magnitudes.
                    let slack = 1e-3 * bound + Double(inputs + 2) * Double(Float.ulpOfOne) * magnitude
                    let error = abs(Double(output.values[row * outputs + column]) - exact)
                    #expect(error <= bound + slack, "[\(rows)×\(inputs)]·[\(outputs)×\(inputs)]ᵀ (\(row), \(column)): \(error) > \(bound)")
                }
            }
        }
    }

    @Test("conversions: auto keeps the weights, float32 packs them F32 unchanged, int8 holds about a quarter of the F32 bytes")
    func conversions() throws {
        var random = SystemRandomNumberGenerator()
        let matrix = Matrix(rows: 64, columns: 128, values: (0..<(64 * 128)).map { _ in Float(Float16(Float.random(in: -1...1, using: &random))) })
        let packed = PackedWeights(matrix)
        #expect(packed.precision == .half)
        let kept = try packed.converted(to: .auto)
        #expect(kept.precision == .half)
        let single = try packed.converted(to: .float32)
        #expect(single.precision == .single)
        #expect(single.unpacked().values == matrix.values)
        let int8 = try packed.converted(to: .int8)
        #expect(int8.byteCount == 64 * 128 + 64 * 8)
        let requantized = try int8.converted(to: .int8)
        #expect(requantized.unpacked().values == int8.unpacked().values)
        // Dequantized rows are q · scale.
        let (values, scale) = try #require(int8.quantizedRow(9))
        #expect(Array(int8.unpacked().row(9)) == values.map { Float($0) * scale })
    }

    @Test("weights wider than the int8 kernels sum exactly are refused with an error that names the way out")
    func tooWideWeightsAreRefused() {
        let packed = PackedWeights(Matrix(rows: 1, columns: 65537, values: [Float](repeating: 0.5, count: 65537)))
        #expect(throws: ComputeTypeError.tooWideForInt8(columns: 65537)) { try packed.converted(to: .int8) }
        #expect(ComputeTypeError.tooWideForInt8(columns: 65537).description.contains("--compute-type float32"))
    }

    @Test("an int8 embedding table embeds the dequantized row")
    func int8Embedding() throws {
        var random = SystemRandomNumberGenerator()
        let table = try PackedWeights(Self.randomMatrix(rows: 10, columns: 8, using: &random)).converted(to: .int8)
        let quantized = Embedding(table: table, scaled: true, maxPositions: 4)
        var output = Matrix(rows: 1, columns: 8)
        quantized.embed(token: 7, position: 2, into: &output, row: 0)
        let (values, scale) = try #require(quantized.table.quantizedRow(7))
        let expected = (0..<8).map { Float(values[$0]) * scale * quantized.scale + quantized.positions.values[2 * 8 + $0] }
        #expect(output.values == expected)
    }
}
