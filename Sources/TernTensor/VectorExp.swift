import CKernels
import Foundation

/// The reductions behind softmax and log-softmax, which dominate decoding time after the matrix
/// products: AVX2/FMA code where the processor has it (see `tern_vector_math.h` for the `exp`
/// used and its accuracy), portable code otherwise.
public enum VectorExp {
    /// The largest of `count` floats (−∞ when `count` is 0).
    @inline(__always)
    public static func maximum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        tern_maximum(values, count)
    }

    /// `log Σ exp(values[i])` over `count` floats, computed as `max + log Σ exp(values[i] − max)`
    /// so that nothing overflows: the normalizer of a log-softmax.
    public static func logSumOfExponentials(_ values: UnsafePointer<Float>, count: Int) -> Float {
        logSumOfExponentials(values, count: count, maximum: maximum(values, count: count))
    }

    /// As `logSumOfExponentials(_:count:)`, given `maximum`, the largest of the values.
    public static func logSumOfExponentials(_ values: UnsafePointer<Float>, count: Int, maximum: Float) -> Float {
        maximum + logf(tern_sum_of_exponentials(values, count, maximum))
    }

    /// `values[i] = exp(values[i] − shift)` over `count` floats, in place.
    @inline(__always)
    public static func exponentiate(_ values: UnsafeMutablePointer<Float>, count: Int, shift: Float) {
        tern_exponentiate(values, count, shift)
    }
}
