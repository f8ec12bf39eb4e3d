import CBLAS
import Foundation

/// How many threads OpenBLAS may use inside one matrix product.
///
/// OpenBLAS starts one thread per core by default. When Tern runs its own worker threads (batch
/// translation), each worker's products would start that many more, and the threads then
/// compete and spin: on 2 cores, 2 workers ran at 0.9× one worker's speed instead of 1.8×.
/// Workers therefore limit OpenBLAS to one thread each, unless `OPENBLAS_NUM_THREADS` is set,
/// in which case the user's choice stands.
public enum BLASThreads {
    /// Sets OpenBLAS's thread count to `count`, unless the environment sets it.
    public static func limit(to count: Int) {
        guard ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil else { return }
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
