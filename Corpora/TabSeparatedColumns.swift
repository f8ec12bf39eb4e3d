import Foundation
import TernIO

/// Splits a tab-separated text file into one file per column, line by line.
///
/// A UTF-8 byte order mark at the start of the file is dropped, and so is an empty last line,
/// which some exports add after the final newline. Every other line must have exactly as many
/// columns as there are output files.
enum TabSeparatedColumns {
    private static let byteOrderMark: Unicode.Scalar = "\u{FEFF}"

    /// Writes column *i* of every row of `source` to `outputs[i]`.
    /// - Returns: the number of rows written.
    /// - Throws: `TabSeparatedColumnsError.malformedRow` naming the first row that does not
    ///   have `outputs.count` columns, or `TernIOError`.
    static func split(_ source: URL, into outputs: [URL]) throws -> Int {
        var rows = try LineReader(path: source.path).readAllLines()
        if rows.last?.text.isEmpty == true {
            rows.removeLast()
        }
        let writers = try outputs.map { try LineWriter(path: $0.path) }
        for row in rows {
            let text = row.number == 1 && row.text.unicodeScalars.first == byteOrderMark
                ? String(row.text.unicodeScalars.dropFirst())
                : row.text
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == writers.count else {
                throw TabSeparatedColumnsError.malformedRow(
                    path: source.path, line: row.number, expectedColumns: writers.count, foundColumns: fields.count)
            }
            for (writer, field) in zip(writers, fields) {
                try writer.write(String(field))
            }
        }
        for writer in writers {
            try writer.flush()
        }
        return rows.count
    }
}

/// Errors splitting a tab-separated file.
public enum TabSeparatedColumnsError: LocalizedError, Equatable {
    case malformedRow(path: String, line: Int, expectedColumns: Int, foundColumns: Int)

    public var errorDescription: String? {
        switch self {
        case let .malformedRow(path, line, expected, found):
            return "\(path):\(line): expected \(expected) tab-separated columns, found \(found); "
                + "the file is not in the layout the catalogue describes: get an unmodified copy"
        }
    }
}
