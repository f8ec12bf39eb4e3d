import TernTensor

/// Layer normalization parameters, `[D]` each.
public struct LayerNormWeights: Sendable {
    public let gamma: [Float]
    public let beta: [Float]

    public func apply(_ x: inout Matrix) {
        Kernels.layerNorm(&x, gamma: gamma, beta: beta)
    }
}

/// Multi-head attention projections, each `[D, D]` with bias.
public struct AttentionWeights: Sendable {
    public let query: Linear
    public let key: Linear
    public let value: Linear
    public let output: Linear
    public let heads: Int

    public var headWidth: Int { query.outputSize / heads }
    /// Queries are multiplied by `1/√Dh` right after projection, as in Hugging Face.
    public var queryScale: Float { 1 / Float(headWidth).squareRoot() }
}

/// The position-wise feed-forward block: `fc2(act(fc1(x)))`, `[D] → [F] → [D]`.
public struct FeedForwardWeights: Sendable {
    public let expand: Linear
    public let contract: Linear
    public let activation: Activation
}

/// One post-layer-norm encoder layer.
public struct EncoderLayerWeights: Sendable {
    public let selfAttention: AttentionWeights
    public let selfAttentionNorm: LayerNormWeights
    public let feedForward: FeedForwardWeights
    public let finalNorm: LayerNormWeights
}

/// One post-layer-norm decoder layer; `crossAttention` is nil in the decoder-only modes.
public struct DecoderLayerWeights: Sendable {
    public let selfAttention: AttentionWeights
    public let selfAttentionNorm: LayerNormWeights
    public let crossAttention: AttentionWeights?
    public let crossAttentionNorm: LayerNormWeights?
    public let feedForward: FeedForwardWeights
    public let finalNorm: LayerNormWeights
}

/// Every parameter of a model, in Hugging Face Marian's names:
///
/// | name | shape |
/// |---|---|
/// | `model.shared.weight` | `[V, D]`, shared by encoder, decoder and output layer |
/// | `model.{encoder,decoder}.layers.N.self_attn.{q,k,v,out}_proj.{weight,bias}` | `[D, D]`, `[D]` |
/// | `model.{encoder,decoder}.layers.N.self_attn_layer_norm.{weight,bias}` | `[D]` |
/// | `model.decoder.layers.N.encoder_attn.{q,k,v,out}_proj.{weight,bias}` | `[D, D]`, `[D]` |
/// | `model.decoder.layers.N.encoder_attn_layer_norm.{weight,bias}` | `[D]` |
/// | `model.{encoder,decoder}.layers.N.fc1.{weight,bias}` | `[F, D]`, `[F]` |
/// | `model.{encoder,decoder}.layers.N.fc2.{weight,bias}` | `[D, F]`, `[D]` |
/// | `model.{encoder,decoder}.layers.N.final_layer_norm.{weight,bias}` | `[D]` |
/// | `final_logits_bias` | `[1, V]` |
///
/// Decoder-only models have no `model.encoder.*` and no `encoder_attn*` tensors.
public struct ModelWeights: Sendable {
    public let config: ModelConfig
    public let architecture: Architecture
    public let embedding: Embedding
    public let encoderLayers: [EncoderLayerWeights]
    public let decoderLayers: [DecoderLayerWeights]
    /// `[V]`.
    public let finalLogitsBias: [Float]

    public init(config: ModelConfig, architecture: Architecture, embedding: Embedding, encoderLayers: [EncoderLayerWeights],
                decoderLayers: [DecoderLayerWeights], finalLogitsBias: [Float]) {
        self.config = config
        self.architecture = architecture
        self.embedding = embedding
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.finalLogitsBias = finalLogitsBias
    }

