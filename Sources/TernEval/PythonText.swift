import Foundation

/// Text as sacreBLEU sees it: a Python `str` is a sequence of code points, so the metrics work on
/// arrays of Unicode scalar values (never on Swift `Character`s, which are grapheme clusters),
/// and whitespace, splitting, stripping and lowercasing follow Python 3's rules exactly.
enum PythonText {
    typealias Scalars = [UInt32]

    static let space: UInt32 = 0x20

    /// The code points of `text`.
    static func scalars(_ text: String) -> Scalars {
        var result = Scalars()
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { result.append(scalar.value) }
        return result
    }

    /// A string made of `scalars`, which must all be valid Unicode scalar values.
    static func string<C: Collection>(_ scalars: C) -> String where C.Element == UInt32 {
        var view = String.UnicodeScalarView()
        for value in scalars { view.append(Unicode.Scalar(value)!) }
        return String(view)
    }

    /// Python's `str.isspace()` for one code point (`Py_UNICODE_ISSPACE`): the characters with
    /// bidirectional class WS, B or S, or general category Zs. This is the set that `str.split()`,
    /// `str.strip()` and `str.rstrip()` use when called without arguments.
    @inline(__always)
    static func isSpace(_ value: UInt32) -> Bool {
        if value < 0x80 { return (0x09...0x0D).contains(value) || (0x1C...0x20).contains(value) }
        switch value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Python's `str.split()`: the runs of non-whitespace, as ranges of `text`.
    static func split(_ text: Scalars) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var index = 0
        while index < text.count {
            while index < text.count, isSpace(text[index]) { index += 1 }
            let start = index
            while index < text.count, !isSpace(text[index]) { index += 1 }
            if index > start { words.append(start..<index) }
        }
        return words
    }

    /// Python's `' '.join(text.split())`.
    static func normalizeSpaces(_ text: Scalars) -> Scalars {
        var result = Scalars()
        result.reserveCapacity(text.count)
        for word in split(text) {
            if !result.isEmpty { result.append(space) }
            result.append(contentsOf: text[word])
        }
        return result
    }

    /// Python's `''.join(text.split())`: `text` without any whitespace.
    static func removingSpaces(_ text: Scalars) -> Scalars {
        text.filter { !isSpace($0) }
    }

    /// Python's `str.strip()`.
    static func strip(_ text: Scalars) -> Scalars {
        guard let first = text.firstIndex(where: { !isSpace($0) }) else { return [] }
        let last = text.lastIndex(where: { !isSpace($0) })!
        return Array(text[first...last])
    }

    /// Python's `str.rstrip()`.
    static func rstrip(_ text: Scalars) -> Scalars {
        guard let last = text.lastIndex(where: { !isSpace($0) }) else { return [] }
        return last == text.count - 1 ? text : Array(text[...last])
    }

    /// Python 3's `str.lower()`: the full (SpecialCasing) lowercase mapping of every code point,
    /// with capital sigma mapped to final sigma (U+03C2) in the Final_Sigma context, as CPython
    /// does, and to U+03C3 elsewhere. Letters whose case mappings arrived in Unicode 16 or later
    /// are left as they are, as in CPython 3.11–3.13.
    static func lowercased(_ text: Scalars) -> Scalars {
        var result = Scalars()
        result.reserveCapacity(text.count)
        for (index, value) in text.enumerated() {
            if value < 0x80 {
                result.append((0x41...0x5A).contains(value) ? value + 0x20 : value)
            } else if value == 0x3A3 {
                result.append(isFinalSigma(text, at: index) ? 0x3C2 : 0x3C3)
            } else {
                let properties = Unicode.Scalar(value)!.properties
                if properties.changesWhenLowercased, isKnownToPython(properties) {
                    for mapped in properties.lowercaseMapping.unicodeScalars { result.append(mapped.value) }
                } else {
                    result.append(value)
                }
            }
        }
        return result
    }

    /// Whether the scalar's case mapping is older than Unicode 16.0. CPython 3.11 (which
    /// sacreBLEU's reference numbers here come from) uses Unicode 14.0 and 3.13 uses 15.1;
    /// Unicode 15 added no case mappings, while 16.0 and 17.0 added some 55 (Garay, Latin
    /// Extended-D letters and others) that those Pythons leave unchanged.
    @inline(__always)
    private static func isKnownToPython(_ properties: Unicode.Scalar.Properties) -> Bool {
        guard let age = properties.age else { return false }
        return age.major < 16
    }

    /// CPython's `handle_capital_sigma`: a cased letter, then any case-ignorable characters, then
    /// the sigma, and no cased letter after the case-ignorable characters that follow it.
    private static func isFinalSigma(_ text: Scalars, at index: Int) -> Bool {
        var before = index - 1
        while before >= 0, properties(text[before]).isCaseIgnorable { before -= 1 }
        guard before >= 0, properties(text[before]).isCased else { return false }
        var after = index + 1
        while after < text.count, properties(text[after]).isCaseIgnorable { after += 1 }
        return after == text.count || !properties(text[after]).isCased
    }

    private static func properties(_ value: UInt32) -> Unicode.Scalar.Properties {
        Unicode.Scalar(value)!.properties
    }

    /// Python's `str.replace(old, new)`: one left-to-right pass over non-overlapping occurrences.
    static func replacing(_ old: Scalars, with new: Scalars, in text: Scalars) -> Scalars {
        guard !old.isEmpty, text.count >= old.count else { return text }
        var result = Scalars()
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == old[0], index + old.count <= text.count, text[index..<index + old.count].elementsEqual(old) {
                result.append(contentsOf: new)
                index += old.count
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }

    /// Python's `format(value, f".{digits}f")`: fixed notation, correctly rounded from the exact
    /// binary value (ties to even), as glibc's `printf` also does.
    static func fixed(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
