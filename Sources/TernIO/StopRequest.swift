import Dispatch
import Foundation

/// Turns the first Ctrl-C (SIGINT) or SIGTERM into a request that a long job checks between
/// units of work, so that it can stop cleanly (for example after writing a checkpoint). A second
/// signal ends the process at once, as usual.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening for SIGINT and SIGTERM. `onRequest` runs once, on a background queue,
    /// when the first of them arrives.
    public init(onRequest: @escaping @Sendable (Int32) -> Void = { _ in }) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self, self.markRequested() else { return }
                signal(SIGINT, SIG_DFL)
                signal(SIGTERM, SIG_DFL)
                onRequest(signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }

    /// Whether a stop was requested.
    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Marks the request; true the first time only.
    private func markRequested() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !requested else { return false }
        requested = true
        return true
    }
}
