import Foundation

/// Runs a program to completion, feeding it standard input and capturing its output.
public enum ProcessRunner {
    public struct Result: Sendable {
        public var exitCode: Int32
        public var standardOutput: Data
        public var standardError: Data

        public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
        public var errorText: String { String(decoding: standardError, as: UTF8.self) }
    }

    public static func run(_ executable: String, _ arguments: [String], input: Data = Data(), currentDirectory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Write and read on separate threads so that large inputs and outputs cannot deadlock.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errorBox = DataBox()
        let errorReader = Thread { errorBox.data = stderr.fileHandleForReading.readDataToEndOfFile() }
        errorReader.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorReader.isFinished { usleep(1000) }
        return Result(exitCode: process.terminationStatus, standardOutput: output, standardError: errorBox.data)
    }

    /// The `tern` executable built beside the test bundle (every test target that runs it
    /// depends on it, so `swift build --build-tests` builds it there). Never an older build from
    /// elsewhere: when it is missing, the path beside the bundle is returned and running it fails
    /// with that path in the error.
    public static var ternExecutable: String {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        let besideBundle = folder.appendingPathComponent("tern").path
        // On Linux the runner is `<config>/TernPackageTests.xctest`; on macOS it sits deeper in a bundle.
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("tern").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return besideBundle
    }

    /// Runs `tern` with `arguments`.
    public static func tern(_ arguments: [String], input: String = "") throws -> Result {
        try run(ternExecutable, arguments, input: Data(input.utf8))
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}
