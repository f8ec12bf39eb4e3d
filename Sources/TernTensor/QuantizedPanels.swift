import CKernels

/// A weight matrix `W [N, K]` quantized per output row to int8 and packed for the int8 kernels
/// (`tern_gemm_int8.h`): `W[n, k] ≈ values[n, k] · scales[n]`, `scales[n] = max|W[n, :]| / 127`.
struct QuantizedPanels: Sendable {
    /// The packed bytes, `⌈N / 16⌉ · 16 · Kp`.
    let values: [Int8]
    /// `[⌈N / 16⌉ · 16]`, zero past `N`.
    let scales: [Float]
    /// `Σ_k values[n, k]`, `[⌈N / 16⌉ · 16]` (the VNNI kernel's correction for its unsigned activations).
    let columnSums: [Int32]

    /// Quantizes `matrix` `[N, K]`; `K` must not exceed `TERN_INT8_MAX_DEPTH`.
    init(_ matrix: Matrix) {
        let padded = tern_packed_count(matrix.rows, 1)
        var scales = [Float](repeating: 0, count: padded), columnSums = [Int32](repeating: 0, count: padded)
        let count = tern_packed_int8_count(matrix.rows, matrix.columns)
        values = [Int8](unsafeUninitializedCapacity: count) { packed, initialized in
            matrix.values.withUnsafeBufferPointer {
                tern_pack_int8($0.baseAddress, matrix.rows, matrix.columns, packed.baseAddress, &scales, &columnSums)
            }
            initialized = count
        }
        self.scales = scales
        self.columnSums = columnSums
    }

    var byteCount: Int {
        values.count + scales.count * MemoryLayout<Float>.size + columnSums.count * MemoryLayout<Int32>.size
    }

    /// The quantized row `row` (`K` values).
    func quantizedRow(_ row: Int, columns: Int) -> [Int8] {
        [Int8](unsafeUninitializedCapacity: columns) { out, initialized in
            values.withUnsafeBufferPointer { tern_packed_row_int8($0.baseAddress, columns, row, out.baseAddress) }
            initialized = columns
        }
    }

    /// Writes row `row` dequantized, `values[row, k] · scales[row]`, to `destination` (`K` values).
    func copyRow(_ row: Int, columns: Int, to destination: UnsafeMutablePointer<Float>) {
        let scale = scales[row]
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: columns) { quantized in
            values.withUnsafeBufferPointer { tern_packed_row_int8($0.baseAddress, columns, row, quantized.baseAddress) }
            for column in 0..<columns { destination[column] = Float(quantized[column]) * scale }
        }
    }

    /// `output[M, N] = input[M, K] · Wᵀ + bias` (see `PackedWeights.product`), quantizing the input rows
    /// into scratch memory of this call.
    func product(_ input: UnsafePointer<Float>, rows inputRows: Int, outputs: Int, columns: Int, paddedBias: UnsafePointer<Float>,
                 into output: UnsafeMutablePointer<Float>, kernel: GEMMKernel) {
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: inputRows * tern_int8_padded_depth(columns)) { quantized in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: inputRows) { rowScales in
                values.withUnsafeBufferPointer { packed in
                    tern_packed_gemm_int8(kernel.cValue, input, columns, inputRows, columns, packed.baseAddress, scales, columnSums,
                                          paddedBias, outputs, output, outputs, quantized.baseAddress, rowScales.baseAddress)
                }
            }
        }
    }
}
