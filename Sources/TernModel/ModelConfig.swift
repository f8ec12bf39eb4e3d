import Foundation
import TernJSON
import TernTensor

/// How a model's network is laid out.
public enum Architecture: String, Codable, Sendable, CaseIterable {
    /// Hugging Face `MarianMTModel`: an encoder over the source and a decoder with
    /// cross-attention, post-layer-norm, sinusoidal positions, shared or separate embeddings.
    case encoderDecoder = "encdec"
    /// One decoder stack over `[source ; <sep> ; target]`; the source sees all of itself.
    case prefixLM = "prefix-lm"
    /// One decoder stack over `[source ; <sep> ; target]`; every position sees only its left.
    case causalLM = "causal-lm"

    public var isDecoderOnly: Bool { self != .encoderDecoder }
}

/// A model's `config.json`. Keys follow Hugging Face's `MarianConfig`, so an encoder-decoder
/// folder loads unchanged in transformers and converts with CTranslate2.
///
/// Decoder-only models use the same keys with `"architectures": ["TernDecoderOnlyLM"]` and
/// `encoder_layers: 0`, plus `tern_mask` (`prefix` or `causal`) and `tern_separator_token_id`.
/// Every Tern model may name its subword vocabulary in `tern_vocabulary`, a path relative to the
/// model folder (for example `../../../Vocab/multi30k-en-de`).
public struct ModelConfig: Codable, Sendable, Equatable {
    public var architectures: [String]
    public var modelType: String
    public var vocabSize: Int
    public var dModel: Int
    public var encoderLayers: Int
    public var decoderLayers: Int
    public var encoderAttentionHeads: Int
    public var decoderAttentionHeads: Int
    public var encoderFfnDim: Int
    public var decoderFfnDim: Int
    public var maxPositionEmbeddings: Int
    public var activationFunction: Activation
    public var scaleEmbedding: Bool
    public var padTokenId: Int
    public var eosTokenId: Int
    public var decoderStartTokenId: Int
    public var ternMask: String?
    public var ternSeparatorTokenId: Int?
    public var ternVocabulary: String?
    /// `false`: the encoder and the decoder each have an embedding table
    /// (`model.encoder.embed_tokens`, `model.decoder.embed_tokens`), the decoder's of
    /// `decoder_vocab_size` rows, as OPUS-MT folders with separate vocabularies have. Absent
    /// means Marian's default, one shared table (`model.shared`).
    public var shareEncoderDecoderEmbeddings: Bool?
    /// `false`: the output layer has a weight of its own (`lm_head.weight`) instead of the
    /// decoder's embedding table, and, as transformers reads such a folder, the encoder and the
    /// decoder their own tables too. Absent means Marian's default, tied.
    public var tieWordEmbeddings: Bool?
    /// The decoder's vocabulary size when the embeddings are not shared.
    public var decoderVocabSize: Int?
    /// `MarianConfig` keys that, set otherwise than OPUS-MT sets them, describe a network Tern
    /// does not run; absent means Marian's default (`ModelConfig.validate` checks them).
    public var normalizeBefore: Bool?
    public var normalizeEmbedding: Bool?
    public var addFinalLayerNorm: Bool?
    public var staticPositionEmbeddings: Bool?

    public static let marianArchitecture = "MarianMTModel"
    /// The largest `max_position_embeddings` accepted: positions are precomputed for all of
    /// them (Marian and OPUS-MT models use 512).
    public static let maximumPositions = 16_384
    public static let decoderOnlyArchitecture = "TernDecoderOnlyLM"

    /// A config for `architecture` with Marian's conventions: `</s>` = 0, `<pad>` = the last id
    /// and the decoder's start token, swish activations, scaled embeddings.
    public init(architecture: Architecture, vocabularySize: Int, width: Int, encoderLayers: Int, decoderLayers: Int,
                heads: Int, feedForwardWidth: Int, maxPositions: Int, separatorTokenId: Int = 2,
                activation: Activation = .swish, vocabulary: String? = nil) {
        architectures = [architecture == .encoderDecoder ? Self.marianArchitecture : Self.decoderOnlyArchitecture]
        modelType = architecture == .encoderDecoder ? "marian" : "tern-decoder-only"
        vocabSize = vocabularySize
        dModel = width
        self.encoderLayers = architecture == .encoderDecoder ? encoderLayers : 0
        self.decoderLayers = decoderLayers
        encoderAttentionHeads = architecture == .encoderDecoder ? heads : 0
        decoderAttentionHeads = heads
        encoderFfnDim = architecture == .encoderDecoder ? feedForwardWidth : 0
        decoderFfnDim = feedForwardWidth
        maxPositionEmbeddings = maxPositions
        activationFunction = activation
        scaleEmbedding = true
        padTokenId = vocabularySize - 1
        eosTokenId = 0
        decoderStartTokenId = vocabularySize - 1
        ternMask = architecture == .prefixLM ? "prefix" : architecture == .causalLM ? "causal" : nil
        ternSeparatorTokenId = architecture == .encoderDecoder ? nil : separatorTokenId
        ternVocabulary = vocabulary
    }

