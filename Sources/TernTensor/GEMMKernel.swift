import CKernels
import Foundation

/// The matrix-product micro-kernels (`tern_gemm.c`), chosen at run time from what the processor has.
public enum GEMMKernel: Int, CaseIterable, Comparable, Sendable {
    case portable = 0
    case avx2 = 1
    case avx512 = 2

    /// The best kernel this processor runs.
    public static let best = GEMMKernel(rawValue: Int(tern_gemm_best_kernel().rawValue)) ?? .portable

    /// The kernel products use: `best`, or a lesser one named by `TERN_GEMM_KERNEL` (`portable`,
    /// `avx2`), so that one machine can measure what a machine without AVX-512 runs. A name this
    /// processor cannot run, or an unknown one, leaves `best`.
    public static let selected = chosen(byEnvironmentValue: ProcessInfo.processInfo.environment["TERN_GEMM_KERNEL"])

    /// Every kernel this processor runs, lowest first.
    public static var available: [GEMMKernel] { allCases.filter { $0 <= best } }

    /// `best`, or the kernel `value` names when this processor runs it.
    public static func chosen(byEnvironmentValue value: String?) -> GEMMKernel {
        guard let value, let named = allCases.first(where: { $0.name == value.lowercased() }), named <= best else { return best }
        return named
    }

    public var name: String {
        switch self {
        case .portable: "portable"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }

    public static func < (lhs: GEMMKernel, rhs: GEMMKernel) -> Bool { lhs.rawValue < rhs.rawValue }

    var cValue: tern_gemm_kernel { tern_gemm_kernel(rawValue: UInt32(rawValue)) }
}
