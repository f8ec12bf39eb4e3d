/// What a parameter tensor is for, which decides how it is initialised.
public enum TensorRole: Sendable, Equatable {
    /// The shared embedding table `[V, D]`.
    case embedding
    /// A dense layer's weight `[out, in]`.
    case matrix
    /// A dense layer's bias `[out]`, or the output layer's bias `[1, V]`.
    case bias
    /// A layer norm's gain γ `[D]`.
    case normGain
    /// A layer norm's shift β `[D]`.
    case normShift
}

/// One parameter tensor: its Hugging Face Marian name, shape and role.
public struct TensorSpec: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let role: TensorRole
}

/// A dense layer's two tensors: `{prefix}.weight [out, in]` and `{prefix}.bias [out]`.
public struct LinearTensors: Sendable {
    public let weight: TensorSpec
    public let bias: TensorSpec
    public var outputs: Int { weight.shape[0] }
    public var inputs: Int { weight.shape[1] }

    init(_ prefix: String, outputs: Int, inputs: Int) {
        weight = TensorSpec(name: prefix + ".weight", shape: [outputs, inputs], role: .matrix)
        bias = TensorSpec(name: prefix + ".bias", shape: [outputs], role: .bias)
    }

    var specs: [TensorSpec] { [weight, bias] }
}

/// A layer norm's two tensors: `{prefix}.weight [D]` (γ) and `{prefix}.bias [D]` (β).
public struct NormTensors: Sendable {
    public let gain: TensorSpec
    public let shift: TensorSpec

    init(_ prefix: String, width: Int) {
        gain = TensorSpec(name: prefix + ".weight", shape: [width], role: .normGain)
        shift = TensorSpec(name: prefix + ".bias", shape: [width], role: .normShift)
    }

    var specs: [TensorSpec] { [gain, shift] }
}

/// The four `[D, D]` projections of one attention block: `{prefix}.{q,k,v,out}_proj`.
public struct AttentionTensors: Sendable {
    public let query: LinearTensors
    public let key: LinearTensors
    public let value: LinearTensors
    public let output: LinearTensors
    public let heads: Int

    init(_ prefix: String, width: Int, heads: Int) {
        query = LinearTensors(prefix + ".q_proj", outputs: width, inputs: width)
        key = LinearTensors(prefix + ".k_proj", outputs: width, inputs: width)
        value = LinearTensors(prefix + ".v_proj", outputs: width, inputs: width)
        output = LinearTensors(prefix + ".out_proj", outputs: width, inputs: width)
        self.heads = heads
    }

    var specs: [TensorSpec] { query.specs + key.specs + value.specs + output.specs }
}

/// One post-layer-norm Transformer layer, `model.{encoder,decoder}.layers.N`: self-attention,
/// cross-attention (encoder-decoder decoder layers only), and the feed-forward block
/// `fc2(act(fc1(x)))`, `[D] → [F] → [D]`.
public struct LayerTensors: Sendable {
    public let selfAttention: AttentionTensors
    public let selfAttentionNorm: NormTensors
    public let crossAttention: AttentionTensors?
    public let crossAttentionNorm: NormTensors?
    public let expand: LinearTensors
    public let contract: LinearTensors
    public let finalNorm: NormTensors

    init(_ prefix: String, width: Int, heads: Int, feedForward: Int, crossAttends: Bool) {
        selfAttention = AttentionTensors(prefix + ".self_attn", width: width, heads: heads)
        selfAttentionNorm = NormTensors(prefix + ".self_attn_layer_norm", width: width)
        crossAttention = crossAttends ? AttentionTensors(prefix + ".encoder_attn", width: width, heads: heads) : nil
        crossAttentionNorm = crossAttends ? NormTensors(prefix + ".encoder_attn_layer_norm", width: width) : nil
        expand = LinearTensors(prefix + ".fc1", outputs: feedForward, inputs: width)
        contract = LinearTensors(prefix + ".fc2", outputs: width, inputs: feedForward)
        finalNorm = NormTensors(prefix + ".final_layer_norm", width: width)
    }

    var specs: [TensorSpec] {
        selfAttention.specs + selfAttentionNorm.specs + (crossAttention?.specs ?? []) + (crossAttentionNorm?.specs ?? [])
            + expand.specs + contract.specs + finalNorm.specs
    }
}

/// The embedding tables and the output layer's weight: which table each of the encoder, the
/// decoder and the output layer reads (one spec for all three in Marian's default layout).
public struct EmbeddingTensors: Sendable {
    /// The name of the shared embedding table.
    public static let sharedName = "model.shared.weight"
    /// The encoder's embedding table when the stacks have their own.
    static let encoderName = "model.encoder.embed_tokens.weight"
    /// The decoder's embedding table when the stacks have their own.
    static let decoderName = "model.decoder.embed_tokens.weight"
    /// The output layer's own weight when it is not tied to the decoder's embeddings.
    static let outputProjectionName = "lm_head.weight"

