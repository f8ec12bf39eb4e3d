/// A learned BPE subword vocabulary with byte fallback: pieces, merge rules, and how text is
/// normalized and pre-tokenized before the merges apply.
///
/// Id layout (Hugging Face Marian's convention, so that models convert to CTranslate2 as they are):
///
/// | ids | pieces |
/// |---|---|
/// | 0 | `</s>` (end of sentence) |
/// | 1 | `<unk>` |
/// | 2 | `<sep>` (separates source and target in the decoder-only modes) |
/// | 3 ..< 259 | byte pieces `<0x00>` … `<0xFF>` |
/// | 259 ..< 259 + A | the alphabet: `▁` first, then single characters |
/// | … | merged pieces, in the order they were learned |
/// | size − 1 | `<pad>` (also the decoder's start token) |
///
/// A character outside the alphabet is encoded as the byte pieces of its UTF-8 form, so every
/// text round-trips. Whitespace and control characters, and a literal `▁` in the text, always
/// take the byte route; the alphabet holds only printable characters and the space marker.
public struct SubwordVocabulary: Sendable {
    public static let eosPiece = "</s>"
    public static let unknownPiece = "<unk>"
    public static let separatorPiece = "<sep>"
    public static let padPiece = "<pad>"
    /// The id of the first byte piece, `<0x00>`.
    public static let firstByteID: Int32 = 3
    /// Pieces that every vocabulary holds whatever it learned: four special tokens, 256 bytes
    /// and the space marker.
    public static let fixedPieceCount = 4 + 256 + 1

    /// Every piece, indexed by id.
    public let pieces: [String]
    /// Merge rules in rank order: the pair of piece ids merged into the piece spelling both.
    public let merges: [(left: Int32, right: Int32)]
    public let normalization: NormalizationForm
    /// Where pre-tokens begin and end: ICU word boundaries unless learned otherwise.
    public let preTokenization: PreTokenization
    /// See `PreTokenizer.maxLength`.
    public let maxPreTokenLength: Int

    public var size: Int { pieces.count }
    public var eosID: Int32 { 0 }
    public var unknownID: Int32 { 1 }
    public var separatorID: Int32 { 2 }
    public var padID: Int32 { Int32(pieces.count - 1) }
    /// The id of the `▁` space marker.
    public let spaceMarkerID: Int32
    /// Number of single-character pieces, the space marker included.
    public var alphabetSize: Int { characterIDs.count }

    let pieceIDs: [String: Int32]
    let characterIDs: [UInt32: Int32]
    /// `(left << 32 | right)` → the merge's rank and the id of the merged piece.
    let mergeTable: [UInt64: (rank: Int32, merged: Int32)]
    /// The UTF-8 bytes each id stands for in decoded text (markers as spaces, special tokens as
    /// nothing, `<unk>` as "⁇").
    let decodedBytes: [[UInt8]]

