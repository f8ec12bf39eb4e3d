import ArgumentParser
import CBLAS
import Foundation
import TernTensor

/// Tern's matrix-product kernels against OpenBLAS `sgemm`/`sgemv` on the products that decoding
/// runs (`[M, K] · [N, K]ᵀ + bias`), side by side in one run, as GFLOP/s and ratios.
struct GEMMBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "GFLOP/s of Tern's packed kernels (F32 and F16 weights) and of OpenBLAS on decoding's matrix shapes."
    )

    @Option(help: "Seconds to spend on each measurement (the median of 5 runs of about this long is printed).")
    var seconds = 0.2

    /// `(M, N, K, what)`: rows, outputs, inputs.
    static let shapes: [(Int, Int, Int, String)] = [
        (1, 256, 256, "greedy b1, 256-wide projection"),
        (1, 8000, 256, "greedy b1, 8k-vocabulary output layer"),
        (32, 256, 256, "greedy b32, projection"),
        (32, 1024, 256, "greedy b32, feed-forward expand"),
        (32, 8000, 256, "greedy b32, output layer"),
        (128, 256, 256, "beam 4 b32, projection"),
        (128, 8000, 256, "beam 4 b32, output layer"),
        (1, 2048, 512, "OPUS-MT shape b1, feed-forward expand"),
        (128, 2048, 512, "OPUS-MT shape beam 4 b32, expand"),
        (128, 58101, 512, "OPUS-MT shape beam 4 b32, output layer"),
        (600, 512, 512, "encoder, 32 sentences × ~19 tokens"),
    ]

    func run() throws {
        print("machine: \(ProcessorDescription().summary)")
        openblas_set_num_threads(1)
        print("one thread per product for both (Tern's products always run on the calling thread)")
        var generator = SystemRandomNumberGenerator()
        let header = ["M×N×K", "OpenBLAS"] + GEMMKernel.available.flatMap { ["\($0.name) f32", "\($0.name) f16"] } + ["best f16 ÷ OpenBLAS", "case"]
        print(header.joined(separator: " | "))
        for (rows, outputs, inputs, what) in Self.shapes {
            let input = Matrix(rows: rows, columns: inputs, values: (0..<(rows * inputs)).map { _ in Float.random(in: -1...1, using: &generator) })
            let halfValues = (0..<(outputs * inputs)).map { _ in Float(Float16(Float.random(in: -1...1, using: &generator))) }
            let bias = [Float](repeating: 0.5, count: outputs)
            let halfLayer = Linear(weight: Matrix(rows: outputs, columns: inputs, values: halfValues), bias: bias)
            let singleLayer = Linear(weight: Matrix(rows: outputs, columns: inputs, values: halfValues.map { $0 + 1e-4 }), bias: bias)
            let flops = 2.0 * Double(rows * outputs * inputs)
            var output = Matrix(rows: rows, columns: outputs)
            let openBLAS = flops / measure { openBLASProduct(input, weights: halfValues, bias: bias, outputs: outputs, into: &output) } / 1e9
            var cells = [String(format: "%.1f", openBLAS)]
            var bestHalf = 0.0
            for kernel in GEMMKernel.available {
                for layer in [singleLayer, halfLayer] {
                    let rate = flops / measure { layer.apply(input, into: &output, kernel: kernel) } / 1e9
                    cells.append(String(format: "%.1f", rate))
                    if layer.weights.precision == .half && kernel == GEMMKernel.best { bestHalf = rate }
                }
            }
            let row = ["\(rows)×\(outputs)×\(inputs)"] + cells + [String(format: "%.2f×", bestHalf / openBLAS), what]
            print(row.joined(separator: " | "))
        }
    }

    /// What `Linear` did before it had its own kernels: the bias copied in, then `sgemv` for one
    /// row and `sgemm` (β = 1) for more.
    private func openBLASProduct(_ input: Matrix, weights: [Float], bias: [Float], outputs: Int, into output: inout Matrix) {
        let rows = input.rows, inputs = input.columns
        output.values.withUnsafeMutableBufferPointer { out in
            for row in 0..<rows { (out.baseAddress! + row * outputs).update(from: bias, count: outputs) }
            if rows == 1 {
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(outputs), Int32(inputs), 1, weights, Int32(inputs),
                            input.values, 1, 1, out.baseAddress, 1)
            } else {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1,
                            input.values, Int32(inputs), weights, Int32(inputs), 1, out.baseAddress, Int32(outputs))
            }
        }
    }

    /// Median seconds per call over 5 runs of about `seconds` each.
    private func measure(_ body: () -> Void) -> Double {
        body()
        let start = Date()
        body()
        let once = max(Date().timeIntervalSince(start), 1e-7)
        let calls = max(1, Int(seconds / once))
        let runs = (0..<5).map { _ in
            let begin = Date()
            for _ in 0..<calls { body() }
            return Date().timeIntervalSince(begin) / Double(calls)
        }
        return runs.sorted()[2]
    }
}
