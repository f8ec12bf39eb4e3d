import ArgumentParser
import Foundation
import TernModel
import TernTranslate

struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a model's configuration, parameter count, file size and cache bytes per token.",
        discussion: """
        Cache bytes are what decoding keeps per position: the self-attention cache grows by its \
        figure with every generated token (for a decoder-only model, with every source token too); \
        an encoder-decoder's cross-attention cache holds its figure per source token, built once \
        per sentence and shared by all beams.

        Example: tern info en-de --mode prefix-lm
        """
    )

    @Argument(help: "A model name such as en-de (looked up in Models/NAME/MODE) or a model folder.")
    var model: String = ModelLocator.defaultModel

    @Option(help: "Architecture to use for a named model: encdec, prefix-lm or causal-lm.")
    var mode: Architecture = .encoderDecoder

    @Option(help: "Output format: text or json.")
    var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
    }

    func run() async throws {
        try await reportingFailures {
            let summary = try ModelSummary(directory: ModelLocator.resolve(model, mode: mode))
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                printText(summary)
            }
        }
    }

    private func printText(_ summary: ModelSummary) {
        let layers = summary.architecture == .encoderDecoder
            ? "\(summary.encoderLayers) encoder + \(summary.decoderLayers) decoder"
            : "\(summary.decoderLayers) decoder"
        var rows = [
            ("model", summary.directory),
            ("architecture", summary.architecture.rawValue),
            ("layers", layers),
            ("width", "\(summary.width), \(summary.heads) heads, feed-forward \(summary.feedForwardWidth), \(summary.activation)"),
            ("vocabulary", "\(summary.vocabularySize) pieces" + (summary.vocabulary.map { " (\($0))" } ?? "")),
            ("max positions", "\(summary.maxPositions)"),
            ("parameters", summary.parameters.formatted()),
            ("file size", String(format: "%.2f MB (%@)", Double(summary.fileBytes) / 1e6, summary.storedTypes.joined(separator: ", "))),
            ("self cache", "\(summary.selfCacheBytesPerToken.formatted()) bytes per token"),
        ]
        if summary.crossCacheBytesPerSourceToken > 0 {
            rows.append(("cross cache", "\(summary.crossCacheBytesPerSourceToken.formatted()) bytes per source token, built once per sentence"))
        }
        let width = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows {
            print(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
    }
}
