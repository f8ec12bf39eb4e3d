import Foundation

/// Random initial parameters for a config, seeded so that a run can be repeated exactly.
///
/// Matrices are drawn from a normal distribution with standard deviation `deviation`
/// (Hugging Face Marian's `init_std` is 0.02), biases start at zero, layer norms at γ = 1,
/// β = 0, and the `<pad>` row of the embeddings is exactly zero: it is the decoder's start
/// token, a zero vector for Hugging Face and CTranslate2 alike.
public struct ParameterInitializer: Sendable {
    public var deviation: Float
    public var seed: UInt64

    public init(deviation: Float = 0.02, seed: UInt64 = 1) {
        self.deviation = deviation
        self.seed = seed
    }

    /// Every tensor of `TensorLayout.parameters`, in that order.
    public func parameters(for config: ModelConfig, architecture: Architecture) -> [(name: String, shape: [Int], values: [Float])] {
        var random = SplitMix64(seed: seed)
        return TensorLayout(config: config, architecture: architecture).parameters.map { tensor in
            let count = tensor.shape.reduce(1, *)
            var values: [Float]
            switch tensor.role {
            case .normGain: values = [Float](repeating: 1, count: count)
            case .bias, .normShift: values = [Float](repeating: 0, count: count)
            case .matrix, .embedding: values = (0..<count).map { _ in random.normal() * deviation }
            }
            if tensor.role == .embedding {
                for column in 0..<config.dModel { values[config.padTokenId * config.dModel + column] = 0 }
            }
            return (name: tensor.name, shape: tensor.shape, values: values)
        }
    }

    /// Initial weights for `config`.
    public func weights(for config: ModelConfig, architecture: Architecture) throws -> ModelWeights {
        try ModelWeights(config: config, architecture: architecture,
                         file: TensorDictionary(parameters(for: config, architecture: architecture)))
    }
}

/// SplitMix64: a small, fast, seedable generator.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal sample (Box–Muller).
    public mutating func normal() -> Float {
        let u1 = max(Double.random(in: 0..<1, using: &self), 1e-12)
        let u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
