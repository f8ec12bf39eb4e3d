import Foundation

/// Reads tensors from a `pytorch_model.bin` written by `torch.save(state_dict)`: a zip archive
/// (`StoredZipArchive`) holding `ARCHIVE/data.pkl`, the pickled dictionary of tensors, and one
/// member `ARCHIVE/data/KEY` of little-endian bytes per storage.
///
/// The pickle is read by `StateDictUnpickler`, which builds the tensor descriptions and runs no
/// pickle code; anything that is not a plain tensor state dict is refused. Tensors may be views
/// of a storage at any offset and with any strides (a transposed tensor is gathered); F32, F16
/// and BF16 are widened to `Float`, exactly as `SafeTensorsFile` does.
///
/// ```swift
/// let file = try PyTorchCheckpointFile(path: "opus-mt-en-de/pytorch_model.bin")
/// let bias = try file.floats("final_logits_bias", shape: [1, 58101])
/// ```
public struct PyTorchCheckpointFile: WeightsFile {
    public struct TensorInfo: Sendable, Equatable {
        public var dtype: String
        public var shape: [Int]
        /// The elements' storage, its element count, and the view's offset and strides, in elements.
        var storageKey: String
        var storageElements: Int
        var offset: Int
        var strides: [Int]
    }

    public let path: String
    public let tensors: [String: TensorInfo]
    public var shapes: [String: [Int]] { tensors.mapValues(\.shape) }
    public var elementTypes: Set<String> { Set(tensors.values.map(\.dtype)) }
    private let data: Data
    /// The byte range of each storage's member, by key.
    private let storages: [String: Range<Int>]

    /// Maps `path`, reads its zip directory and unpickles its `data.pkl`.
    /// - Throws: `ModelError.missingFile`, `.corruptWeights` or `.notAStateDict`.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw ModelError.missingFile(path: path) }
        func corrupt(_ reason: String) -> ModelError { .corruptWeights(path: path, reason: reason) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw corrupt("it cannot be read (\(error.localizedDescription))")
        }
        let archive: StoredZipArchive
        do {
            archive = try StoredZipArchive(data)
        } catch let failure as StoredZipArchive.Failure {
            // The format before torch 1.6 is a bare pickle stream: its first byte is PROTO (0x80).
            if data.first == 0x80 {
                throw corrupt("it is in torch's format from before version 1.6 (not a zip archive), which Tern does not read; "
                              + "load and save it again with torch 1.6 or later, or use a model.safetensors of the model")
            }
            throw corrupt(failure.reason)
        }
        // torch.save names every member `ARCHIVE/...`, ARCHIVE being the file's stem at save time.
        guard let pickle = archive.members.values.first(where: { $0.name.hasSuffix("/data.pkl") && $0.name.split(separator: "/").count == 2 })
        else { throw corrupt("it is a zip archive without ARCHIVE/data.pkl, so not a file written by torch.save") }
        let prefix = String(pickle.name.dropLast("data.pkl".count))
        if let order = archive.members[prefix + "byteorder"] {
            guard String(decoding: data[order.data], as: UTF8.self) == "little" else {
                throw corrupt("its tensors are stored big-endian; re-save them on a little-endian machine")
            }
        }
        guard pickle.method == StoredZipArchive.storedMethod else {
            throw corrupt("data.pkl is compressed (zip method \(pickle.method)); torch.save stores it uncompressed")
        }
        let pickleBytes = [UInt8](data[pickle.data])
        guard CRC32.checksum(pickleBytes) == pickle.crc32 else { throw corrupt("data.pkl fails its CRC-32 check; the file is damaged") }
        let references: [(name: String, tensor: StateDictUnpickler.TensorReference)]
        do {
            references = try StateDictUnpickler.tensors(in: pickleBytes)
        } catch let refusal as StateDictUnpickler.Refusal {
            throw ModelError.notAStateDict(path: path, reason: refusal.reason)
        }
        var storages: [String: Range<Int>] = [:]
        var tensors: [String: TensorInfo] = [:]
        for (name, reference) in references {
            let memberName = prefix + "data/" + reference.storageKey
            guard let member = archive.members[memberName] else { throw corrupt("tensor '\(name)' refers to storage '\(memberName)', which is missing") }
            guard member.method == StoredZipArchive.storedMethod else {
                throw corrupt("storage '\(memberName)' is compressed (zip method \(member.method)); torch.save stores storages uncompressed")
            }
            guard elementCount(of: reference.shape) != nil else { throw corrupt("tensor '\(name)' has an impossible shape \(reference.shape)") }
            storages[reference.storageKey] = member.data
            tensors[name] = TensorInfo(dtype: reference.dtype, shape: reference.shape, storageKey: reference.storageKey,
                                       storageElements: reference.storageElements, offset: reference.offset, strides: reference.strides)
        }
        self.path = path
        self.tensors = tensors
        self.data = data
        self.storages = storages
    }

    /// The values of tensor `name`, checked against `shape`, as `Float`, in row-major order.
    /// - Throws: `ModelError.missingTensor`, `.wrongShape`, `.unsupportedDType`, `.tensorOutOfBounds` or `.notFinite`.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let info = tensors[name] else { throw ModelError.missingTensor(name: name, path: path) }
        guard info.shape == shape else { throw ModelError.wrongShape(name: name, expected: shape, found: info.shape) }
        guard let type = StoredElementType(rawValue: info.dtype) else { throw ModelError.unsupportedDType(name: name, dtype: info.dtype) }
        let count = shape.reduce(1, *)
        let storage = storages[info.storageKey]!
        // The last element the view reaches must lie in the storage, as claimed and as stored.
        var last = info.offset
        for (size, stride) in zip(info.shape, info.strides) where size > 0 {
            let (reach, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflowSum) = last.addingReportingOverflow(reach)
            guard !overflow, !overflowSum else { throw ModelError.tensorOutOfBounds(name: name, path: path) }
            last = sum
        }
        let storedElements = min(info.storageElements, storage.count / type.width)
        guard count == 0 || last < storedElements else { throw ModelError.tensorOutOfBounds(name: name, path: path) }
        var values = [Float](repeating: 0, count: count)
        guard count > 0 else { return values }
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + storage.lowerBound
            values.withUnsafeMutableBufferPointer { out in
                if info.strides == Self.rowMajorStrides(info.shape) {
                    type.decode(base + info.offset * type.width, count: count, into: out.baseAddress!)
                } else {
                    for (index, element) in Self.elementIndices(shape: info.shape, strides: info.strides, offset: info.offset).enumerated() {
                        type.decode(base + element * type.width, count: 1, into: out.baseAddress! + index)
                    }
                }
            }
            MappedPages.release(raw.baseAddress!, byteRange: storage)
        }
        guard values.allSatisfy(\.isFinite) else { throw ModelError.notFinite(name: name) }
        return values
    }

    /// The strides of a contiguous row-major tensor of `shape`, in elements.
    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in shape.indices.dropLast().reversed() { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        return strides
    }

    /// The storage index of every element of a strided view, in row-major order.
    static func elementIndices(shape: [Int], strides: [Int], offset: Int) -> [Int] {
        shape.indices.reduce([offset]) { starts, axis in
            starts.flatMap { start in (0..<shape[axis]).map { start + $0 * strides[axis] } }
        }
    }
}

/// The CRC-32 of zip archives (polynomial 0xEDB88320).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { byte in
        (0..<8).reduce(UInt32(byte)) { value, _ in value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
