/// A grow-only block of `Float`s with a stable address, for activations kept between the
/// forward and backward pass. Growing discards the contents; steady-state training never grows.
final class FloatBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = max(1, capacity)
        pointer = .allocate(capacity: self.capacity)
        pointer.initialize(repeating: 0, count: self.capacity)
    }

    deinit {
        pointer.deallocate()
    }

    /// Makes room for `count` floats and returns the start.
    @discardableResult
    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            // Grow by half again at least, so that batches of slowly rising size do not each
            // allocate (and page in) fresh memory.
            capacity = max(count, capacity + capacity / 2)
            pointer = .allocate(capacity: capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        return pointer
    }

    /// Sets the first `count` floats to zero.
    func zero(_ count: Int) {
        reserve(count).update(repeating: 0, count: count)
    }
}
