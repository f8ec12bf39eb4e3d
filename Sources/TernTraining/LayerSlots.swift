import TernModel

/// Where a dense layer's parameters sit in the `ParameterStore`.
struct LinearSlot {
    let weight: Int
    let bias: Int
    let outputs: Int
    let inputs: Int

    init(_ store: ParameterStore, _ prefix: String, outputs: Int, inputs: Int) {
        weight = store.offset(of: prefix + ".weight")
        bias = store.offset(of: prefix + ".bias")
        self.outputs = outputs
        self.inputs = inputs
    }
}

/// Where a layer norm's parameters sit.
struct NormSlot {
    let gamma: Int
    let beta: Int

    init(_ store: ParameterStore, _ prefix: String) {
        gamma = store.offset(of: prefix + ".weight")
        beta = store.offset(of: prefix + ".bias")
    }
}

/// The four projections of one attention block.
struct AttentionSlot {
    let query: LinearSlot
    let key: LinearSlot
    let value: LinearSlot
    let output: LinearSlot
    let heads: Int

    init(_ store: ParameterStore, _ prefix: String, width: Int, heads: Int) {
        query = LinearSlot(store, prefix + ".q_proj", outputs: width, inputs: width)
        key = LinearSlot(store, prefix + ".k_proj", outputs: width, inputs: width)
        value = LinearSlot(store, prefix + ".v_proj", outputs: width, inputs: width)
        output = LinearSlot(store, prefix + ".out_proj", outputs: width, inputs: width)
        self.heads = heads
    }
}

/// One post-layer-norm Transformer layer: self-attention, optional cross-attention, feed-forward.
struct LayerSlots {
    let selfAttention: AttentionSlot
    let selfAttentionNorm: NormSlot
    let crossAttention: AttentionSlot?
    let crossAttentionNorm: NormSlot?
    let expand: LinearSlot
    let contract: LinearSlot
    let finalNorm: NormSlot

    init(_ store: ParameterStore, _ prefix: String, width: Int, heads: Int, feedForward: Int, cross: Bool) {
        selfAttention = AttentionSlot(store, prefix + ".self_attn", width: width, heads: heads)
        selfAttentionNorm = NormSlot(store, prefix + ".self_attn_layer_norm")
        crossAttention = cross ? AttentionSlot(store, prefix + ".encoder_attn", width: width, heads: heads) : nil
        crossAttentionNorm = cross ? NormSlot(store, prefix + ".encoder_attn_layer_norm") : nil
        expand = LinearSlot(store, prefix + ".fc1", outputs: feedForward, inputs: width)
        contract = LinearSlot(store, prefix + ".fc2", outputs: width, inputs: feedForward)
        finalNorm = NormSlot(store, prefix + ".final_layer_norm")
    }
}
