import TernModel

/// Where a dense layer's parameters sit in the `ParameterStore`.
struct LinearSlot {
    let weight: Int
    let bias: Int
    let outputs: Int
    let inputs: Int

    init(_ store: ParameterStore, _ tensors: LinearTensors) {
        weight = store.offset(of: tensors.weight)
        bias = store.offset(of: tensors.bias)
        outputs = tensors.outputs
        inputs = tensors.inputs
    }
}

/// Where a layer norm's parameters sit.
struct NormSlot {
    let gamma: Int
    let beta: Int

    init(_ store: ParameterStore, _ tensors: NormTensors) {
        gamma = store.offset(of: tensors.gain)
        beta = store.offset(of: tensors.shift)
    }
}

/// The four projections of one attention block.
struct AttentionSlot {
    let query: LinearSlot
    let key: LinearSlot
    let value: LinearSlot
    let output: LinearSlot
    let heads: Int

    init(_ store: ParameterStore, _ tensors: AttentionTensors) {
        query = LinearSlot(store, tensors.query)
        key = LinearSlot(store, tensors.key)
        value = LinearSlot(store, tensors.value)
        output = LinearSlot(store, tensors.output)
        heads = tensors.heads
    }
}

/// One post-layer-norm Transformer layer (`LayerTensors`) located in the `ParameterStore`.
struct LayerSlots {
    let selfAttention: AttentionSlot
    let selfAttentionNorm: NormSlot
    let crossAttention: AttentionSlot?
    let crossAttentionNorm: NormSlot?
    let expand: LinearSlot
    let contract: LinearSlot
    let finalNorm: NormSlot

    init(_ store: ParameterStore, _ tensors: LayerTensors) {
        selfAttention = AttentionSlot(store, tensors.selfAttention)
        selfAttentionNorm = NormSlot(store, tensors.selfAttentionNorm)
        crossAttention = tensors.crossAttention.map { AttentionSlot(store, $0) }
        crossAttentionNorm = tensors.crossAttentionNorm.map { NormSlot(store, $0) }
        expand = LinearSlot(store, tensors.expand)
        contract = LinearSlot(store, tensors.contract)
        finalNorm = NormSlot(store, tensors.finalNorm)
    }
}
