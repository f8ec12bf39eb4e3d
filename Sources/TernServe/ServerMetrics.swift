import Foundation
import TernTranslate

/// The server's counters and histograms, written in Prometheus's text format for `GET /metrics`.
///
/// Requests by endpoint and status, lines (sentences) and tokens translated, batch sizes in
/// lines, how long lines waited in the queue, how long batches and requests took.
public final class ServerMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [RequestKey: Int] = [:]
    private var lines = 0
    private var sourceTokens = 0
    private var targetTokens = 0
    private var batchLines = Histogram(bounds: [1, 2, 4, 8, 16, 32, 64, 128])
    private var queueWait = Histogram(bounds: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
    private var batchDuration = Histogram(bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
    private var requestDuration: [String: Histogram] = [:]
    private static let requestDurationBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    private struct RequestKey: Hashable {
        let endpoint: String
        let status: Int
    }

    public init() {}

    /// Counts one request answered with `status` after `seconds`.
    public func recordRequest(endpoint: String, status: Int, seconds: Double) {
        locked {
            requests[RequestKey(endpoint: endpoint, status: status), default: 0] += 1
            requestDuration[endpoint, default: Histogram(bounds: Self.requestDurationBounds)].observe(seconds)
        }
    }

    /// Counts one translated batch of `lines` lines.
    func recordBatch(lines count: Int, translations: [Translation], seconds: Double) {
        locked {
            lines += count
            sourceTokens += translations.reduce(0) { $0 + $1.sourceTokens }
            targetTokens += translations.reduce(0) { $0 + $1.targetTokens }
            batchLines.observe(Double(count))
            batchDuration.observe(seconds)
        }
    }

    /// Records how long each line of a batch waited between its request's arrival and the batch.
    func recordQueueWaits(_ seconds: [Double]) {
        locked { for wait in seconds { queueWait.observe(wait) } }
    }

    /// Every metric in Prometheus text exposition format 0.0.4.
    public func prometheusText(queuedLines: Int) -> String {
        locked {
            var text = ""
            text += "# HELP tern_requests_total HTTP requests answered, by endpoint and status.\n# TYPE tern_requests_total counter\n"
            for (key, count) in requests.sorted(by: { ($0.key.endpoint, $0.key.status) < ($1.key.endpoint, $1.key.status) }) {
                text += "tern_requests_total{endpoint=\"\(key.endpoint)\",status=\"\(key.status)\"} \(count)\n"
            }
            text += Self.counter("tern_sentences_total", "Lines translated.", lines)
            text += Self.counter("tern_source_tokens_total", "Source tokens translated, as the model reads them.", sourceTokens)
            text += Self.counter("tern_target_tokens_total", "Target tokens generated.", targetTokens)
            text += "# HELP tern_queued_lines Lines waiting for a worker.\n# TYPE tern_queued_lines gauge\ntern_queued_lines \(queuedLines)\n"
            text += batchLines.text(name: "tern_batch_lines", help: "Lines per translated batch.")
            text += queueWait.text(name: "tern_queue_wait_seconds", help: "Time from a request's arrival until a batch takes its line.")
            text += batchDuration.text(name: "tern_batch_duration_seconds", help: "Time to translate one batch.")
            var first = true
            for (endpoint, histogram) in requestDuration.sorted(by: { $0.key < $1.key }) {
                text += histogram.text(name: "tern_request_duration_seconds", help: first ? "Time from a request's arrival until its answer, by endpoint." : nil,
                                       labels: "endpoint=\"\(endpoint)\"")
                first = false
            }
            return text
        }
    }

    private static func counter(_ name: String, _ help: String, _ value: Int) -> String {
        "# HELP \(name) \(help)\n# TYPE \(name) counter\n\(name) \(value)\n"
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// A Prometheus histogram: cumulative counts of observations at or below each bound, the count and the sum.
struct Histogram {
    let bounds: [Double]
    private(set) var counts: [Int]
    private(set) var count = 0
    private(set) var sum = 0.0

    init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    mutating func observe(_ value: Double) {
        for (index, bound) in bounds.enumerated() where value <= bound { counts[index] += 1 }
        count += 1
        sum += value
    }

    /// The `_bucket`, `_sum` and `_count` lines, with `# HELP` and `# TYPE` when `help` is given.
    func text(name: String, help: String?, labels: String = "") -> String {
        var text = help.map { "# HELP \(name) \($0)\n# TYPE \(name) histogram\n" } ?? ""
        let prefix = labels.isEmpty ? "" : labels + ","
        for (bound, cumulative) in zip(bounds, counts) {
            text += "\(name)_bucket{\(prefix)le=\"\(Self.format(bound))\"} \(cumulative)\n"
        }
        text += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(count)\n"
        let suffix = labels.isEmpty ? "" : "{\(labels)}"
        text += "\(name)_sum\(suffix) \(Self.format(sum))\n\(name)_count\(suffix) \(count)\n"
        return text
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
