import ArgumentParser
import Foundation
import TernServe
import TernTranslate

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Translate over HTTP: a LibreTranslate-compatible API and Tern's own, with batching across requests.",
        discussion: """
        Endpoints: POST /translate and GET /languages (LibreTranslate), POST /v1/translate (beam, n-best, \
        scores, server-sent events with "stream": true), POST /v1/compare (as tern compare --format json), \
        GET /health, GET /metrics (Prometheus), and a browser playground at /. \
        Sentences of concurrent requests are translated together in batches. Stops on SIGTERM or \
        SIGINT after finishing the requests in flight. One JSON access-log line per request goes to \
        standard error.
        """
    )

    @Option(name: .customLong("model"), help: "A model name such as en-de (every architecture it has) or a model folder; repeat for more.")
    var models: [String] = []
    @OptionGroup var compute: ComputeTypeOption
    @Option(help: "Address to listen on (0.0.0.0 for every interface).") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port = 8080
    @Option(help: "Translating threads, each with its own translator over the shared models.") var threads = 2
    @Option(help: "Milliseconds a request waits for others to join its batch while another batch is being translated (an idle server starts at once); 0 turns batching across requests off.")
    var batchWaitMs = 5.0
    @Option(help: "Most lines in one batch.") var batchLines = 32
    @Option(help: "Most source tokens (padding included) decoded at once.") var batchTokens = TranslationOptions().maxBatchTokens
    @Option(help: "Largest request body in bytes (413 above).") var maxRequestBytes = RequestLimits().maximumRequestBytes
    @Option(help: "Most lines in one request (413 above).") var maxLines = RequestLimits().maximumLines
    @Option(help: "Most characters in one line (413 above).") var maxLineCharacters = RequestLimits().maximumLineCharacters
    @Option(help: "Widest beam a request may ask for.") var maxBeam = RequestLimits().maximumBeam
    @Option(help: "A file of API keys, one a line; requests then need one (api_key or Authorization: Bearer).") var apiKeyFile: String?
    @Option(help: "An origin allowed to call the server from browser pages (CORS is off without it).") var corsOrigin: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
        guard batchWaitMs.isFinite, batchWaitMs >= 0 else { throw ValidationError("--batch-wait-ms must be a number ≥ 0.") }
        for (value, flag) in [(batchLines, "--batch-lines"), (batchTokens, "--batch-tokens"), (maxRequestBytes, "--max-request-bytes"),
                              (maxLines, "--max-lines"), (maxLineCharacters, "--max-line-characters"), (maxBeam, "--max-beam")] where value < 1 {
            throw ValidationError("\(flag) must be at least 1.")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let settings = ServeSettings(
                host: host, port: port, models: models.isEmpty ? [ModelLocator.defaultModel] : models,
                computeType: compute.computeType,
                scheduler: .init(threads: threads, batchWait: batchWaitMs / 1000, maximumBatchLines: batchLines),
                batchTokens: batchTokens,
                limits: RequestLimits(maximumRequestBytes: maxRequestBytes, maximumLines: maxLines,
                                      maximumLineCharacters: maxLineCharacters, maximumBeam: maxBeam),
                apiKeyFile: apiKeyFile, corsOrigin: corsOrigin)
            try await TranslationServer.run(settings) { host, port in
                FileHandle.standardOutput.write(Data("tern serve: listening on http://\(host):\(port)\n".utf8))
            }
        }
    }
}
