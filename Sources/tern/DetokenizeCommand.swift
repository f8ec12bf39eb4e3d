import ArgumentParser
import TernIO
import TernTokenizer

struct DetokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize",
        abstract: "Join space-separated subword pieces (or ids) back into text, one line per line.",
        discussion: "A line break that byte pieces spell (\\n, \\r and the Unicode line separators) becomes a space, so that N lines in give N lines out."
    )

    @Option(help: "Vocabulary folder the pieces come from.")
    var vocab: String

    @Flag(help: "Read piece ids instead of pieces.")
    var ids = false

    @OptionGroup var io: IOOptions

    func run() async throws {
        try await reportingFailures {
            let tokenizer = try Tokenizer(vocabulary: VocabularyStore.load(from: vocab))
            try io.mapLines { text in
                // Split at every space scalar: a space before a combining mark is one Character.
                let tokens = text.unicodeScalars.split(separator: " ").map { String(String.UnicodeScalarView($0)) }
                return tokenizer.decodeLine(try ids ? tokenizer.vocabulary.checkedIDs(tokens) : tokenizer.vocabulary.ids(ofPieces: tokens))
            }
        }
    }
}
