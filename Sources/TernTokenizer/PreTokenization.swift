/// Where pre-tokens, the units that subword merges never cross, begin and end.
///
/// `icuWord` is Tern's design and the default: ICU word boundaries, dictionary-based for
/// Chinese, Japanese and Thai. The other two exist to measure what ICU buys
/// (`Benchmarks/icu_effect.sh`):
/// - `whitespace`: only spaces separate pre-tokens, so merges may run across the words of a
///   Chinese sentence;
/// - `characters`: spaces separate pre-tokens and every CJK ideograph is a pre-token of its own
///   (the rule of BERT's tokenizer), so Chinese is never merged beyond single characters.
public enum PreTokenization: String, Codable, CaseIterable, Sendable {
    case icuWord = "icu-word"
    case whitespace
    case characters

    /// Segment boundaries of `text` for the two rules that do not use ICU: offsets into `text`,
    /// increasing, from 0 to `text.count`, written into `offsets` (replacing its contents).
    ///
    /// A boundary falls wherever the kind of unit changes between a space (U+0020), other
    /// whitespace, and anything else; under `characters`, also on both sides of every ideograph.
    static func simpleBoundaries(of text: [UInt16], splittingIdeographs: Bool, into offsets: inout [Int32]) {
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        var previousKind: UnitKind?
        var index = 0
        while index < text.count {
            let width = UTF16.isLeadSurrogate(text[index]) && index + 1 < text.count
                && UTF16.isTrailSurrogate(text[index + 1]) ? 2 : 1
            let kind = UnitKind(units: text[index..<(index + width)], splittingIdeographs: splittingIdeographs)
            if let previousKind, index > 0, kind != previousKind || kind == .ideograph {
                offsets.append(Int32(index))
            }
            previousKind = kind
            index += width
        }
        if !text.isEmpty { offsets.append(Int32(text.count)) }
    }

    private enum UnitKind: Equatable {
        case space, otherWhitespace, ideograph, other

        init(units: ArraySlice<UInt16>, splittingIdeographs: Bool) {
            let value = units.count == 2
                ? 0x10000 + ((UInt32(units.first!) - 0xD800) << 10) + (UInt32(units.last!) - 0xDC00)
                : UInt32(units.first!)
            let scalar = Unicode.Scalar(value)
            guard let scalar else {
                self = .other
                return
            }
            if scalar == " " {
                self = .space
            } else if scalar.properties.isWhitespace {
                self = .otherWhitespace
            } else if splittingIdeographs, scalar.properties.isIdeographic {
                self = .ideograph
            } else {
                self = .other
            }
        }
    }
}
