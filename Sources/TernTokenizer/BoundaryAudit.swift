/// Finds the pieces of a tokenization that cross an ICU word boundary: a piece spanning the end
/// of one dictionary word and the start of the next. With Tern's default pre-tokenization there
/// are none; `Benchmarks/icu_effect.sh` counts them for the alternatives.
public struct BoundaryAudit {
    private let tokenizer: Tokenizer
    private let scanner: BoundaryScanner

    /// - Throws: `TokenizerError.icuFailure` when ICU's word rules cannot be loaded.
    public init(tokenizer: Tokenizer) throws {
        self.tokenizer = tokenizer
        scanner = try BoundaryScanner(.word)
    }

    /// The pieces of `text` in order, each with whether it crosses a word boundary. A piece's
    /// leading `▁` markers belong to the word after them, so a boundary right after them is not
    /// a crossing.
    public func pieces(of text: String) -> [(piece: String, crossesBoundary: Bool)] {
        let normalized = tokenizer.normalize(text)
        // ICU reports UTF-16 offsets; pieces are measured in UTF-8 bytes.
        let boundaries = scanner.boundaries(of: Array(normalized.utf16)).map { offset in
            normalized.utf8.distance(from: normalized.startIndex, to: String.Index(utf16Offset: Int(offset), in: normalized))
        }
        var start = 0
        return tokenizer.encode(text).map { id in
            let piece = tokenizer.pieces([id])[0]
            let isBytePiece = id >= SubwordVocabulary.firstByteID && id < SubwordVocabulary.firstByteID + 256
            let length = isBytePiece ? 1 : tokenizer.decode([id]).utf8.count
            let wordStart = start + (isBytePiece ? 0 : piece.prefix { $0 == "▁" }.count)
            let crosses = boundaries.contains { $0 > wordStart && $0 < start + length }
            start += length
            return (piece, crosses)
        }
    }
}
