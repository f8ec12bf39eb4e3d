import TernModel

/// The encoder's output as a decoder layer's cross-attention reads it: `[B·S, D]` rows, the
/// real length of each source, and where to add its gradient.
struct CrossAttentionInput {
    let states: UnsafePointer<Float>
    let gradient: UnsafeMutablePointer<Float>
    let lengths: [Int]
    let paddedLength: Int
}

/// One post-layer-norm Transformer layer for training: a forward pass that keeps what the
/// backward pass needs, and that backward pass. Rows are `N = B·L` positions of width `D`.
final class TrainingLayer {
    let slots: LayerSlots
    let width: Int
    let feedForwardWidth: Int
    private let store: ParameterStore

    // Kept from the forward pass.
    private let input = FloatBuffer(), query = FloatBuffer(), key = FloatBuffer(), value = FloatBuffer()
    private let context = FloatBuffer(), probabilities = FloatBuffer(), attentionMask = FloatBuffer()
    private let residual1 = FloatBuffer(), mean1 = FloatBuffer(), inverse1 = FloatBuffer(), normed1 = FloatBuffer()
    private let crossQuery = FloatBuffer(), crossKey = FloatBuffer(), crossValue = FloatBuffer(), crossContext = FloatBuffer()
    private let crossProbabilities = FloatBuffer(), crossMask = FloatBuffer()
    private let residual2 = FloatBuffer(), mean2 = FloatBuffer(), inverse2 = FloatBuffer(), normed2 = FloatBuffer()
    private let expanded = FloatBuffer(), activated = FloatBuffer(), feedForwardMask = FloatBuffer()
    private let residual3 = FloatBuffer(), mean3 = FloatBuffer(), inverse3 = FloatBuffer()
    private var selfAttention: AttentionKernels?
    private var crossAttention: AttentionKernels?
    private var rows = 0

    init(_ tensors: LayerTensors, store: ParameterStore) {
        slots = LayerSlots(store, tensors)
        self.store = store
        width = tensors.selfAttention.query.outputs
        feedForwardWidth = tensors.expand.outputs
    }

    private func value(_ offset: Int) -> UnsafeMutablePointer<Float> { store.values + offset }
    private func gradient(_ offset: Int) -> UnsafeMutablePointer<Float> { store.gradients + offset }

    private func linear(_ slot: LinearSlot, _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        TrainingKernels.linearForward(x, rows: rows, weight: value(slot.weight), bias: value(slot.bias),
                                      outputs: slot.outputs, inputs: slot.inputs, into: y)
    }

    private func linearBackward(_ slot: LinearSlot, _ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, rows: Int,
                                into dx: UnsafeMutablePointer<Float>?, accumulate: Bool = false) {
        TrainingKernels.linearBackward(dy, input: x, rows: rows, weight: value(slot.weight), outputs: slot.outputs, inputs: slot.inputs,
                                       inputGradient: dx, accumulate: accumulate,
                                       weightGradient: gradient(slot.weight), biasGradient: gradient(slot.bias))
    }

