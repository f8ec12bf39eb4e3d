import CBLAS
import Foundation

/// Forward and backward kernels for training, on raw row-major buffers. Shapes use the legend
/// of `Matrix` (`M` rows, `D` width, …). Backward kernels *accumulate* into parameter
/// gradients (`+=`) and *overwrite* input gradients unless stated otherwise.
enum TrainingKernels {
    // MARK: Linear

    /// `y[M, out] = x[M, in] · Wᵀ + b`, with `W` `[out, in]`.
    static func linearForward(_ x: UnsafePointer<Float>, rows: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                              outputs: Int, inputs: Int, into y: UnsafeMutablePointer<Float>) {
        let x = UnsafeSendable(x), weight = UnsafeSendable(weight), bias = UnsafeSendable(bias), y = UnsafeSendable(y)
        forEachRowBlock(rows) { block in
            let y = y.pointer + block.lowerBound * outputs
            for row in 0..<block.count { (y + row * outputs).update(from: bias.pointer, count: outputs) }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(block.count), Int32(outputs), Int32(inputs), 1,
                        x.pointer + block.lowerBound * inputs, Int32(inputs), weight.pointer, Int32(inputs), 1, y, Int32(outputs))
        }
    }

    /// Given `dy[M, out]`: `dx = dy · W` (overwritten, or added when `accumulate`), `dW += dyᵀ · x`, `db += Σ_rows dy`.
    static func linearBackward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, rows: Int, weight: UnsafePointer<Float>,
                               outputs: Int, inputs: Int, inputGradient dx: UnsafeMutablePointer<Float>?, accumulate: Bool = false,
                               weightGradient dw: UnsafeMutablePointer<Float>, biasGradient db: UnsafeMutablePointer<Float>) {
        let dy = UnsafeSendable(dy), x = UnsafeSendable(x), weight = UnsafeSendable(weight)
        if let dx {
            let dx = UnsafeSendable(dx)
            forEachRowBlock(rows) { block in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(block.count), Int32(inputs), Int32(outputs), 1,
                            dy.pointer + block.lowerBound * outputs, Int32(outputs), weight.pointer, Int32(inputs),
                            accumulate ? 1 : 0, dx.pointer + block.lowerBound * inputs, Int32(inputs))
            }
        }
        // dW's rows are independent: each block of output features sums over all M rows itself.
        let dw = UnsafeSendable(dw), db = UnsafeSendable(db)
        forEachRowBlock(outputs) { block in
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(block.count), Int32(inputs), Int32(rows), 1,
                        dy.pointer + block.lowerBound, Int32(outputs), x.pointer, Int32(inputs), 1,
                        dw.pointer + block.lowerBound * inputs, Int32(inputs))
            for row in 0..<rows {
                let line = dy.pointer + row * outputs
                for column in block { db.pointer[column] += line[column] }
            }
        }
    }

    /// Splits `0..<count` into one contiguous block per core and runs `body` on each, in
    /// parallel. Matrix products run this way on single-threaded OpenBLAS (see
    /// `TrainingNetwork.init`): GCD's workers sleep between calls, where OpenBLAS's own threads
    /// would spin and take a core from the element-wise kernels.
    static func forEachRowBlock(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let blocks = count >= 64 ? min(coreCount, count / 32) : 1
        guard blocks > 1 else {
            body(0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            body(count * block / blocks..<count * (block + 1) / blocks)
        }
    }

    private static let coreCount = ProcessInfo.processInfo.activeProcessorCount

    // MARK: Layer norm

    /// `y = (x − μ) / σ · γ + β` per row of `[M, D]`; saves `mean[M]` and `inverseDeviation[M]`.
    static func layerNormForward(_ x: UnsafePointer<Float>, rows: Int, width: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                 into y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, inverseDeviation: UnsafeMutablePointer<Float>) {
        for row in 0..<rows {
            let input = x + row * width, output = y + row * width
            var sum: Float = 0
            for column in 0..<width { sum += input[column] }
            let mu = sum / Float(width)
            var variance: Float = 0
            for column in 0..<width { let centered = input[column] - mu; variance += centered * centered }
            let inverse = 1 / (variance / Float(width) + 1e-5).squareRoot()
            for column in 0..<width { output[column] = (input[column] - mu) * inverse * gamma[column] + beta[column] }
            mean[row] = mu
            inverseDeviation[row] = inverse
        }
    }

    /// Given `dy[M, D]` and the forward input `x`: `dx` (overwritten), `dγ += …`, `dβ += …`.
    static func layerNormBackward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, rows: Int, width: Int,
                                  gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>,
                                  inputGradient dx: UnsafeMutablePointer<Float>, gammaGradient dgamma: UnsafeMutablePointer<Float>,
                                  betaGradient dbeta: UnsafeMutablePointer<Float>) {
        for row in 0..<rows {
            let input = x + row * width, gradient = dy + row * width, output = dx + row * width
            let mu = mean[row], inverse = inverseDeviation[row]
            var sumG: Float = 0, sumGX: Float = 0
            for column in 0..<width {
                let normalized = (input[column] - mu) * inverse
                let g = gradient[column] * gamma[column]
                sumG += g
                sumGX += g * normalized
                dgamma[column] += gradient[column] * normalized
                dbeta[column] += gradient[column]
            }
            let meanG = sumG / Float(width), meanGX = sumGX / Float(width)
            for column in 0..<width {
                let normalized = (input[column] - mu) * inverse
                output[column] = inverse * (gradient[column] * gamma[column] - meanG - normalized * meanGX)
            }
        }
    }

    // MARK: Activations and dropout

    /// `y = x · σ(x)` over `count` values.
    static func swishForward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        for index in 0..<count { y[index] = x[index] / (1 + expf(-x[index])) }
    }

    /// `dx = dy · σ(x) · (1 + x · (1 − σ(x)))`; `dx` may be `dy`.
    static func swishBackward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, count: Int, into dx: UnsafeMutablePointer<Float>) {
        for index in 0..<count {
            let sigmoid = 1 / (1 + expf(-x[index]))
            dx[index] = dy[index] * sigmoid * (1 + x[index] * (1 - sigmoid))
        }
    }

    /// Inverted dropout in place: each value is zeroed with probability `rate`, the rest scaled
    /// by `1/(1 − rate)`; the scale factors (0 or `1/(1 − rate)`) go to `mask` for the backward pass.
    static func dropoutForward(_ x: UnsafeMutablePointer<Float>, count: Int, rate: Float, mask: UnsafeMutablePointer<Float>,
                               random: inout DropoutRandom) {
        let keep = 1 / (1 - rate)
        for index in 0..<count {
            let factor: Float = random.nextUnit() < rate ? 0 : keep
            mask[index] = factor
            x[index] *= factor
        }
    }

    /// `x *= mask` over `count` values.
    static func multiply(_ x: UnsafeMutablePointer<Float>, by mask: UnsafePointer<Float>, count: Int) {
        for index in 0..<count { x[index] *= mask[index] }
    }

    /// `y += x` over `count` values.
    static func add(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { y[index] += x[index] }
    }
}

/// A fast generator for dropout masks (xorshift64*), seeded per step so that training is
/// reproducible and resumable.
struct DropoutRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    /// A uniform value in [0, 1).
    @inline(__always)
    mutating func nextUnit() -> Float {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Float((state &* 0x2545_F491_4F6C_DD1D) >> 40) * (1 / Float(1 << 24))
    }
}
