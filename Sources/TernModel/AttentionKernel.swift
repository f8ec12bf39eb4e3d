import CKernels

/// Scaled dot-product attention for one query and one head (`tern_attention.h`).
enum AttentionKernel {
    /// `output[Dh] = Σ_j softmax_j(query · key_j) · value_j` over the first `keyCount` keys.
    /// The query is already scaled by `1/√Dh`.
    /// - Parameters:
    ///   - keys, values: the first key and value of this head; key `j` starts `j · stride` floats later.
    ///   - scores: scratch space for at least `keyCount` floats.
    @inline(__always)
    static func attend(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, stride: Int,
                       keyCount: Int, headWidth: Int, scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        tern_attend(query, keys, values, stride, keyCount, headWidth, scores, output)
    }

    /// `probabilities[j] = softmax_j(query · key_j)` over the first `keyCount` keys: the weights
    /// `attend` averages the values with (and `Model.attentionProbabilities` reports).
    @inline(__always)
    static func probabilities(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, stride: Int, keyCount: Int, headWidth: Int,
                              into probabilities: UnsafeMutablePointer<Float>) {
        tern_attention_probabilities(query, keys, stride, keyCount, headWidth, probabilities)
    }
}