    /// Runs the layer on `x` `[N, D]` (N = `batch · length`), writing `output` `[N, D]`.
    func forward(_ x: UnsafePointer<Float>, batch: Int, length: Int, lengths: [Int], mask: AttentionMask,
                 cross: CrossAttentionInput?, dropout: Float, random: inout DropoutRandom, output: UnsafeMutablePointer<Float>) {
        let n = batch * length, d = width, f = feedForwardWidth
        rows = n
        input.reserve(n * d).update(from: x, count: n * d)
        let attention = AttentionKernels(batch: batch, queryLength: length, keyLength: length, heads: slots.selfAttention.heads,
                                         headWidth: d / slots.selfAttention.heads, mask: mask, keyLengths: lengths)
        selfAttention = attention
        linear(slots.selfAttention.query, x, rows: n, into: query.reserve(n * d))
        linear(slots.selfAttention.key, x, rows: n, into: key.reserve(n * d))
        linear(slots.selfAttention.value, x, rows: n, into: value.reserve(n * d))
        attention.forward(query: query.pointer, key: key.pointer, value: value.pointer,
                          probabilities: probabilities.reserve(attention.probabilityCount), context: context.reserve(n * d))
        let sum1 = residual1.reserve(n * d)
        linear(slots.selfAttention.output, context.pointer, rows: n, into: sum1)
        applyDropout(sum1, count: n * d, rate: dropout, mask: attentionMask, random: &random)
        TrainingKernels.add(x, to: sum1, count: n * d)
        normalize(sum1, rows: n, slots.selfAttentionNorm, mean: mean1, inverse: inverse1, into: normed1.reserve(n * d))
        var hidden = normed1.pointer

        if let slot = slots.crossAttention, let norm = slots.crossAttentionNorm, let cross {
            let sourceRows = batch * cross.paddedLength
            let crossKernels = AttentionKernels(batch: batch, queryLength: length, keyLength: cross.paddedLength, heads: slot.heads,
                                                headWidth: d / slot.heads, mask: .bidirectional, keyLengths: cross.lengths)
            crossAttention = crossKernels
            linear(slot.query, hidden, rows: n, into: crossQuery.reserve(n * d))
            linear(slot.key, cross.states, rows: sourceRows, into: crossKey.reserve(sourceRows * d))
            linear(slot.value, cross.states, rows: sourceRows, into: crossValue.reserve(sourceRows * d))
            crossKernels.forward(query: crossQuery.pointer, key: crossKey.pointer, value: crossValue.pointer,
                                 probabilities: crossProbabilities.reserve(crossKernels.probabilityCount), context: crossContext.reserve(n * d))
            let sum2 = residual2.reserve(n * d)
            linear(slot.output, crossContext.pointer, rows: n, into: sum2)
            applyDropout(sum2, count: n * d, rate: dropout, mask: crossMask, random: &random)
            TrainingKernels.add(hidden, to: sum2, count: n * d)
            normalize(sum2, rows: n, norm, mean: mean2, inverse: inverse2, into: normed2.reserve(n * d))
            hidden = normed2.pointer
        }

        linear(slots.expand, hidden, rows: n, into: expanded.reserve(n * f))
        TrainingKernels.swishForward(expanded.pointer, count: n * f, into: activated.reserve(n * f))
        let sum3 = residual3.reserve(n * d)
        linear(slots.contract, activated.pointer, rows: n, into: sum3)
        applyDropout(sum3, count: n * d, rate: dropout, mask: feedForwardMask, random: &random)
        TrainingKernels.add(hidden, to: sum3, count: n * d)
        normalize(sum3, rows: n, slots.finalNorm, mean: mean3, inverse: inverse3, into: output)
    }

