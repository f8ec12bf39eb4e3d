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

    @Test("one row over the F16 copy equals a float64 reference, for shapes with and without vector tails")
    func halfPrecisionRow() {
        var random = SystemRandomNumberGenerator()
        for (outputs, inputs) in [(1, 1), (3, 7), (5, 8), (9, 33), (6003, 128), (4, 129)] {
            let weight = Matrix(rows: outputs, columns: inputs, values: Self.halfExactWeights(outputs * inputs, using: &random))
            let bias = (0..<outputs).map { _ in Float.random(in: -1...1, using: &random) }
            let input = Matrix(rows: 1, columns: inputs, values: (0..<inputs).map { _ in Float.random(in: -1...1, using: &random) })
            let half = Linear(weight: weight, bias: bias, halfPrecisionCopy: true)
            #expect(half.usesHalfPrecision)
            var output = Matrix(rows: 0, columns: outputs)
            half.apply(input, into: &output)
            for row in 0..<outputs {
                var expected = Double(bias[row]), magnitude = abs(Double(bias[row]))
                for column in 0..<inputs {
                    let term = Double(weight.values[row * inputs + column]) * Double(input.values[column])
                    expected += term
                    magnitude += abs(term)
                }
                #expect(abs(Double(output.values[row]) - expected) <= 1e-6 * max(1, magnitude), "[\(outputs)×\(inputs)] row \(row)")
            }
        }
    }

    @Test("weights that F16 cannot hold exactly keep the layer F32 only, and its products unchanged")
    func inexactWeightsStayF32() {
        let weight = Matrix(rows: 2, columns: 3, values: [0.1, 1, 2, 3, 4, 5])
        let linear = Linear(weight: weight, bias: [0, 0], halfPrecisionCopy: true)
        #expect(!linear.usesHalfPrecision)
        var output = Matrix(rows: 0, columns: 2)
        linear.apply(Matrix(rows: 1, columns: 3, values: [1, 1, 1]), into: &output)
        #expect(output.values == [3.1, 12])
    }
}
