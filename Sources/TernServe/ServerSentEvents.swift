import Foundation
import Hummingbird

/// Server-sent events for `POST /v1/translate` with `"stream": true`: an `event: line` with the
/// line's translation (`LineTranslation` as JSON, with its `index`) as soon as each line is done,
/// then `event: done`; an engine failure ends the stream with `event: error` and `{"error": …}`.
enum ServerSentEvents {
    static func response(streaming stream: AsyncThrowingStream<BatchScheduler.LineResult, any Error>) -> Response {
        let body = ResponseBody { writer in
            do {
                for try await (index, translation) in stream {
                    try await writer.write(event("line", LineTranslation(index: index, translation)))
                }
                try await writer.write(event("done", [String: String]()))
            } catch {
                try await writer.write(event("error", ErrorBody(error: error.localizedDescription)))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"], body: body)
    }

    private static func event(_ name: String, _ value: some Encodable) -> ByteBuffer {
        let data = (try? JSONResponse.encoder.encode(value)) ?? Data("{}".utf8)
        return ByteBuffer(string: "event: \(name)\ndata: \(String(decoding: data, as: UTF8.self))\n\n")
    }
}
