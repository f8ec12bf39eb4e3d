import Foundation
import TernTensor

/// Reads tensors from a `.safetensors` file: an 8-byte little-endian header length, a JSON
/// header `{name: {dtype, shape, data_offsets}}`, then the raw data. The file is memory-mapped;
/// F16 and BF16 tensors are widened to `Float` as they are read, and the pages a tensor was read
/// from are given back (`MappedPages`).
public struct SafeTensorsFile: WeightsFile {
    public struct TensorInfo: Sendable, Equatable {
        public var dtype: String
        public var shape: [Int]
        /// Byte range within the data section.
        public var dataRange: Range<Int>
    }

    public let path: String
    public let tensors: [String: TensorInfo]
    public var shapes: [String: [Int]] { tensors.mapValues(\.shape) }
    public var elementTypes: Set<String> { Set(tensors.values.map(\.dtype)) }
    private let data: Data
    private let dataStart: Int

    /// Maps `path` and parses its header.
    /// - Throws: `ModelError.missingFile` or `.corruptWeights`.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw ModelError.missingFile(path: path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ModelError.corruptWeights(path: path, reason: "it cannot be read (\(error.localizedDescription))")
        }
        func corrupt(_ reason: String) -> ModelError { .corruptWeights(path: path, reason: reason) }
        guard data.count >= 8 else { throw corrupt("it is shorter than the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else { throw corrupt("its header length \(headerLength) exceeds the file") }
        let header = data.subdata(in: 8..<(8 + Int(headerLength)))
        guard let json = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw corrupt("its header is not a JSON object")
        }
        let dataSize = data.count - 8 - Int(headerLength)
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in json where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1], elementCount(of: shape) != nil
            else { throw corrupt("the header entry of tensor '\(name)' is malformed") }
            guard offsets[1] <= dataSize else { throw ModelError.tensorOutOfBounds(name: name, path: path) }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, dataRange: offsets[0]..<offsets[1])
        }
        self.path = path
        self.tensors = tensors
        self.data = data
        dataStart = 8 + Int(headerLength)
    }

    /// The values of tensor `name`, checked against `shape`, as `Float`.
    /// - Throws: `ModelError.missingTensor`, `.wrongShape`, `.unsupportedDType`, `.corruptWeights` or `.notFinite`.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let info = tensors[name] else { throw ModelError.missingTensor(name: name, path: path) }
        guard info.shape == shape else { throw ModelError.wrongShape(name: name, expected: shape, found: info.shape) }
        let count = shape.reduce(1, *)
        guard let type = StoredElementType(rawValue: info.dtype) else { throw ModelError.unsupportedDType(name: name, dtype: info.dtype) }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: type.width)
        guard !overflow, info.dataRange.count == byteCount else {
            throw ModelError.corruptWeights(path: path, reason: "tensor '\(name)' holds \(info.dataRange.count) bytes, not \(overflow ? "\(count) × \(type.width)" : "\(byteCount)") for shape \(shape) in \(info.dtype)")
        }
        let start = dataStart + info.dataRange.lowerBound
        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in type.decode(raw.baseAddress! + start, count: count, into: out.baseAddress!) }
            MappedPages.release(raw.baseAddress!, byteRange: start..<(start + byteCount))
        }
        guard values.allSatisfy(\.isFinite) else { throw ModelError.notFinite(name: name) }
        return values
    }
}
