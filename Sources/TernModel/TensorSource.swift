/// Where `ModelWeights` reads its parameters from: a weights file, or tensors in memory.
public protocol TensorSource {
    /// The values of tensor `name`, checked against `shape`.
    /// - Throws: `ModelError` naming the tensor when it is missing or does not fit.
    func floats(_ name: String, shape: [Int]) throws -> [Float]
}

/// A weights file of a model folder: `model.safetensors` (`SafeTensorsFile`) or
/// `pytorch_model.bin` (`PyTorchCheckpointFile`).
public protocol WeightsFile: TensorSource {
    var path: String { get }
    /// The shape of every tensor in the file, by name.
    var shapes: [String: [Int]] { get }
    /// The element types the file stores, as safetensors names them (`F32`, `F16`, …).
    var elementTypes: Set<String> { get }
}

/// Named tensors held in memory: freshly initialized or trained parameters.
public struct TensorDictionary: TensorSource, Sendable {
    public var tensors: [String: (shape: [Int], values: [Float])]

    public init(_ tensors: [(name: String, shape: [Int], values: [Float])]) {
        self.tensors = Dictionary(tensors.map { ($0.name, (shape: $0.shape, values: $0.values)) }, uniquingKeysWith: { $1 })
    }

    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let tensor = tensors[name] else { throw ModelError.missingTensor(name: name, path: "memory") }
        guard tensor.shape == shape else { throw ModelError.wrongShape(name: name, expected: shape, found: tensor.shape) }
        return tensor.values
    }
}
