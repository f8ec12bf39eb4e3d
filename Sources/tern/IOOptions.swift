import ArgumentParser
import TernIO

/// `--input` and `--output`, shared by every command that maps lines to lines.
struct IOOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Read lines from this file instead of standard input.")
    var input: String?

    @Option(name: .shortAndLong, help: "Write lines to this file instead of standard output.")
    var output: String?
}

extension IOOptions {
    /// Reads every input line, warns about repaired UTF-8, and writes `transform(line)` for each:
    /// one output line per input line, in order. Output is flushed whenever no further input
    /// line has arrived yet, so the command answers interactively.
    /// - Throws: `TernIOError.badLine` naming the input and line when `transform` throws.
    func mapLines(_ transform: (String) throws -> String) throws {
        let reader = try LineReader(path: input)
        let writer = try LineWriter(path: output)
        while let line = try reader.readLine() {
            Diagnostics.warnIfRepaired(line, input: input)
            do {
                try writer.write(transform(line.text))
            } catch {
                try? writer.flush()
                throw TernIOError.badLine(input: input ?? "stdin", line: line.number, reason: error.localizedDescription)
            }
            if !reader.hasBufferedLine { try writer.flush() }
        }
        try writer.flush()
    }
}
