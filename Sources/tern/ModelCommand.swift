import ArgumentParser
import Foundation
import TernHub
import TernIO
import TernTranslate

struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Fetch models from the Hugging Face hub.",
        subcommands: [Fetch.self]
    )

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a Marian (OPUS-MT) model folder from the Hugging Face hub.",
            discussion: """
            Downloads with the curl tool what a Marian folder needs (configs, source.spm, target.spm, \
            vocab.json, and model.safetensors or else pytorch_model.bin) into \
            $XDG_CACHE_HOME/tern/models/NAME (or ~/.cache/tern/models/NAME), where --model NAME then \
            finds it. Sizes and SHA-256 values are checked against the hub's listing; an interrupted \
            download continues where it stopped when run again. The hub is \(ModelFetcher.endpointVariable), \
            else \(ModelFetcher.defaultEndpoint.absoluteString).

            Example: tern model fetch Helsinki-NLP/opus-mt-en-de
            """
        )

        @Argument(help: "Hub model name, such as Helsinki-NLP/opus-mt-en-de.")
        var name: String

        @Option(help: "Folder to write the model to (default: the model cache, where --model NAME finds it).")
        var to: String?

        func run() async throws {
            try await reportingFailures {
                let summary = try ModelFetcher().fetch(name, to: to.map { URL(fileURLWithPath: $0) })
                Diagnostics.printError("fetched \(name) into \(summary.folder.path): \(summary.downloaded.count) files downloaded "
                                       + "(\(summary.bytesDownloaded) bytes), \(summary.alreadyPresent.count) already present")
            }
        }
    }
}
