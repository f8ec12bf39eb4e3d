/// A byte trie over vocabulary pieces, for walking the text one byte at a time: the unigram
/// lattice asks for every piece that starts at a position, BPE asks whether two adjacent
/// symbols form a piece, and the user-defined-symbol matcher asks for the longest one.
///
/// Nodes are numbered from 0 (the root). Every edge lives in one open-addressing hash table
/// keyed by (node, byte), so that a step is one multiply and usually one probe. A class, so that
/// passing it around retains one object.
final class PieceTrie: Sendable {
    static let root = 0
    private static let empty = UInt64.max
    /// Each slot: `(node << 8 | byte) << 32 | child`, or `empty`.
    private let edges: [UInt64]
    private let shift: UInt64
    /// The piece id that ends at each node, or -1.
    private let values: [Int32]

    /// A trie of `pieces` (bytes, id). A later duplicate of a key replaces an earlier one; the
    /// loader refuses duplicates before this point.
    init(_ pieces: [(bytes: [UInt8], id: Int)]) {
        var children: [[UInt8: Int32]] = [[:]]
        var values: [Int32] = [-1]
        for (bytes, id) in pieces {
            var node = 0
            for byte in bytes {
                if let next = children[node][byte] {
                    node = Int(next)
                } else {
                    children.append([:])
                    values.append(-1)
                    children[node][byte] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            values[node] = Int32(id)
        }
        let edgeCount = children.reduce(0) { $0 + $1.count }
        var capacity = 16
        var bits: UInt64 = 4
        while capacity < 2 * edgeCount {
            capacity *= 2
            bits += 1
        }
        var edges = [UInt64](repeating: Self.empty, count: capacity)
        let shift = 64 - bits
        for (node, table) in children.enumerated() {
            for (byte, child) in table {
                let key = UInt64(node) << 8 | UInt64(byte)
                var slot = Self.slot(key, shift: shift)
                while edges[slot] != Self.empty { slot = (slot + 1) & (capacity - 1) }
                edges[slot] = key << 32 | UInt64(UInt32(child))
            }
        }
        self.edges = edges
        self.shift = shift
        self.values = values
    }

    @inline(__always)
    private static func slot(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The child of `node` along `byte`, or nil.
    @inline(__always)
    func child(of node: Int, _ byte: UInt8) -> Int? {
        let key = UInt64(node) << 8 | UInt64(byte)
        let mask = edges.count - 1
        var slot = Self.slot(key, shift: shift)
        while true {
            let entry = edges[slot]
            if entry == Self.empty { return nil }
            if entry >> 32 == key { return Int(entry & 0xFFFF_FFFF) }
            slot = (slot + 1) & mask
        }
    }

    /// The id of the piece that ends at `node`, or nil.
    @inline(__always)
    func value(at node: Int) -> Int? {
        let value = values[node]
        return value >= 0 ? Int(value) : nil
    }

    /// The id of the piece spelled exactly by `bytes`, or nil.
    func id(of bytes: ArraySlice<UInt8>) -> Int? {
        node(after: bytes).flatMap(value(at:))
    }

    /// The node reached from `start` along `bytes`, or nil when the trie has no such path.
    func node(after bytes: ArraySlice<UInt8>, from start: Int = root) -> Int? {
        var node = start
        for byte in bytes {
            guard let next = child(of: node, byte) else { return nil }
            node = next
        }
        return node
    }

    /// The length of the longest piece that is a prefix of `bytes`, or nil.
    func longestPrefixLength<Bytes: Collection<UInt8>>(of bytes: Bytes) -> Int? {
        var node = Self.root
        var longest: Int?
        for (offset, byte) in bytes.enumerated() {
            guard let next = child(of: node, byte) else { break }
            node = next
            if values[node] >= 0 { longest = offset + 1 }
        }
        return longest
    }
}
