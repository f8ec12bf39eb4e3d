import Foundation
import TernIO

/// Reads line-aligned parallel text: line *n* of the source file translates to line *n* of the
/// target file.
public enum ParallelCorpus {
    /// A sentence and its translation.
    public typealias Pair = (source: String, target: String)

    /// Reads the files at `sourcePath` and `targetPath` into sentence pairs.
    ///
    /// Lines whose bytes are not valid UTF-8 are kept, with U+FFFD in place of the bad bytes,
    /// and passed to `onRepairedLine` together with the path of their file, so that the caller
    /// can warn (for example with `Diagnostics.warnIfRepaired`).
    /// - Throws: `ParallelCorpusError.lineCountsDiffer` when the files have different numbers of
    ///   lines (nothing is truncated), or `TernIOError`.
    public static func read(
        sourcePath: String,
        targetPath: String,
        onRepairedLine: (_ path: String, _ line: TextLine) -> Void
    ) throws -> [Pair] {
        let sourceLines = try readLines(sourcePath, onRepairedLine: onRepairedLine)
        let targetLines = try readLines(targetPath, onRepairedLine: onRepairedLine)
        guard sourceLines.count == targetLines.count else {
            throw ParallelCorpusError.lineCountsDiffer(
                sourcePath: sourcePath, sourceLines: sourceLines.count,
                targetPath: targetPath, targetLines: targetLines.count)
        }
        return zip(sourceLines, targetLines).map { (source: $0.text, target: $1.text) }
    }

    /// Writes the sources of `pairs` to `sourceURL` and their targets to `targetURL`, one per
    /// line. Both files appear together, or neither changes.
    public static func write(_ pairs: [Pair], sourceTo sourceURL: URL, targetTo targetURL: URL) throws {
        try AtomicFiles.write(to: [sourceURL, targetURL]) { temporaries in
            try pairs.map(\.source).joined(separator: "\n").appending(pairs.isEmpty ? "" : "\n")
                .write(to: temporaries[0], atomically: false, encoding: .utf8)
            try pairs.map(\.target).joined(separator: "\n").appending(pairs.isEmpty ? "" : "\n")
                .write(to: temporaries[1], atomically: false, encoding: .utf8)
        }
    }

    private static func readLines(_ path: String, onRepairedLine: (String, TextLine) -> Void) throws -> [TextLine] {
        let lines = try LineReader(path: path).readAllLines()
        for line in lines where line.repairedInvalidUTF8 {
            onRepairedLine(path, line)
        }
        return lines
    }
}

/// Errors reading parallel text.
public enum ParallelCorpusError: LocalizedError, Equatable {
    case lineCountsDiffer(sourcePath: String, sourceLines: Int, targetPath: String, targetLines: Int)

    public var errorDescription: String? {
        switch self {
        case let .lineCountsDiffer(sourcePath, sourceLines, targetPath, targetLines):
            return "'\(sourcePath)' has \(sourceLines) lines but '\(targetPath)' has \(targetLines); "
                + "parallel files must be line-aligned, one sentence per line on both sides: check that they belong together"
        }
    }
}
