import CKernels

/// A weight matrix `W [N, K]` (PyTorch's `[out, in]`), packed once into the panels that Tern's
/// matrix-product kernels read (`tern_gemm.h`): 16 output rows side by side for each input column.
///
/// Weights that IEEE half precision holds exactly (every model Tern's trainer writes, which are
/// stored F16) are packed as F16 and widened while loading: the products are the F32 products, from
/// half the bytes. Other weights are packed F32. `converted(to: .int8)` quantizes them per row
/// (`QuantizedPanels`).
public struct PackedWeights: Sendable {
    /// How the packed values are stored.
    public enum Precision: String, Sendable {
        case single = "f32"
        case half = "f16"
        case int8
    }

    private enum Storage: Sendable {
        case single([Float])
        case half([UInt16])
        case int8(QuantizedPanels)
    }

    /// `N`.
    public let rows: Int
    /// `K`.
    public let columns: Int
    private let storage: Storage

    /// Packs `matrix` `[N, K]`, as F16 when every value converts to F16 and back unchanged.
    public init(_ matrix: Matrix) {
        rows = matrix.rows
        columns = matrix.columns
        let count = tern_packed_count(matrix.rows, matrix.columns)
        if let half = Self.exactHalfPrecision(matrix.values, count: matrix.count) {
            storage = .half([UInt16](unsafeUninitializedCapacity: count) { packed, initialized in
                half.withUnsafeBufferPointer { tern_pack_f16($0.baseAddress, matrix.rows, matrix.columns, packed.baseAddress) }
                initialized = count
            })
        } else {
            storage = .single(Self.packedSingle(matrix))
        }
    }

    /// `matrix` packed F32.
    private static func packedSingle(_ matrix: Matrix) -> [Float] {
        [Float](unsafeUninitializedCapacity: tern_packed_count(matrix.rows, matrix.columns)) { packed, initialized in
            matrix.values.withUnsafeBufferPointer { tern_pack_f32($0.baseAddress, matrix.rows, matrix.columns, packed.baseAddress) }
            initialized = packed.count
        }
    }

    public var precision: Precision {
        switch storage {
        case .single: .single
        case .half: .half
        case .int8: .int8
        }
    }

    /// Bytes the packed values occupy.
    public var byteCount: Int {
        switch storage {
        case .single(let values): values.count * MemoryLayout<Float>.size
        case .half(let values): values.count * MemoryLayout<UInt16>.size
        case .int8(let panels): panels.byteCount
        }
    }

    private init(rows: Int, columns: Int, storage: Storage) {
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// These weights held as `computeType` asks: `.auto` keeps them, `.float32` packs them F32,
    /// `.int8` quantizes them per row (from the values held now, so int8 weights stay as they are).
    /// - Throws: `ComputeTypeError.tooWideForInt8` for int8 when `K` exceeds `TERN_INT8_MAX_DEPTH`.
    public func converted(to computeType: ComputeType) throws -> PackedWeights {
        switch (computeType, storage) {
        case (.auto, _), (.float32, .single), (.int8, .int8):
            return self
        case (.float32, _):
            return PackedWeights(rows: rows, columns: columns, storage: .single(Self.packedSingle(unpacked())))
        case (.int8, _):
            guard columns <= Int(TERN_INT8_MAX_DEPTH) else { throw ComputeTypeError.tooWideForInt8(columns: columns) }
            return PackedWeights(rows: rows, columns: columns, storage: .int8(QuantizedPanels(unpacked())))
        }
    }

    /// The int8 row `row` and its scale (`W[row, k] ≈ values[k] · scale`), or nil unless `precision` is `.int8`.
    public func quantizedRow(_ row: Int) -> (values: [Int8], scale: Float)? {
        precondition(row >= 0 && row < rows, "PackedWeights row \(row) outside 0..<\(rows)")
        guard case .int8(let panels) = storage else { return nil }
        return (panels.quantizedRow(row, columns: columns), panels.scales[row])
    }

    /// Copies row `row` of `W` (`K` values; int8 weights dequantized) to `destination`.
    public func copyRow(_ row: Int, to destination: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows, "PackedWeights row \(row) outside 0..<\(rows)")
        switch storage {
        case .single(let values):
            values.withUnsafeBufferPointer { tern_packed_row_f32($0.baseAddress, columns, row, destination) }
        case .half(let values):
            values.withUnsafeBufferPointer { tern_packed_row_f16($0.baseAddress, columns, row, destination) }
        case .int8(let panels):
            panels.copyRow(row, columns: columns, to: destination)
        }
    }

    /// `W` as a row-major `[N, K]` matrix (for references and tests; the engine never unpacks).
    public func unpacked() -> Matrix {
        var matrix = Matrix(rows: rows, columns: columns)
        matrix.values.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows { copyRow(row, to: values.baseAddress! + row * columns) }
        }
        return matrix
    }

    /// `output[M, N] = input[M, K] · Wᵀ + bias`, with `paddedBias` holding `N` values padded with
    /// zeros to a multiple of 16 (`tern_packed_count(N, 1)`), on `kernel` (the processor's best
    /// unless a test asks for a lesser one).
    func product(_ input: UnsafePointer<Float>, rows inputRows: Int, paddedBias: UnsafePointer<Float>,
                 into output: UnsafeMutablePointer<Float>, kernel: GEMMKernel) {
        switch storage {
        case .single(let values):
            values.withUnsafeBufferPointer {
                tern_packed_gemm_f32(kernel.cValue, input, columns, inputRows, columns, $0.baseAddress, paddedBias, rows, output, rows)
            }
        case .half(let values):
            values.withUnsafeBufferPointer {
                tern_packed_gemm_f16(kernel.cValue, input, columns, inputRows, columns, $0.baseAddress, paddedBias, rows, output, rows)
            }
        case .int8(let panels):
            panels.product(input, rows: inputRows, outputs: rows, columns: columns, paddedBias: paddedBias, into: output, kernel: kernel)
        }
    }

    /// The F16 bit patterns of the first `count` values, or nil when one of them is not exactly representable.
    private static func exactHalfPrecision(_ values: [Float], count: Int) -> [UInt16]? {
        var bits = [UInt16](repeating: 0, count: count)
        for index in 0..<count {
            let half = Float16(values[index])
            guard Float(half) == values[index] else { return nil }
            bits[index] = half.bitPattern
        }
        return bits
    }
}
