import Foundation
import TernModel

/// Translates chunks of lines on several threads, each with its own `Translator` over one
/// shared model, and hands the results back on the calling thread in chunk order.
///
/// Each chunk goes through `Translator.translate(_:options:)` whole, which length-sorts and
/// batches its lines, so larger chunks batch better and smaller ones balance the threads better.
/// Each worker runs its matrix products on its own thread, so the workers occupy the cores.
struct ParallelTranslator {
    let model: SharedTranslationModel
    let threads: Int
    let options: TranslationOptions

    /// Translates `chunks`, calling `receive(translations)` on the calling thread for chunk 0, 1,
    /// 2, … in order, each as soon as it and those before it are ready. Workers run at most
    /// `2 × threads` chunks ahead of `receive`, so memory stays bounded.
    /// - Returns: the engine counters of all workers together.
    /// - Throws: the first error of a worker or of `receive`; the workers then stop.
    func translate(_ chunks: [[String]], receive: ([Translation]) throws -> Void) throws -> EngineStatistics {
        let board = ChunkBoard(chunks: chunks, lookahead: 2 * threads)
        let workersDone = DispatchGroup()
        for _ in 0..<min(threads, chunks.count) {
            workersDone.enter()
            Thread { [model, options] in
                defer { workersDone.leave() }
                do {
                    let translator = try model.makeTranslator()
                    while let (index, lines) = board.take() {
                        board.deliver(index, try translator.translate(lines, options: options))
                    }
                    board.record(translator.statistics)
                } catch {
                    board.fail(error)
                }
            }.start()
        }
        defer {
            board.stop()
            workersDone.wait()
        }
        for index in chunks.indices {
            try receive(try board.result(index))
        }
        workersDone.wait()
        return board.statistics
    }
}

/// The chunks handed out to workers and the results not yet received, under one lock.
private final class ChunkBoard: @unchecked Sendable {
    private let condition = NSCondition()
    private let chunks: [[String]]
    private let lookahead: Int
    private var nextToTake = 0
    private var nextToReceive = 0
    private var results: [Int: [Translation]] = [:]
    private var failure: (any Error)?
    private var stopped = false
    /// The counters of the workers that have finished.
    private(set) var statistics = EngineStatistics()

    init(chunks: [[String]], lookahead: Int) {
        self.chunks = chunks
        self.lookahead = lookahead
    }

    /// The next chunk to translate, waiting while workers are `lookahead` chunks ahead; nil when
    /// there is none left or the work stopped.
    func take() -> (index: Int, lines: [String])? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped, failure == nil, nextToTake < chunks.count, nextToTake - nextToReceive >= lookahead {
            condition.wait()
        }
        guard !stopped, failure == nil, nextToTake < chunks.count else { return nil }
        defer { nextToTake += 1 }
        return (nextToTake, chunks[nextToTake])
    }

    func deliver(_ index: Int, _ translations: [Translation]) {
        condition.lock()
        defer { condition.unlock() }
        results[index] = translations
        condition.broadcast()
    }

    /// Adds a finished worker's counters.
    func record(_ workerStatistics: EngineStatistics) {
        condition.lock()
        defer { condition.unlock() }
        statistics.merge(workerStatistics)
    }

    /// Records the first failure; `take` then hands out nothing and `result` throws it.
    func fail(_ error: any Error) {
        condition.lock()
        defer { condition.unlock() }
        if failure == nil { failure = error }
        condition.broadcast()
    }

    /// Makes `take` hand out nothing more.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
    }

    /// Waits for chunk `index`'s translations and removes them from the board.
    func result(_ index: Int) throws -> [Translation] {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil, failure == nil { condition.wait() }
        if let failure { throw failure }
        nextToReceive = index + 1
        condition.broadcast()
        return results.removeValue(forKey: index)!
    }
}
