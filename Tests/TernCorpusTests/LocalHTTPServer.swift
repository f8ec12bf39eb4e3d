import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Python's `http.server` on 127.0.0.1, serving one folder, for download tests that must not
/// leave the machine.
final class LocalHTTPServer {
    static let python = "/usr/bin/python3"

    /// Serves argv[2] on 127.0.0.1:argv[1], and exits by itself after five minutes so that a
    /// crashed test run leaves no server behind.
    private static let script = """
        import functools, http.server, os, sys, threading
        threading.Timer(300, os._exit, [0]).start()
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
        """

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: python)
    }

    let baseURL: URL
    private let process: Process

    /// Starts a server on a free port and waits until it answers.
    static func start(serving directory: URL) async throws -> LocalHTTPServer {
        for _ in 0..<3 {
            let server = try LocalHTTPServer(serving: directory, port: Int.random(in: 20_000..<60_000))
            if try await server.waitUntilReady() { return server }
        }
        throw LocalHTTPServerError.couldNotStart
    }

    private init(serving directory: URL, port: Int) throws {
        baseURL = URL(string: "http://127.0.0.1:\(port)/")!
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = ["-c", Self.script, String(port), directory.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        // SIGKILL, since the child inherits the test runner's thread signal mask, which can block SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// True once the server answers; false when it exited (for example, the port was taken).
    private func waitUntilReady() async throws -> Bool {
        for _ in 0..<100 {
            if (try? await URLSession.shared.data(from: baseURL)) != nil { return true }
            guard process.isRunning else { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw LocalHTTPServerError.couldNotStart
    }
}

enum LocalHTTPServerError: Error {
    case couldNotStart
}
