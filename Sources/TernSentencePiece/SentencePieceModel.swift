import Foundation

/// A SentencePiece model (`.model`/`.spm`, the protobuf `ModelProto` that sentencepiece's
/// trainer writes): encodes text to piece ids and decodes ids back to text exactly as the
/// `sentencepiece` library does (`EncodeAsIds`, `EncodeAsPieces`, `DecodeIds`,
/// `DecodePieces`), for unigram and BPE models.
///
/// ```swift
/// let model = try SentencePieceModel(contentsOf: URL(fileURLWithPath: "source.spm"))
/// let ids = model.encode("Hello world.")          // [..., ...]
/// model.encodeAsPieces("Hello world.")            // ["▁Hello", "▁world", "."]
/// try model.decode(ids: ids)                      // "Hello world."
/// model.decode(pieces: ["▁Hello", "▁world", "."]) // "Hello world."
/// model.id(of: "▁world")                          // the id, or nil
/// ```
///
/// What it covers, and where:
/// - the normalizer spec: the precompiled character map (`nmt_nfkc`, `nfkc`, `identity`, ...),
///   `add_dummy_prefix`, `remove_extra_whitespaces`, `escape_whitespaces`,
///   `treat_whitespace_as_suffix`, U+FFFD for malformed UTF-8 (`TextNormalizer.swift`, with the
///   Darts trie reader `DoubleArrayTrie.swift`);
/// - unigram Viterbi segmentation (`UnigramSegmenter.swift`) and score-ordered BPE merges
///   (`BPESegmenter.swift`);
/// - unknown pieces (consecutive unknown characters merge into one `<unk>`), `byte_fallback`
///   (`<0xXX>` pieces), user-defined symbols (matched first, never normalized) and control
///   symbols (never produced from text);
/// - decoding (`PieceDecoder.swift`) and the protobuf reader (`ProtobufReader.swift`,
///   `ModelProto.swift`).
///
/// Not covered: `WORD` and `CHAR` model types (loading throws), sampling and n-best encoding,
/// and the model's self-test samples, which are not run at load.
///
/// A model is immutable and `Sendable`: share one across threads.
public struct SentencePieceModel: Sendable {
    /// The segmentation algorithm of a model (`TrainerSpec.model_type`).
    public enum Kind: Sendable, Equatable {
        case unigram, bpe
    }

    public let kind: Kind
    private let vocabulary: PieceVocabulary
    private let normalizer: TextNormalizer
    private let decoder: PieceDecoder

