/// `--format markdown`: GitHub tables. The lines side by side, then the summary with one row
/// per compared row (mode, and mode/recompute with cache ablation), then notes.
public enum MarkdownReport {
    public static func render(_ report: ComparisonReport) -> String {
        let labels = report.modes.map(\.label)
        let referenced = report.scoring != nil
        var text = "## tern compare: \(escape(report.pair))\n\n\(report.sentences.count) lines, \(ReportNotes.decoding(report)).\n\n### Outputs\n\n"
        let header = ["#", "source"] + (referenced ? ["reference"] : []) + labels.map { "`\($0)`" }
        text += table(header: header, numeric: header.map { $0 == "#" }, rows: report.sentences.map { sentence in
            ["\(sentence.index)", sentence.source] + (referenced ? [sentence.reference ?? ""] : []) + labels.map { sentence.outputs[$0] ?? "" }
        })
        let summary = SummaryColumns(report)
        text += "\n### Summary\n\n" + table(header: summary.header, numeric: summary.numeric, rows: summary.rows)
        let notes = ReportNotes.notes(report)
        if !notes.isEmpty { text += "\n" + notes.map { "- " + escape($0) }.joined(separator: "\n") + "\n" }
        return text
    }

    /// A GitHub table, numbers right-aligned.
    static func table(header: [String], numeric: [Bool], rows: [[String]]) -> String {
        var lines = ["| " + header.map(escape).joined(separator: " | ") + " |",
                     "|" + numeric.map { $0 ? "---:" : "---" }.joined(separator: "|") + "|"]
        lines += rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A cell's text with `|` escaped and control characters (line breaks included) shown as
    /// visible symbols (`ControlCharacters`); an empty cell stays empty.
    static func escape(_ text: String) -> String {
        ControlCharacters.escaped(text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|"))
    }
}
