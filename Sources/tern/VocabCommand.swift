import ArgumentParser
import Foundation
import TernIO
import TernTokenizer

struct VocabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Learn subword vocabularies.",
        subcommands: [Learn.self]
    )

    struct Learn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Learn a BPE vocabulary from one or more text files.",
            discussion: """
            Every --corpus file adds its lines to one joint vocabulary (for example the source and \
            target sides of a parallel corpus). For separate source and target vocabularies, run \
            the command once per side. The same input always gives byte-identical files.
            """
        )

        @Option(name: .customLong("corpus"), help: "A text file, one sentence per line. Repeat for several files.")
        var corpora: [String]

        @Option(help: "Total number of pieces, special tokens and the 256 byte pieces included.")
        var size: Int

        @Option(help: "Vocabulary folder to write (vocab.txt, merges.txt, manifest.json).")
        var out: String

        @Option(help: "Unicode normalization: none, nfc or nfkc.")
        var normalization: NormalizationForm = .nfkc

        @Option(help: "Share of character occurrences the alphabet covers; rarer characters use byte pieces.")
        var characterCoverage: Double = 0.9995

        @Option(help: "Pairs seen fewer times than this are never merged.")
        var minPairFrequency: Int = 2

        @Option(help: ArgumentHelp(
            "Where merges stop: icu-word (ICU word boundaries, dictionary-based for Chinese, Japanese and Thai), whitespace, or characters (whitespace, and every CJK ideograph alone).",
            discussion: "Only icu-word is meant for real use; the others exist to measure what ICU boundaries buy."))
        var preTokenization: PreTokenization = .icuWord

        func validate() throws {
            guard !corpora.isEmpty else { throw ValidationError("Pass at least one --corpus file.") }
            guard characterCoverage > 0, characterCoverage <= 1 else {
                throw ValidationError("--character-coverage must be in (0, 1].")
            }
            guard minPairFrequency >= 1 else { throw ValidationError("--min-pair-frequency must be at least 1.") }
        }

        func run() async throws {
            try await reportingFailures {
                let options = BPETrainer.Options(size: size, normalization: normalization,
                                                 characterCoverage: characterCoverage, minPairFrequency: minPairFrequency,
                                                 preTokenization: preTokenization)
                var lines: [String] = []
                var files: [VocabularyManifest.Training.File] = []
                for path in corpora {
                    let fileLines = try LineReader(path: path).readAllLines()
                    fileLines.forEach { Diagnostics.warnIfRepaired($0, input: path) }
                    lines.append(contentsOf: fileLines.map(\.text))
                    files.append(.init(name: URL(fileURLWithPath: path).lastPathComponent, lines: fileLines.count))
                }
                let started = Date()
                let vocabulary = try BPETrainer(options: options).learn(lines: lines)
                try VocabularyStore.write(vocabulary, training: .init(files: files, options: options), to: out)
                let seconds = Date().timeIntervalSince(started)
                Diagnostics.printError(String(format: "learned %d pieces (%d characters, %d merges) from %d lines in %.1f s into %@",
                                              vocabulary.size, vocabulary.alphabetSize, vocabulary.merges.count, lines.count, seconds, out))
            }
        }
    }
}

extension NormalizationForm: ExpressibleByArgument {}
extension PreTokenization: ExpressibleByArgument {}
