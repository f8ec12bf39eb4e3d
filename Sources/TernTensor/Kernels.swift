import CKernels
import Foundation

/// Element-wise and row-wise kernels on `Matrix`. Shapes are given as `[rows, columns]`.
public enum Kernels {
    /// `x += y`, both `[M, N]`.
    public static func add(_ y: Matrix, to x: inout Matrix) {
        precondition(x.count == y.count, "add: shapes differ")
        let count = x.count
        x.values.withUnsafeMutableBufferPointer { xs in
            y.values.withUnsafeBufferPointer { ys in
                for index in 0..<count { xs[index] += ys[index] }
            }
        }
    }

    /// Layer normalization of each row of `x` `[M, N]` in place: `(x − mean) / √(var + ε) · γ + β`.
    public static func layerNorm(_ x: inout Matrix, gamma: [Float], beta: [Float], epsilon: Float = 1e-5) {
        let columns = x.columns
        precondition(gamma.count == columns && beta.count == columns, "layerNorm: parameter width differs")
        x.values.withUnsafeMutableBufferPointer { xs in
            for row in 0..<x.rows {
                tern_layer_norm(xs.baseAddress! + row * columns, columns, gamma, beta, epsilon)
            }
        }
    }

    /// Softmax over the first `count` values at `values`, in place. Entries of −∞ get 0.
    @inline(__always)
    public static func softmax(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let maximum = VectorExp.maximum(values, count: count)
        guard maximum > -Float.infinity else {
            for index in 0..<count { values[index] = 0 }
            return
        }
        VectorExp.exponentiate(values, count: count, shift: maximum)
        var sum: Float = 0
        for index in 0..<count { sum += values[index] }
        let inverse = 1 / sum
        for index in 0..<count { values[index] *= inverse }
    }

    /// `dot(a, b)` over `count` values.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        tern_dot(a, b, count)
    }
}
