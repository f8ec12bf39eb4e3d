import Foundation

/// sacreBLEU's `TokenizerRegexp`, the language-dependent part shared by the 13a and zh tokenizers.
///
/// sacreBLEU applies four regular expressions, each with `re.sub` (a left-to-right pass over
/// non-overlapping matches), then `' '.join(line.split())`:
///
/// 1. `([\{-\~\[-\` -\&\(-\+\:-\@\/])` → ` \1 `: ASCII punctuation other than `'`, `,`, `-` and
///    `.` (and the space) becomes a token of its own;
/// 2. `([^0-9])([\.,])` → `\1 \2 `: period and comma are split off unless preceded by a digit;
/// 3. `([\.,])([^0-9])` → ` \1 \2`: … unless followed by a digit;
/// 4. `([0-9])(-)` → `\1 \2 `: a dash after a digit is split off.
///
/// Every pattern matches exactly one or two code points, so each pass is a single scan that takes
/// the first match at or after the end of the previous one, which is what `re.sub` does.
enum TokenizerRegexp {
    static func tokenize(_ line: [UInt32]) -> [UInt32] {
        var text = [UInt32]()
        text.reserveCapacity(line.count * 2)
        // 1. Isolated ASCII punctuation.
        for value in line {
            if isSplitPunctuation(value) {
                text.append(PythonText.space)
                text.append(value)
                text.append(PythonText.space)
            } else {
                text.append(value)
            }
        }
        // 2. `([^0-9])([\.,])` → `\1 \2 `.
        text = pairPass(text) { first, second in !isDigit(first) && isPeriodOrComma(second) } replace: { first, second, out in
            out.append(first); out.append(PythonText.space); out.append(second); out.append(PythonText.space)
        }
        // 3. `([\.,])([^0-9])` → ` \1 \2`.
        text = pairPass(text) { first, second in isPeriodOrComma(first) && !isDigit(second) } replace: { first, second, out in
            out.append(PythonText.space); out.append(first); out.append(PythonText.space); out.append(second)
        }
        // 4. `([0-9])(-)` → `\1 \2 `.
        text = pairPass(text) { first, second in isDigit(first) && second == 0x2D } replace: { first, second, out in
            out.append(first); out.append(PythonText.space); out.append(second); out.append(PythonText.space)
        }
        return PythonText.normalizeSpaces(text)
    }

    /// One `re.sub` pass of a two-code-point pattern: scanning left to right, each position
    /// where `matches` holds for it and the next code point is replaced, and scanning resumes
    /// after the pair.
    @inline(__always)
    static func pairPass(
        _ text: [UInt32],
        matches: (UInt32, UInt32) -> Bool,
        replace: (UInt32, UInt32, inout [UInt32]) -> Void
    ) -> [UInt32] {
        var result = [UInt32]()
        result.reserveCapacity(text.count + text.count / 2)
        var index = 0
        while index < text.count {
            if index + 1 < text.count, matches(text[index], text[index + 1]) {
                replace(text[index], text[index + 1], &result)
                index += 2
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }

    /// The class `[\{-\~\[-\` -\&\(-\+\:-\@\/]`.
    @inline(__always)
    static func isSplitPunctuation(_ value: UInt32) -> Bool {
        switch value {
        case 0x7B...0x7E, 0x5B...0x60, 0x20...0x26, 0x28...0x2B, 0x3A...0x40, 0x2F: return true
        default: return false
        }
    }

    /// `[0-9]`: ASCII digits only (a character range, not `\d`).
    @inline(__always)
    static func isDigit(_ value: UInt32) -> Bool { (0x30...0x39).contains(value) }

    @inline(__always)
    static func isPeriodOrComma(_ value: UInt32) -> Bool { value == 0x2E || value == 0x2C }
}
