/// One unit of text that subword merges never cross: a word (or punctuation, or symbol run)
/// found by ICU word boundaries, with the spaces before it made explicit.
///
/// A single space before a word becomes a leading `▁` marker on that word, as in
/// SentencePiece. Further spaces become a pre-token of markers alone, so runs of spaces
/// survive. Other whitespace (tabs, for example) is a pre-token of its own and reaches the
/// vocabulary through byte pieces.
public struct PreToken: Equatable, Sendable {
    /// How many `▁` space markers precede the text.
    public var leadingSpaces: Int
    /// The pre-token's text as a range of UTF-16 offsets into the normalized line. Empty for a
    /// pre-token made of space markers only.
    public var range: Range<Int>
}

/// Turns normalized UTF-16 text and its ICU word boundaries into `PreToken`s.
public struct PreTokenizer: Sendable {
    /// The space marker, U+2581 LOWER ONE EIGHTH BLOCK.
    public static let spaceMarker = Unicode.Scalar(0x2581 as UInt16)!
    private static let space: UInt16 = 0x20

    /// Pre-tokens longer than this many UTF-16 units (a long URL, a run of digits) are cut into
    /// pieces of at most this length, never inside a surrogate pair. This bounds the cost of
    /// subword merging on pathological input.
    public let maxLength: Int

    public init(maxLength: Int = 64) {
        self.maxLength = max(2, maxLength)
    }

    /// Calls `body` for each pre-token of `text`, in order.
    /// - Parameters:
    ///   - text: normalized UTF-16 text.
    ///   - boundaries: ICU word boundaries of `text`, from `BoundaryScanner`.
    public func forEachPreToken(in text: [UInt16], boundaries: ArraySlice<Int32>, _ body: (PreToken) -> Void) {
        var pendingSpaces = 0
        var segmentStart = boundaries.first.map(Int.init) ?? 0
        for boundary in boundaries.dropFirst() {
            var start = segmentStart
            let end = Int(boundary)
            segmentStart = end
            while start < end, text[start] == Self.space {
                pendingSpaces += 1
                start += 1
            }
            guard start < end else { continue }
            if pendingSpaces > 1 {
                body(PreToken(leadingSpaces: pendingSpaces - 1, range: start..<start))
            }
            emitChunks(of: start..<end, leadingSpaces: min(pendingSpaces, 1), in: text, body)
            pendingSpaces = 0
        }
        if pendingSpaces > 0 {
            body(PreToken(leadingSpaces: pendingSpaces, range: segmentStart..<segmentStart))
        }
    }

    private func emitChunks(of range: Range<Int>, leadingSpaces: Int, in text: [UInt16], _ body: (PreToken) -> Void) {
        var start = range.lowerBound
        var spaces = leadingSpaces
        while range.upperBound - start > maxLength {
            var end = start + maxLength
            if UTF16.isTrailSurrogate(text[end]) { end -= 1 }
            body(PreToken(leadingSpaces: spaces, range: start..<end))
            spaces = 0
            start = end
        }
        body(PreToken(leadingSpaces: spaces, range: start..<range.upperBound))
    }
}
