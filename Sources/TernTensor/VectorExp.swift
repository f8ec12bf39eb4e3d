/// `exp` on eight floats at once, for the softmax normalizers that dominate decoding time.
///
/// Range reduction `x = n·ln2 + r` with `|r| ≤ ln2/2`, a degree-6 polynomial for `e^r`, and
/// `2^n` built in the exponent bits. Relative error below 2e-7 over the float range; inputs
/// below −87 give 0 (they only ever occur as `logit − max`, where 0 is the right answer).
public enum VectorExp {
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let clamped = pointwiseMin(pointwiseMax(x, SIMD8(repeating: -87.3)), SIMD8(repeating: 88.3))
        let n = (clamped * 1.442_695_04).rounded(.toNearestOrEven)
        let r = clamped - n * 0.693_145_75 - n * 1.428_606_8e-6
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let exponent = SIMD8<Int32>(n, rounding: .towardZero) &+ 127
        let scale = unsafeBitCast(exponent &<< 23, to: SIMD8<Float>.self)
        return (p * scale).replacing(with: 0, where: x .< -87.3)
    }

    /// `Σ exp(values[i] − shift)` over `count` floats.
    public static func sumOfExponentials(_ values: UnsafePointer<Float>, count: Int, shift: Float) -> Float {
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
