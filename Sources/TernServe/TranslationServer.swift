import Foundation
import Hummingbird
import Logging
import TernTensor
import TernTranslate

/// How `tern serve` runs.
public struct ServeSettings: Sendable {
    /// The address to listen on; 127.0.0.1 keeps the server to this machine.
    public var host: String
    /// The port; 0 picks a free one (the port taken is passed to `onListening`).
    public var port: Int
    /// `--model` arguments: names such as `en-de`, or model folders.
    public var models: [String]
    /// How the models' weights are held (`--compute-type`).
    public var computeType: ComputeType
    public var scheduler: BatchScheduler.Settings
    /// The most source tokens (padding included) the engine decodes at once.
    public var batchTokens: Int
    public var limits: RequestLimits
    /// A file of API keys, one a line; nil: no key needed.
    public var apiKeyFile: String?
    /// An origin allowed to call the server from a browser (CORS); nil: CORS off.
    public var corsOrigin: String?

    public init(host: String, port: Int, models: [String], computeType: ComputeType = .auto, scheduler: BatchScheduler.Settings,
                batchTokens: Int, limits: RequestLimits, apiKeyFile: String?, corsOrigin: String?) {
        self.host = host
        self.port = port
        self.models = models
        self.computeType = computeType
        self.scheduler = scheduler
        self.batchTokens = batchTokens
        self.limits = limits
        self.apiKeyFile = apiKeyFile
        self.corsOrigin = corsOrigin
    }
}

/// `tern serve`: loads the models once, starts the batch workers and the HTTP server, and runs
/// until SIGTERM or SIGINT. Shutting down, it stops accepting connections, finishes the requests
/// in flight, then ends the workers.
public enum TranslationServer {
    /// Runs the server; calls `onListening` with the host and port once it accepts connections.
    /// - Throws: errors loading the models or the API key file, or binding the address.
    public static func run(_ settings: ServeSettings, onListening: @escaping @Sendable (String, Int) -> Void) async throws {
        let catalog = try ModelCatalog.load(settings.models, computeType: settings.computeType)
        let keys = try settings.apiKeyFile.map(APIKeys.init(file:))
        let metrics = ServerMetrics()
        let scheduler = BatchScheduler(catalog: catalog, settings: settings.scheduler, metrics: metrics)
        let router = Router()
        router.add(middleware: AccessLogMiddleware(metrics: metrics, knownPaths: TranslationRoutes.paths))
        if let origin = settings.corsOrigin {
            router.add(middleware: CORSMiddleware(allowOrigin: .custom(origin), allowHeaders: [.contentType, .authorization],
                                                  allowMethods: [.get, .post, .options]))
        }
        var options = TranslationRoutes.defaultOptions
        options.maxBatchTokens = settings.batchTokens
        TranslationRoutes(catalog: catalog, scheduler: scheduler, metrics: metrics, limits: settings.limits, keys: keys,
                          defaultOptions: options).register(on: router)
        var logger = Logger(label: "tern-serve")
        logger.logLevel = .warning
        let host = settings.host
        let app = Application(router: router,
                              configuration: .init(address: .hostname(host, port: settings.port), serverName: "tern"),
                              onServerRunning: { channel in onListening(host, channel.localAddress?.port ?? settings.port) },
                              logger: logger)
        defer { scheduler.stop() }
        try await app.runService()
    }
}
