import Foundation
import Hummingbird

/// The body of every error answer: `{"error": "what went wrong and what to do"}`.
struct ErrorBody: Codable {
    let error: String

    /// The answer to `error`: its own status for a `ServeError` or Hummingbird's HTTP errors
    /// (404 for an unknown path, 405 …), 500 otherwise.
    static func response(for error: any Error) -> Response {
        switch error {
        case let error as ServeError:
            return JSONResponse.make(ErrorBody(error: error.localizedDescription), status: error.status)
        case let error as HTTPError:
            let message = error.body ?? (error.status == .notFound ? "no such endpoint: see GET /health, /languages, /metrics and POST /translate, /v1/translate" : error.status.reasonPhrase)
            return JSONResponse.make(ErrorBody(error: message), status: error.status)
        case let error as any HTTPResponseError:
            return JSONResponse.make(ErrorBody(error: error.status.reasonPhrase), status: error.status)
        default:
            return JSONResponse.make(ErrorBody(error: "internal error: \(error.localizedDescription)"), status: .internalServerError)
        }
    }
}

/// JSON answers.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"the answer could not be encoded"}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
