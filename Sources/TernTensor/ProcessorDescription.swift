import CBLAS
import Foundation

/// What this machine computes with, for benchmark reports: the processor's name and vector
/// extensions (from `/proc/cpuinfo`), Tern's matrix-product kernel, and the core OpenBLAS chose.
public struct ProcessorDescription: Sendable {
    /// The extensions that decide which kernels run.
    public static let reportedFlags = ["avx2", "fma", "f16c", "avx512f", "avx512_vnni", "avx512_bf16"]

    public let model: String
    public let cores: Int
    /// Those of `reportedFlags` the processor has.
    public let flags: [String]
    public let kernel: GEMMKernel
    public let openBLASCore: String

    public init(cpuInfo: String = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "") {
        let lines = cpuInfo.split(separator: "\n")
        func field(_ name: String) -> String? {
            lines.first { $0.hasPrefix(name) }.flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        model = field("model name") ?? "unknown processor"
        let present = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        flags = Self.reportedFlags.filter(present.contains)
        cores = ProcessInfo.processInfo.activeProcessorCount
        kernel = .selected
        openBLASCore = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// One line: `Intel(R) Xeon(R) Processor, 2 cores, avx2 fma f16c avx512f; Tern kernel avx512; OpenBLAS core Prescott`.
    public var summary: String {
        "\(model), \(cores) cores, \(flags.isEmpty ? "no AVX" : flags.joined(separator: " ")); "
            + "Tern kernel \(kernel.name); OpenBLAS core \(openBLASCore)"
    }
}
