/// Splits text into sentences at ICU sentence boundaries.
///
/// Nothing is dropped: the sentences, concatenated, give back the input exactly, including the
/// spaces that follow each sentence.
///
/// ```swift
/// let splitter = try SentenceSplitter()
/// splitter.split("A dog runs. It is happy!")   // ["A dog runs. ", "It is happy!"]
/// ```
public final class SentenceSplitter {
    private let scanner: BoundaryScanner

    /// - Throws: `TokenizerError.icuFailure` when ICU's sentence rules cannot be loaded.
    public init(locale: String = "") throws {
        scanner = try BoundaryScanner(.sentence, locale: locale)
    }

    /// Returns the sentences of `text`, in order. An empty text gives no sentences.
    public func split(_ text: String) -> [String] {
        let units = Array(text.utf16)
        let offsets = scanner.boundaries(of: units)
        return zip(offsets, offsets.dropFirst()).map { start, end in
            String(decoding: units[Int(start)..<Int(end)], as: UTF16.self)
        }
    }
}
