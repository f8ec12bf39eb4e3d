/// UTF-8 measuring exactly as sentencepiece's `string_util` does it, so that character
/// boundaries, and the handling of malformed bytes, match the reference byte for byte.
enum UTF8Scanning {
    /// The length of the character that starts with `leadByte`, judged from that byte alone
    /// (sentencepiece's `OneCharLen`): 1 for ASCII and stray continuation bytes, 2 for
    /// `0xC0...0xDF`, 3 for `0xE0...0xEF`, 4 for `0xF0...0xFF`.
    @inline(__always)
    static func characterLength(leadByte: UInt8) -> Int {
        switch leadByte >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    /// The length of the well-formed character at the start of `bytes`, or nil when it is
    /// malformed (sentencepiece's `IsValidDecodeUTF8`): an overlong form, a surrogate, a value
    /// above U+10FFFF, a missing continuation byte, or a truncated sequence. An encoded U+FFFD
    /// is well formed.
    static func validCharacterLength<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Int? where Bytes.Index == Int {
        guard let first = bytes.first else { return nil }
        if first < 0x80 { return 1 }
        let start = bytes.startIndex
        let available = bytes.count
        func trail(_ offset: Int) -> UInt32? {
            let byte = bytes[start + offset]
            return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
        }
        func isScalar(_ value: UInt32) -> Bool { value < 0xD800 || (value >= 0xE000 && value <= 0x10FFFF) }
        if available >= 2, first & 0xE0 == 0xC0, let b1 = trail(1) {
            let value = UInt32(first & 0x1F) << 6 | b1
            return value >= 0x80 && isScalar(value) ? 2 : nil
        }
        if available >= 3, first & 0xF0 == 0xE0, let b1 = trail(1), let b2 = trail(2) {
            let value = UInt32(first & 0x0F) << 12 | b1 << 6 | b2
            return value >= 0x800 && isScalar(value) ? 3 : nil
        }
        if available >= 4, first & 0xF8 == 0xF0, let b1 = trail(1), let b2 = trail(2), let b3 = trail(3) {
            let value = UInt32(first & 0x07) << 18 | b1 << 12 | b2 << 6 | b3
            return value >= 0x10000 && isScalar(value) ? 4 : nil
        }
        return nil
    }

    /// U+FFFD REPLACEMENT CHARACTER in UTF-8.
    static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]
    /// U+2581 LOWER ONE EIGHTH BLOCK, which stands for a space inside pieces.
    static let spaceSymbol: [UInt8] = [0xE2, 0x96, 0x81]
}
