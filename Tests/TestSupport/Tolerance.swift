import Testing

/// Expects `actual` and `expected` to match element by element within `tolerance`. On failure
/// it reports the largest difference and the first mismatching indices.
public func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("lengths differ: \(actual.count) vs \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var largest: Float = 0
    var mismatches: [String] = []
    for index in actual.indices {
        let difference = abs(actual[index] - expected[index])
        largest = max(largest, difference.isNaN ? .infinity : difference)
        if !(difference <= tolerance), mismatches.count < 5 {
            mismatches.append("[\(index)] \(actual[index]) vs \(expected[index])")
        }
    }
    if !mismatches.isEmpty {
        Issue.record("largest difference \(largest) > \(tolerance); first mismatches: \(mismatches.joined(separator: ", "))",
                     sourceLocation: sourceLocation)
    }
}
