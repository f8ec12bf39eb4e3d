import Foundation

/// A program run with its standard input left open, for talking to it a line at a time: the
/// way an editor or a chat bridge drives a translator as a coprocess.
///
/// ```swift
/// let process = try InteractiveProcess(ProcessRunner.ternExecutable, ["translate"])
/// try process.send("A dog runs.\n")
/// let answer = process.readLine(timeout: 30)   // nil if nothing came in time
/// ```
public final class InteractiveProcess: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let condition = NSCondition()
    private var received: [UInt8] = []
    private var outputEnded = false
    private var errorBytes: [UInt8] = []

    public init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        Thread { [self] in
            let handle = output.fileHandleForReading
            while true {
                let chunk = handle.availableData
                condition.lock()
                if chunk.isEmpty { outputEnded = true } else { received += chunk }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }.start()
        Thread { [self] in
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            condition.lock()
            errorBytes = Array(data)
            condition.unlock()
        }.start()
    }

    /// Writes `text` to the program's standard input, which stays open.
    public func send(_ text: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// The next line the program writes, without its newline; nil when none arrives within
    /// `timeout` seconds or the output ends first.
    public func readLine(timeout: TimeInterval) -> String? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = received.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: received[..<newline], as: UTF8.self)
                received.removeFirst(newline + 1)
                return line
            }
            if outputEnded || !condition.wait(until: deadline) { return nil }
        }
    }

    /// Closes standard input and waits for the program to exit.
    /// - Returns: its exit status and everything it wrote to standard error.
    public func finish() throws -> (exitCode: Int32, errorText: String) {
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        usleep(10_000)
        condition.lock()
        defer { condition.unlock() }
        return (process.terminationStatus, String(decoding: errorBytes, as: UTF8.self))
    }
}
