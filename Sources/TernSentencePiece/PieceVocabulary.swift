/// The pieces of a model with their ids, scores and types, and the lookups encoding and decoding
/// need. Built from `ModelProto.pieces` with the checks of sentencepiece's
/// `ModelInterface::InitializePieces`. A class, so that the segmenters and the decoder share it
/// without copying its arrays.
final class PieceVocabulary: Sendable {
    let pieces: [[UInt8]]
    let scores: [Float]
    let types: [ModelProto.PieceType]
    let unknownID: Int
    let byteFallback: Bool
    /// The id of `<0xXX>` for each byte value, when `byteFallback`.
    let byteIDs: [Int]
    /// Normal, user-defined and unused pieces: the ones text can be segmented into.
    let segmentable: PieceTrie
    /// Control, unknown and byte pieces, which sentencepiece looks up first.
    private let reserved: PieceTrie
    /// The user-defined symbols, or nil when there are none.
    let userDefinedSymbols: PieceTrie?
    /// The lowest and highest score of a normal piece (sentencepiece starts from `FLT_MAX` and
    /// `FLT_MIN`, the smallest positive float, and keeps that quirk).
    let minimumNormalScore: Float
    let maximumNormalScore: Float

    /// - Throws: `SentencePieceError.invalidModel` for an empty or duplicated piece, a missing or
    ///   second unknown piece, a byte piece without `byte_fallback`, a malformed byte piece, or
    ///   `byte_fallback` without all 256 byte pieces.
    init(_ proto: ModelProto) throws {
        var normal: [[UInt8]: Int] = [:]
        var reserved: [[UInt8]: Int] = [:]
        var userDefined: [(bytes: [UInt8], id: Int)] = []
        var unknownID: Int?
        var byteIDs = [Int](repeating: -1, count: 256)
        var minimum = Float.greatestFiniteMagnitude
        var maximum = Float.leastNormalMagnitude
        let byteFallback = proto.trainerSpec.byteFallback
        for (id, piece) in proto.pieces.enumerated() {
            let text = String(decoding: piece.text, as: UTF8.self)
            guard !piece.text.isEmpty else { throw SentencePieceError.invalidModel(reason: "piece \(id) is empty") }
            let isSegmentable = [.normal, .userDefined, .unused].contains(piece.type)
            if isSegmentable {
                guard normal.updateValue(id, forKey: piece.text) == nil else {
                    throw SentencePieceError.invalidModel(reason: "piece '\(text)' (id \(id)) is defined twice")
                }
            } else {
                guard reserved.updateValue(id, forKey: piece.text) == nil else {
                    throw SentencePieceError.invalidModel(reason: "piece '\(text)' (id \(id)) is defined twice")
                }
            }
            switch piece.type {
            case .userDefined:
                userDefined.append((piece.text, id))
            case .unknown:
                guard unknownID == nil else { throw SentencePieceError.invalidModel(reason: "a second unknown piece '\(text)' (id \(id))") }
                unknownID = id
            case .byte:
                guard byteFallback else {
                    throw SentencePieceError.invalidModel(reason: "byte piece '\(text)' (id \(id)) is found although byte_fallback is false")
                }
                guard let byte = Self.byte(ofPiece: piece.text) else {
                    throw SentencePieceError.invalidModel(reason: "byte piece '\(text)' (id \(id)) is not of the form <0xXX>")
                }
                byteIDs[Int(byte)] = id
            case .normal:
                minimum = min(minimum, piece.score)
                maximum = max(maximum, piece.score)
            case .control, .unused:
                break
            }
        }
        guard let unknownID else { throw SentencePieceError.invalidModel(reason: "no piece has the unknown type (<unk>)") }
        if byteFallback, let missing = byteIDs.firstIndex(of: -1) {
            throw SentencePieceError.invalidModel(reason: "byte_fallback is on but byte piece <0x\(Self.hex(UInt8(missing)))> is missing (all 256 are needed)")
        }
        pieces = proto.pieces.map(\.text)
        scores = proto.pieces.map(\.score)
        types = proto.pieces.map(\.type)
        self.unknownID = unknownID
        self.byteFallback = byteFallback
        self.byteIDs = byteIDs
        self.reserved = PieceTrie(reserved.map { ($0.key, $0.value) })
        segmentable = PieceTrie(normal.map { ($0.key, $0.value) })
        userDefinedSymbols = userDefined.isEmpty ? nil : PieceTrie(userDefined)
        minimumNormalScore = minimum
        maximumNormalScore = maximum
    }

    var count: Int { pieces.count }

    /// sentencepiece's `PieceToId`: a control, unknown or byte piece first, then the others;
    /// the unknown id for a piece that is not in the vocabulary.
    func id(of piece: ArraySlice<UInt8>) -> Int {
        reserved.id(of: piece) ?? segmentable.id(of: piece) ?? unknownID
    }

    /// The id of `piece`, or nil when the model does not have it.
    func exactID(of piece: [UInt8]) -> Int? {
        reserved.id(of: piece[...]) ?? segmentable.id(of: piece[...])
    }

    /// The byte a `<0xXX>` piece stands for (two upper-case hex digits), or nil.
    static func byte(ofPiece piece: [UInt8]) -> UInt8? {
        guard piece.count == 6, piece.starts(with: Array("<0x".utf8)), piece[5] == UInt8(ascii: ">") else { return nil }
        func digit(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        guard let high = digit(piece[3]), let low = digit(piece[4]) else { return nil }
        return high << 4 | low
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
