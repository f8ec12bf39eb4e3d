import Foundation
import TernModel
import TernSentencePiece
import TestSupport
import Testing

/// Damaged, truncated and inconsistent model files give a `SentencePieceError` that says what is
/// wrong, never a crash; a model that loads from a file equals the same model from bytes.
@Suite struct ModelLoadingTests {
    /// A protobuf writer for hand-made `ModelProto`s: the wire format, nothing more.
    struct ProtobufWriter {
        var bytes: [UInt8] = []

        mutating func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func field(_ number: Int, varint value: Int) {
            varint(UInt64(number << 3))
            varint(UInt64(bitPattern: Int64(value)))
        }

        mutating func field(_ number: Int, bytes value: [UInt8]) {
            varint(UInt64(number << 3 | 2))
            varint(UInt64(value.count))
            bytes += value
        }

        mutating func field(_ number: Int, float value: Float) {
            varint(UInt64(number << 3 | 5))
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
        }
    }

    /// Piece types of `ModelProto.SentencePiece.Type`.
    enum PieceType: Int { case normal = 1, unknown = 2, control = 3, userDefined = 4, byte = 6 }

    /// A serialized model with `pieces`, `trainer_spec` fields and `normalizer_spec` fields.
    static func makeModel(pieces: [(String, PieceType)], trainer: (inout ProtobufWriter) -> Void = { _ in },
                          normalizer: (inout ProtobufWriter) -> Void = { _ in }) -> [UInt8] {
        var model = ProtobufWriter()
        for (index, (text, type)) in pieces.enumerated() {
            var piece = ProtobufWriter()
            piece.field(1, bytes: Array(text.utf8))
            piece.field(2, float: -Float(index))
            piece.field(3, varint: type.rawValue)
            model.field(1, bytes: piece.bytes)
        }
        var trainerSpec = ProtobufWriter()
        trainer(&trainerSpec)
        model.field(2, bytes: trainerSpec.bytes)
        var normalizerSpec = ProtobufWriter()
        normalizer(&normalizerSpec)
        model.field(3, bytes: normalizerSpec.bytes)
        return model.bytes
    }

    static let basicPieces: [(String, PieceType)] = [("<unk>", .unknown), ("<s>", .control), ("</s>", .control), ("▁a", .normal), ("b", .normal)]

