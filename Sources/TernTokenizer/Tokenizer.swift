/// Text ⇄ subword ids: normalization, ICU word boundaries, BPE merges with byte fallback.
///
/// Lossless: `decode(encode(x)) == normalize(x)` for every string `x`.
///
/// ```swift
/// let tokenizer = try Tokenizer(vocabulary: try VocabularyStore.load(from: "Vocab/en-zh"))
/// let ids = tokenizer.encode("I love you")       // [..., ...]
/// tokenizer.pieces(ids)                           // ["▁I", "▁love", "▁you"]
/// tokenizer.decode(ids)                           // "I love you"
/// ```
///
/// A tokenizer keeps scratch buffers, a word cache and an ICU iterator, so it is not
/// thread-safe; each thread makes its own from the shared `SubwordVocabulary`.
public final class Tokenizer {
    public let vocabulary: SubwordVocabulary
    private let segmenter: TextSegmenter
    private var cache = PieceCache()
    private var symbols: [Int32] = []

    /// - Throws: `TokenizerError.icuFailure` when ICU's word rules cannot be loaded.
    public init(vocabulary: SubwordVocabulary) throws {
        self.vocabulary = vocabulary
        segmenter = try TextSegmenter(normalization: vocabulary.normalization,
                                      preTokenization: vocabulary.preTokenization,
                                      maxPreTokenLength: vocabulary.maxPreTokenLength)
    }

    /// `text` as the vocabulary normalizes it: what `decode(encode(text))` gives back.
    public func normalize(_ text: String) -> String {
        segmenter.normalizer.normalize(text)
    }

    /// The piece ids of `text`, without `</s>`.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        encode(text, appendingTo: &ids)
        return ids
    }

    /// Appends the piece ids of `text` to `ids`.
    public func encode(_ text: String, appendingTo ids: inout [Int32]) {
        segmenter.forEachPreToken(in: text) { preToken, units in
            encode(preToken, units: units, appendingTo: &ids)
        }
    }

    /// The piece ids of `text` grouped by pre-token: one group per ICU word, with the spaces
    /// before it, in order. Joined, the groups are exactly `encode(text)`.
    public func encodeWords(_ text: String) -> [[Int32]] {
        var words: [[Int32]] = []
        segmenter.forEachPreToken(in: text) { preToken, units in
            var ids: [Int32] = []
            encode(preToken, units: units, appendingTo: &ids)
            words.append(ids)
        }
        return words
    }

    /// The spelling of each id. Ids outside the vocabulary read as `<unk>`.
    public func pieces(_ ids: [Int32]) -> [String] {
        ids.map { id in
            vocabulary.pieces.indices.contains(Int(id)) ? vocabulary.pieces[Int(id)] : SubwordVocabulary.unknownPiece
        }
    }

    /// The text that `ids` spell. Special tokens vanish, `<unk>` and ids outside the vocabulary
    /// read as "⁇", and byte pieces that do not form valid UTF-8 read as U+FFFD.
    public func decode(_ ids: some Sequence<Int32>) -> String {
        var bytes: [UInt8] = []
        let table = vocabulary.decodedBytes
        for id in ids {
            bytes.append(contentsOf: table.indices.contains(Int(id)) ? table[Int(id)] : table[Int(vocabulary.unknownID)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text that `ids` spell, as one line: every line break that byte pieces can spell
    /// (`\n`, `\r`, vertical tab, form feed, U+0085, U+2028, U+2029) becomes a space, so that
    /// one line in gives exactly one line out.
    public func decodeLine(_ ids: some Sequence<Int32>) -> String {
        Self.joiningLineBreaks(decode(ids))
    }

    /// `text` with every line break (`\n`, `\r`, vertical tab, form feed, U+0085, U+2028,
    /// U+2029) replaced by a space.
    public static func joiningLineBreaks(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isLineBreak) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isLineBreak($0) ? " " : $0 }))
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    private func encode(_ preToken: PreToken, units: ArraySlice<UInt16>, appendingTo ids: inout [Int32]) {
        let cacheable = preToken.leadingSpaces <= 1
        let hash = cacheable ? PieceCache.hash(leadingSpaces: preToken.leadingSpaces, units: units) : 0
        if cacheable, cache.withCachedIDs(hash: hash, leadingSpaces: preToken.leadingSpaces, units: units, { ids.append(contentsOf: $0) }) {
            return
        }
        symbols.removeAll(keepingCapacity: true)
        for _ in 0..<preToken.leadingSpaces { symbols.append(vocabulary.spaceMarkerID) }
        for scalar in String.UnicodeScalarView(decodingUTF16: units) {
            appendSymbols(for: scalar)
        }
        applyMerges()
        if cacheable {
            cache.insert(hash: hash, leadingSpaces: preToken.leadingSpaces, units: units, pieceIDs: symbols[...])
        }
        ids.append(contentsOf: symbols)
    }

    private func appendSymbols(for scalar: Unicode.Scalar) {
        if scalar != PreTokenizer.spaceMarker, let id = vocabulary.characterIDs[scalar.value] {
            symbols.append(id)
            return
        }
        for byte in UTF8.encode(scalar)! {
            symbols.append(SubwordVocabulary.firstByteID + Int32(byte))
        }
    }

    /// Applies merge rules to `symbols` in rank order until none applies. Each round merges
    /// every non-overlapping occurrence of the best-ranked pair, left to right.
    private func applyMerges() {
        let table = vocabulary.mergeTable
        while symbols.count > 1 {
            var bestRank = Int32.max
            var bestIndex = -1
            var bestMerged: Int32 = 0
            for index in 0..<(symbols.count - 1) {
                if let merge = table[SubwordVocabulary.pairKey(symbols[index], symbols[index + 1])], merge.rank < bestRank {
                    bestRank = merge.rank
                    bestIndex = index
                    bestMerged = merge.merged
                }
            }
            guard bestIndex >= 0 else { return }
            let left = symbols[bestIndex]
            let right = symbols[bestIndex + 1]
            var read = bestIndex
            var write = bestIndex
            while read < symbols.count {
                if read + 1 < symbols.count, symbols[read] == left, symbols[read + 1] == right {
                    symbols[write] = bestMerged
                    read += 2
                } else {
                    symbols[write] = symbols[read]
                    read += 1
                }
                write += 1
            }
            symbols.removeSubrange(write...)
        }
    }
}

extension String.UnicodeScalarView {
    /// Decodes UTF-16 units; unpaired surrogates become U+FFFD.
    init(decodingUTF16 units: ArraySlice<UInt16>) {
        self = String(decoding: units, as: UTF16.self).unicodeScalars
    }
}
