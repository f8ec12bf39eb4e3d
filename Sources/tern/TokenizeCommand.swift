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
            try io.mapLines { text in
                let encoded = tokenizer.encode(text)
                return ids ? encoded.map(String.init).joined(separator: " ") : tokenizer.pieces(encoded).joined(separator: " ")
            }
        }
    }
}
