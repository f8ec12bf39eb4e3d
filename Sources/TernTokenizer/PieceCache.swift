/// A memo of pre-token → piece ids, so that each distinct word is merged once.
///
/// Keys are UTF-16 slices of the line being encoded, compared in place: a lookup allocates
/// nothing. Open addressing with linear probing over a power-of-two table. When it holds
/// `capacity` words it is emptied and starts again, which bounds its memory.
struct PieceCache {
    private struct Entry {
        var hash: UInt64
        var keyStart: Int32
        var keyCount: Int32
        var idStart: Int32
        var idCount: Int32
    }

    private let capacity: Int
    private var slots: [Int32]
    private var entries: [Entry] = []
    private var keyUnits: [UInt16] = []
    private var ids: [Int32] = []

    init(capacity: Int = 1 << 17) {
        self.capacity = capacity
        var tableSize = 1
        while tableSize < capacity * 2 { tableSize <<= 1 }
        slots = [Int32](repeating: -1, count: tableSize)
    }

    /// FNV-1a over the leading-space count and the UTF-16 units.
    static func hash(leadingSpaces: Int, units: ArraySlice<UInt16>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(leadingSpaces)
        for unit in units {
            hash = (hash ^ UInt64(unit)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Calls `body` with the cached ids of the key and returns true, or returns false.
    func withCachedIDs(hash: UInt64, leadingSpaces: Int, units: ArraySlice<UInt16>,
                       _ body: (ArraySlice<Int32>) -> Void) -> Bool {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let entry = entries[Int(slots[slot])]
            if entry.hash == hash, matches(entry, leadingSpaces: leadingSpaces, units: units) {
                body(ids[Int(entry.idStart)..<Int(entry.idStart + entry.idCount)])
                return true
            }
            slot = (slot + 1) & mask
        }
        return false
    }

    mutating func insert(hash: UInt64, leadingSpaces: Int, units: ArraySlice<UInt16>, pieceIDs: ArraySlice<Int32>) {
        if entries.count >= capacity { removeAll() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entries.count)
        entries.append(Entry(hash: hash, keyStart: Int32(keyUnits.count), keyCount: Int32(units.count + 1),
                             idStart: Int32(ids.count), idCount: Int32(pieceIDs.count)))
        keyUnits.append(UInt16(truncatingIfNeeded: leadingSpaces))
        keyUnits.append(contentsOf: units)
        ids.append(contentsOf: pieceIDs)
    }

    private func matches(_ entry: Entry, leadingSpaces: Int, units: ArraySlice<UInt16>) -> Bool {
        guard Int(entry.keyCount) == units.count + 1,
              keyUnits[Int(entry.keyStart)] == UInt16(truncatingIfNeeded: leadingSpaces)
        else { return false }
        var keyIndex = Int(entry.keyStart) + 1
        for unit in units {
            if keyUnits[keyIndex] != unit { return false }
            keyIndex += 1
        }
        return true
    }

    private mutating func removeAll() {
        for index in slots.indices { slots[index] = -1 }
        entries.removeAll(keepingCapacity: true)
        keyUnits.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
    }
}
