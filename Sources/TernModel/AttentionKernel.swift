import TernTensor

/// Scaled dot-product attention for one query and one head.
enum AttentionKernel {
    /// `output[Dh] = Σ_j softmax_j(query · key_j) · value_j` over the first `keyCount` keys.
    /// The query is already scaled by `1/√Dh`.
    /// - Parameters:
    ///   - keys, values: the first key and value of this head; key `j` starts `j · stride` floats later.
    ///   - scores: scratch space for at least `keyCount` floats.
    @inline(__always)
    static func attend(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, stride: Int,
                       keyCount: Int, headWidth: Int, scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        probabilities(query: query, keys: keys, stride: stride, keyCount: keyCount, headWidth: headWidth, into: scores)
        for index in 0..<headWidth { output[index] = 0 }
        for j in 0..<keyCount {
            let weight = scores[j]
            let value = values + j * stride
            for index in 0..<headWidth { output[index] += weight * value[index] }
        }
    }

    /// `probabilities[j] = softmax_j(query · key_j)` over the first `keyCount` keys: the weights
    /// `attend` averages the values with (and `Model.attentionProbabilities` reports).
    @inline(__always)
    static func probabilities(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, stride: Int, keyCount: Int, headWidth: Int,
                              into probabilities: UnsafeMutablePointer<Float>) {
        for j in 0..<keyCount {
            probabilities[j] = Kernels.dot(query, keys + j * stride, count: headWidth)
        }
        Kernels.softmax(probabilities, count: keyCount)
    }
}
