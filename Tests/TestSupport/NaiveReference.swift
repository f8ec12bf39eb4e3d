import Foundation
import TernModel
import TernTensor

/// A deliberately plain re-implementation of the network, used as an oracle: nested loops over
/// `[[Float]]`, no BLAS, no caches, no shared buffers, one sentence at a time. It reads the
/// same `ModelWeights` but shares none of the engine's arithmetic.
public struct NaiveReference {
    public let weights: ModelWeights

    public init(weights: ModelWeights) {
        self.weights = weights
    }

    /// Logits `[T, V]` for every position of `target` given `source`.
    ///
    /// `source` is framed (`TokenFraming.source`). Encoder-decoder: `target` starts with the
    /// decoder start token. Decoder-only: `target` is the whole `[source ; <sep> ; target]`
    /// sequence and `source` (ending with `<sep>`) only sets the prefix length.
    public func logits(source: [Int32], target: [Int32]) -> [[Float]] {
        var hidden = embed(target)
        var memory: [[Float]]? = nil
        if weights.architecture == .encoderDecoder {
            var states = embed(source)
            for layer in weights.encoderLayers {
                states = norm(add(states, attention(layer.selfAttention, queries: states, keys: states, visible: { _ in source.count })), layer.selfAttentionNorm)
                states = norm(add(states, feedForward(layer.feedForward, states)), layer.finalNorm)
            }
            memory = states
        }
        let prefix = source.count
        let visible: (Int) -> Int
        switch weights.architecture {
        case .encoderDecoder, .causalLM: visible = { $0 + 1 }
        case .prefixLM: visible = { max(prefix, $0 + 1) }
        }
        for layer in weights.decoderLayers {
            hidden = norm(add(hidden, attention(layer.selfAttention, queries: hidden, keys: hidden, visible: { min(target.count, visible($0)) })), layer.selfAttentionNorm)
            if let cross = layer.crossAttention, let crossNorm = layer.crossAttentionNorm, let memory {
                hidden = norm(add(hidden, attention(cross, queries: hidden, keys: memory, visible: { _ in memory.count })), crossNorm)
            }
            hidden = norm(add(hidden, feedForward(layer.feedForward, hidden)), layer.finalNorm)
        }
        let table = weights.embedding.table.unpacked()
        return hidden.map { state in
            (0..<table.rows).map { token in
                (0..<table.columns).reduce(weights.finalLogitsBias[token]) { $0 + state[$1] * table.values[token * table.columns + $1] }
            }
        }
    }

    private func embed(_ tokens: [Int32]) -> [[Float]] {
        let width = weights.config.dModel
        let scale = weights.config.scaleEmbedding ? Float(width).squareRoot() : 1
        let table = weights.embedding.table.unpacked()
        return tokens.enumerated().map { position, token in
            (0..<width).map { column in
                let half = width / 2
                let pair = column < half ? column : column - half
                let angle = Double(position) / pow(10000, Double(2 * pair) / Double(width))
                let sinusoid = Float(column < half ? sin(angle) : cos(angle))
                return table.values[Int(token) * width + column] * scale + sinusoid
            }
        }
    }

    private func linear(_ layer: Linear, _ x: [Float]) -> [Float] {
        let weight = layer.weights.unpacked()
        return (0..<layer.outputSize).map { out in
            (0..<layer.inputSize).reduce(layer.bias[out]) { $0 + weight.values[out * layer.inputSize + $1] * x[$1] }
        }
    }

    private func attention(_ weights: AttentionWeights, queries: [[Float]], keys: [[Float]], visible: (Int) -> Int) -> [[Float]] {
        let headWidth = weights.headWidth
        let q = queries.map { linear(weights.query, $0).map { $0 / Float(headWidth).squareRoot() } }
        let k = keys.map { linear(weights.key, $0) }
        let v = keys.map { linear(weights.value, $0) }
        return q.enumerated().map { position, query in
            var context = [Float](repeating: 0, count: query.count)
            for head in 0..<weights.heads {
                let range = (head * headWidth)..<((head + 1) * headWidth)
                let count = visible(position)
                let scores = (0..<count).map { j in range.reduce(Float(0)) { $0 + query[$1] * k[j][$1] } }
                let maximum = scores.max()!
                let exps = scores.map { exp($0 - maximum) }
                let total = exps.reduce(0, +)
                for j in 0..<count {
                    for index in range { context[index] += exps[j] / total * v[j][index] }
                }
            }
            return linear(weights.output, context)
        }
    }

    private func feedForward(_ weights: FeedForwardWeights, _ x: [[Float]]) -> [[Float]] {
        x.map { row in
            let expanded = linear(weights.expand, row).map { value -> Float in
                switch weights.activation {
                case .swish, .silu: return value / (1 + exp(-value))
                case .relu: return max(0, value)
                case .gelu: return 0.5 * value * (1 + erf(value / 2.0.squareRoot().float))
                case .geluNew: return 0.5 * value * (1 + tanh(0.797_884_56 * (value + 0.044715 * value * value * value)))
                }
            }
            return linear(weights.contract, expanded)
        }
    }

    private func add(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
        zip(a, b).map { zip($0, $1).map { $0 + $1 } }
    }

    private func norm(_ x: [[Float]], _ weights: LayerNormWeights) -> [[Float]] {
        x.map { row in
            let mean = row.reduce(0, +) / Float(row.count)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(row.count)
            return row.indices.map { (row[$0] - mean) / (variance + 1e-5).squareRoot() * weights.gamma[$0] + weights.beta[$0] }
        }
    }
}

private extension Double {
    var float: Float { Float(self) }
}
