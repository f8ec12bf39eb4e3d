import CKernels
import Testing

/// The beam top-k's scan against the scalar loop it replaces: the first token whose total
/// `base + (logit − normalizer)` beats the threshold, for every start offset and row length
/// around the vector width, with ties at the threshold, infinities and NaN.
@Suite struct TotalScanTests {
    @Test func firstTotalAboveMatchesScalarLoop() {
        var random = SystemRandomNumberGenerator()
        for count in [0, 1, 7, 8, 15, 16, 17, 31, 33, 100] {
            var logits = (0..<count).map { _ in Float(Int.random(in: -40...0, using: &random)) / 4 }
            if count > 3 {
                logits[count / 2] = .nan
                logits[count / 3] = -.infinity
            }
            let normalizer: Float = 0.75, base: Float = -2.5
            for threshold in [-Float.infinity, -20, -8.25, -6, -3.25, 0] {
                for start in 0...count {
                    let expected = (start..<count).first { base + (logits[$0] - normalizer) > threshold } ?? count
                    let found = logits.withUnsafeBufferPointer {
                        start + tern_first_total_above($0.baseAddress! + start, count - start, normalizer, base, threshold)
                    }
                    #expect(found == expected, "count \(count), threshold \(threshold), start \(start)")
                }
            }
        }
    }
}
