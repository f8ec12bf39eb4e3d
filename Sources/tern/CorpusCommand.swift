import ArgumentParser
import Foundation
import TernCorpus
import TernIO

struct CorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "List, import and fetch parallel corpora.",
        discussion: """
        The catalogue (Corpora/manifest.json) pins every file of every corpus by size and \
        SHA-256. Imported corpora are written as plain text, one sentence per line, to \
        $XDG_CACHE_HOME/tern/corpora/NAME (or ~/.cache/tern/corpora/NAME) unless --to says otherwise.
        """,
        subcommands: [List.self, Import.self, Fetch.self, Split.self, Combine.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the corpora in the catalogue, and which are imported.",
            discussion: "IMPORTED says whether all of a corpus's files are in its default folder."
        )

        func run() async throws {
            try await reportingFailures {
                let catalog = try CorpusCatalog.bundled()
                let header = ["NAME", "PAIRS", "SENTENCES", "LICENCE", "ORIGIN", "IMPORTED"]
                let rows = catalog.corpora.map { corpus in
                    [
                        corpus.name,
                        corpus.pairs.joined(separator: " "),
                        corpus.splits.count > 4
                            ? "\(corpus.splits.count) splits, \(corpus.splits.reduce(0) { $0 + $1.sentences }) in all"
                            : corpus.splits.map { "\($0.name) \($0.sentences)" }.joined(separator: ", "),
                        corpus.licence,
                        corpus.origin,
                        corpus.isImported(at: CorpusCache.directory(for: corpus.name)) ? "yes" : "no",
                    ]
                }
                for line in alignedColumns([header] + rows) {
                    print(line)
                }
            }
        }

        /// Pads every cell to its column's widest cell, two spaces apart.
        private func alignedColumns(_ rows: [[String]]) -> [String] {
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            return rows.map { row in
                zip(row, widths).map { cell, width in cell.padding(toLength: width, withPad: " ", startingAt: 0) }
                    .joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a corpus from local files, checking them against the catalogue.",
            discussion: """
            --from is the folder holding the corpus's files as published (for example the .gz files \
            of multi30k), either directly or in a subfolder named after the corpus. Every file's size \
            and SHA-256 are checked before anything is written; compressed files are decompressed and \
            tab-separated files split into one file per column.

            Example: tern corpus import multi30k --from ../shared/corpora
            """
        )

        @Argument(help: "Corpus name, as `tern corpus list` shows it.")
        var name: String

        @Option(help: "Folder holding the corpus's files, or a folder with a subfolder named after the corpus.")
        var from: String

        @Option(help: "Folder to write the plain-text files to (default: the cache folder, see `tern corpus --help`).")
        var to: String?

        func run() async throws {
            try await reportingFailures {
                let summary = try CorpusImporter().import(
                    name, from: URL(fileURLWithPath: from), to: to.map { URL(fileURLWithPath: $0) })
                printSummary(summary, verb: "imported")
            }
        }
    }

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a corpus from its origin (or a mirror) and import it.",
            discussion: """
            Downloads go to a temporary folder and get the same checks as `tern corpus import`. A mirror \
            serves MIRROR/NAME/FILE for every file of the catalogue, the layout `import --from` reads \
            (for example an HTTP server over a folder of corpora). The mirror can also be set with \
            \(CorpusFetcher.mirrorVariable). Without network access, use `tern corpus import` with a local copy.

            Example: tern corpus fetch multi30k
            """
        )

        @Argument(help: "Corpus name, as `tern corpus list` shows it.")
        var name: String

        @Option(help: "Folder to write the plain-text files to (default: the cache folder, see `tern corpus --help`).")
        var to: String?

        @Option(help: "Base URL of a mirror to download from instead of the origin.")
        var mirror: String?

        func validate() throws {
            if let mirror, URL(string: mirror)?.scheme == nil {
                throw ValidationError("--mirror must be a URL such as http://host:8000/corpora/")
            }
        }

        func run() async throws {
            try await reportingFailures {
                let fetcher = CorpusFetcher(importer: try CorpusImporter(), mirror: mirror.flatMap(URL.init(string:)))
                let summary = try await fetcher.fetch(name, to: to.map { URL(fileURLWithPath: $0) })
                printSummary(summary, verb: "fetched")
            }
        }
    }

    struct Split: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a development slice out of a parallel corpus: every Nth pair.",
            discussion: """
            The corpus is named by its path prefix, as for combine. Every Nth pair, starting with the \
            first, is written to --slice-output, the others to --rest-output, both in input order. On \
            a corpus ordered by length (the Tatoeba exports are) this samples every length evenly. \
            Pairs of the rest that share a sentence with the slice are still there: pass the slice to \
            `tern corpus combine --exclude` to keep them out of training.

            Example: tern corpus split --source-language en --target-language de --input C/tatoeba-en-de/tatoeba \
              --every 80 --slice-output C/en-de-dev/tatoeba --rest-output C/en-de-train/tatoeba-rest
            """
        )

        @OptionGroup var languages: LanguagePairOptions

        @Option(help: "Path prefix of the corpus to split.")
        var input: String

        @Option(help: "Put every Nth pair (2 or more) in the slice.")
        var every: Int

        @Option(help: "Path prefix of the slice.")
        var sliceOutput: String

        @Option(help: "Path prefix of the remaining pairs.")
        var restOutput: String

        func validate() throws {
            if every < 2 {
                throw ValidationError("--every must be 2 or more: a slice of every pair leaves nothing to train on")
            }
        }

        func run() async throws {
            try await reportingFailures {
                let pairs = try languages.read(input)
                let (slice, rest) = HeldOutSlice.split(pairs, every: every)
                for (prefix, part) in [(sliceOutput, slice), (restOutput, rest)] {
                    try FileManager.default.createDirectory(
                        at: URL(fileURLWithPath: prefix).deletingLastPathComponent(), withIntermediateDirectories: true)
                    try ParallelCorpus.write(
                        part, sourceTo: URL(fileURLWithPath: "\(prefix).\(languages.sourceLanguage)"),
                        targetTo: URL(fileURLWithPath: "\(prefix).\(languages.targetLanguage)"))
                }
                Diagnostics.printError(
                    "split \(pairs.count) pairs: \(slice.count) (every \(every)th) to \(sliceOutput).{\(languages.sourceLanguage),\(languages.targetLanguage)}, "
                        + "\(rest.count) to \(restOutput).{\(languages.sourceLanguage),\(languages.targetLanguage)}")
            }
        }
    }

    struct Combine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join parallel corpora into one training set, leaving out pairs that leak a test or validation sentence.",
            discussion: """
            Every corpus is named by its path prefix: PREFIX.SRC and PREFIX.TGT are its two sides \
            (for example ~/.cache/tern/corpora/3am-en-zh/train with --source-language en \
            --target-language zh). A training pair is left out when its source equals the source of \
            any --exclude pair, or its target equals the target of any --exclude pair, compared case \
            folded with whitespace collapsed. The output is OUTPUT.SRC and OUTPUT.TGT.

            Example: tern corpus combine --source-language en --target-language zh \
              --train C/3am-en-zh/train --train C/tatoeba-en-zh/tatoeba \
              --exclude C/3am-en-zh/val --exclude C/3am-en-zh/test --exclude C/flores-dev/en-zh/flores-dev \
              --output C/en-zh-train/train
            """
        )

        @OptionGroup var languages: LanguagePairOptions

        @Option(help: "Path prefix of a training corpus (repeat, in the order wanted).")
        var train: [String]

        @Option(help: "Path prefix of a held-out corpus whose sentences must not be trained on (repeat).")
        var exclude: [String] = []

        @Option(help: "Path prefix of the combined training set.")
        var output: String

        func validate() throws {
            if train.isEmpty {
                throw ValidationError("give at least one --train corpus")
            }
        }

        func run() async throws {
            try await reportingFailures {
                let readPairs = languages.read
                let training = try train.map(readPairs)
                let assembler = TrainingSetAssembler(heldOut: try exclude.flatMap(readPairs))
                let trainingSet = assembler.assemble(training)
                try trainingSet.write(
                    sourceTo: URL(fileURLWithPath: "\(output).\(languages.sourceLanguage)"),
                    targetTo: URL(fileURLWithPath: "\(output).\(languages.targetLanguage)"))
                Diagnostics.printError(
                    "combined \(training.map(\.count).reduce(0, +)) pairs from \(train.count) corpora: "
                        + "kept \(trainingSet.pairs.count), left out \(trainingSet.removedPairs) that share a sentence with a held-out set; "
                        + "wrote \(output).\(languages.sourceLanguage) and \(output).\(languages.targetLanguage)")
            }
        }
    }
}

