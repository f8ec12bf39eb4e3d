import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// A `tern serve` process on 127.0.0.1 with a free port, for tests: started with `arguments`,
/// talked to over HTTP, and always stopped (SIGTERM, then SIGKILL after `stopTimeout`).
///
/// ```swift
/// let server = try ServerProcess(["--model", "en-de-multi30k"])
/// defer { server.stop() }
/// let (status, body) = try await server.post("/translate", json: ["q": "A dog.", "source": "en", "target": "de"])
/// ```
final class ServerProcess: @unchecked Sendable {
    private(set) var port = 0
    private let process = Process()
    private let condition = NSCondition()
    private var standardOutput: [UInt8] = []
    private var errorBytes: [UInt8] = []
    private var errorEnded = false
    private let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 120
        return URLSession(configuration: configuration)
    }()

    /// Starts the server (with `environment` added to this process's) and waits (up to `startTimeout` seconds) until it listens.
    /// - Throws: `ServerProcessError` with what it wrote to standard error when it does not start.
    init(_ arguments: [String], environment: [String: String] = [:], startTimeout: TimeInterval = 60) throws {
        process.executableURL = URL(fileURLWithPath: ProcessRunner.ternExecutable)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (pipe, isError) in [(output, false), (errors, true)] {
            Thread { [condition] in
                let handle = pipe.fileHandleForReading
                while true {
                    let chunk = handle.availableData
                    condition.lock()
                    if isError { self.errorBytes += chunk } else { self.standardOutput += chunk }
                    if isError, chunk.isEmpty { self.errorEnded = true }
                    condition.broadcast()
                    condition.unlock()
                    if chunk.isEmpty { return }
                }
            }.start()
        }
        let deadline = Date(timeIntervalSinceNow: startTimeout)
        var found: Int?
        condition.lock()
        while found == nil {
            let text = String(decoding: standardOutput, as: UTF8.self)
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
                break
            }
            if !process.isRunning || !condition.wait(until: deadline) { break }
        }
        condition.unlock()
        guard let found else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw ServerProcessError.didNotStart(errorText)
        }
        port = found
    }

    /// Everything the server wrote to standard error so far (the access log among it).
    var errorText: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: errorBytes, as: UTF8.self)
    }

    var isRunning: Bool { process.isRunning }

    /// True once the server has exited on its own (not killed by a signal).
    var exitedNormally: Bool { !process.isRunning && process.terminationReason == .exit }

    /// Sends `signal` to the server without waiting.
    func send(signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Sends a request; returns the status and the body.
    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if body != nil, headers["Content-Type"] == nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// POSTs `json` (any JSONSerialization value) and returns the status and the decoded answer.
    func post(_ path: String, json: Any, headers: [String: String] = [:]) async throws -> (Int, Any) {
        let (status, data) = try await request("POST", path, body: try JSONSerialization.data(withJSONObject: json), headers: headers)
        return (status, try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    func get(_ path: String) async throws -> (Int, String) {
        let (status, data) = try await request("GET", path)
        return (status, String(decoding: data, as: UTF8.self))
    }

    /// Sends SIGTERM and waits for the exit (SIGKILL after `timeout` seconds); returns the exit status.
    @discardableResult
    func stop(timeout: TimeInterval = 30) -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        condition.lock()
        while !errorEnded, condition.wait(until: Date(timeIntervalSinceNow: 1)) {}
        condition.unlock()
        return process.terminationStatus
    }

    deinit { stop() }
}

enum ServerProcessError: Error, CustomStringConvertible {
    case didNotStart(String)

    var description: String {
        switch self {
        case let .didNotStart(errors): return "tern serve did not start listening: \(errors)"
        }
    }
}

/// Lines to translate: the first lines of Multi30k test 2016 when the shared corpora are here,
/// otherwise a few caption-like sentences.
enum ServeTestLines {
    static func english(_ count: Int) -> [String] {
        if let directory = SharedCorpora.directory,
           let lines = try? CorpusText.lines(of: directory.appendingPathComponent("multi30k/test_2016_flickr.en.gz")), lines.count >= count {
            return Array(lines.prefix(count))
        }
        let sentences = ["A man in a blue shirt is riding a bike.", "Two dogs are playing in the snow.",
                         "A little girl climbs into a wooden playhouse.", "People are walking down a busy street.",
                         "A woman is reading a book in the park.", "A boy jumps into the water.",
                         "Three children sit on a bench.", "A black dog runs across the grass."]
        return (0..<count).map { sentences[$0 % sentences.count] + ($0 >= sentences.count ? " They look happy." : "") }
    }
}
