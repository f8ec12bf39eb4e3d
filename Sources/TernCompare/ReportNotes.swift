/// Sentences shared by the text and Markdown reports: the search settings, the scores'
/// signatures, what the times mean, and any cache-ablation mismatch.
enum ReportNotes {
    static func decoding(_ report: ComparisonReport) -> String {
        let search = report.decoding.beamSize == 1 ? "greedy search" : "beam \(report.decoding.beamSize)"
        return "\(search), max length \(report.decoding.maxLength), one line at a time"
    }

    static func notes(_ report: ComparisonReport) -> [String] {
        var notes: [String] = []
        if let scoring = report.scoring {
            notes.append("BLEU signature: \(scoring.bleuSignature)")
            notes.append("chrF2 signature: \(scoring.chrfSignature)")
        }
        notes.append("latency: per line, tokenization to detokenized text; TTFT: until the first decoder step's output "
            + "(includes the encoder pass or the prefill); KV: peak bytes of the self- and cross-attention caches")
        for mode in report.modes where mode.sameOutputsAsCached == false {
            notes.append("warning: \(mode.label) gave different tokens from the cached run on lines "
                + (mode.differingSentences ?? []).map(String.init).joined(separator: ", "))
        }
        return notes
    }
}
