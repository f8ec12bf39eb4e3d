import Foundation

/// Adam (Kingma & Ba) over the flat parameter block, with bias correction:
/// `m = β1·m + (1−β1)·g`, `v = β2·v + (1−β2)·g²`, `θ −= lr · m̂ / (√v̂ + ε)`.
final class AdamOptimizer {
    let beta1: Float
    let beta2: Float
    let epsilon: Float
    let count: Int
    /// First and second moments, `[count]` each.
    let firstMoment: UnsafeMutablePointer<Float>
    let secondMoment: UnsafeMutablePointer<Float>
    /// Updates applied so far.
    private(set) var steps: Int = 0

    init(count: Int, beta1: Float = 0.9, beta2: Float = 0.98, epsilon: Float = 1e-9) {
        self.count = count
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = .allocate(capacity: max(1, count))
        secondMoment = .allocate(capacity: max(1, count))
        firstMoment.initialize(repeating: 0, count: max(1, count))
        secondMoment.initialize(repeating: 0, count: max(1, count))
    }

    deinit {
        firstMoment.deallocate()
        secondMoment.deallocate()
    }

    /// Restores moments and the step count from a checkpoint.
    func restore(first: [Float], second: [Float], steps: Int) {
        precondition(first.count == count && second.count == count, "optimizer state does not match the parameters")
        first.withUnsafeBufferPointer { firstMoment.update(from: $0.baseAddress!, count: count) }
        second.withUnsafeBufferPointer { secondMoment.update(from: $0.baseAddress!, count: count) }
        self.steps = steps
    }

    /// Applies one update with `learningRate` to `values` from `gradients`.
    func update(values: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, learningRate: Float) {
        steps += 1
        let correction1 = 1 - Float(pow(Double(beta1), Double(steps)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(steps)))
        let stepSize = learningRate / correction1
        let (beta1, beta2, epsilon) = (self.beta1, self.beta2, self.epsilon)
        let m = UnsafeSendable(firstMoment), v = UnsafeSendable(secondMoment)
        let theta = UnsafeSendable(values), g = UnsafeSendable(gradients)
        let count = self.count, chunks = 8, chunkSize = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for index in min(count, chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) {
                let gradient = g.pointer[index]
                m.pointer[index] = beta1 * m.pointer[index] + (1 - beta1) * gradient
                v.pointer[index] = beta2 * v.pointer[index] + (1 - beta2) * gradient * gradient
                theta.pointer[index] -= stepSize * m.pointer[index] / ((v.pointer[index] / correction2).squareRoot() + epsilon)
            }
        }
    }
}

/// The inverse-square-root schedule with linear warm-up (Vaswani et al., fairseq's
/// `inverse_sqrt`): `lr(step) = peak · min(step / warmup, √(warmup / step))`, steps from 1.
public struct LearningRateSchedule: Sendable, Equatable {
    public var peak: Float
    public var warmupSteps: Int

    public init(peak: Float, warmupSteps: Int) {
        self.peak = peak
        self.warmupSteps = warmupSteps
    }

    public func rate(at step: Int) -> Float {
        let step = Float(max(1, step)), warmup = Float(max(1, warmupSteps))
        return peak * min(step / warmup, (warmup / step).squareRoot())
    }
}

/// Scales gradients so that their global L2 norm is at most `maxNorm`; returns the norm before.
func clipGradients(_ gradients: UnsafeMutablePointer<Float>, count: Int, maxNorm: Float) -> Float {
    var sum: Double = 0
    for index in 0..<count { sum += Double(gradients[index] * gradients[index]) }
    let norm = Float(sum.squareRoot())
    if maxNorm > 0, norm > maxNorm {
        let scale = maxNorm / norm
        for index in 0..<count { gradients[index] *= scale }
    }
    return norm
}
