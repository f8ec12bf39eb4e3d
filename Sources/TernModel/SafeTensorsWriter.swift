import Foundation
import TernIO

/// Writes named tensors as a `.safetensors` file, in F32 or F16.
public enum SafeTensorsWriter {
    public enum DType: String, Sendable {
        case f32 = "F32"
        case f16 = "F16"

        var byteWidth: Int { self == .f32 ? 4 : 2 }
    }

    /// Writes `tensors` (name, shape, values) to `path`, replacing it atomically.
    public static func write(_ tensors: [(name: String, shape: [Int], values: [Float])], dtype: DType, to path: String) throws {
        var header = "{"
        var offset = 0
        for (index, tensor) in tensors.enumerated() {
            precondition(tensor.shape.reduce(1, *) == tensor.values.count, "tensor \(tensor.name) does not match its shape")
            let size = tensor.values.count * dtype.byteWidth
            header += (index == 0 ? "" : ",") + "\"\(tensor.name)\":{\"dtype\":\"\(dtype.rawValue)\",\"shape\":\(tensor.shape),\"data_offsets\":[\(offset),\(offset + size)]}"
            offset += size
        }
        header += "}"
        while (header.utf8.count + 8) % 8 != 0 { header += " " }
        var data = Data()
        data.reserveCapacity(8 + header.utf8.count + offset)
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        for tensor in tensors {
            switch dtype {
            case .f32:
                for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            case .f16:
                for value in tensor.values { withUnsafeBytes(of: HalfPrecision.half(from: value).littleEndian) { data.append(contentsOf: $0) } }
            }
        }
        try AtomicFile.write(data, to: path)
    }
}
