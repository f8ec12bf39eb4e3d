import CBLAS
import CKernels

/// A dense layer `y = x · Wᵀ + b`, with `W` stored `[out, in]` as in PyTorch and Hugging Face.
public struct Linear: Sendable {
    /// `[out, in]`.
    public let weight: Matrix
    /// `[out]`.
    public let bias: [Float]
    /// `weight` as IEEE half-precision bits, `[out, in]`, when asked for and exact: the weights
    /// of a model stored in F16 convert back without loss, so products over them are the F32
    /// products up to summation order, from half the bytes.
    private let halfWeight: [UInt16]?

    /// - Parameter halfPrecisionCopy: also keep the weights in F16 for single-row products, if
    ///   every weight converts to F16 and back unchanged (otherwise the layer stays F32 only).
    public init(weight: Matrix, bias: [Float], halfPrecisionCopy: Bool = false) {
        precondition(bias.count == weight.rows, "Linear bias does not match its weight")
        self.weight = weight
        self.bias = bias
        halfWeight = halfPrecisionCopy ? Self.exactHalfPrecision(weight.values) : nil
    }

    public var inputSize: Int { weight.columns }
    public var outputSize: Int { weight.rows }
    /// Whether single-row products read the F16 copy.
    public var usesHalfPrecision: Bool { halfWeight != nil }

    /// Computes `output[M, out] = input[M, in] · Wᵀ + b`, resizing `output` to `M` rows.
    ///
    /// One row goes through a matrix-vector product (F16 when kept, else `sgemv`, several times
    /// faster than `sgemm` at `M = 1`); more rows through `sgemm`.
    public func apply(_ input: Matrix, into output: inout Matrix) {
        precondition(input.columns == inputSize, "Linear input width \(input.columns) ≠ \(inputSize)")
        let rows = input.rows
        output.resize(rows: rows)
        let outSize = outputSize, inSize = inputSize
        output.values.withUnsafeMutableBufferPointer { out in
            for row in 0..<rows {
                bias.withUnsafeBufferPointer { b in
                    (out.baseAddress! + row * outSize).update(from: b.baseAddress!, count: outSize)
                }
            }
            input.values.withUnsafeBufferPointer { x in
                if rows == 1, let halfWeight {
                    halfWeight.withUnsafeBufferPointer { w in
                        tern_half_gemv(w.baseAddress, Int32(outSize), Int32(inSize), x.baseAddress, out.baseAddress)
                    }
                    return
                }
                weight.values.withUnsafeBufferPointer { w in
                    if rows == 1 {
                        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(outSize), Int32(inSize), 1,
                                    w.baseAddress, Int32(inSize), x.baseAddress, 1, 1, out.baseAddress, 1)
                    } else if rows > 1 {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outSize), Int32(inSize), 1,
                                    x.baseAddress, Int32(inSize), w.baseAddress, Int32(inSize), 1, out.baseAddress, Int32(outSize))
                    }
                }
            }
        }
    }

    /// The F16 bit patterns of `values`, or nil when one of them is not exactly representable.
    private static func exactHalfPrecision(_ values: [Float]) -> [UInt16]? {
        var bits = [UInt16](repeating: 0, count: values.count)
        for (index, value) in values.enumerated() {
            let half = Float16(value)
            guard Float(half) == value else { return nil }
            bits[index] = half.bitPattern
        }
        return bits
    }
}
