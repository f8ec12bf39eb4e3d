import Foundation
import Hummingbird
import TernJSON
import TernTranslate

/// The server's endpoints: LibreTranslate's `POST /translate` and `GET /languages`, Tern's own
/// `POST /v1/translate` (with server-sent events) and `POST /v1/compare`, `GET /health` and
/// `GET /metrics`, and the browser playground at `/`.
struct TranslationRoutes: Sendable {
    let catalog: ModelCatalog
    let scheduler: BatchScheduler
    let metrics: ServerMetrics
    let limits: RequestLimits
    let keys: APIKeys?
    /// The search settings of `POST /translate`, and the batching of every request.
    let defaultOptions: TranslationOptions

    /// The paths served, for the metrics' endpoint label.
    static let paths: Set<String> = ["/", "/health", "/languages", "/translate", "/v1/translate", "/v1/compare", "/metrics"]

    func register(on router: Router<some RequestContext>) {
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: Playground.html)))
        }
        router.get("/health") { _, _ in health() }
        router.get("/languages") { _, _ in JSONResponse.make(languages()) }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.prometheusText(queuedLines: scheduler.queuedLines))))
        }
        router.post("/translate") { request, _ in try await libreTranslate(request) }
        router.post("/v1/translate") { request, _ in try await ternTranslate(request) }
        router.post("/v1/compare") { request, _ in try await compare(request) }
    }

    private func health() -> Response {
        struct Health: Encodable {
            struct Model: Encodable {
                let name, mode, source: String
                /// The only target; nil (left out) for a multilingual model.
                let target: String?
                let targets: [String]
            }
            let status: String
            let models: [Model]
        }
        return JSONResponse.make(Health(status: "ok", models: catalog.entries.map {
            Health.Model(name: $0.name, mode: $0.mode.rawValue, source: $0.languages.source,
                         target: $0.languages.isMultilingual ? nil : $0.languages.targets[0], targets: $0.languages.targets)
        }))
    }

    /// Every source language with the targets it translates into, named in English.
    func languages() -> [LanguageEntry] {
        var targets: [String: [String]] = [:], order: [String] = []
        for languages in catalog.entries.map(\.languages) {
            if targets[languages.source] == nil { order.append(languages.source) }
            for target in languages.targets where !targets[languages.source, default: []].contains(target) {
                targets[languages.source, default: []].append(target)
            }
        }
        for target in catalog.entries.flatMap(\.languages.targets) where targets[target] == nil {
            order.append(target)
            targets[target] = []
        }
        let english = Locale(identifier: "en")
        return order.map { LanguageEntry(code: $0, name: english.localizedString(forLanguageCode: $0) ?? $0, targets: targets[$0] ?? []) }
    }

    private func libreTranslate(_ request: Request) async throws -> Response {
        let body: LibreTranslateRequest = try await decode(request)
        try keys?.authorize(body.apiKey ?? Self.bearerToken(request))
        try body.validate()
        let model = try catalog.index(source: body.source, target: body.target)
        let texts = TextLines(body.q.texts)
        try limits.check(texts.lines)
        let options = try SearchSettings.none.options(limits: limits, batching: defaultOptions, model: catalog.entries[model].generation)
        let lines = try catalog.entries[model].lines(texts.lines, into: body.target)
        let translations = try await scheduler.translate(lines, model: model, options: options)
        let translated = texts.texts(from: translations.map(\.text))
        switch body.q {
        case .single: return JSONResponse.make(LibreTranslateResponse(translatedText: .single(translated[0])))
        case .list: return JSONResponse.make(LibreTranslateResponse(translatedText: .list(translated)))
        }
    }

    private func ternTranslate(_ request: Request) async throws -> Response {
        let body: TernTranslateRequest = try await decode(request)
        try keys?.authorize(body.apiKey ?? Self.bearerToken(request))
        try checkRequestLines(body.lines, limits: limits)
        let name = body.model ?? catalog.entries[0].name
        let model = try catalog.index(name: name, mode: try body.architecture())
        let options = try body.search.options(limits: limits, batching: defaultOptions, model: catalog.entries[model].generation)
        let mode = catalog.entries[model].mode.rawValue
        let stream = scheduler.submit(try catalog.entries[model].lines(body.lines, into: body.targetLanguage), model: model, options: options)
        if body.stream == true { return ServerSentEvents.response(streaming: stream) }
        var translations = [LineTranslation?](repeating: nil, count: body.lines.count)
        for try await (index, translation) in stream { translations[index] = LineTranslation(index: index, translation) }
        let complete = translations.compactMap { $0 }
        guard complete.count == body.lines.count else { throw CancellationError() }   // the client went away
        return JSONResponse.make(TernTranslateResponse(model: name, mode: mode, translations: complete))
    }

    /// The search settings of `tern translate` without flags: greedy, at most 256 tokens and 3 × source + 10.
    static let defaultOptions = TranslationOptions(decoding: .init(relativeMaxLength: .default))

    /// The key of an `Authorization: Bearer KEY` header.
    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.hasPrefix("Bearer ") else { return nil }
        return String(value.dropFirst("Bearer ".count))
    }

    /// The request body as `T`, from JSON, or from a form (`application/x-www-form-urlencoded`,
    /// which some LibreTranslate clients send) when it says so and does not start with `{`.
    /// - Throws: `ServeError.tooLarge` over `--max-request-bytes`; `ServeError.badRequest` saying
    ///   which field is missing or of the wrong type.
    func decode<T: Decodable>(_ request: Request) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limits.maximumRequestBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw ServeError.tooLarge("the request body is larger than \(limits.maximumRequestBytes) bytes (--max-request-bytes): send less per request")
        }
        do {
            let firstByte = buffer.readableBytesView.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            if firstByte != UInt8(ascii: "{"), request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
                return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: buffer))
            }
            return try SnakeCaseJSON.decode(T.self, from: Data(buffer.readableBytesView), using: JSONDecoder())
        } catch let error as SnakeCaseJSONError {
            throw ServeError.badRequest("invalid request body: \(error.message)")
        } catch {
            throw ServeError.badRequest("invalid request body: \(SnakeCaseJSON.describe(error))")
        }
    }
}
