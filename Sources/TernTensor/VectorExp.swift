import Foundation

/// `exp` on eight floats at once, for the softmax normalizers that dominate decoding time.
///
/// Range reduction `x = n·ln2 + r` with `|r| ≤ ln2/2`, a degree-6 polynomial for `e^r`, and
/// `2^n` built in the exponent bits. Relative error below 2e-7 over the float range; inputs
/// below −87 give 0 (they only ever occur as `logit − max`, where 0 is the right answer).
public enum VectorExp {
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let lowest = SIMD8<Float>(repeating: -87.3), highest = SIMD8<Float>(repeating: 88.3)
        let clamped = x.replacing(with: lowest, where: x .< lowest).replacing(with: highest, where: x .> highest)
        // Adding 1.5 · 2^23 rounds to the nearest integer (ties to even) and leaves that integer
        // in the low mantissa bits, so n needs no float → integer conversion (which Swift's
        // generic SIMD conversions make slow).
        let roundingShift = SIMD8<Float>(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + roundingShift
        let n = shifted - roundingShift
        let r = clamped - n * 0.693_145_75 - n * 1.428_606_8e-6
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let exponent = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(roundingShift, to: SIMD8<Int32>.self) &+ 127
        let scale = unsafeBitCast(exponent &<< 23, to: SIMD8<Float>.self)
        return (p * scale).replacing(with: 0, where: x .< lowest)
    }

    /// The largest of `count` floats (−∞ when `count` is 0).
    public static func maximum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var largest = SIMD8<Float>(repeating: -.infinity)
        var index = 0
        while index + 8 <= count {
            let chunk = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
            largest = largest.replacing(with: chunk, where: chunk .> largest)
            index += 8
        }
        var result = largest.max()
        while index < count {
            result = max(result, values[index])
            index += 1
        }
        return result
    }

    /// `log Σ exp(values[i])` over `count` floats, computed as `max + log Σ exp(values[i] − max)`
    /// so that nothing overflows: the normalizer of a log-softmax.
    public static func logSumOfExponentials(_ values: UnsafePointer<Float>, count: Int) -> Float {
        let largest = maximum(values, count: count)
        return largest + logf(sumOfExponentials(values, count: count, shift: largest))
    }

    /// `Σ exp(values[i] − shift)` over `count` floats.
    static func sumOfExponentials(_ values: UnsafePointer<Float>, count: Int, shift: Float) -> Float {
        var total = SIMD8<Float>(repeating: 0)
        var index = 0
        let shifts = SIMD8<Float>(repeating: shift)
        while index + 8 <= count {
            let chunk = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
            total += exp(chunk - shifts)
            index += 8
        }
        var sum = total.sum()
        while index < count {
            var tail = SIMD8<Float>(repeating: -.infinity)
            tail[0] = values[index] - shift
            sum += exp(tail)[0]
            index += 1
        }
        return sum
    }

    /// `values[i] = exp(values[i] − shift)` over `count` floats, in place.
    public static func exponentiate(_ values: UnsafeMutablePointer<Float>, count: Int, shift: Float) {
        var index = 0
        let shifts = SIMD8<Float>(repeating: shift)
        while index + 8 <= count {
            let raw = UnsafeMutableRawPointer(values + index)
            raw.storeBytes(of: exp(raw.loadUnaligned(as: SIMD8<Float>.self) - shifts), as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            var tail = SIMD8<Float>(repeating: -.infinity)
            tail[0] = values[index] - shift
            values[index] = exp(tail)[0]
            index += 1
        }
    }
}
