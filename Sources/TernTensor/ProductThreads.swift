import Foundation
import Synchronization

/// How many threads one matrix product may use.
///
/// A product large enough to pay for waking a second thread (`minimumMultiplyAdds`) splits its
/// output panels among the threads; each output column is still computed by one thread in the
/// same order, so the result has the same bits whatever the count. A process that runs one
/// decoder (`tern translate`, `tern batch --threads 1`) lets its products use every core; one
/// that runs a decoder per core sets 1, so that the decoders, not the products, occupy the cores.
public enum ProductThreads {
    private static let setting = Atomic<Int>(ProcessInfo.processInfo.activeProcessorCount)

    /// Products below this many multiply-adds run on the calling thread alone (about 10 µs of work:
    /// the projections of greedy decoding at batch 1; the output layer of a 58k vocabulary is 30 times more).
    public static let minimumMultiplyAdds = 1 << 20

    /// The threads a product may use now (at least 1).
    public static var count: Int { setting.load(ordering: .relaxed) }

    /// Lets every product use up to `count` threads (values below 1 mean 1).
    public static func use(_ count: Int) {
        setting.store(max(1, count), ordering: .relaxed)
    }
}
