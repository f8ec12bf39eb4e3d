import ArgumentParser
import Foundation
import TernCompare
import TernEval
import TernIO
import TernModel

/// `tern compare`: the options, read into a `CompareRequest` for `TernCompare`, which does the work.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare the encoder-decoder, prefix-LM and causal-LM models of one pair on the same lines.",
        discussion: """
        Each input line (one sentence) is translated by every model, one line at a time, timing \
        each line and its first decoder step. Prints the outputs side by side and a summary per \
        mode: BLEU and chrF (with --reference), tokens/s, latency p50/p95, time to first token, \
        decoder steps, peak KV-cache bytes, parameters and encoder runs.

        Only the best hypothesis of each line is used (--n-best is ignored).

        Examples:
          tern compare --model en-de-multi30k -i test.en --reference test.de
          tern compare --encdec A --prefix-lm B --causal-lm C --format json < in.en
          tern compare --model en-de-multi30k -i test.en --cache-ablation --format markdown
          tern compare --model en-de-multi30k -i test.en --svg attn.svg --svg-sentence 3
        """
    )

    @Option(help: "A model name such as en-de-multi30k (the default): its modes are Models/NAME/{encdec,prefix-lm,causal-lm}.")
    var model: String?

    @Option(help: ArgumentHelp("The encoder-decoder model folder.", valueName: "dir")) var encdec: String?
    @Option(name: .customLong("prefix-lm"), help: ArgumentHelp("The prefix-LM model folder.", valueName: "dir")) var prefixLM: String?
    @Option(name: .customLong("causal-lm"), help: ArgumentHelp("The causal-LM model folder.", valueName: "dir")) var causalLM: String?

    @Option(help: ArgumentHelp("Modes to compare, comma-separated (default: all three, or only those given as folders).", valueName: "list"),
            transform: ModelSelection.parseModes)
    var modes: [Architecture]?

    @Option(help: ModelOptions.targetLanguageHelp)
    var targetLanguage: String?

    @OptionGroup var compute: ComputeTypeOption

    @OptionGroup var io: IOOptions

    @Option(help: ArgumentHelp("Reference translations, one line per input line, for BLEU and chrF.", valueName: "file"))
    var reference: String?

    @Option(help: ArgumentHelp("BLEU's tokenizer.", valueName: "name"))
    var tokenize: BLEUTokenization = .thirteenA

    @Option(help: ArgumentHelp("Output format.", valueName: "format"))
    var format: ReportFormat = .text

    @Flag(help: "Also run every mode without caches (recompute) and check that it gives the same tokens.")
    var cacheAblation = false

    @Option(help: ArgumentHelp("Write an SVG of the attention masks and attention maps of one line.", valueName: "file"))
    var svg: String?

    @Option(help: ArgumentHelp("The line (1-based) that --svg draws.", valueName: "line"))
    var svgSentence = 1

    @OptionGroup var decoding: DecodingFlags

    func validate() throws {
        if cacheAblation && decoding.noCache {
            throw ValidationError("--cache-ablation already adds runs without caches; leave out --no-cache")
        }
        guard svgSentence >= 1 else { throw ValidationError("--svg-sentence counts lines from 1") }
    }

    func run() async throws {
        try await reportingFailures {
            // Fail on an unwritable output before running any model.
            for path in [svg, io.output].compactMap({ $0 }) where path != "-" { try LineWriter.checkWritable(path) }
            let folders = [Architecture.encoderDecoder: encdec, .prefixLM: prefixLM, .causalLM: causalLM].compactMapValues { $0 }
            let request = CompareRequest(
                model: model, folders: folders, modes: modes, targetLanguage: targetLanguage,
                computeType: compute.computeType, lines: try Self.readLines(io.input), references: try reference.map(Self.readLines),
                settings: ComparisonSettings(options: try decoding.options(), cacheAblation: cacheAblation,
                                             tokenization: tokenize),
                format: format, svgSentence: svg == nil ? nil : svgSentence)
            let result = try CompareTool.run(request)
            if !result.missingModes.isEmpty {
                Diagnostics.warn("\(result.report.pair) has no \(result.missingModes.map(\.rawValue).joined(separator: " or ")) model; comparing the others")
            }
            if let svg, let text = result.svg {
                let svgWriter = try LineWriter(path: svg)
                try svgWriter.write(text.hasSuffix("\n") ? String(text.dropLast()) : text)
                try svgWriter.flush()
            }
            let writer = try LineWriter(path: io.output)
            var text = result.rendered
            if text.hasSuffix("\n") { text.removeLast() }
            try writer.write(text)
            try writer.flush()
        }
    }

    private static func readLines(_ path: String?) throws -> [String] {
        try LineReader(path: path).readAllLines().map { line in
            Diagnostics.warnIfRepaired(line, input: path)
            return line.text
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
