import Foundation
import TernTranslate

/// One queue for the lines of every concurrent request, translated in batches that mix requests,
/// on worker threads that each own a `Translator` per model over the shared weights.
///
/// A worker builds a batch from the requests that share the model and search options of the
/// request served least recently: while another worker is translating, it waits up to
/// `batchWait` after that request arrived for more lines to join, unless `maximumBatchLines` are
/// waiting already (an idle server starts at once), then takes one line from
/// each of those requests in turn (round-robin, each request's lines in order) until the batch is
/// full. A long request therefore shares every batch with the short ones that arrive beside it
/// instead of holding them back, and requests served in a batch go behind those that were not.
/// Workers that are idle together split the waiting lines between them (each takes its share,
/// up to `maximumBatchLines`), so that every core works.
/// The engine length-sorts the batch and decodes it in sub-batches under the token budget of
/// the request's `TranslationOptions` (`Translator.translate`), so each line's translation is
/// the one `tern translate` gives it.
///
/// With `batchWait` zero, batching across requests is off: a batch holds lines of one request.
///
/// ```swift
/// let scheduler = BatchScheduler(catalog: catalog, settings: .init(threads: 2, batchWait: 0.005, maximumBatchLines: 32))
/// for try await (index, translation) in scheduler.submit(lines, model: 0, options: options) { … }
/// scheduler.stop()   // finishes what was submitted, then ends the workers
/// ```
public final class BatchScheduler: @unchecked Sendable {
    public struct Settings: Sendable {
        /// Worker threads, each translating one batch at a time.
        public var threads: Int
        /// How long, in seconds, a request waits for others to join its batch; 0: no batching across requests.
        public var batchWait: TimeInterval
        /// The most lines in one batch.
        public var maximumBatchLines: Int

        public init(threads: Int, batchWait: TimeInterval, maximumBatchLines: Int) {
            self.threads = threads
            self.batchWait = batchWait
            self.maximumBatchLines = maximumBatchLines
        }
    }

    /// A translated line: its index in the request, and its translation.
    public typealias LineResult = (index: Int, translation: Translation)

    private let catalog: ModelCatalog
    private let settings: Settings
    private let metrics: ServerMetrics?
    private let condition = NSCondition()
    /// Requests with lines not yet handed to a worker, least recently served first.
    private var waiting: [PendingRequest] = []
    private var stopping = false
    /// Workers waiting for a batch; guarded by `condition`.
    private var idleWorkers = 0
    /// Workers translating a batch; guarded by `condition`.
    private var translatingWorkers = 0
    private let workersDone = DispatchGroup()

    /// Starts `settings.threads` workers; each runs its matrix products on its own thread.
    public init(catalog: ModelCatalog, settings: Settings, metrics: ServerMetrics? = nil) {
        self.catalog = catalog
        self.settings = settings
        self.metrics = metrics
        for _ in 0..<max(1, settings.threads) {
            workersDone.enter()
            Thread { [self] in
                defer { workersDone.leave() }
                work()
            }.start()
        }
    }

    /// Queues `lines` for model `catalog.entries[model]`; the stream yields each line's translation
    /// as soon as its batch is done (lines of different batches may finish out of order), then
    /// ends, or ends with the error the engine threw. Ending the stream early (a client that went
    /// away) drops the lines not yet handed to a worker.
    public func submit(_ lines: [String], model: Int, options: TranslationOptions) -> AsyncThrowingStream<LineResult, any Error> {
        let (stream, continuation) = AsyncThrowingStream<LineResult, any Error>.makeStream()
        guard !lines.isEmpty else {
            continuation.finish()
            return stream
        }
        let request = PendingRequest(lines: lines, model: model, options: options, continuation: continuation)
        continuation.onTermination = { [weak self, weak request] _ in
            guard let self, let request else { return }
            self.withLock { self.waiting.removeAll { $0 === request } }
        }
        withLock {
            waiting.append(request)
            condition.broadcast()
        }
        return stream
    }

    /// Translates `lines` and returns their translations in order.
    /// - Throws: what the engine throws; `CancellationError` when the calling task was cancelled first.
    public func translate(_ lines: [String], model: Int, options: TranslationOptions) async throws -> [Translation] {
        var results = [Translation?](repeating: nil, count: lines.count)
        for try await (index, translation) in submit(lines, model: model, options: options) { results[index] = translation }
        let translations = results.compactMap { $0 }
        guard translations.count == lines.count else { throw CancellationError() }   // the stream ended early: the task was cancelled
        return translations
    }

    /// Lets the workers finish every line submitted so far, then ends them; returns when they have ended.
    public func stop() {
        withLock {
            stopping = true
            condition.broadcast()
        }
        workersDone.wait()
    }

    /// Lines waiting for a worker, across all requests.
    public var queuedLines: Int { withLock { waiting.reduce(0) { $0 + $1.lines.count - $1.nextLine } } }

    // MARK: Workers

