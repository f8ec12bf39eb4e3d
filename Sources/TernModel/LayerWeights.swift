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

/// Every parameter of a model, read by the names and shapes of `TensorLayout`.
public struct ModelWeights: Sendable {
    public let config: ModelConfig
    public let architecture: Architecture
    /// The encoder's embeddings (the decoder-only models' only ones), `[V, D]`.
    public let embedding: Embedding
    /// The decoder's embeddings, `[V_t, D]`: `embedding` unless the model has separate ones.
    public let decoderEmbedding: Embedding
    /// The output layer's weight, `[V_t, D]`: the decoder's embedding table unless the model
    /// has an `lm_head.weight` of its own (`EmbeddingTensors.outputProjection`).
    public let outputProjection: PackedWeights
    public let encoderLayers: [EncoderLayerWeights]
    public let decoderLayers: [DecoderLayerWeights]
    /// `[V_t]`.
    public let finalLogitsBias: [Float]

    /// - Parameters:
    ///   - decoderEmbedding: nil for `embedding` (shared embeddings).
    ///   - outputProjection: nil for the decoder's embedding table (a tied output layer).
    public init(config: ModelConfig, architecture: Architecture, embedding: Embedding, decoderEmbedding: Embedding? = nil,
                outputProjection: PackedWeights? = nil, encoderLayers: [EncoderLayerWeights], decoderLayers: [DecoderLayerWeights],
                finalLogitsBias: [Float]) {
        self.config = config
        self.architecture = architecture
        self.embedding = embedding
        self.decoderEmbedding = decoderEmbedding ?? embedding
        self.outputProjection = outputProjection ?? (decoderEmbedding ?? embedding).table
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.finalLogitsBias = finalLogitsBias
    }

    /// Loads and checks every tensor that `config` implies (`TensorLayout`), each weight matrix
    /// held as `computeType` asks (`PackedWeights.converted(to:)`) as soon as it is read, so that
    /// loading never holds more than one matrix in its stored form beside the converted model.
    /// - Throws: `ModelError` naming the first missing, misshapen or damaged tensor; `ComputeTypeError`.
    public init(config: ModelConfig, architecture: Architecture, file: some TensorSource, computeType: ComputeType = .auto) throws {
        let layout = TensorLayout(config: config, architecture: architecture)
        func values(_ spec: TensorSpec) throws -> [Float] { try file.floats(spec.name, shape: spec.shape) }
        func linear(_ tensors: LinearTensors) throws -> Linear {
            try Linear(weight: Matrix(rows: tensors.outputs, columns: tensors.inputs, values: try values(tensors.weight)),
                       bias: try values(tensors.bias)).converted(to: computeType)
        }
        func norm(_ tensors: NormTensors) throws -> LayerNormWeights {
            LayerNormWeights(gamma: try values(tensors.gain), beta: try values(tensors.shift))
        }
        func attention(_ tensors: AttentionTensors) throws -> AttentionWeights {
            AttentionWeights(query: try linear(tensors.query), key: try linear(tensors.key), value: try linear(tensors.value),
                             output: try linear(tensors.output), heads: tensors.heads)
        }
        func feedForward(_ tensors: LayerTensors) throws -> FeedForwardWeights {
            FeedForwardWeights(expand: try linear(tensors.expand), contract: try linear(tensors.contract),
                               activation: config.activationFunction)
        }
        func packed(_ spec: TensorSpec) throws -> PackedWeights {
            try PackedWeights(Matrix(rows: spec.shape[0], columns: spec.shape[1], values: try values(spec))).converted(to: computeType)
        }
        func embeddings(_ spec: TensorSpec) throws -> Embedding {
            Embedding(table: try packed(spec), scaled: config.scaleEmbedding, maxPositions: config.maxPositionEmbeddings)
        }
        let tables = layout.embeddings
        embedding = try embeddings(tables.encoder)
        decoderEmbedding = tables.decoder == tables.encoder ? embedding : try embeddings(tables.decoder)
        outputProjection = tables.outputProjection == tables.decoder ? decoderEmbedding.table : try packed(tables.outputProjection)
        encoderLayers = try layout.encoderLayers.map { layer in
            EncoderLayerWeights(selfAttention: try attention(layer.selfAttention),
                                selfAttentionNorm: try norm(layer.selfAttentionNorm),
                                feedForward: try feedForward(layer),
                                finalNorm: try norm(layer.finalNorm))
        }
        decoderLayers = try layout.decoderLayers.map { layer in
            DecoderLayerWeights(selfAttention: try attention(layer.selfAttention),
                                selfAttentionNorm: try norm(layer.selfAttentionNorm),
                                crossAttention: try layer.crossAttention.map(attention),
                                crossAttentionNorm: try layer.crossAttentionNorm.map(norm),
                                feedForward: try feedForward(layer),
                                finalNorm: try norm(layer.finalNorm))
        }
        finalLogitsBias = try values(layout.logitsBias)
        self.config = config
        self.architecture = architecture
    }

    /// Number of parameters (the sinusoidal position tables, which are computed, excluded).
    public var parameterCount: Int {
        func count(_ linear: Linear) -> Int { linear.parameterCount }
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
        let tables = EmbeddingTensors(config: config).all.reduce(0) { $0 + $1.shape.reduce(1, *) }
        return tables + finalLogitsBias.count + encoder + decoder
    }
}
