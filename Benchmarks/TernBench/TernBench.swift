import ArgumentParser
import Foundation
import TernIO
import TernTokenizer

/// Micro-benchmarks that print numbers. Driven by the scripts in Benchmarks/, which run the
/// anchor implementations beside them in the same run.
@main
struct TernBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tern-bench",
        abstract: "Tern benchmarks (one thread).",
        subcommands: [Tokenize.self, Learn.self, Decode.self, LengthLimits.self, TrainStepBenchmark.self, SegmentationBenchmark.self,
                      SentencePieceBenchmark.self, GEMMBenchmark.self, MachineReport.self]
    )

    struct Tokenize: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Encode throughput of a vocabulary on text files, in MB/s.")

        @Option(help: "Vocabulary folder.") var vocab: String
        @Option(name: .customLong("file"), help: "Text file; repeat for several.") var files: [String]
        @Option(help: "Timed passes per file; the median is reported.") var repeats = 5

        func run() throws {
            let vocabulary = try VocabularyStore.load(from: vocab)
            print("file\tMB\tMB/s\tpieces/s\tpieces/line")
            for file in files {
                let lines = try LineReader(path: file).readAllLines().map(\.text)
                let bytes = lines.reduce(0) { $0 + $1.utf8.count + 1 }
                var pieces = 0
                let seconds = try median(of: repeats) {
                    // A fresh tokenizer per pass, so that its word cache starts cold every time.
                    let tokenizer = try Tokenizer(vocabulary: vocabulary)
                    pieces = 0
                    var ids: [Int32] = []
                    for line in lines {
                        ids.removeAll(keepingCapacity: true)
                        tokenizer.encode(line, appendingTo: &ids)
                        pieces += ids.count
                    }
                }
                print(encodeThroughputRow(file: file, bytes: bytes, seconds: seconds, pieces: pieces, lines: lines.count))
            }
        }
    }

    struct Learn: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time to learn a BPE vocabulary, in seconds.")

        @Option(name: .customLong("corpus"), help: "Text file; repeat for several.") var corpora: [String]
        @Option(help: "Vocabulary size.") var size: Int
        @Option(help: "Character coverage.") var characterCoverage = 0.9995
        @Option(help: "Timed runs; the median is reported.") var repeats = 3

        func run() throws {
            let lines = try corpora.flatMap { try LineReader(path: $0).readAllLines().map(\.text) }
            let trainer = BPETrainer(options: .init(size: size, characterCoverage: characterCoverage))
            let seconds = try median(of: repeats) { _ = try trainer.learn(lines: lines) }
            print(String(format: "learn\t%d lines\t%d pieces\t%.2f s", lines.count, size, seconds))
        }
    }
}

/// The median wall time of `runs` calls of `body`, in seconds.
/// One row under the header `file MB MB/s pieces/s pieces/line`, for the encode benchmarks.
func encodeThroughputRow(file: String, bytes: Int, seconds: Double, pieces: Int, lines: Int) -> String {
    let megabytes = Double(bytes) / 1e6
    return String(format: "%@\t%.2f\t%.2f\t%.0f\t%.2f", URL(fileURLWithPath: file).lastPathComponent,
                  megabytes, megabytes / seconds, Double(pieces) / seconds, Double(pieces) / Double(max(1, lines)))
}

func median(of runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<max(1, runs) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}
