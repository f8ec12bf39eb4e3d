import Foundation
@testable import TernModel
import Testing

/// The fused attention kernel against a float64 reference: the dot products, the softmax and the
/// weighted sum of the values, for head widths on the vector path (multiples of 8) and off it,
/// key counts around its four-key blocks, and keys stored `stride` floats apart.
@Suite struct AttentionKernelTests {
    @Test(arguments: [8, 16, 32, 40, 64, 96, 12, 5])
    func attendMatchesReference(headWidth: Int) {
        var random = SystemRandomNumberGenerator()
        for keyCount in [1, 2, 3, 4, 5, 7, 8, 9, 17, 64] {
            let stride = headWidth * 3 + 1
            let query = (0..<headWidth).map { _ in Float.random(in: -1...1, using: &random) }
            let keys = (0..<(keyCount * stride)).map { _ in Float.random(in: -2...2, using: &random) }
            let values = (0..<(keyCount * stride)).map { _ in Float.random(in: -2...2, using: &random) }
            var scores = [Float](repeating: .nan, count: keyCount)
            var output = [Float](repeating: .nan, count: headWidth)
            AttentionKernel.attend(query: query, keys: keys, values: values, stride: stride, keyCount: keyCount,
                                   headWidth: headWidth, scores: &scores, output: &output)

            let logits = (0..<keyCount).map { j in (0..<headWidth).reduce(0.0) { $0 + Double(query[$1]) * Double(keys[j * stride + $1]) } }
            let maximum = logits.max()!
            let exponentials = logits.map { exp($0 - maximum) }
            let total = exponentials.reduce(0, +)
            let expected = exponentials.map { $0 / total }
            for j in 0..<keyCount {
                #expect(abs(Double(scores[j]) - expected[j]) <= 2e-6, "width \(headWidth), keys \(keyCount), probability \(j)")
            }
            for i in 0..<headWidth {
                let reference = (0..<keyCount).reduce(0.0) { $0 + expected[$1] * Double(values[$1 * stride + i]) }
                #expect(abs(Double(output[i]) - reference) <= 1e-5, "width \(headWidth), keys \(keyCount), output \(i)")
            }

            var probabilities = [Float](repeating: .nan, count: keyCount)
            AttentionKernel.probabilities(query: query, keys: keys, stride: stride, keyCount: keyCount, headWidth: headWidth,
                                          into: &probabilities)
            #expect(probabilities == scores, "the reported probabilities are the ones the values are averaged with")
        }
    }

    @Test func scoresOfMinusInfinityGiveZeroWeights() {
        let query: [Float] = [.infinity] + [Float](repeating: 0, count: 7)
        let keys: [Float] = [-1] + [Float](repeating: 0, count: 7) + [-2] + [Float](repeating: 0, count: 7)
        var probabilities = [Float](repeating: .nan, count: 2)
        AttentionKernel.probabilities(query: query, keys: keys, stride: 8, keyCount: 2, headWidth: 8, into: &probabilities)
        #expect(probabilities == [0, 0])
    }
}
