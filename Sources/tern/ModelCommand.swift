import ArgumentParser
import Foundation
import TernHub
import TernIO
import TernTranslate

struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Fetch models from the Hugging Face hub, and list the models --model can name.",
        subcommands: [Fetch.self, List.self]
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

extension ModelCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the models --model NAME can name: bundled under Models/NAME/MODE, and in the model cache.",
            discussion: """
            Bundled models are found as --model finds them (the first of $TERN_HOME, the current folder \
            and the folders above the executable that has Models/NAME/MODE); the others in the model \
            cache, $XDG_CACHE_HOME/tern/models (or ~/.cache/tern/models), where `tern model fetch` puts them. Languages come from the model's name, \
            and a multilingual model's from its >>xx<< tokens.
            """
        )

        @Option(help: "text (a table) or json.") var format: ModelInventoryFormat = .text

        func run() throws {
            print(try format.render(ModelInventory.list()))
        }
    }
}

extension ModelInventoryFormat: ExpressibleByArgument {}
