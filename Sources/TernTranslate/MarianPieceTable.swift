import TernModel

/// One numbering of pieces in a Hugging Face Marian folder: `vocab.json` (the source side, and
/// the target side too unless the folder has separate vocabularies) or `target_vocab.json`.
/// Each maps a SentencePiece piece to the model's id; `</s>`, `<unk>` and `<pad>` are in it.
public struct MarianPieceTable: Sendable, Equatable {
    /// The model id of each piece.
    public let pieceIDs: [String: Int32]
    /// The piece of each model id, `[V]`.
    public let pieces: [String]
    public let endOfSentenceID: Int32
    public let unknownID: Int32
    public let paddingID: Int32
    /// Ids that decoding drops, as `MarianTokenizer.decode(skip_special_tokens=True)` does:
    /// `</s>`, `<unk>` and `<pad>`.
    public var specialIDs: Set<Int32> { [endOfSentenceID, unknownID, paddingID] }

    /// - Parameters:
    ///   - pieceIDs: piece → model id, ids `0..<V` each used once.
    ///   - path: where `pieceIDs` came from, for errors.
    /// - Throws: `ModelError.invalidConfig` when ids are not `0..<V` or `</s>`, `<unk>` or `<pad>`
    ///   is missing.
    public init(pieceIDs: [String: Int], path: String) throws {
        func invalid(_ reason: String) -> ModelError { .invalidConfig(path: path, reason: reason) }
        var pieces = [String?](repeating: nil, count: pieceIDs.count)
        for (piece, id) in pieceIDs {
            guard pieces.indices.contains(id), pieces[id] == nil else {
                throw invalid("ids must number the \(pieceIDs.count) pieces 0 to \(pieceIDs.count - 1), once each; '\(piece)' has \(id)")
            }
            pieces[id] = piece
        }
        let special = try ["</s>", "<unk>", "<pad>"].map { piece in
            guard let id = pieceIDs[piece] else { throw invalid("it has no '\(piece)'") }
            return Int32(id)
        }
        self.pieceIDs = pieceIDs.mapValues(Int32.init)
        self.pieces = pieces.map { $0! }
        (endOfSentenceID, unknownID, paddingID) = (special[0], special[1], special[2])
    }

    /// The id of `piece`, `<unk>`'s for a piece the table lacks.
    public func id(of piece: String) -> Int32 {
        pieceIDs[piece] ?? unknownID
    }

    /// The piece of `id`, `<unk>` for an id outside the table.
    public func piece(of id: Int32) -> String {
        pieces.indices.contains(Int(id)) ? pieces[Int(id)] : pieces[Int(unknownID)]
    }
}
