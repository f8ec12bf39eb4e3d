import TernModel

/// Every trainable parameter in one flat block, with a gradient block of the same layout, in
/// `TensorLayout` order. Flat storage keeps the optimizer and gradient clipping one loop each.
final class ParameterStore {
    struct Entry {
        let name: String
        let shape: [Int]
        let offset: Int
        var count: Int { shape.reduce(1, *) }
    }

    let entries: [Entry]
    let count: Int
    let values: UnsafeMutablePointer<Float>
    let gradients: UnsafeMutablePointer<Float>
    private let offsets: [String: Int]

    /// Copies the tensors of `layout` from `source`.
    /// - Throws: `ModelError` when a tensor is missing or misshapen.
    init(layout: [TensorSpec], source: some TensorSource) throws {
        var entries: [Entry] = [], offset = 0
        for tensor in layout {
            entries.append(Entry(name: tensor.name, shape: tensor.shape, offset: offset))
            offset += tensor.shape.reduce(1, *)
        }
        self.entries = entries
        count = offset
        offsets = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.offset) })
        values = .allocate(capacity: max(1, offset))
        gradients = .allocate(capacity: max(1, offset))
        gradients.initialize(repeating: 0, count: max(1, offset))
        for entry in entries {
            let tensor = try source.floats(entry.name, shape: entry.shape)
            tensor.withUnsafeBufferPointer { (values + entry.offset).initialize(from: $0.baseAddress!, count: entry.count) }
        }
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    /// The offset of a tensor of the layout in both blocks.
    func offset(of tensor: TensorSpec) -> Int {
        guard let offset = offsets[tensor.name] else { preconditionFailure("no parameter \(tensor.name)") }
        return offset
    }

    func zeroGradients() {
        gradients.update(repeating: 0, count: count)
    }

    /// The current values as named tensors, for saving or for building an inference model.
    func tensors() -> [(name: String, shape: [Int], values: [Float])] {
        entries.map { (name: $0.name, shape: $0.shape, values: Array(UnsafeBufferPointer(start: values + $0.offset, count: $0.count))) }
    }

    /// The gradients as named tensors, for tests.
    func gradientTensors() -> [(name: String, shape: [Int], values: [Float])] {
        entries.map { (name: $0.name, shape: $0.shape, values: Array(UnsafeBufferPointer(start: gradients + $0.offset, count: $0.count))) }
    }
}
