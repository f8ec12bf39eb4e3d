/// A target-language code typed at the start of a source line (`>>fr<< A dog runs.`), found the
/// way Hugging Face's `MarianTokenizer` finds it (`remove_language_code`): a line that begins
/// with `>>` and holds a `<<` starts with a code, which runs from that `>>` to the first `<<`
/// inclusive. The code stands for one vocabulary id; the rest of the line is ordinary text.
/// Anywhere else (after a space, inside the line) `>>xx<<` is text like any other.
///
/// ```swift
/// TypedLanguageCode.split(">>fr<< A dog.")   // (">>fr<<", " A dog.")
/// TypedLanguageCode.split(">>fr<<A dog.")    // (">>fr<<", "A dog.")
/// TypedLanguageCode.split("A >>fr<< dog.")   // nil
/// ```
enum TypedLanguageCode {
    /// `line` cut after its leading code, or nil when it does not start with one.
    /// - Returns: the code (with its `>>` and `<<`) and the text after it, unchanged.
    static func split(_ line: String) -> (code: Substring, rest: Substring)? {
        let bytes = line.utf8
        guard bytes.starts(with: ">>".utf8) else { return nil }
        var index = bytes.index(bytes.startIndex, offsetBy: 2)
        while index < bytes.endIndex {
            let next = bytes.index(after: index)
            if bytes[index] == UInt8(ascii: "<"), next < bytes.endIndex, bytes[next] == UInt8(ascii: "<") {
                let end = bytes.index(after: next)
                return (line[..<end], line[end...])
            }
            index = next
        }
        return nil
    }
}
