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

        Example: tern info en-de-multi30k --mode prefix-lm
        """
    )

    @Argument(help: "A model name such as en-de (looked up in Models/NAME/MODE) or a model folder.")
    var model: String = ModelLocator.defaultModel

    @Option(help: "Architecture to use for a named model: encdec, prefix-lm or causal-lm.")
    var mode: Architecture = .encoderDecoder

    @Option(help: "Output format: text or json.")
    var format: ModelSummaryFormat = .text

    func run() async throws {
        try await reportingFailures {
            print(try format.render(ModelSummary(directory: ModelLocator.resolve(model, mode: mode))))
        }
    }
}

extension ModelSummaryFormat: ExpressibleByArgument {}
