import Foundation

/// sacreBLEU's `TokenizerZh` (`tok:zh`): the line is stripped, every code point that sacreBLEU
/// counts as Chinese gets a space on each side, and the result goes through `TokenizerRegexp`
/// (without the padding spaces that 13a adds).
enum TokenizerZh {
    static func tokenize(_ line: [UInt32]) -> [UInt32] {
        let stripped = PythonText.strip(line)
        var text = [UInt32]()
        text.reserveCapacity(stripped.count * 3)
        for value in stripped {
            if isChinese(value) {
                text.append(PythonText.space)
                text.append(value)
                text.append(PythonText.space)
            } else {
                text.append(value)
            }
        }
        return TokenizerRegexp.tokenize(text)
    }

    /// The code points for which sacreBLEU's `_is_chinese_char` is true.
    ///
    /// sacreBLEU compares the character with the bounds of `_UCODE_RANGES` as strings. Two of
    /// those bounds are written `u'\u20000'`, `u'\u2a6d6'`, `u'\u2f800'` and `u'\u2fa1d'`, which
    /// Python reads as a 4-digit escape followed by a digit or letter: two-character strings. So
    /// "CJK Extension B" really covers U+2001…U+2A6D (general punctuation, arrows, mathematical
    /// operators and more) and "CJK Compatibility Supplement" covers U+2F81…U+2FA1; the
    /// supplementary-plane ideographs are not Chinese to sacreBLEU. This table is the union of all
    /// the ranges as sacreBLEU actually evaluates them.
    static let chineseRanges: [ClosedRange<UInt32>] = [
        0x2001...0x2A6D, 0x2E80...0x2FDF, 0x2FF0...0x303F, 0x3100...0x312F, 0x31A0...0x31EF,
        0x3200...0x4DB5, 0x4E00...0x9FBB, 0xF900...0xFA2D, 0xFA30...0xFA6A, 0xFA70...0xFAD9,
        0xFE10...0xFE1F, 0xFE30...0xFE4F, 0xFF00...0xFFEF,
    ]

    @inline(__always)
    static func isChinese(_ value: UInt32) -> Bool {
        guard value >= 0x2001, value <= 0xFFEF else { return false }
        for range in chineseRanges where range.contains(value) { return true }
        return false
    }
}
