/// The decoder's self-attention keys and values: per layer and decoding row, one `[D]` key and
/// value per position so far. Each step appends one position per row.
///
/// Storage per layer is `[rows, capacity, D]`; position `t` of row `r` starts at
/// `(r · capacity + t) · D`. Capacity grows in steps of `growthStep` positions when a row
/// outgrows it (doubling would leave up to half of a large beam batch's cache unused). `select(parents:)` (beam
/// reordering, and finished sentences leaving the batch) works in place: it copies only the rows
/// that take another row's history, and only the positions in use, setting aside in one spare
/// buffer the old contents of overwritten rows that other rows still take. Growing copies layer
/// by layer into the spare, which then swaps in, the layer's old buffer becoming the spare for
/// the next layer: a decoding loop does not allocate per step, and the spare costs one layer's
/// keys and values, not a second copy of the whole cache.
public final class SelfAttentionCache {
    public let layers: Int
    public let width: Int
    public private(set) var rows: Int
    /// Positions stored for each row, `[rows]`.
    public private(set) var lengths: [Int]
    private(set) var capacity: Int
    private var keys: [UnsafeMutablePointer<Float>]
    private var values: [UnsafeMutablePointer<Float>]
    private var spareKeys: UnsafeMutablePointer<Float>
    private var spareValues: UnsafeMutablePointer<Float>
    private var allocatedRows: Int

    /// Positions added to every row when the cache grows.
    public static let growthStep = 16

    public init(layers: Int, width: Int, rows: Int, initialCapacity: Int = growthStep) {
        self.layers = layers
        self.width = width
        self.rows = rows
        lengths = [Int](repeating: 0, count: rows)
        capacity = max(1, initialCapacity)
        allocatedRows = max(1, rows)
        let size = allocatedRows * capacity * width
        keys = (0..<layers).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: size) }
        values = (0..<layers).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: size) }
        spareKeys = .allocate(capacity: size)
        spareValues = .allocate(capacity: size)
    }

    deinit {
        (keys + values + [spareKeys, spareValues]).forEach { $0.deallocate() }
    }

    /// Bytes of the keys and values in use: `2 · layers · Σ lengths · D · 4`.
    public var usedBytes: Int {
        2 * layers * lengths.reduce(0, +) * width * MemoryLayout<Float>.size
    }

    /// The first key of `row` in `layer`; position `t` starts `t · D` floats later.
    func keys(layer: Int, row: Int) -> UnsafeMutablePointer<Float> { keys[layer] + row * capacity * width }
    func values(layer: Int, row: Int) -> UnsafeMutablePointer<Float> { values[layer] + row * capacity * width }

    /// Makes room for `count` positions in every row.
    func reserve(positions count: Int) {
        guard count > capacity else { return }
        let newCapacity = (count + Self.growthStep - 1) / Self.growthStep * Self.growthStep
        // Sized for the rows still decoding: when a batch's last long sentences grow the cache,
        // the rows of sentences that finished earlier take no room.
        regrow(rows: max(1, rows), capacity: newCapacity, sources: Array(0..<rows))
    }

    /// Writes `key` and `value` (`[D]` each) of `row` at `position` in `layer`. Call
    /// `setLengths(_:)` once every layer has been written.
    func write(layer: Int, row: Int, key: UnsafePointer<Float>, value: UnsafePointer<Float>, at position: Int) {
        (keys(layer: layer, row: row) + position * width).update(from: key, count: width)
        (values(layer: layer, row: row) + position * width).update(from: value, count: width)
    }

    /// Sets the number of positions of every row after a step or a prefill.
    func setLengths(_ newLengths: [Int]) {
        lengths = newLengths
    }

    /// Keeps the rows `parents`, in that order: new row `i` becomes a copy of old row
    /// `parents[i]`. Rows may repeat (beams sharing a parent) or vanish (finished sentences).
    public func select(parents: [Int]) {
        guard parents.count <= allocatedRows else {
            regrow(rows: parents.count, capacity: capacity, sources: parents)
            return
        }
        // In place: a row that keeps its own history is not touched. A row taking another's is
        // overwritten, after the old contents of the overwritten rows that others still take
        // have been put aside in the spare buffer.
        let overwritten = parents.indices.filter { parents[$0] != $0 }
        let isOverwritten = Set(overwritten)
        var asideSlot: [Int: Int] = [:]
        for row in overwritten where isOverwritten.contains(parents[row]) && asideSlot[parents[row]] == nil {
            asideSlot[parents[row]] = asideSlot.count
        }
        let stride = capacity * width
        for layer in 0..<layers {
            for (source, slot) in asideSlot {
                let used = lengths[source] * width
                (spareKeys + slot * stride).update(from: keys[layer] + source * stride, count: used)
                (spareValues + slot * stride).update(from: values[layer] + source * stride, count: used)
            }
            for row in overwritten {
                let source = parents[row], used = lengths[source] * width
                let (fromKeys, fromValues) = asideSlot[source].map { (spareKeys + $0 * stride, spareValues + $0 * stride) }
                    ?? (keys[layer] + source * stride, values[layer] + source * stride)
                (keys[layer] + row * stride).update(from: fromKeys, count: used)
                (values[layer] + row * stride).update(from: fromValues, count: used)
            }
        }
        lengths = parents.map { lengths[$0] }
        rows = parents.count
    }

    private func regrow(rows newRowCapacity: Int, capacity newCapacity: Int, sources: [Int]) {
        let size = newRowCapacity * newCapacity * width
        let reuseSpare = newRowCapacity == allocatedRows && newCapacity == capacity
        for layer in 0..<layers {
            let newKeys = reuseSpare ? spareKeys : UnsafeMutablePointer<Float>.allocate(capacity: size)
            let newValues = reuseSpare ? spareValues : UnsafeMutablePointer<Float>.allocate(capacity: size)
            for (row, source) in sources.enumerated() {
                let used = lengths[source] * width
                (newKeys + row * newCapacity * width).update(from: keys[layer] + source * capacity * width, count: used)
                (newValues + row * newCapacity * width).update(from: values[layer] + source * capacity * width, count: used)
            }
            if reuseSpare {
                spareKeys = keys[layer]
                spareValues = values[layer]
            } else {
                keys[layer].deallocate()
                values[layer].deallocate()
            }
            keys[layer] = newKeys
            values[layer] = newValues
        }
        if !reuseSpare {
            spareKeys.deallocate()
            spareValues.deallocate()
            spareKeys = .allocate(capacity: size)
            spareValues = .allocate(capacity: size)
        }
        lengths = sources.map { lengths[$0] }
        rows = sources.count
        allocatedRows = newRowCapacity
        capacity = newCapacity
    }
}
