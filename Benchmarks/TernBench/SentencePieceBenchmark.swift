import ArgumentParser
import Foundation
import TernIO
import TernSentencePiece

/// Encode throughput of a SentencePiece model (`TernSentencePiece`) on text files, one thread,
/// in the same columns as `tokenize`. Timed in process CPU time, as its anchor
/// (`sentencepiece_anchor.py`) is, so that other work on a busy machine does not count.
struct SentencePieceBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentencepiece",
        abstract: "Encode throughput of a SentencePiece .model on text files, in MB/s.")

    @Option(help: "SentencePiece model file (.model / .spm).") var model: String
    @Option(name: .customLong("file"), help: "Text file; repeat for several.") var files: [String]
    @Option(help: "Timed passes per file; the median is reported.") var repeats = 5

    func run() throws {
        let model = try SentencePieceModel(contentsOf: URL(fileURLWithPath: model))
        print("file\tMB\tMB/s\tpieces/s\tpieces/line")
        for file in files {
            let lines = try LineReader(path: file).readAllLines().map(\.text)
            let bytes = lines.reduce(0) { $0 + $1.utf8.count + 1 }
            var pieces = 0
            var times: [Double] = []
            for _ in 0..<max(1, repeats) {
                let start = Self.processCPUSeconds()
                pieces = lines.reduce(0) { $0 + model.encode($1).count }
                times.append(Self.processCPUSeconds() - start)
            }
            let seconds = times.sorted()[times.count / 2]
            print(encodeThroughputRow(file: file, bytes: bytes, seconds: seconds, pieces: pieces, lines: lines.count))
        }
    }

    /// CPU time this process has used, in seconds.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
