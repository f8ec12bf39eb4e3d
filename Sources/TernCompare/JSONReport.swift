import Foundation

/// `--format json`: the `ComparisonReport` (whose doc comment is the schema), pretty-printed
/// with sorted keys so that runs diff cleanly.
public enum JSONReport {
    public static func render(_ report: ComparisonReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    /// Reads back what `render` wrote.
    public static func parse(_ text: String) throws -> ComparisonReport {
        try JSONDecoder().decode(ComparisonReport.self, from: Data(text.utf8))
    }
}
