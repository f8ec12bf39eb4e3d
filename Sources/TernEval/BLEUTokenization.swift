import Foundation

/// The tokenizers that BLEU can apply before counting word n-grams, named as in sacreBLEU's
/// `--tokenize` option and signature (`tok:13a`).
public enum BLEUTokenization: String, CaseIterable, Sendable, Codable {
    /// sacreBLEU's default, `Tokenizer13a`: the tokenization of mteval-v13a.pl used by WMT.
    case thirteenA = "13a"
    /// `TokenizerZh`: every Chinese character (by sacreBLEU's code-point table) is its own token,
    /// and the rest is tokenized like 13a.
    case zh
    /// `TokenizerV14International`: splits off Unicode punctuation and symbols (mteval-v14.pl).
    case intl
    /// `NoneTokenizer`: the text is used as it is, split at whitespace.
    case none

    /// Reads the name (`"13a"`); an unknown one is refused with the names that exist.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let tokenization = Self(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown BLEU tokenization '\(name)'; choose one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = tokenization
    }

    /// The name used in signatures, for example `13a`.
    public var signature: String { rawValue }

    /// Tokenizes one line exactly as sacreBLEU 2.6.0's tokenizer of this name does: tokens are
    /// separated by single spaces (the `none` tokenizer returns `line` unchanged).
    public func tokenize(_ line: String) -> String {
        PythonText.string(tokenize(scalars: PythonText.scalars(line)))
    }

    func tokenize(scalars line: [UInt32]) -> [UInt32] {
        switch self {
        case .thirteenA: return Tokenizer13a.tokenize(line)
        case .zh: return TokenizerZh.tokenize(line)
        case .intl: return TokenizerIntl.tokenize(line)
        case .none: return line
        }
    }
}