    /// The encoder's embedding table `[V, D]` (the decoder-only models' only one): `model.shared.weight`
    /// unless the embeddings are separate or the output layer untied.
    public let encoder: TensorSpec
    /// The decoder's embedding table `[V_t, D]`: `encoder` unless the embeddings are separate
    /// or the output layer untied.
    public let decoder: TensorSpec
    /// The output layer's weight `[V_t, D]`: `decoder` when tied, else `lm_head.weight`.
    public let outputProjection: TensorSpec

    /// The tables `config` implies; sizes only, so that a damaged config costs nothing here.
    public init(config: ModelConfig) {
        let width = config.dModel
        // transformers ties the stacks' tables to `model.shared` only where it ties the output
        // layer too: with `tie_word_embeddings` false each stack reads its own table.
        let oneTable = config.sharesEmbeddings && config.tiesOutputLayer
        encoder = TensorSpec(name: oneTable ? Self.sharedName : Self.encoderName, shape: [config.vocabSize, width], role: .embedding)
        decoder = oneTable ? encoder : TensorSpec(name: Self.decoderName, shape: [config.targetVocabSize, width], role: .embedding)
        outputProjection = config.tiesOutputLayer ? decoder
            : TensorSpec(name: Self.outputProjectionName, shape: [config.targetVocabSize, width], role: .matrix)
    }

    /// Each table once, in the order encoder, decoder, output layer.
    public var all: [TensorSpec] {
        [encoder, decoder, outputProjection].reduce(into: []) { unique, spec in
            if !unique.contains(spec) { unique.append(spec) }
        }
    }
}

/// Every parameter tensor a config implies, in Hugging Face Marian's naming: the one structure
/// that the loader (`ModelWeights`), the writer and initializer (`parameters`) and the trainer's
/// parameter slots all read.
///
/// | name | shape |
/// |---|---|
/// | `model.shared.weight` | `[V, D]`, shared by encoder, decoder and (tied) output layer |
/// | `model.encoder.embed_tokens.weight` | `[V, D]`, instead, when the embeddings are separate or the output layer untied |
/// | `model.decoder.embed_tokens.weight` | `[V_t, D]`, the decoder's, likewise |
/// | `lm_head.weight` | `[V_t, D]`, the output layer's own weight, when it is not tied |
/// | `model.{encoder,decoder}.layers.N.self_attn.{q,k,v,out}_proj.{weight,bias}` | `[D, D]`, `[D]` |
/// | `model.{encoder,decoder}.layers.N.self_attn_layer_norm.{weight,bias}` | `[D]` |
/// | `model.decoder.layers.N.encoder_attn.{q,k,v,out}_proj.{weight,bias}` | `[D, D]`, `[D]` |
/// | `model.decoder.layers.N.encoder_attn_layer_norm.{weight,bias}` | `[D]` |
/// | `model.{encoder,decoder}.layers.N.fc1.{weight,bias}` | `[F, D]`, `[F]` |
/// | `model.{encoder,decoder}.layers.N.fc2.{weight,bias}` | `[D, F]`, `[D]` |
/// | `model.{encoder,decoder}.layers.N.final_layer_norm.{weight,bias}` | `[D]` |
/// | `final_logits_bias` | `[1, V_t]` |
///
/// `V_t` is `ModelConfig.targetVocabSize` (`V` unless the embeddings are separate). Which table
/// each of the encoder, the decoder and the output layer reads is `embeddings`.
/// Decoder-only models have no `model.encoder.*` and no `encoder_attn*` tensors.
public struct TensorLayout: Sendable {
    /// The name of the shared embedding table.
    public static let embeddingName = EmbeddingTensors.sharedName
    /// Encoder layer N's tensors are named `model.encoder.layers.N.…`.
    static let encoderLayerPrefix = "model.encoder.layers."
    /// Decoder layer N's tensors are named `model.decoder.layers.N.…`.
    static let decoderLayerPrefix = "model.decoder.layers."

    /// The embedding tables and the output layer's weight.
    public let embeddings: EmbeddingTensors
    public let encoderLayers: [LayerTensors]
    public let decoderLayers: [LayerTensors]
    public let logitsBias: TensorSpec

    public init(config: ModelConfig, architecture: Architecture) {
        let width = config.dModel
        embeddings = EmbeddingTensors(config: config)
        encoderLayers = architecture == .encoderDecoder ? (0..<config.encoderLayers).map {
            LayerTensors(Self.encoderLayerPrefix + "\($0)", width: width, heads: config.encoderAttentionHeads,
                         feedForward: config.encoderFfnDim, crossAttends: false)
        } : []
        decoderLayers = (0..<config.decoderLayers).map {
            LayerTensors(Self.decoderLayerPrefix + "\($0)", width: width, heads: config.decoderAttentionHeads,
                         feedForward: config.decoderFfnDim, crossAttends: architecture == .encoderDecoder)
        }
        logitsBias = TensorSpec(name: "final_logits_bias", shape: [1, config.targetVocabSize], role: .bias)
    }

    /// The encoder's embedding table (`embeddings.encoder`), the one of decoder-only models.
    public var embedding: TensorSpec { embeddings.encoder }

    /// Every tensor in a fixed order: what a writer saves and a loader expects.
    public var parameters: [TensorSpec] {
        embeddings.all + encoderLayers.flatMap(\.specs) + decoderLayers.flatMap(\.specs) + [logitsBias]
    }
}
