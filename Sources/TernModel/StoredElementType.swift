/// The floating-point element types Tern reads from weights files, as safetensors names them:
/// little-endian F32, F16 and BF16, widened to `Float`.
enum StoredElementType: String {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"

    /// Bytes per element.
    var width: Int { self == .f32 ? 4 : 2 }

    /// Widens `count` consecutive elements at `bytes` into `out[0..<count]`.
    func decode(_ bytes: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case .f32:
            for index in 0..<count { out[index] = Float(bitPattern: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self).littleEndian) }
        case .f16:
            for index in 0..<count { out[index] = HalfPrecision.float(fromHalf: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self).littleEndian) }
        case .bf16:
            for index in 0..<count { out[index] = Float(bitPattern: UInt32(bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self).littleEndian) << 16) }
        }
    }
}

/// The number of elements of `shape`, or nil when a dimension is negative or the product
/// overflows `Int`: such a shape in a file's header is malformed.
func elementCount(of shape: [Int]) -> Int? {
    var count = 1
    for dimension in shape {
        guard dimension >= 0 else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        if overflow { return nil }
        count = product
    }
    return count
}