    /// Given `dOutput` `[N, D]`, accumulates parameter gradients, adds the cross-attention
    /// gradient to `cross.gradient`, and writes `dInput` `[N, D]`. Uses `scratch` for
    /// temporaries; `dOutput` may be overwritten.
    func backward(_ dOutput: UnsafeMutablePointer<Float>, cross: CrossAttentionInput?, scratch: BackwardScratch,
                  inputGradient dInput: UnsafeMutablePointer<Float>) {
        let n = rows, d = width, f = feedForwardWidth
        let hasCross = slots.crossAttention != nil && cross != nil
        let hidden = hasCross ? normed2.pointer : normed1.pointer
        let dHidden = scratch.a.reserve(n * d), dSum = scratch.b.reserve(n * d), dWide = scratch.wide.reserve(n * f)

        // Feed-forward block: output = LN(hidden + dropout(fc2(swish(fc1(hidden))))).
        normalizeBackward(dOutput, input: residual3.pointer, rows: n, slots.finalNorm, mean: mean3, inverse: inverse3, into: dSum)
        dHidden.update(from: dSum, count: n * d)
        applyMask(dSum, count: n * d, mask: feedForwardMask)
        linearBackward(slots.contract, dSum, input: activated.pointer, rows: n, into: dWide)
        TrainingKernels.swishBackward(dWide, input: expanded.pointer, count: n * f, into: dWide)
        linearBackward(slots.expand, dWide, input: hidden, rows: n, into: dHidden, accumulate: true)

        // Cross-attention block: hidden = LN(normed1 + dropout(out(attend(q(normed1), k(memory), v(memory))))).
        if let slot = slots.crossAttention, let norm = slots.crossAttentionNorm, let cross, let crossKernels = crossAttention {
            let sourceRows = crossKernels.batch * cross.paddedLength
            normalizeBackward(dHidden, input: residual2.pointer, rows: n, norm, mean: mean2, inverse: inverse2, into: dSum)
            dHidden.update(from: dSum, count: n * d)
            applyMask(dSum, count: n * d, mask: crossMask)
            let dContext = scratch.c.reserve(n * d)
            linearBackward(slot.output, dSum, input: crossContext.pointer, rows: n, into: dContext)
            let dQuery = scratch.d.reserve(n * d), dKey = scratch.sourceKey.reserve(sourceRows * d), dValue = scratch.sourceValue.reserve(sourceRows * d)
            crossKernels.backward(contextGradient: dContext, query: crossQuery.pointer, key: crossKey.pointer, value: crossValue.pointer,
                                  probabilities: crossProbabilities.pointer, queryGradient: dQuery, keyGradient: dKey, valueGradient: dValue)
            linearBackward(slot.query, dQuery, input: normed1.pointer, rows: n, into: dHidden, accumulate: true)
            linearBackward(slot.key, dKey, input: cross.states, rows: sourceRows, into: cross.gradient, accumulate: true)
            linearBackward(slot.value, dValue, input: cross.states, rows: sourceRows, into: cross.gradient, accumulate: true)
        }

        // Self-attention block: normed1 = LN(input + dropout(out(attend(q(input), k(input), v(input))))).
        normalizeBackward(dHidden, input: residual1.pointer, rows: n, slots.selfAttentionNorm, mean: mean1, inverse: inverse1, into: dSum)
        dInput.update(from: dSum, count: n * d)
        applyMask(dSum, count: n * d, mask: attentionMask)
        let dContext = scratch.c.reserve(n * d)
        linearBackward(slots.selfAttention.output, dSum, input: context.pointer, rows: n, into: dContext)
        let dQuery = scratch.d.reserve(n * d), dKey = scratch.e.reserve(n * d), dValue = scratch.f.reserve(n * d)
        selfAttention!.backward(contextGradient: dContext, query: query.pointer, key: key.pointer, value: value.pointer,
                                probabilities: probabilities.pointer, queryGradient: dQuery, keyGradient: dKey, valueGradient: dValue)
        linearBackward(slots.selfAttention.query, dQuery, input: input.pointer, rows: n, into: dInput, accumulate: true)
        linearBackward(slots.selfAttention.key, dKey, input: input.pointer, rows: n, into: dInput, accumulate: true)
        linearBackward(slots.selfAttention.value, dValue, input: input.pointer, rows: n, into: dInput, accumulate: true)
    }

    private func normalize(_ x: UnsafePointer<Float>, rows: Int, _ norm: NormSlot, mean: FloatBuffer, inverse: FloatBuffer,
                           into y: UnsafeMutablePointer<Float>) {
        TrainingKernels.layerNormForward(x, rows: rows, width: width, gamma: value(norm.gamma), beta: value(norm.beta), into: y,
                                         mean: mean.reserve(rows), inverseDeviation: inverse.reserve(rows))
    }

    private func normalizeBackward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, rows: Int, _ norm: NormSlot,
                                   mean: FloatBuffer, inverse: FloatBuffer, into dx: UnsafeMutablePointer<Float>) {
        TrainingKernels.layerNormBackward(dy, input: x, rows: rows, width: width, gamma: value(norm.gamma), mean: mean.pointer,
                                          inverseDeviation: inverse.pointer, inputGradient: dx,
                                          gammaGradient: gradient(norm.gamma), betaGradient: gradient(norm.beta))
    }

    private var dropoutActive = false

    private func applyDropout(_ x: UnsafeMutablePointer<Float>, count: Int, rate: Float, mask: FloatBuffer, random: inout DropoutRandom) {
        dropoutActive = rate > 0
        guard dropoutActive else { return }
        TrainingKernels.dropoutForward(x, count: count, rate: rate, mask: mask.reserve(count), random: &random)
    }

    private func applyMask(_ x: UnsafeMutablePointer<Float>, count: Int, mask: FloatBuffer) {
        guard dropoutActive else { return }
        TrainingKernels.multiply(x, by: mask.pointer, count: count)
    }
}

/// Temporaries shared by every layer's backward pass.
final class BackwardScratch {
    let a = FloatBuffer(), b = FloatBuffer(), c = FloatBuffer(), d = FloatBuffer(), e = FloatBuffer(), f = FloatBuffer()
    let wide = FloatBuffer(), sourceKey = FloatBuffer(), sourceValue = FloatBuffer()
}
