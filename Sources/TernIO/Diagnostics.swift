import Foundation

/// Messages for people, on standard error.
public enum Diagnostics {
    /// Writes `message` and a newline to standard error.
    public static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes `warning: message` to standard error.
    public static func warn(_ message: String) {
        printError("warning: \(message)")
    }

    /// Warns that a line's invalid UTF-8 was replaced, naming the input and the line.
    public static func warnIfRepaired(_ line: TextLine, input: String?) {
        guard line.repairedInvalidUTF8 else { return }
        warn("\(input ?? "stdin"):\(line.number): invalid UTF-8 replaced with U+FFFD")
    }
}