/// `--source-language` and `--target-language`: the suffixes of a parallel corpus's two files,
/// `PREFIX.SOURCE` and `PREFIX.TARGET`.
struct LanguagePairOptions: ParsableArguments {
    @Option(help: "Source language code: the suffix of the source files.")
    var sourceLanguage: String

    @Option(help: "Target language code: the suffix of the target files.")
    var targetLanguage: String

    /// Reads the parallel corpus PREFIX.SOURCE / PREFIX.TARGET, warning about repaired lines.
    func read(_ prefix: String) throws -> [ParallelCorpus.Pair] {
        try ParallelCorpus.read(
            sourcePath: "\(prefix).\(sourceLanguage)", targetPath: "\(prefix).\(targetLanguage)",
            onRepairedLine: { path, line in Diagnostics.warnIfRepaired(line, input: path) })
    }
}

/// Reports what an import wrote, on standard error.
private func printSummary(_ summary: CorpusImportSummary, verb: String) {
    Diagnostics.printError("\(verb) \(summary.corpus): \(summary.outputs.count) files, \(summary.totalLines) lines, into \(summary.destination.path)")
    let width = summary.outputs.map(\.name.count).max() ?? 0
    for output in summary.outputs {
        Diagnostics.printError("  \(output.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(output.lines) lines")
    }
}
