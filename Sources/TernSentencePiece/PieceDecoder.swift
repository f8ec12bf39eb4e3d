/// Turns pieces back into text, as sentencepiece's `SentencePieceProcessor::Decode` does:
///
/// - control pieces (`<s>`, `</s>`) decode to nothing;
/// - the unknown piece decodes to the model's unknown surface (" ⁇ " by default); any other
///   piece the model does not know decodes to itself, unchanged;
/// - runs of byte pieces (`<0xE4><0xB8><0xAD>`) become their bytes, and each byte that does not
///   start a well-formed UTF-8 character becomes U+FFFD;
/// - "▁" becomes a space, and the first piece loses one leading "▁" (the dummy prefix) when the
///   model adds one or removes extra whitespace;
/// - a `denormalizer_spec` with a character map is applied to the result.
struct PieceDecoder: Sendable {
    let vocabulary: PieceVocabulary
    let addDummyPrefix: Bool
    let removeExtraWhitespaces: Bool
    let unknownSurface: [UInt8]
    let denormalizer: TextNormalizer?

    /// The text of `pieces`, given with their ids (`PieceToId` of each).
    func decode(_ pieces: [(piece: [UInt8], id: Int)]) -> [UInt8] {
        var text: [UInt8] = []
        var pendingBytes: [UInt8] = []
        func flushBytes() {
            var offset = 0
            while offset < pendingBytes.count {
                if let length = UTF8Scanning.validCharacterLength(pendingBytes[offset...]) {
                    text += pendingBytes[offset..<(offset + length)]
                    offset += length
                } else {
                    text += UTF8Scanning.replacementCharacter
                    offset += 1
                }
            }
            pendingBytes.removeAll(keepingCapacity: true)
        }

        var expectsDummyPrefix = true
        var sawDummyPrefix = false
        for (piece, id) in pieces {
            let type = vocabulary.types[id]
            if type == .byte, let byte = PieceVocabulary.byte(ofPiece: piece) {
                pendingBytes.append(byte)
                continue
            }
            flushBytes()
            if sawDummyPrefix || !text.isEmpty { expectsDummyPrefix = false }
            sawDummyPrefix = false
            switch type {
            case .control:
                break
            case .unknown:
                text += piece == vocabulary.pieces[id] ? unknownSurface : piece
            default:
                var body = piece[...]
                if expectsDummyPrefix && (addDummyPrefix || removeExtraWhitespaces), body.starts(with: UTF8Scanning.spaceSymbol) {
                    body = body.dropFirst(UTF8Scanning.spaceSymbol.count)
                    // With extra whitespace removed, every leading "▁" piece is dropped.
                    sawDummyPrefix = !removeExtraWhitespaces
                }
                Self.appendReplacingSpaceSymbols(body, to: &text)
            }
        }
        flushBytes()
        if let denormalizer { return denormalizer.normalize(text[...]) }
        return text
    }

    /// Appends `piece` with every "▁" written as a space.
    private static func appendReplacingSpaceSymbols(_ piece: ArraySlice<UInt8>, to text: inout [UInt8]) {
        let symbol = UTF8Scanning.spaceSymbol
        var index = piece.startIndex
        while index < piece.endIndex {
            if piece[index] == symbol[0], piece.endIndex - index >= 3, piece[index + 1] == symbol[1], piece[index + 2] == symbol[2] {
                text.append(0x20)
                index += 3
            } else {
                text.append(piece[index])
                index += 1
            }
        }
    }
}
