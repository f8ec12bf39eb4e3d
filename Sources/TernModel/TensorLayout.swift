/// The name and shape of every parameter tensor a config implies, in Hugging Face Marian's
/// naming (see `ModelWeights`), in a fixed order: what a writer saves and a loader expects.
public enum TensorLayout {
    /// The embedding table shared by encoder, decoder and output layer.
    public static let embeddingName = "model.shared.weight"
    /// The output layer's bias.
    public static let logitsBiasName = "final_logits_bias"

    public static func parameters(of config: ModelConfig, architecture: Architecture) -> [(name: String, shape: [Int])] {
        let d = config.dModel
        func linear(_ prefix: String, out: Int, in inSize: Int) -> [(String, [Int])] {
            [(prefix + ".weight", [out, inSize]), (prefix + ".bias", [out])]
        }
        func norm(_ prefix: String) -> [(String, [Int])] { [(prefix + ".weight", [d]), (prefix + ".bias", [d])] }
        func attention(_ prefix: String) -> [(String, [Int])] {
            ["q_proj", "k_proj", "v_proj", "out_proj"].flatMap { linear(prefix + "." + $0, out: d, in: d) }
        }
        var tensors: [(String, [Int])] = [(embeddingName, [config.vocabSize, d])]
        if architecture == .encoderDecoder {
            for index in 0..<config.encoderLayers {
                let prefix = "model.encoder.layers.\(index)"
                tensors += attention(prefix + ".self_attn") + norm(prefix + ".self_attn_layer_norm")
                    + linear(prefix + ".fc1", out: config.encoderFfnDim, in: d) + linear(prefix + ".fc2", out: d, in: config.encoderFfnDim)
                    + norm(prefix + ".final_layer_norm")
            }
        }
        for index in 0..<config.decoderLayers {
            let prefix = "model.decoder.layers.\(index)"
            tensors += attention(prefix + ".self_attn") + norm(prefix + ".self_attn_layer_norm")
            if architecture == .encoderDecoder {
                tensors += attention(prefix + ".encoder_attn") + norm(prefix + ".encoder_attn_layer_norm")
            }
            tensors += linear(prefix + ".fc1", out: config.decoderFfnDim, in: d) + linear(prefix + ".fc2", out: d, in: config.decoderFfnDim)
                + norm(prefix + ".final_layer_norm")
        }
        tensors.append((logitsBiasName, [1, config.vocabSize]))
        return tensors.map { (name: $0.0, shape: $0.1) }
    }
}
