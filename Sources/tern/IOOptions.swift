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
    /// one output line per input line, in order.
    func mapLines(_ transform: (String) throws -> String) throws {
        let reader = try LineReader(path: input)
        let writer = try LineWriter(path: output)
        while let line = try reader.readLine() {
            Diagnostics.warnIfRepaired(line, input: input)
            try writer.write(transform(line.text))
        }
        try writer.flush()
    }
}
