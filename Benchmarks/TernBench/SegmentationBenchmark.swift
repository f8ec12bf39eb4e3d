import ArgumentParser
import Foundation
import TernIO
import TernTokenizer

/// How a vocabulary cuts text: pieces per line, and the share of pieces that cross an ICU word
/// boundary (see `BoundaryAudit`).
struct SegmentationBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segmentation",
        abstract: "Pieces per line and the share of pieces crossing an ICU word boundary.")

    @Option(help: "Vocabulary folder.") var vocab: String
    @Option(name: .customLong("file"), help: "Text file; repeat for several.") var files: [String]

    func run() throws {
        let audit = try BoundaryAudit(tokenizer: Tokenizer(vocabulary: VocabularyStore.load(from: vocab)))
        print("file\tpieces/line\tcrossing share")
        for file in files {
            let lines = try LineReader(path: file).readAllLines().map(\.text)
            var pieces = 0
            var crossing = 0
            for line in lines {
                let audited = audit.pieces(of: line)
                pieces += audited.count
                crossing += audited.filter(\.crossesBoundary).count
            }
            print(String(format: "%@\t%.2f\t%.4f", URL(fileURLWithPath: file).lastPathComponent,
                         Double(pieces) / Double(max(1, lines.count)), Double(crossing) / Double(max(1, pieces))))
        }
    }
}
