import TernTensor

extension ModelWeights {
    /// These weights with every matrix (the linear layers and the embedding tables) held as
    /// `computeType` asks (`PackedWeights.converted(to:)`). A table the file shares between the
    /// encoder, the decoder and the output layer stays one table. Biases and layer norms stay F32;
    /// an int8 table embeds its rows dequantized (`Embedding.embed`).
    /// - Throws: `ComputeTypeError` when a matrix cannot be held that way.
    public func converted(to computeType: ComputeType) throws -> ModelWeights {
        guard computeType != .auto else { return self }
        let tables = TensorLayout(config: config, architecture: architecture).embeddings
        func convert(_ embedding: Embedding) throws -> Embedding {
            embedding.replacingTable(with: try embedding.table.converted(to: computeType))
        }
        return ModelWeights(
            config: config, architecture: architecture, embedding: try convert(embedding),
            decoderEmbedding: tables.decoder == tables.encoder ? nil : try convert(decoderEmbedding),
            outputProjection: tables.outputProjection == tables.decoder ? nil : try outputProjection.converted(to: computeType),
            encoderLayers: try encoderLayers.map { try $0.converted(to: computeType) },
            decoderLayers: try decoderLayers.map { try $0.converted(to: computeType) },
            finalLogitsBias: finalLogitsBias)
    }
}

extension AttentionWeights {
    func converted(to computeType: ComputeType) throws -> AttentionWeights {
        AttentionWeights(query: try query.converted(to: computeType), key: try key.converted(to: computeType),
                         value: try value.converted(to: computeType), output: try output.converted(to: computeType), heads: heads)
    }
}

extension FeedForwardWeights {
    func converted(to computeType: ComputeType) throws -> FeedForwardWeights {
        FeedForwardWeights(expand: try expand.converted(to: computeType), contract: try contract.converted(to: computeType),
                           activation: activation)
    }
}

extension EncoderLayerWeights {
    func converted(to computeType: ComputeType) throws -> EncoderLayerWeights {
        EncoderLayerWeights(selfAttention: try selfAttention.converted(to: computeType), selfAttentionNorm: selfAttentionNorm,
                            feedForward: try feedForward.converted(to: computeType), finalNorm: finalNorm)
    }
}

extension DecoderLayerWeights {
    func converted(to computeType: ComputeType) throws -> DecoderLayerWeights {
        DecoderLayerWeights(selfAttention: try selfAttention.converted(to: computeType), selfAttentionNorm: selfAttentionNorm,
                            crossAttention: try crossAttention?.converted(to: computeType), crossAttentionNorm: crossAttentionNorm,
                            feedForward: try feedForward.converted(to: computeType), finalNorm: finalNorm)
    }
}
