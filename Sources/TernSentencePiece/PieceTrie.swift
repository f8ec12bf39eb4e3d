/// A byte trie over vocabulary pieces, for walking the text one byte at a time: the unigram
/// lattice asks for every piece that starts at a position, BPE asks whether two adjacent
/// symbols form a piece, and the user-defined-symbol matcher asks for the longest one.
///
/// Nodes are numbered from 0 (the root); each node's children lie in one sorted run of
/// `labels`/`targets`.
struct PieceTrie: Sendable {
    static let root = 0
    private var childStart: [Int32] = []
    private var childCount: [UInt16] = []
    private var labels: [UInt8] = []
    private var targets: [Int32] = []
    /// The piece id that ends at each node, or -1.
    private var values: [Int32] = []

    /// A trie of `pieces` (bytes, id). A later duplicate of a key replaces an earlier one; the
    /// loader refuses duplicates before this point.
    init(_ pieces: [(bytes: [UInt8], id: Int)]) {
        // Built as nested dictionaries, then laid out breadth first into flat arrays.
        var children: [[UInt8: Int]] = [[:]]
        var nodeValues: [Int32] = [-1]
        for (bytes, id) in pieces {
            var node = 0
            for byte in bytes {
                if let next = children[node][byte] {
                    node = next
                } else {
                    children.append([:])
                    nodeValues.append(-1)
                    children[node][byte] = children.count - 1
                    node = children.count - 1
                }
            }
            nodeValues[node] = Int32(id)
        }
        var order = [0]
        var newIndex = [Int](repeating: 0, count: children.count)
        var cursor = 0
        while cursor < order.count {
            let node = order[cursor]
            newIndex[node] = cursor
            cursor += 1
            for (_, child) in children[node].sorted(by: { $0.key < $1.key }) { order.append(child) }
        }
        childStart = [Int32](repeating: 0, count: order.count)
        childCount = [UInt16](repeating: 0, count: order.count)
        values = [Int32](repeating: -1, count: order.count)
        for (position, node) in order.enumerated() {
            values[position] = nodeValues[node]
            childStart[position] = Int32(labels.count)
            let sorted = children[node].sorted(by: { $0.key < $1.key })
            childCount[position] = UInt16(sorted.count)
            for (label, child) in sorted {
                labels.append(label)
                targets.append(Int32(newIndex[child]))
            }
        }
    }

    /// The child of `node` along `byte`, or nil.
    @inline(__always)
    func child(of node: Int, _ byte: UInt8) -> Int? {
        var low = Int(childStart[node])
        var high = low + Int(childCount[node])
        while low < high {
            let middle = (low + high) >> 1
            let label = labels[middle]
            if label == byte { return Int(targets[middle]) }
            if label < byte { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The id of the piece that ends at `node`, or nil.
    @inline(__always)
    func value(at node: Int) -> Int? {
        let value = values[node]
        return value >= 0 ? Int(value) : nil
    }

    /// The id of the piece spelled exactly by `bytes`, or nil.
    func id(of bytes: ArraySlice<UInt8>) -> Int? {
        var node = Self.root
        for byte in bytes {
            guard let next = child(of: node, byte) else { return nil }
            node = next
        }
        return value(at: node)
    }

    /// The length of the longest piece that is a prefix of `bytes`, or nil.
    func longestPrefixLength(of bytes: ArraySlice<UInt8>) -> Int? {
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