    /// Builds a vocabulary and checks that it is consistent.
    /// - Parameters:
    ///   - pieces: every piece, indexed by id.
    ///   - merges: merge rules in rank order, as the two pieces they join.
    ///   - piecesOrigin, mergesOrigin: the files named in error messages.
    /// - Throws: `TokenizerError.corruptVocabulary` naming the first problem found.
    public init(pieces: [String], merges: [(left: String, right: String)], normalization: NormalizationForm,
                preTokenization: PreTokenization = .icuWord,
                maxPreTokenLength: Int, piecesOrigin: String = "pieces", mergesOrigin: String = "merges") throws {
        func corrupt(_ reason: String, line: Int? = nil, in origin: String = piecesOrigin) -> TokenizerError {
            .corruptVocabulary(path: origin, line: line, reason: reason)
        }
        guard pieces.count >= Self.fixedPieceCount else {
            throw corrupt("it holds \(pieces.count) pieces, fewer than the \(Self.fixedPieceCount) every vocabulary needs")
        }
        let expectedStart = [Self.eosPiece, Self.unknownPiece, Self.separatorPiece] + (0..<256).map(Self.bytePiece)
        for (id, expected) in expectedStart.enumerated() where pieces[id] != expected {
            throw corrupt("id \(id) must be '\(expected)' but is '\(pieces[id])'", line: id + 1)
        }
        guard pieces.last == Self.padPiece else {
            throw corrupt("the last piece must be '\(Self.padPiece)'", line: pieces.count)
        }
        var pieceIDs: [String: Int32] = [:]
        pieceIDs.reserveCapacity(pieces.count)
        var characterIDs: [UInt32: Int32] = [:]
        for (id, piece) in pieces.enumerated() {
            guard !piece.isEmpty else { throw corrupt("piece \(id) is empty", line: id + 1) }
            guard pieceIDs.updateValue(Int32(id), forKey: piece) == nil else {
                throw corrupt("piece '\(piece)' appears twice", line: id + 1)
            }
            let isLearned = id >= expectedStart.count && id < pieces.count - 1
            guard isLearned else { continue }
            if let bad = piece.unicodeScalars.first(where: { !Self.isAlphabetCharacter($0) && $0 != PreTokenizer.spaceMarker }) {
                throw corrupt("piece \(id) holds U+\(String(bad.value, radix: 16, uppercase: true)), which only byte pieces may carry", line: id + 1)
            }
            if piece.unicodeScalars.count == 1 {
                characterIDs[piece.unicodeScalars.first!.value] = Int32(id)
            }
        }
        guard let marker = characterIDs[PreTokenizer.spaceMarker.value] else {
            throw corrupt("the space marker '▁' is missing")
        }
        var mergeTable: [UInt64: (rank: Int32, merged: Int32)] = [:]
        mergeTable.reserveCapacity(merges.count)
        var mergeIDs: [(left: Int32, right: Int32)] = []
        mergeIDs.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            // Special tokens and byte pieces never merge, and the merged piece must be spelled
            // exactly as the two joined (dictionary lookups match canonically equivalent strings),
            // or decoding would no longer give back the text.
            guard let left = pieceIDs[merge.left], let right = pieceIDs[merge.right],
                  let merged = pieceIDs[merge.left + merge.right],
                  Int(merged) >= expectedStart.count, merged != Int32(pieces.count - 1),
                  Int(left) >= expectedStart.count, Int(right) >= expectedStart.count,
                  pieces[Int(merged)].utf8.elementsEqual((pieces[Int(left)] + pieces[Int(right)]).utf8)
            else {
                throw corrupt("merge rule '\(merge.left) \(merge.right)' does not join two pieces into a learned piece",
                              line: rank + 1, in: mergesOrigin)
            }
            mergeIDs.append((left, right))
            let key = Self.pairKey(left, right)
            if mergeTable[key] == nil { mergeTable[key] = (Int32(rank), merged) }
        }
        self.pieces = pieces
        self.merges = mergeIDs
        self.normalization = normalization
        self.preTokenization = preTokenization
        self.maxPreTokenLength = maxPreTokenLength
        self.pieceIDs = pieceIDs
        self.characterIDs = characterIDs
        self.spaceMarkerID = marker
        self.mergeTable = mergeTable
        self.decodedBytes = pieces.enumerated().map { id, piece in
            Self.decodedBytes(id: id, piece: piece, count: pieces.count)
        }
    }

    /// The id of `piece`, or nil when the vocabulary does not hold it.
    public func id(of piece: String) -> Int32? {
        pieceIDs[piece]
    }

    /// The spelling of a byte piece, for example `<0x0A>`.
    public static func bytePiece(_ byte: Int) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    /// Whether `scalar` may be a piece of the alphabet: printable, not whitespace, not a
    /// control character, and not the space marker itself.
    public static func isAlphabetCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == PreTokenizer.spaceMarker || scalar.properties.isWhitespace { return false }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
            return false
        default:
            return true
        }
    }

    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    private static func decodedBytes(id: Int, piece: String, count: Int) -> [UInt8] {
        let firstByte = Int(firstByteID)
        switch id {
        case 0, 2, count - 1: return []
        case 1: return Array("⁇".utf8)
        case firstByte..<(firstByte + 256): return [UInt8(id - firstByte)]
        default:
            var text = String.UnicodeScalarView()
            for scalar in piece.unicodeScalars {
                text.append(scalar == PreTokenizer.spaceMarker ? " " : scalar)
            }
            return Array(String(text).utf8)
        }
    }
}

extension SubwordVocabulary {
    /// The ids of `pieces`.
    /// - Throws: `TokenizerError.unknownPiece` for a piece the vocabulary does not hold.
    public func ids(ofPieces pieces: [String]) throws -> [Int32] {
        try pieces.map { piece in
            guard let id = pieceIDs[piece] else { throw TokenizerError.unknownPiece(piece) }
            return id
        }
    }

    /// Parses decimal ids and checks that each is in the vocabulary.
    /// - Throws: `TokenizerError.invalidID` for a token that is not a number in `0..<size`.
    public func checkedIDs(_ tokens: [String]) throws -> [Int32] {
        try tokens.map { token in
            guard let id = Int32(token), (0..<Int32(size)).contains(id) else {
                throw TokenizerError.invalidID(token, vocabularySize: size)
            }
            return id
        }
    }
}