    /// Reads a model file.
    /// - Throws: `SentencePieceError.unreadableFile` when the file cannot be read, and
    ///   `SentencePieceError.invalidModelFile` (naming the file and the reason) when it is not a
    ///   model this reader can use.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SentencePieceError.unreadableFile(path: url.path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
        do {
            try self.init(serialized: [UInt8](data))
        } catch let error as SentencePieceError {
            throw SentencePieceError.invalidModelFile(path: url.path, reason: error.errorDescription ?? "\(error)")
        }
    }

    /// Decodes a serialized `ModelProto`.
    /// - Throws: `SentencePieceError.malformedProtobuf` for bytes that are not a well-formed
    ///   protobuf, `.invalidModel` for a model sentencepiece would refuse too, and
    ///   `.unsupportedModelType` for `WORD` and `CHAR` models.
    public init(serialized: [UInt8]) throws {
        let proto = try ModelProto(serialized: serialized)
        switch proto.trainerSpec.modelType {
        case 1: kind = .unigram
        case 2: kind = .bpe
        default: throw SentencePieceError.unsupportedModelType(proto.trainerSpec.modelType)
        }
        let vocabulary = try PieceVocabulary(proto)
        if kind == .unigram && !vocabulary.types.contains(where: { [.normal, .userDefined, .unused].contains($0) }) {
            throw SentencePieceError.invalidModel(reason: "the unigram model has no pieces to segment text into")
        }
        self.vocabulary = vocabulary
        normalizer = try TextNormalizer(spec: proto.normalizerSpec, treatWhitespaceAsSuffix: proto.trainerSpec.treatWhitespaceAsSuffix,
                                        userDefinedSymbols: vocabulary.userDefinedSymbols)
        var denormalizer: TextNormalizer?
        if let spec = proto.denormalizerSpec, !spec.precompiledCharsMap.isEmpty {
            denormalizer = try TextNormalizer(spec: spec, treatWhitespaceAsSuffix: false, userDefinedSymbols: nil)
        }
        decoder = PieceDecoder(vocabulary: vocabulary, addDummyPrefix: proto.normalizerSpec.addDummyPrefix,
                               removeExtraWhitespaces: proto.normalizerSpec.removeExtraWhitespaces,
                               unknownSurface: proto.trainerSpec.unknownSurface ?? Array(" \u{2047} ".utf8),
                               denormalizer: denormalizer)
        func specialID(_ piece: [UInt8], default fallback: String, type: ModelProto.PieceType) -> Int? {
            let id = vocabulary.id(of: (piece.isEmpty ? Array(fallback.utf8) : piece)[...])
            return vocabulary.types[id] == type ? id : nil
        }
        unknownID = vocabulary.unknownID
        bosID = specialID(proto.trainerSpec.bosPiece, default: "<s>", type: .control)
        eosID = specialID(proto.trainerSpec.eosPiece, default: "</s>", type: .control)
        padID = specialID(proto.trainerSpec.padPiece, default: "<pad>", type: .control)
    }

    /// The number of pieces; ids run from 0 to `count - 1`.
    public var count: Int { vocabulary.count }
    /// The id of the unknown piece (`<unk>`).
    public let unknownID: Int
    /// The ids of the control pieces `<s>`, `</s>` and `<pad>` (as the trainer spec names them),
    /// or nil when the model has no such control piece (sentencepiece's -1).
    public let bosID: Int?
    public let eosID: Int?
    public let padID: Int?

    /// The id of `piece`, or nil when the model has no such piece (where sentencepiece's
    /// `PieceToId` would answer the unknown id).
    public func id(of piece: String) -> Int? {
        vocabulary.exactID(of: Array(piece.utf8))
    }

    /// The piece with id `id`, or nil outside `0..<count`.
    public func piece(of id: Int) -> String? {
        vocabulary.pieces.indices.contains(id) ? String(decoding: vocabulary.pieces[id], as: UTF8.self) : nil
    }

    /// Whether `id` is a control piece (`<s>`, `</s>`, ...), which decodes to nothing.
    public func isControl(_ id: Int) -> Bool {
        vocabulary.types.indices.contains(id) && vocabulary.types[id] == .control
    }

    /// `text` as the model's normalizer rewrites it before segmenting (sentencepiece's
    /// `Normalize`): with "▁" for spaces and the dummy prefix.
    public func normalize(_ text: String) -> String {
        String(decoding: normalizer.normalize(Array(text.utf8)[...]), as: UTF8.self)
    }

    /// The piece ids of `text` (sentencepiece's `EncodeAsIds`), without `<s>` or `</s>`.
    public func encode(_ text: String) -> [Int] {
        encode(utf8: Array(text.utf8))
    }

    /// The piece ids of UTF-8 bytes; malformed bytes are read as U+FFFD, one byte each, as
    /// sentencepiece reads them.
    public func encode(utf8 bytes: [UInt8]) -> [Int] {
        segment(bytes).tokens.map(\.id)
    }

    /// The pieces of `text` (sentencepiece's `EncodeAsPieces`).
    public func encodeAsPieces(_ text: String) -> [String] {
        let (normalized, tokens) = segment(Array(text.utf8))
        return tokens.map { token in
            token.isByte ? "<0x\(PieceVocabulary.hex(normalized[token.range.lowerBound]))>"
                : String(decoding: normalized[token.range], as: UTF8.self)
        }
    }

    /// The text of piece ids (sentencepiece's `DecodeIds`).
    /// - Throws: `SentencePieceError.invalidID` for an id outside `0..<count`.
    public func decode(ids: [Int]) throws -> String {
        let pieces = try ids.map { id -> (piece: [UInt8], id: Int) in
            guard vocabulary.pieces.indices.contains(id) else { throw SentencePieceError.invalidID(id, count: count) }
            return (vocabulary.pieces[id], id)
        }
        return String(decoding: decoder.decode(pieces), as: UTF8.self)
    }

    /// The text of pieces (sentencepiece's `DecodePieces`). A piece the model does not have
    /// decodes to itself.
    public func decode(pieces: [String]) -> String {
        let pieces = pieces.map { piece -> (piece: [UInt8], id: Int) in
            let bytes = Array(piece.utf8)
            return (bytes, vocabulary.id(of: bytes[...]))
        }
        return String(decoding: decoder.decode(pieces), as: UTF8.self)
    }

    /// One piece of the output: the normalized bytes it covers and its id. A byte piece
    /// (`isByte`) covers the one byte it stands for.
    private struct Token {
        var range: Range<Int>
        var id: Int
        var isByte: Bool
    }

    /// Normalizes and segments, then applies sentencepiece's post-processing: consecutive
    /// unknown pieces merge into one, and with `byte_fallback` an unknown piece becomes the
    /// byte pieces of its UTF-8.
    private func segment(_ text: [UInt8]) -> (normalized: [UInt8], tokens: [Token]) {
        let normalized = normalizer.normalize(text[...])
        let segments: [(range: Range<Int>, id: Int)]
        switch kind {
        case .unigram: segments = UnigramSegmenter(vocabulary: vocabulary).segment(normalized)
        case .bpe: segments = BPESegmenter(vocabulary: vocabulary).segment(normalized)
        }
        var tokens: [Token] = []
        tokens.reserveCapacity(segments.count)
        var previousIsUnknown = false
        for (range, id) in segments {
            let isUnknown = vocabulary.types[id] == .unknown
            if isUnknown && vocabulary.byteFallback {
                for offset in range { tokens.append(Token(range: offset..<(offset + 1), id: vocabulary.byteIDs[Int(normalized[offset])], isByte: true)) }
            } else if isUnknown && previousIsUnknown {
                tokens[tokens.count - 1].range = tokens[tokens.count - 1].range.lowerBound..<range.upperBound
            } else {
                tokens.append(Token(range: range, id: id, isByte: false))
            }
            previousIsUnknown = isUnknown
        }
        return (normalized, tokens)
    }
}