    /// Whether the encoder and the decoder read one embedding table (`model.shared.weight`).
    public var sharesEmbeddings: Bool { shareEncoderDecoderEmbeddings ?? true }
    /// Whether the output layer is the decoder's embedding table rather than `lm_head.weight`.
    public var tiesOutputLayer: Bool { tieWordEmbeddings ?? true }
    /// `V_t`, the size of the decoder's vocabulary, which its embeddings, the output layer and
    /// the logits have: `decoder_vocab_size` when the embeddings are separate, else `vocab_size`
    /// (as in `MarianMTModel`).
    public var targetVocabSize: Int { sharesEmbeddings ? vocabSize : decoderVocabSize ?? vocabSize }

    /// The architecture this config describes.
    /// - Throws: `ModelError.unsupportedArchitecture` or `.invalidConfig`.
    public func architecture(path: String) throws -> Architecture {
        switch architectures.first {
        case Self.marianArchitecture:
            return .encoderDecoder
        case Self.decoderOnlyArchitecture:
            switch ternMask {
            case "prefix": return .prefixLM
            case "causal": return .causalLM
            default: throw ModelError.invalidConfig(path: path, reason: "tern_mask must be 'prefix' or 'causal'")
            }
        case let other:
            throw ModelError.unsupportedArchitecture(path: path, architecture: other ?? "(none)")
        }
    }

    /// Checks sizes that the network needs to be consistent.
    /// - Throws: `ModelError.invalidConfig` naming the first problem.
    public func validate(path: String) throws {
        func require(_ condition: Bool, _ reason: String) throws {
            if !condition { throw ModelError.invalidConfig(path: path, reason: reason) }
        }
        let architecture = try architecture(path: path)
        try require(vocabSize > 0 && targetVocabSize > 0 && dModel > 0 && maxPositionEmbeddings > 0, "sizes must be positive")
        try require(maxPositionEmbeddings <= Self.maximumPositions,
                    "max_position_embeddings \(maxPositionEmbeddings) exceeds \(Self.maximumPositions), the most Tern supports")
        try require(decoderLayers > 0 && decoderAttentionHeads > 0 && decoderFfnDim > 0, "the decoder needs layers, heads and a feed-forward width")
        try require(dModel % decoderAttentionHeads == 0, "d_model \(dModel) is not divisible by decoder_attention_heads \(decoderAttentionHeads)")
        try require(decoderAttentionHeads <= dModel, "decoder_attention_heads \(decoderAttentionHeads) exceeds d_model \(dModel)")
        let sizes = Set([vocabSize, targetVocabSize])
        try require(sizes.allSatisfy { size in [padTokenId, eosTokenId, decoderStartTokenId].allSatisfy((0..<size).contains) },
                    "special token ids must lie inside the vocabulary" + (sizes.count > 1 ? " (vocab_size and decoder_vocab_size)" : ""))
        try requireMarianNetwork(path: path)
        if architecture == .encoderDecoder {
            try require(encoderLayers > 0 && encoderAttentionHeads > 0 && encoderFfnDim > 0, "the encoder needs layers, heads and a feed-forward width")
            try require(dModel % encoderAttentionHeads == 0, "d_model \(dModel) is not divisible by encoder_attention_heads \(encoderAttentionHeads)")
            try require(encoderAttentionHeads <= dModel, "encoder_attention_heads \(encoderAttentionHeads) exceeds d_model \(dModel)")
        } else {
            try require(ternSeparatorTokenId.map { (0..<vocabSize).contains($0) } ?? false, "tern_separator_token_id must be a token id")
            try require(sharesEmbeddings && tiesOutputLayer,
                        "share_encoder_decoder_embeddings and tie_word_embeddings must not be false for a decoder-only model, which has one table")
        }
    }

    /// Refuses `MarianConfig` settings of networks other than the one Tern runs (post-layer-norm,
    /// sinusoidal positions, no embedding layer norm).
    /// - Throws: `ModelError.invalidConfig` naming the key.
    private func requireMarianNetwork(path: String) throws {
        let refusals: [(Bool, String)] = [
            (sharesEmbeddings && decoderVocabSize.map { $0 != vocabSize } ?? false,
             "decoder_vocab_size \(decoderVocabSize ?? 0) differs from vocab_size \(vocabSize) although share_encoder_decoder_embeddings "
                + "is true: one table cannot have both sizes"),
            (normalizeBefore == true, "normalize_before is true: the layers normalize before, not after, each block (pre-layer-norm)"),
            (normalizeEmbedding == true, "normalize_embedding is true: the embeddings have a layer norm"),
            (addFinalLayerNorm == true, "add_final_layer_norm is true: the stacks end with a layer norm"),
            (staticPositionEmbeddings == false, "static_position_embeddings is false: the positions are learned"),
        ]
        if let (_, reason) = refusals.first(where: \.0) {
            throw ModelError.invalidConfig(path: path, reason: reason + "; Tern runs Marian's network (post-layer-norm, sinusoidal "
                                           + "positions, embeddings without a layer norm)")
        }
    }

    /// Reads and validates `config.json`.
    public static func load(path: String) throws -> ModelConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw ModelError.missingFile(path: path) }
        let config: ModelConfig
        do {
            config = try SnakeCaseJSON.decode(ModelConfig.self, from: data)
        } catch {
            throw ModelError.invalidConfig(path: path, reason: error.localizedDescription)
        }
        try config.validate(path: path)
        return config
    }
}
