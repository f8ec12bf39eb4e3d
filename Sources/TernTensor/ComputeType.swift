import CKernels

/// How a loaded model's weights are held for inference (`--compute-type`).
public enum ComputeType: String, CaseIterable, Sendable {
    /// As the file stores them: F16 when every value of a matrix is F16-exact, else F32 (products in F32 either way).
    case auto
    /// Packed F32.
    case float32
    /// Per-row symmetric int8 (`PackedWeights.Precision.int8`); activations are quantized per row on each product.
    case int8
}

/// A weight matrix that cannot be held the way asked.
public enum ComputeTypeError: Error, CustomStringConvertible, Equatable {
    /// The int8 kernels sum at most `TERN_INT8_MAX_DEPTH` products exactly.
    case tooWideForInt8(columns: Int)

    public var description: String {
        switch self {
        case .tooWideForInt8(let columns):
            "a weight matrix has \(columns) inputs per row, more than the \(TERN_INT8_MAX_DEPTH) that int8 products sum exactly; "
                + "use --compute-type float32 for this model"
        }
    }
}
