import Foundation

/// sacreBLEU's `Tokenizer13a` (the default, `tok:13a`): the tokenization of mteval-v13a.pl.
///
/// The language-independent part removes `<skipped>`, joins lines broken after a hyphen, turns
/// newlines into spaces and unescapes `&quot;`, `&amp;`, `&lt;` and `&gt;` (in that order, each
/// a single `str.replace`); then the line, with a space added at each end, goes through
/// `TokenizerRegexp`.
enum Tokenizer13a {
    private static let skipped = PythonText.scalars("<skipped>")
    private static let hyphenNewline = PythonText.scalars("-\n")
    private static let newline = PythonText.scalars("\n")
    private static let entities: [([UInt32], [UInt32])] = [
        ("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"),
    ].map { (PythonText.scalars($0.0), PythonText.scalars($0.1)) }

    static func tokenize(_ line: [UInt32]) -> [UInt32] {
        var text = PythonText.replacing(skipped, with: [], in: line)
        text = PythonText.replacing(hyphenNewline, with: [], in: text)
        text = PythonText.replacing(newline, with: [PythonText.space], in: text)
        if text.contains(0x26) {  // '&'
            for (entity, character) in entities {
                text = PythonText.replacing(entity, with: character, in: text)
            }
        }
        var padded = [UInt32]()
        padded.reserveCapacity(text.count + 2)
        padded.append(PythonText.space)
        padded.append(contentsOf: text)
        padded.append(PythonText.space)
        return TokenizerRegexp.tokenize(padded)
    }
}
