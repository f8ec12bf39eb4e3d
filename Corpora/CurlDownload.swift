import Foundation

/// Downloads one URL into a file with the `curl` command-line tool (`tern corpus fetch`,
/// `tern model fetch`).
///
/// Tern links no HTTP library: libcurl and its TLS stack, loaded into every `tern` process,
/// held 6 MB of memory that only the fetch commands ever used.
public struct CurlDownload: Sendable {
    /// Seconds to wait for a connection, and the longest stall allowed once connected.
    public let timeout: TimeInterval
    static let userAgent = "tern-fetch"

    public init(timeout: TimeInterval) {
        self.timeout = timeout
    }

    /// Why a download failed.
    public enum Failure: Error, Equatable {
        /// The server could not be reached (curl's reason).
        case unreachable(url: String, reason: String)
        /// The server answered with a status other than 2xx.
        case httpStatus(url: String, status: Int)
        /// Anything else, curl missing included.
        case failed(url: String, reason: String)
    }
    /// curl's exit codes for a server it could not reach: proxy or host not resolved, no
    /// connection, timed out, connection lost.
    static let unreachableExitCodes: Set<Int32> = [5, 6, 7, 28, 55, 56]

    /// Downloads `url` into `target`.
    /// - Parameter resume: continue a partial `target` from its end (an HTTP range request).
    /// - Throws: `Failure`.
    public func fetch(_ url: URL, to target: URL, resume: Bool = false) throws {
        let seconds = String(max(1, Int(timeout.rounded())))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "--silent", "--show-error", "--location", "--connect-timeout", seconds,
                             "--speed-limit", "1", "--speed-time", seconds, "--user-agent", Self.userAgent]
            + (resume ? ["--continue-at", "-"] : [])
            + ["--output", target.path, "--write-out", "%{http_code}", url.absoluteString]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure.failed(url: url.absoluteString, reason: "could not run curl: \(error.localizedDescription)")
        }
        let status = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0:
            break
        case 127:
            throw Failure.failed(url: url.absoluteString, reason: "the curl command is not installed (apt-get install curl)")
        case let code where Self.unreachableExitCodes.contains(code):
            throw Failure.unreachable(url: url.absoluteString, reason: message)
        case let code:
            throw Failure.failed(url: url.absoluteString, reason: message.isEmpty ? "curl exit status \(code)" : message)
        }
        let isHTTP = ["http", "https"].contains(url.scheme?.lowercased() ?? "")
        if isHTTP, let code = Int(String(decoding: status, as: UTF8.self)), !(200..<300).contains(code) {
            if !resume { try? FileManager.default.removeItem(at: target) }
            throw Failure.httpStatus(url: url.absoluteString, status: code)
        }
    }
}
