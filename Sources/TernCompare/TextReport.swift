/// `--format text`: the lines side by side (source, reference, then one column per row, long
/// text wrapped), then the summary table and notes.
public enum TextReport {
    /// Widest a text column gets before it wraps.
    public static let columnWidth = 34

    public static func render(_ report: ComparisonReport) -> String {
        let labels = report.modes.map(\.label)
        let referenced = report.scoring != nil
        let header = ["#", "source"] + (referenced ? ["reference"] : []) + labels
        let rows = report.sentences.map { sentence in
            ["\(sentence.index)", sentence.source] + (referenced ? [sentence.reference ?? ""] : []) + labels.map { sentence.outputs[$0] ?? "" }
        }
        let outputs = TextTable(header: header, rows: rows, alignments: [.right] + header.dropFirst().map { _ in .left },
                                maxWidth: columnWidth)
        let summary = SummaryColumns(report)
        let summaryTable = TextTable(header: summary.header, rows: summary.rows, alignments: summary.numeric.map { $0 ? .right : .left })
        var text = "tern compare: \(report.pair), \(report.sentences.count) line\(report.sentences.count == 1 ? "" : "s"), "
            + ReportNotes.decoding(report) + "\n\n" + outputs.render() + "\n\nSummary\n" + summaryTable.render() + "\n\n"
        for note in ReportNotes.notes(report) { text += note + "\n" }
        return text
    }
}
