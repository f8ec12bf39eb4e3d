import Foundation
import Hummingbird

/// Answers every error as `{"error": "…"}` with its status, counts requests in `ServerMetrics`,
/// and writes one JSON line per request to standard error: the access log.
///
/// `{"time":"2026-12-01T16:00:00.000Z","method":"POST","path":"/translate","status":200,"duration_ms":12.3,"request_bytes":57}`
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    /// Paths counted under their own name in the metrics; others count as "other".
    let knownPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = Date()
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ErrorBody.response(for: error)
        }
        let seconds = Date().timeIntervalSince(started)
        let path = request.uri.path
        metrics.recordRequest(endpoint: knownPaths.contains(path) ? path : "other", status: response.status.code, seconds: seconds)
        Self.write(AccessLogRecord(time: Self.timestamp(started), method: request.method.rawValue, path: path,
                                   status: response.status.code, durationMs: (seconds * 1e5).rounded() / 100,
                                   requestBytes: request.headers[.contentLength].flatMap { Int($0) }))
        return response
    }

    private static func write(_ record: AccessLogRecord) {
        guard let data = try? logEncoder.encode(record) else { return }
        logLock.lock()
        defer { logLock.unlock() }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

private let logLock = NSLock()
private let logEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}()

struct AccessLogRecord: Codable {
    let time: String
    let method: String
    let path: String
    let status: Int
    let durationMs: Double
    let requestBytes: Int?

    enum CodingKeys: String, CodingKey {
        case time, method, path, status
        case durationMs = "duration_ms"
        case requestBytes = "request_bytes"
    }
}