    func expectError(_ bytes: [UInt8], mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SentencePieceModel(serialized: bytes)
            Issue.record("a broken model loaded", sourceLocation: sourceLocation)
        } catch let error as SentencePieceError {
            let message = error.localizedDescription
            for fragment in fragments { #expect(message.contains(fragment), "message: \(message)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("a hand-made model loads, with its special ids")
    func handMadeModelLoads() throws {
        let model = try SentencePieceModel(serialized: Self.makeModel(pieces: Self.basicPieces))
        #expect(model.count == 5)
        #expect(model.unknownID == 0 && model.bosID == 1 && model.eosID == 2 && model.padID == nil)
        #expect(model.kind == .unigram)
    }

    @Test("inconsistent models are refused with the reason")
    func inconsistentModels() {
        expectError(Self.makeModel(pieces: [("<s>", .control), ("a", .normal)]), mentioning: ["unknown"])
        expectError(Self.makeModel(pieces: Self.basicPieces + [("<unk2>", .unknown)]), mentioning: ["second unknown", "<unk2>"])
        expectError(Self.makeModel(pieces: Self.basicPieces + [("b", .normal)]), mentioning: ["'b'", "twice"])
        expectError(Self.makeModel(pieces: Self.basicPieces + [("", .normal)]), mentioning: ["piece 5 is empty"])
        expectError(Self.makeModel(pieces: Self.basicPieces + [("<0x41>", .byte)]), mentioning: ["byte_fallback is false"])
        expectError(Self.makeModel(pieces: Self.basicPieces + [("<0x4G>", .byte)], trainer: { $0.field(35, varint: 1) }),
                    mentioning: ["<0x4G>", "<0xXX>"])
        expectError(Self.makeModel(pieces: Self.basicPieces + [("<0x41>", .byte)], trainer: { $0.field(35, varint: 1) }),
                    mentioning: ["<0x00>", "256"])
        expectError(Self.makeModel(pieces: Self.basicPieces, trainer: { $0.field(3, varint: 4) }), mentioning: ["type 4 (CHAR)", "not supported"])
        expectError(Self.makeModel(pieces: [("<unk>", .unknown), ("<s>", .control)]), mentioning: ["no pieces to segment"])
        expectError(Self.makeModel(pieces: Self.basicPieces, normalizer: { $0.field(2, bytes: [1, 2, 3]) }), mentioning: ["character map", "broken"])
        expectError(Self.makeModel(pieces: Self.basicPieces, normalizer: { $0.field(2, bytes: [200, 0, 0, 0, 1, 2, 3, 4]) }),
                    mentioning: ["claims 200 bytes"])
    }

    @Test("malformed protobuf is refused with the byte offset")
    func malformedProtobuf() {
        expectError([0x0A, 0x05, 0x01], mentioning: ["malformed at byte", "runs past the end"])
        expectError([0x0A], mentioning: ["truncated varint"])
        expectError([0x0F], mentioning: ["wire type 7"])
        expectError([0x08] + [UInt8](repeating: 0xFF, count: 11), mentioning: ["varint"])
        expectError([0x0B, 0x0C], mentioning: ["groups"])
    }

    @Test("every truncation of a model file throws or loads, and what loads encodes and decodes")
    func truncations() throws {
        let bytes = try SentencePieceFixtures.modelBytes("bpe-suffix-symbols")
        var loaded = 0
        for length in stride(from: 0, to: bytes.count, by: 3) {
            do {
                let model = try SentencePieceModel(serialized: Array(bytes[..<length]))
                loaded += 1
                let ids = model.encode("Ein Hund läuft 😀 <sep> im Schnee.")
                _ = try model.decode(ids: ids)
            } catch is SentencePieceError {
                continue
            }
        }
        // A cut between two pieces leaves a well-formed, shorter model.
        #expect(loaded > 0)
    }

    @Test("models with bytes changed at random throw or load, and what loads encodes and decodes",
          arguments: ["unigram-nmt-nfkc", "bpe-nmt-nfkc-bytes"])
    func corruptedBytes(modelName: String) throws {
        let original = try SentencePieceFixtures.modelBytes(modelName)
        var generator = SplitMix64(seed: 14)
        for _ in 0..<200 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            guard let model = try? SentencePieceModel(serialized: bytes) else { continue }
            for text in ["A man in a blue shirt.", "Ｆｕｌｌ－ｗｉｄｔｈ ①②③ ﬁ", "我爱你。", "  spaces  ", ""] {
                _ = try model.decode(ids: model.encode(text))
                _ = model.decode(pieces: model.encodeAsPieces(text))
            }
        }
    }

    @Test("a missing or unreadable file names the path")
    func missingFile() throws {
        let folder = try TemporaryDirectory()
        #expect {
            try SentencePieceModel(contentsOf: URL(fileURLWithPath: folder.file("absent.model")))
        } throws: { error in
            (error as? SentencePieceError)?.localizedDescription.contains("absent.model") == true
        }
        try Data("this is not a model\n".utf8).write(to: URL(fileURLWithPath: folder.file("text.model")))
        #expect {
            try SentencePieceModel(contentsOf: URL(fileURLWithPath: folder.file("text.model")))
        } throws: { error in
            let message = (error as? SentencePieceError)?.localizedDescription ?? ""
            return message.contains("text.model") && message.contains("not a SentencePiece model")
        }
    }

    @Test("a model read from a file equals the same bytes read from memory")
    func fileEqualsBytes() throws {
        let bytes = try SentencePieceFixtures.modelBytes("unigram-nmt-nfkc")
        let folder = try TemporaryDirectory()
        try Data(bytes).write(to: URL(fileURLWithPath: folder.file("source.spm")))
        let fromFile = try SentencePieceModel(contentsOf: URL(fileURLWithPath: folder.file("source.spm")))
        let fromBytes = try SentencePieceModel(serialized: bytes)
        let text = "Zwei junge Männer spielen Fußball. 两只狗在雪地里玩耍。"
        #expect(fromFile.encode(text) == fromBytes.encode(text))
        #expect(fromFile.count == fromBytes.count)
    }

    @Test("decoding an id outside the vocabulary throws, naming the id and the range")
    func invalidIDs() throws {
        let model = try SentencePieceFixtures.model("bpe-identity")
        for id in [-1, model.count, Int.max] {
            #expect {
                try model.decode(ids: [3, id])
            } throws: { error in
                let message = (error as? SentencePieceError)?.localizedDescription ?? ""
                return message.contains("\(id)") && message.contains("0 to \(model.count - 1)")
            }
        }
    }
}
