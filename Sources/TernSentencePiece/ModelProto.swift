/// The parts of sentencepiece's `ModelProto` (`sentencepiece_model.proto`) that encoding and
/// decoding use, decoded from the wire format. Fields keep the proto's defaults when absent;
/// a field whose wire type does not fit is skipped as an unknown field, as protobuf does.
struct ModelProto: Equatable {
    /// `ModelProto.SentencePiece.Type`.
    enum PieceType: Int {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// `ModelProto.SentencePiece`: one vocabulary entry; its id is its index.
    struct Piece: Equatable {
        var text: [UInt8] = []
        var score: Float = 0
        var type: PieceType = .normal
    }

    /// `TrainerSpec`, the fields that encoding and decoding read.
    struct TrainerSpec: Equatable {
        /// 1 unigram, 2 BPE, 3 word, 4 char.
        var modelType = 1
        var byteFallback = false
        var treatWhitespaceAsSuffix = false
        var unknownPiece: [UInt8] = []
        var bosPiece: [UInt8] = []
        var eosPiece: [UInt8] = []
        var padPiece: [UInt8] = []
        /// What `<unk>` decodes to, when the model sets it (sentencepiece then uses it instead
        /// of " ⁇ ").
        var unknownSurface: [UInt8]?
    }

    /// `NormalizerSpec` (also the shape of `denormalizer_spec`).
    struct NormalizerSpec: Equatable {
        var name: String = ""
        var precompiledCharsMap: [UInt8] = []
        var addDummyPrefix = true
        var removeExtraWhitespaces = true
        var escapeWhitespaces = true
    }

    var pieces: [Piece] = []
    var trainerSpec = TrainerSpec()
    var normalizerSpec = NormalizerSpec()
    var denormalizerSpec: NormalizerSpec?

    /// Decodes a serialized `ModelProto`.
    /// - Throws: `SentencePieceError.malformedProtobuf` when the bytes are not well formed.
    init(serialized bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited):
                var message = try reader.readMessage()
                pieces.append(try Self.readPiece(&message))
            case (2, .lengthDelimited):
                var message = try reader.readMessage()
                try Self.readTrainerSpec(&message, into: &trainerSpec)
            case (3, .lengthDelimited):
                var message = try reader.readMessage()
                try Self.readNormalizerSpec(&message, into: &normalizerSpec)
            case (5, .lengthDelimited):
                var message = try reader.readMessage()
                var spec = denormalizerSpec ?? NormalizerSpec()
                try Self.readNormalizerSpec(&message, into: &spec)
                denormalizerSpec = spec
            default:
                try reader.skip(wireType)
            }
        }
    }

    private static func readPiece(_ reader: inout ProtobufReader) throws -> Piece {
        var piece = Piece()
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited): piece.text = try reader.readBytes()
            case (2, .fixed32): piece.score = try reader.readFloat()
            case (3, .varint):
                // An enum value the proto does not define is kept as an unknown field by
                // protobuf, leaving the type as it was.
                if let type = PieceType(rawValue: try reader.readInt32()) { piece.type = type }
            default: try reader.skip(wireType)
            }
        }
        return piece
    }

    private static func readTrainerSpec(_ reader: inout ProtobufReader, into spec: inout TrainerSpec) throws {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (3, .varint):
                let type = try reader.readInt32()
                if (1...4).contains(type) { spec.modelType = type }
            case (24, .varint): spec.treatWhitespaceAsSuffix = try reader.readBool()
            case (35, .varint): spec.byteFallback = try reader.readBool()
            case (44, .lengthDelimited): spec.unknownSurface = try reader.readBytes()
            case (45, .lengthDelimited): spec.unknownPiece = try reader.readBytes()
            case (46, .lengthDelimited): spec.bosPiece = try reader.readBytes()
            case (47, .lengthDelimited): spec.eosPiece = try reader.readBytes()
            case (48, .lengthDelimited): spec.padPiece = try reader.readBytes()
            default: try reader.skip(wireType)
            }
        }
    }

    private static func readNormalizerSpec(_ reader: inout ProtobufReader, into spec: inout NormalizerSpec) throws {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited): spec.name = String(decoding: try reader.readBytes(), as: UTF8.self)
            case (2, .lengthDelimited): spec.precompiledCharsMap = try reader.readBytes()
            case (3, .varint): spec.addDummyPrefix = try reader.readBool()
            case (4, .varint): spec.removeExtraWhitespaces = try reader.readBool()
            case (5, .varint): spec.escapeWhitespaces = try reader.readBool()
            default: try reader.skip(wireType)
            }
        }
    }
}
