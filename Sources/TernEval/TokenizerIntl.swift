import Foundation

/// sacreBLEU's `TokenizerV14International` (`tok:intl`), after mteval-v14.pl.
///
/// sacreBLEU applies three patterns of the `regex` module with `sub`, then
/// `' '.join(line.split())`:
///
/// 1. `(\P{N})(\p{P})` → `\1 \2 `: punctuation after a non-number is split off;
/// 2. `(\p{P})(\P{N})` → ` \1 \2`: punctuation before a non-number is split off;
/// 3. `(\p{S})` → ` \1 `: every symbol becomes a token.
///
/// `\p{N}`, `\p{P}` and `\p{S}` are the general-category groups Number (Nd, Nl, No),
/// Punctuation (Pc, Pd, Ps, Pe, Pi, Pf, Po) and Symbol (Sm, Sc, Sk, So), read here from
/// `Unicode.Scalar.Properties.generalCategory`. No stripping happens first, so a number
/// followed by a final period keeps it, as in mteval-v14.pl.
enum TokenizerIntl {
    static func tokenize(_ line: [UInt32]) -> [UInt32] {
        var text = TokenizerRegexp.pairPass(line) { first, second in
            !isNumber(first) && isPunctuation(second)
        } replace: { first, second, out in
            out.append(first); out.append(PythonText.space); out.append(second); out.append(PythonText.space)
        }
        text = TokenizerRegexp.pairPass(text) { first, second in
            isPunctuation(first) && !isNumber(second)
        } replace: { first, second, out in
            out.append(PythonText.space); out.append(first); out.append(PythonText.space); out.append(second)
        }
        var spaced = [UInt32]()
        spaced.reserveCapacity(text.count + text.count / 4)
        for value in text {
            if isSymbol(value) {
                spaced.append(PythonText.space)
                spaced.append(value)
                spaced.append(PythonText.space)
            } else {
                spaced.append(value)
            }
        }
        return PythonText.normalizeSpaces(spaced)
    }

    /// `\p{N}`.
    static func isNumber(_ value: UInt32) -> Bool {
        if value < 0x80 { return (0x30...0x39).contains(value) }
        switch category(value) {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// `\p{P}`.
    static func isPunctuation(_ value: UInt32) -> Bool {
        if value < 0x80 {
            // !"#%&'()*,-./:;?@[\]_{}
            switch value {
            case 0x21...0x23, 0x25...0x2A, 0x2C...0x2F, 0x3A, 0x3B, 0x3F, 0x40, 0x5B...0x5D, 0x5F, 0x7B, 0x7D: return true
            default: return false
            }
        }
        switch category(value) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// `\p{S}`.
    static func isSymbol(_ value: UInt32) -> Bool {
        if value < 0x80 {
            // $+<=>^`|~
            switch value {
            case 0x24, 0x2B, 0x3C...0x3E, 0x5E, 0x60, 0x7C, 0x7E: return true
            default: return false
            }
        }
        switch category(value) {
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: return true
        default: return false
        }
    }

    private static func category(_ value: UInt32) -> Unicode.GeneralCategory {
        Unicode.Scalar(value)!.properties.generalCategory
    }
}
