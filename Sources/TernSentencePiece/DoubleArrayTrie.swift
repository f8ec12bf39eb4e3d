/// A read-only view of a Darts-clone double-array trie, the format of the trie inside a
/// SentencePiece precompiled character map (`NormalizerSpec.precompiled_charsmap`).
///
/// Each unit is a little-endian `UInt32`: bits 0-7 the label, bit 8 "has a leaf", bit 9 the
/// offset scale, bits 10-31 the offset to the children; a leaf unit holds a 31-bit value. The
/// units come from the model file, so every index is checked: a unit outside the array ends the
/// search as a mismatch instead of reading out of bounds.
struct DoubleArrayTrie: Sendable {
    private let units: [UInt32]

    /// - Parameter bytes: the trie blob; its length must be a multiple of 4.
    init(bytes: ArraySlice<UInt8>) {
        var units: [UInt32] = []
        units.reserveCapacity(bytes.count / 4)
        var index = bytes.startIndex
        while index + 4 <= bytes.endIndex {
            units.append(UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24)
            index += 4
        }
        self.units = units
    }

    var isEmpty: Bool { units.isEmpty }

    @inline(__always) private static func hasLeaf(_ unit: UInt32) -> Bool { (unit >> 8) & 1 == 1 }
    @inline(__always) private static func value(_ unit: UInt32) -> Int { Int(unit & 0x7FFF_FFFF) }
    @inline(__always) private static func label(_ unit: UInt32) -> UInt32 { unit & (0x8000_0000 | 0xFF) }
    @inline(__always) private static func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }

    /// The longest key that is a prefix of `key`, as (value, length in bytes), among the first
    /// `limit` prefix keys found (Darts' `commonPrefixSearch` with a results array of that
    /// size, followed by sentencepiece's pick of the longest); nil when no key is a prefix.
    func longestPrefix<Key: Collection<UInt8>>(of key: Key, limit: Int) -> (value: Int, length: Int)? {
        guard !units.isEmpty else { return nil }
        var longest: (value: Int, length: Int)?
        var found = 0
        var node = Self.offset(units[0])
        var length = 0
        for byte in key {
            node ^= Int(byte)
            guard node < units.count else { break }
            let unit = units[node]
            guard Self.label(unit) == UInt32(byte) else { break }
            node ^= Self.offset(unit)
            length += 1
            if Self.hasLeaf(unit) {
                guard node < units.count else { break }
                if found < limit { longest = (Self.value(units[node]), length) }
                found += 1
            }
        }
        return longest
    }
}
