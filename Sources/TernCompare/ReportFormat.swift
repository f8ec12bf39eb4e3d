import Foundation

/// How a comparison is written: `text` (aligned tables, the default), `json` (the schema of
/// `ComparisonReport`) or `markdown` (GitHub tables).
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, markdown

    /// `report` in this format, ending with a newline.
    public func render(_ report: ComparisonReport) throws -> String {
        switch self {
        case .text: return TextReport.render(report)
        case .markdown: return MarkdownReport.render(report)
        case .json: return try JSONReport.render(report)
        }
    }
}