    /// Loads and checks every tensor that `config` implies.
    /// - Throws: `ModelError` naming the first missing, misshapen or damaged tensor.
    public init(config: ModelConfig, architecture: Architecture, file: some TensorSource) throws {
        let d = config.dModel, v = config.vocabSize
        // Decoder layers also keep F16 copies: they run one row per sentence at greedy batch 1.
        func linear(_ prefix: String, out: Int, in inSize: Int) throws -> Linear {
            Linear(weight: Matrix(rows: out, columns: inSize, values: try file.floats(prefix + ".weight", shape: [out, inSize])),
                   bias: try file.floats(prefix + ".bias", shape: [out]), halfPrecisionCopy: prefix.hasPrefix("model.decoder."))
        }
        func norm(_ prefix: String) throws -> LayerNormWeights {
            LayerNormWeights(gamma: try file.floats(prefix + ".weight", shape: [d]), beta: try file.floats(prefix + ".bias", shape: [d]))
        }
        func attention(_ prefix: String, heads: Int) throws -> AttentionWeights {
            AttentionWeights(query: try linear(prefix + ".q_proj", out: d, in: d), key: try linear(prefix + ".k_proj", out: d, in: d),
                             value: try linear(prefix + ".v_proj", out: d, in: d), output: try linear(prefix + ".out_proj", out: d, in: d),
                             heads: heads)
        }
        func feedForward(_ prefix: String, width: Int) throws -> FeedForwardWeights {
            FeedForwardWeights(expand: try linear(prefix + ".fc1", out: width, in: d), contract: try linear(prefix + ".fc2", out: d, in: width),
                               activation: config.activationFunction)
        }
        let table = Matrix(rows: v, columns: d, values: try file.floats(TensorLayout.embeddingName, shape: [v, d]))
        embedding = Embedding(table: table, scaled: config.scaleEmbedding, maxPositions: config.maxPositionEmbeddings)
        encoderLayers = architecture == .encoderDecoder ? try (0..<config.encoderLayers).map { index in
            let prefix = "model.encoder.layers.\(index)"
            return EncoderLayerWeights(selfAttention: try attention(prefix + ".self_attn", heads: config.encoderAttentionHeads),
                                       selfAttentionNorm: try norm(prefix + ".self_attn_layer_norm"),
                                       feedForward: try feedForward(prefix, width: config.encoderFfnDim),
                                       finalNorm: try norm(prefix + ".final_layer_norm"))
        } : []
        decoderLayers = try (0..<config.decoderLayers).map { index in
            let prefix = "model.decoder.layers.\(index)"
            let hasCross = architecture == .encoderDecoder
            return DecoderLayerWeights(selfAttention: try attention(prefix + ".self_attn", heads: config.decoderAttentionHeads),
                                       selfAttentionNorm: try norm(prefix + ".self_attn_layer_norm"),
                                       crossAttention: hasCross ? try attention(prefix + ".encoder_attn", heads: config.decoderAttentionHeads) : nil,
                                       crossAttentionNorm: hasCross ? try norm(prefix + ".encoder_attn_layer_norm") : nil,
                                       feedForward: try feedForward(prefix, width: config.decoderFfnDim),
                                       finalNorm: try norm(prefix + ".final_layer_norm"))
        }
        finalLogitsBias = try file.floats(TensorLayout.logitsBiasName, shape: [1, v])
        self.config = config
        self.architecture = architecture
    }

    /// Number of parameters (the sinusoidal position tables, which are computed, excluded).
    public var parameterCount: Int {
        func count(_ linear: Linear) -> Int { linear.weight.count + linear.bias.count }
        func count(_ attention: AttentionWeights) -> Int {
            count(attention.query) + count(attention.key) + count(attention.value) + count(attention.output)
        }
        func count(_ feedForward: FeedForwardWeights) -> Int { count(feedForward.expand) + count(feedForward.contract) }
        let norm = 2 * config.dModel
        let encoder = encoderLayers.reduce(0) { $0 + count($1.selfAttention) + count($1.feedForward) + 2 * norm }
        let decoder = decoderLayers.reduce(0) { total, layer in
            total + count(layer.selfAttention) + count(layer.feedForward) + 2 * norm
                + (layer.crossAttention.map { count($0) + norm } ?? 0)
        }
        return embedding.table.count + finalLogitsBias.count + encoder + decoder
    }
}