    private func work() {
        var translators: [Int: Translator] = [:]
        while let batch = nextBatch() {
            defer { batchFinished() }
            let started = Date()
            do {
                let translator: Translator
                if let existing = translators[batch.model] {
                    translator = existing
                } else {
                    translator = try catalog.entries[batch.model].shared.makeTranslator()
                    translators[batch.model] = translator
                }
                let translations = try translator.translate(batch.lines.map { $0.request.lines[$0.index] }, options: batch.options)
                metrics?.recordBatch(lines: batch.lines.count, translations: translations, seconds: Date().timeIntervalSince(started))
                for (line, translation) in zip(batch.lines, translations) {
                    line.request.deliver(index: line.index, translation: translation)
                }
            } catch {
                for line in batch.lines { line.request.fail(error) }
            }
        }
    }

    /// One line of a request, handed to a worker.
    private struct BatchLine {
        let request: PendingRequest
        let index: Int
    }

    private struct Batch {
        let model: Int
        let options: TranslationOptions
        let lines: [BatchLine]
    }

    /// The next batch to translate, waiting for lines; nil once stopping and nothing waits.
    private func nextBatch() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        idleWorkers += 1
        defer { idleWorkers -= 1 }
        while true {
            guard let leader = waiting.first else {
                if stopping { return nil }
                condition.wait()
                continue
            }
            let companions = settings.batchWait > 0 ? waiting.filter { $0.canShareBatch(with: leader) } : [leader]
            let deadline = leader.arrival.addingTimeInterval(settings.batchWait)
            let available = companions.reduce(0) { $0 + $1.lines.count - $1.nextLine }
            // Waiting only pays while another worker translates: with none translating, the lines
            // that would join arrive during this batch instead and form the next one.
            if !stopping, translatingWorkers > 0, available < settings.maximumBatchLines, Date() < deadline {
                condition.wait(until: deadline)
                continue
            }
            // Idle workers share what waits, so that no core stays idle while one worker takes every line.
            let share = (available + idleWorkers - 1) / idleWorkers
            translatingWorkers += 1
            return takeBatch(from: companions, limit: min(settings.maximumBatchLines, max(1, share)))
        }
    }

    /// Counts the calling worker's batch as done and wakes the waiting workers: one holding lines
    /// back for company starts at once when no other batch is being translated.
    private func batchFinished() {
        withLock {
            translatingWorkers -= 1
            condition.broadcast()
        }
    }

    /// Takes lines round-robin from `requests` (in queue order) up to `limit`, and moves the
    /// requests served to the back of the queue. Called with the lock held.
    private func takeBatch(from requests: [PendingRequest], limit: Int) -> Batch {
        var lines: [BatchLine] = []
        var open = requests
        while lines.count < limit, !open.isEmpty {
            for request in open where lines.count < limit {
                lines.append(BatchLine(request: request, index: request.nextLine))
                request.nextLine += 1
            }
            open.removeAll { $0.nextLine == $0.lines.count }
        }
        let served = Set(lines.map { ObjectIdentifier($0.request) })
        let now = Date()
        metrics?.recordQueueWaits(lines.map { now.timeIntervalSince($0.request.arrival) })
        waiting.removeAll { served.contains(ObjectIdentifier($0)) }
        waiting += requests.filter { served.contains(ObjectIdentifier($0)) && $0.nextLine < $0.lines.count }
        return Batch(model: requests[0].model, options: requests[0].options, lines: lines)
    }

    private func withLock<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }
}

/// A request's lines and how far they have been handed out and delivered.
private final class PendingRequest: @unchecked Sendable {
    let lines: [String]
    let model: Int
    let options: TranslationOptions
    let arrival = Date()
    private let continuation: AsyncThrowingStream<BatchScheduler.LineResult, any Error>.Continuation
    /// The next line to hand out; guarded by the scheduler's lock.
    var nextLine = 0
    /// Guarded by `deliveryLock`: translations delivered, and whether the stream has ended.
    private let deliveryLock = NSLock()
    private var delivered = 0
    private var ended = false

    init(lines: [String], model: Int, options: TranslationOptions,
         continuation: AsyncThrowingStream<BatchScheduler.LineResult, any Error>.Continuation) {
        self.lines = lines
        self.model = model
        self.options = options
        self.continuation = continuation
    }

    /// True when both can go into one batch: the same model and search options.
    func canShareBatch(with other: PendingRequest) -> Bool {
        model == other.model && options.decoding == other.options.decoding && options.cacheMode == other.options.cacheMode
            && options.maxBatchTokens == other.options.maxBatchTokens && options.maxBatchSentences == other.options.maxBatchSentences
    }

    func deliver(index: Int, translation: Translation) {
        deliveryLock.lock()
        defer { deliveryLock.unlock() }
        guard !ended else { return }
        continuation.yield((index, translation))
        delivered += 1
        if delivered == lines.count {
            ended = true
            continuation.finish()
        }
    }

    func fail(_ error: any Error) {
        deliveryLock.lock()
        defer { deliveryLock.unlock() }
        guard !ended else { return }
        ended = true
        continuation.finish(throwing: error)
    }
}
