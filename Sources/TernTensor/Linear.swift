import CBLAS

/// A dense layer `y = x · Wᵀ + b`, with `W` stored `[out, in]` as in PyTorch and Hugging Face.
public struct Linear: Sendable {
    /// `[out, in]`.
    public let weight: Matrix
    /// `[out]`.
    public let bias: [Float]

    public init(weight: Matrix, bias: [Float]) {
        precondition(bias.count == weight.rows, "Linear bias does not match its weight")
        self.weight = weight
        self.bias = bias
    }

    public var inputSize: Int { weight.columns }
    public var outputSize: Int { weight.rows }

    /// Computes `output[M, out] = input[M, in] · Wᵀ + b`, resizing `output` to `M` rows.
    ///
    /// One row goes through `sgemv`, which is several times faster than `sgemm` at `M = 1`.
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
}
