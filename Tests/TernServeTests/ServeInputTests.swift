import Foundation
import TestSupport
import Testing

/// Bad requests get a 4xx with `{"error": …}` that says what to fix, and the server keeps answering.
@Suite(.serialized) struct ServeInputTests {
    struct Case: Sendable {
        let name: String
        let method: String
        let path: String
        let body: Data?
        let status: Int
        /// Words the error message must hold.
        let mentions: String

        init(_ name: String, _ method: String = "POST", path: String = "/translate", body: String?, status: Int, mentions: String) {
            self.name = name
            self.method = method
            self.path = path
            self.body = body.map { Data($0.utf8) }
            self.status = status
            self.mentions = mentions
        }

        init(_ name: String, bytes: Data, status: Int, mentions: String) {
            self.name = name
            method = "POST"
            path = "/translate"
            body = bytes
            self.status = status
            self.mentions = mentions
        }
    }

    static let cases: [Case] = [
        Case("malformed JSON", body: #"{"q": "A dog.", "source": "en""#, status: 400, mentions: "not valid JSON"),
        Case("not JSON at all", body: "q=", status: 400, mentions: "not valid JSON"),
        Case("q of the wrong type", body: #"{"q": 5, "source": "en", "target": "de"}"#, status: 400, mentions: "'q': must be a string or a list"),
        Case("q a list with a number", body: #"{"q": ["a", 5], "source": "en", "target": "de"}"#, status: 400, mentions: "'q': must be a string or a list"),
        Case("target missing", body: #"{"q": "A dog.", "source": "en"}"#, status: 400, mentions: "key 'target' is missing"),
        Case("empty q", body: #"{"q": "", "source": "en", "target": "de"}"#, status: 400, mentions: "q is empty"),
        Case("empty q list", body: #"{"q": [], "source": "en", "target": "de"}"#, status: 400, mentions: "empty list"),
        Case("unknown target language", body: #"{"q": "A dog.", "source": "en", "target": "xx"}"#, status: 400, mentions: "en-de"),
        Case("unknown source language", body: #"{"q": "A dog.", "source": "fr", "target": "de"}"#, status: 400, mentions: "'fr'"),
        Case("html format", body: #"{"q": "A dog.", "source": "en", "target": "de", "format": "html"}"#, status: 400, mentions: "format"),
        Case("too many lines", body: #"{"q": "a\nb\nc\nd\ne\nf", "source": "en", "target": "de"}"#, status: 413, mentions: "--max-lines"),
        Case("line too long", body: #"{"q": "\#(String(repeating: "dog ", count: 30))", "source": "en", "target": "de"}"#, status: 413,
             mentions: "--max-line-characters"),
        Case("body too large", body: #"{"q": "\#(String(repeating: "x", count: 3000))", "source": "en", "target": "de"}"#, status: 413,
             mentions: "--max-request-bytes"),
        Case("invalid UTF-8", bytes: Data(#"{"q": "A "#.utf8) + Data([0xFF, 0xFE]) + Data(#"", "source": "en", "target": "de"}"#.utf8),
             status: 400, mentions: "not valid JSON"),
        Case("unknown model", path: "/v1/translate", body: #"{"lines": ["A dog."], "model": "en-xx"}"#, status: 400, mentions: "en-de-multi30k"),
        Case("unknown mode", path: "/v1/translate", body: #"{"lines": ["A dog."], "mode": "rnn"}"#, status: 400, mentions: "encdec"),
        Case("mode the model lacks", path: "/v1/translate", body: #"{"lines": ["A dog."], "mode": "causal-lm"}"#, status: 400, mentions: "encdec"),
        Case("beam too wide", path: "/v1/translate", body: #"{"lines": ["A dog."], "beam": 99}"#, status: 400, mentions: "--max-beam"),
        Case("n-best above the beam", path: "/v1/translate", body: #"{"lines": ["A dog."], "beam": 2, "n_best": 3}"#, status: 400, mentions: "n-best"),
        Case("line break inside a line", path: "/v1/translate", body: #"{"lines": ["A dog.\nA cat."]}"#, status: 400, mentions: "lines[0]"),
        Case("lines missing", path: "/v1/translate", body: #"{"model": "en-de-multi30k"}"#, status: 400, mentions: "key 'lines' is missing"),
        Case("beam of the wrong type", path: "/v1/translate", body: #"{"lines": ["A dog."], "beam": "five"}"#, status: 400, mentions: "'beam' must be a whole number"),
        Case("beam a fraction", path: "/v1/translate", body: #"{"lines": ["A dog."], "beam": 1.5}"#, status: 400, mentions: "'beam' must be a whole number, not 1.5"),
        Case("compare line a fraction", path: "/v1/compare", body: #"{"lines": ["A dog."], "attention": true, "line": 0.5}"#, status: 400,
             mentions: "'line' must be a whole number, not 0.5"),
        Case("no such endpoint", "GET", path: "/nothing", body: nil, status: 404, mentions: "/translate"),
    ]

    /// Every case in turn against one server (with small limits), each followed by a good request.
    @Test func badRequestsGetErrorsThatSayWhatToFix() async throws {
        let server = try Self.startServer()
        defer { server.stop() }
        for badCase in Self.cases {
            let (status, data) = try await server.request(badCase.method, badCase.path, body: badCase.body)
            #expect(status == badCase.status, "\(badCase.name)")
            let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            let message = answer?["error"] as? String ?? ""
            #expect(message.contains(badCase.mentions), "\(badCase.name): \(String(decoding: data, as: UTF8.self))")
            let (translateStatus, _) = try await server.post("/translate", json: ["q": "A dog runs.", "source": "en", "target": "de"])
            #expect(translateStatus == 200, "after \(badCase.name)")
        }
        let (healthStatus, health) = try await server.get("/health")
        #expect(healthStatus == 200 && health.contains("\"ok\""))
    }

    /// Clients that send a partial request or garbage, or a whole request, and go away without
    /// reading the answer leave the server answering.
    @Test func truncatedConnectionsLeaveTheServerAnswering() async throws {
        let server = try Self.startServer()
        defer { server.stop() }
        let whole = #"{"lines": ["A dog runs.", "Two men are cooking.", "A girl reads.", "A boy jumps."]}"#
        let complete = "POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(whole.utf8.count)\r\n\r\n" + whole
        for partial in ["POST /translate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"q\":", "GARBAGE\r\n\r\n", "GET /health HTTP/1.1\r\n", complete] {
            try Self.sendRaw(partial, port: server.port)
        }
        let (status, _) = try await server.get("/health")
        #expect(status == 200)
        let (translateStatus, _) = try await server.post("/v1/translate", json: ["lines": ["A dog runs."]])
        #expect(translateStatus == 200)
        #expect(server.isRunning)
    }

    /// A server on the bundled en-de-multi30k encoder-decoder folder, with small limits.
    static func startServer() throws -> ServerProcess {
        try ServerProcess(["--model", PackagePaths.file("Models/en-de-multi30k/encdec"), "--max-lines", "5",
                           "--max-line-characters", "100", "--max-request-bytes", "2000"])
    }

    /// Writes `text` to a new TCP connection to 127.0.0.1:`port` and closes it.
    static func sendRaw(_ text: String, port: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        _ = text.withCString { send(descriptor, $0, strlen($0), 0) }
    }
}
