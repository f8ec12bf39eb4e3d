/// Gives every distinct n-gram of a segment (a hypothesis and its references) a small dense id,
/// so that n-grams can be counted in flat arrays instead of dictionaries keyed by strings.
///
/// The n-grams form a trie: the id of `a b c` is the child of the id of `a b` by the symbol `c`,
/// and the root (id 0) is the empty sequence. Two sequences get the same id exactly when they are
/// equal, which is what sacreBLEU's `Counter`s keyed by strings or tuples compare. The children
/// are kept in an open-addressing hash table keyed by `(parent, symbol)`. The metrics `reset()`
/// the trie between segments, so that it stays small enough to live in the processor's cache.
struct NGramTrie {
    static let root: Int32 = 0

    /// The length of each node's sequence: `order[id]`.
    private(set) var order: [UInt8] = [0]
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private var usedSlots: [Int] = []
    private static let empty = UInt64.max

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// The number of ids handed out, root included.
    var count: Int { order.count }

    /// The id of the sequence `parent` followed by `symbol`, created when new.
    @inline(__always)
    mutating func child(_ parent: Int32, _ symbol: UInt32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: parent)) << 32 | UInt64(symbol)
        var slot = Self.slot(key, mask)
        while true {
            let stored = keys[slot]
            if stored == key { return values[slot] }
            if stored == Self.empty { break }
            slot = (slot + 1) & mask
        }
        let id = Int32(order.count)
        keys[slot] = key
        values[slot] = id
        usedSlots.append(slot)
        order.append(order[Int(parent)] &+ 1)
        if order.count * 2 > keys.count { grow() }
        return id
    }

    /// Forgets every sequence; ids start again from 1.
    mutating func reset() {
        for slot in usedSlots { keys[slot] = Self.empty }
        usedSlots.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
        order.append(0)
    }

    /// The id of a whole sequence, for example a word as a sequence of code points.
    mutating func id<C: Collection>(of symbols: C) -> Int32 where C.Element == UInt32 {
        var node = Self.root
        for symbol in symbols { node = child(node, symbol) }
        return node
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let size = keys.count * 2
        keys = [UInt64](repeating: Self.empty, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
        usedSlots.removeAll(keepingCapacity: true)
        for (key, value) in zip(oldKeys, oldValues) where key != Self.empty {
            var slot = Self.slot(key, mask)
            while keys[slot] != Self.empty { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = value
            usedSlots.append(slot)
        }
    }
}

/// Counts of n-gram ids for one segment: a flat array indexed by id plus the list of ids that
/// were touched, so that clearing costs only what was counted.
struct NGramCounts {
    private(set) var counts: [Int32] = []
    /// The distinct ids counted since the last `reset()`, in first-seen order.
    private(set) var touched: [Int32] = []

    @inline(__always)
    mutating func add(_ id: Int32) {
        let index = Int(id)
        if index >= counts.count {
            counts.append(contentsOf: repeatElement(0, count: max(index + 1, counts.count * 2, 1024) - counts.count))
        }
        if counts[index] == 0 { touched.append(id) }
        counts[index] += 1
    }

    /// Raises the count of `id` to `value` when it is lower (sacreBLEU's merge of the n-gram
    /// counts of several references).
    @inline(__always)
    mutating func raise(_ id: Int32, to value: Int32) {
        let index = Int(id)
        if index >= counts.count {
            counts.append(contentsOf: repeatElement(0, count: max(index + 1, counts.count * 2, 1024) - counts.count))
        }
        if counts[index] == 0 { touched.append(id) }
        if value > counts[index] { counts[index] = value }
    }

    @inline(__always)
    subscript(id: Int32) -> Int32 {
        let index = Int(id)
        return index < counts.count ? counts[index] : 0
    }

    mutating func reset() {
        for id in touched { counts[Int(id)] = 0 }
        touched.removeAll(keepingCapacity: true)
    }
}
