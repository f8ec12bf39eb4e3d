import Foundation

/// The columns of the summary table, shared by the text and Markdown reports: which columns
/// appear (scores only with a reference, the cache check only with ablation rows) and how each
/// value is written for people (JSON keeps the raw numbers).
public struct SummaryColumns: Sendable {
    public let header: [String]
    public let rows: [[String]]
    /// True for columns of numbers, which are right-aligned.
    public let numeric: [Bool]

    public init(_ report: ComparisonReport) {
        let scored = report.scoring != nil
        let ablation = report.modes.contains { $0.sameOutputsAsCached != nil }
        var columns: [(title: String, numeric: Bool, value: (ComparisonReport.Mode) -> String)] = [
            ("mode", false, { $0.label }),
            ("params", true, { Self.count($0.parameters) }),
        ]
        if scored {
            columns += [("BLEU", true, { $0.bleu.map { Self.fixed($0, 2) } ?? "" }),
                        ("chrF", true, { $0.chrf.map { Self.fixed($0, 2) } ?? "" })]
        }
        columns += [
            ("tokens/s", true, { Self.fixed($0.tokensPerSecond, 1) }),
            ("latency p50 ms", true, { $0.latencyP50Ms.map { Self.fixed($0, 2) } ?? "-" }),
            ("latency p95 ms", true, { $0.latencyP95Ms.map { Self.fixed($0, 2) } ?? "-" }),
            ("TTFT p50 ms", true, { $0.timeToFirstTokenP50Ms.map { Self.fixed($0, 2) } ?? "-" }),
            ("decoder steps", true, { "\($0.decoderSteps)" }),
            ("tokens", true, { "\($0.generatedTokens)" }),
            ("peak self KV", true, { Self.bytes($0.peakSelfCacheBytes) }),
            ("peak cross KV", true, { Self.bytes($0.peakCrossCacheBytes) }),
            ("encoder runs", true, { "\($0.encoderRuns)" }),
        ]
        if ablation {
            columns.append(("same as cached", false, { mode in
                mode.sameOutputsAsCached.map { $0 ? "yes" : "NO (lines \(mode.differingSentences?.map(String.init).joined(separator: ",") ?? ""))" } ?? ""
            }))
        }
        header = columns.map(\.title)
        numeric = columns.map(\.numeric)
        rows = report.modes.map { mode in columns.map { $0.value(mode) } }
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `1234` → `1234`, `60512` → `60.5K`, `74_300_000` → `74.3M`.
    static func count(_ value: Int) -> String {
        switch value {
        case ..<10_000: return "\(value)"
        case ..<1_000_000: return fixed(Double(value) / 1e3, 1) + "K"
        case ..<1_000_000_000: return fixed(Double(value) / 1e6, 1) + "M"
        default: return fixed(Double(value) / 1e9, 2) + "G"
        }
    }

    /// `0` → `0 B`, `5120` → `5.0 KiB`, `3 << 20` → `3.0 MiB`.
    static func bytes(_ value: Int) -> String {
        switch value {
        case ..<1024: return "\(value) B"
        case ..<(1 << 20): return fixed(Double(value) / 1024, 1) + " KiB"
        case ..<(1 << 30): return fixed(Double(value) / Double(1 << 20), 1) + " MiB"
        default: return fixed(Double(value) / Double(1 << 30), 2) + " GiB"
        }
    }
}
