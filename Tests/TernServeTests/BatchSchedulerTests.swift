import Foundation
@testable import TernServe
import TernTranslate
import TestSupport
import Testing

/// The scheduler in-process, over the bundled model.
@Suite struct BatchSchedulerTests {
    /// A one-line request sent after a 600-line one is answered long before the long one ends:
    /// batches take lines from both in turn instead of finishing the long request first.
    @Test func longRequestDoesNotStarveShortOnes() async throws {
        let (_, scheduler) = try Self.start(threads: 1, batchWait: 0.001, maximumBatchLines: 4)
        defer { scheduler.stop() }
        let long = ServeTestLines.english(600)
        let delivered = DeliveryCounter()
        let longTask = Task {
            for try await _ in scheduler.submit(long, model: 0, options: Self.options) { delivered.add() }
        }
        while delivered.value == 0 { try await Task.sleep(for: .milliseconds(2)) }
        let short = try await scheduler.translate(["A dog runs in the park."], model: 0, options: Self.options)
        let deliveredWhenShortEnded = delivered.value
        try await longTask.value
        #expect(short.count == 1 && !short[0].text.isEmpty)
        // First come, first served would make it wait for all 600; with 4-line batches taken in turn it waits
        // for a few batches (more when the machine is busy and the awaiting tasks resume late: 103 lines once).
        #expect(deliveredWhenShortEnded < 300, "the short request waited for \(deliveredWhenShortEnded) of the long one's 600 lines")
        #expect(delivered.value == 600)
    }

    /// With every worker idle a request starts at once instead of waiting for company: a one-line
    /// request to an idle scheduler with a 120 s batch wait is taken into a batch long before the
    /// wait ends. Measured by the scheduler itself (its queue-wait metric: arrival to batch), not by
    /// the test's clock, which a busy machine stretches while the awaiting task waits to resume.
    @Test func idleSchedulerDoesNotWaitForCompany() async throws {
        let catalog = try ModelCatalog.load([PackagePaths.file("Models/en-de-multi30k/encdec")])
        let metrics = ServerMetrics()
        let scheduler = BatchScheduler(catalog: catalog, settings: .init(threads: 2, batchWait: 120, maximumBatchLines: 32), metrics: metrics)
        defer { scheduler.stop() }
        let translation = try await scheduler.translate(["A dog runs in the park."], model: 0, options: Self.options)
        #expect(translation.count == 1 && !translation[0].text.isEmpty)
        let queueWait = try #require(ServeTranslationTests.value(metrics.prometheusText(queuedLines: 0), "tern_queue_wait_seconds_sum"))
        #expect(queueWait < 60, "an idle scheduler held a one-line request for \(queueWait) s of its 120 s batch wait")
    }

    /// Lines come back to their own request in order, equal to one `Translator` translating each request alone.
    @Test func eachRequestGetsItsOwnLinesInOrder() async throws {
        let (catalog, scheduler) = try Self.start(threads: 2, batchWait: 0.02, maximumBatchLines: 8)
        defer { scheduler.stop() }
        let lines = ServeTestLines.english(30)
        let requests = (0..<10).map { Array(lines[($0 * 3)..<($0 * 3 + 1 + $0 % 3)]) }
        let translator = try catalog.entries[0].shared.makeTranslator()
        let expected = try requests.map { try translator.translate($0, options: Self.options).map(\.text) }
        let received = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask { (index, try await scheduler.translate(request, model: 0, options: Self.options).map(\.text)) }
            }
            return try await group.reduce(into: [Int: [String]]()) { $0[$1.0] = $1.1 }
        }
        #expect(requests.indices.map { received[$0] ?? [] } == expected)
    }

    /// `tern translate`'s search settings.
    static let options = TranslationOptions(decoding: .init(relativeMaxLength: .default))

    /// A scheduler over the bundled en-de encoder-decoder.
    static func start(threads: Int, batchWait: Double, maximumBatchLines: Int) throws -> (ModelCatalog, BatchScheduler) {
        let catalog = try ModelCatalog.load([PackagePaths.file("Models/en-de-multi30k/encdec")])
        return (catalog, BatchScheduler(catalog: catalog, settings: .init(threads: threads, batchWait: batchWait, maximumBatchLines: maximumBatchLines)))
    }

    /// The key comparison agrees with `==` on keys that differ in length, in the first or last byte, or not at all.
    @Test func constantTimeComparisonIsEquality() {
        let known = Array("second-key-456".utf8)
        var candidates = [known, Array(known.dropLast()), known + [0], [UInt8](), Array(known.reversed())]
        for index in known.indices {
            var changed = known
            changed[index] ^= 1
            candidates.append(changed)
        }
        for candidate in candidates {
            #expect(APIKeys.constantTimeEqual(candidate, known) == (candidate == known))
        }
    }
}

private final class DeliveryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
