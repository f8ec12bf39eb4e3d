import CKernels

/// A dense layer `y = x · Wᵀ + b`, with `W` `[out, in]` as in PyTorch and Hugging Face, packed
/// once for Tern's matrix-product kernels (`PackedWeights`).
public struct Linear: Sendable {
    /// `W`, `[out, in]`.
    public let weights: PackedWeights
    /// `[out]`.
    public let bias: [Float]
    /// `bias` padded with zeros to the kernels' panel width.
    private let paddedBias: [Float]

    public init(weights: PackedWeights, bias: [Float]) {
        precondition(bias.count == weights.rows, "Linear bias does not match its weight")
        self.weights = weights
        self.bias = bias
        paddedBias = bias + [Float](repeating: 0, count: tern_packed_count(weights.rows, 1) - bias.count)
    }

    /// Packs `weight` `[out, in]` (F16 when it holds every value exactly, see `PackedWeights`).
    public init(weight: Matrix, bias: [Float]) {
        self.init(weights: PackedWeights(weight), bias: bias)
    }

    /// This layer with its weights held as `computeType` asks (`PackedWeights.converted(to:)`).
    public func converted(to computeType: ComputeType) throws -> Linear {
        Linear(weights: try weights.converted(to: computeType), bias: bias)
    }

    public var inputSize: Int { weights.columns }
    public var outputSize: Int { weights.rows }
    /// Weights and bias.
    public var parameterCount: Int { weights.rows * weights.columns + bias.count }

    /// Computes `output[M, out] = input[M, in] · Wᵀ + b`, resizing `output` to `M` rows, on the
    /// calling thread. Each output row depends on its input row only: the same row gives the
    /// same bits whatever else is in the batch.
    public func apply(_ input: Matrix, into output: inout Matrix, kernel: GEMMKernel = .selected) {
        precondition(input.columns == inputSize, "Linear input width \(input.columns) ≠ \(inputSize)")
        let rows = input.rows
        output.resize(rows: rows)
        guard rows > 0 else { return }
        output.values.withUnsafeMutableBufferPointer { out in
            input.values.withUnsafeBufferPointer { x in
                paddedBias.withUnsafeBufferPointer { b in
                    weights.product(x.baseAddress!, rows: rows, paddedBias: b.baseAddress!, into: out.baseAddress!, kernel: kernel)
                }
            }
        }
    }
}
