import CKernels
import Foundation

/// Feed-forward activations, named as in Hugging Face configs (`activation_function`).
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// `x · sigmoid(x)`, Marian's default. Also spelled `silu`.
    case swish
    case silu
    case relu
    /// The exact form, `x · Φ(x)` with the normal CDF Φ.
    case gelu
    /// The tanh approximation of GELU.
    case geluNew = "gelu_new"

    /// Applies the activation to the first `count` values in place.
    public func apply(to values: inout [Float], count: Int) {
        values.withUnsafeMutableBufferPointer { buffer in
            if self == .swish || self == .silu {
                tern_swish(buffer.baseAddress!, count)
                return
            }
            for index in 0..<count {
                buffer[index] = value(buffer[index])
            }
        }
    }

    /// The activation of one value.
    @inline(__always)
    public func value(_ x: Float) -> Float {
        switch self {
        case .swish, .silu: return x / (1 + expf(-x))
        case .relu: return max(0, x)
        case .gelu: return 0.5 * x * (1 + erff(x / 2.0.squareRoot().float))
        case .geluNew:
            let inner: Float = 0.797_884_560_802_865_4 * (x + 0.044715 * x * x * x)
            return 0.5 * x * (1 + tanhf(inner))
        }
    }
}

private extension Double {
    var float: Float { Float(self) }
}
