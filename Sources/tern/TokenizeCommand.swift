import ArgumentParser
import TernIO
import TernTokenizer

struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Split lines into subword pieces (or ids), one output line per input line.",
        discussion: "Pieces are separated by single spaces; a space in the text appears as the marker '▁'."
    )

    @Option(help: "Vocabulary folder, for example Vocab/multi30k-en-de.")
    var vocab: String

    @Flag(help: "Print piece ids instead of pieces.")
    var ids = false

    @OptionGroup var io: IOOptions

    func run() async throws {
        try await reportingFailures {
            let tokenizer = try Tokenizer(vocabulary: VocabularyStore.load(from: vocab))
            let reader = try LineReader(path: io.input)
            let writer = try LineWriter(path: io.output)
            while let line = try reader.readLine() {
                Diagnostics.warnIfRepaired(line, input: io.input)
                let encoded = tokenizer.encode(line.text)
                try writer.write(ids ? encoded.map(String.init).joined(separator: " ")
                                     : tokenizer.pieces(encoded).joined(separator: " "))
            }
            try writer.flush()
        }
    }
}
