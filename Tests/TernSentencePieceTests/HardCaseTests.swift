import Foundation
import TernSentencePiece
import Testing

/// The hand-written hard cases (full-width forms, combining marks, control characters, runs of
/// spaces, emoji, empty strings, malformed UTF-8, digits, special-piece look-alikes), random id
/// sequences and unknown pieces, against sentencepiece's output stored in full.
@Suite struct HardCaseTests {
    static let cases = Result { try SentencePieceFixtures.hardCases() }

    @Test("normalization, ids, pieces and decodings equal sentencepiece's", arguments: SentencePieceFixtures.modelNames)
    func hardCasesMatch(modelName: String) throws {
        let cases = try Self.cases.get()
        let expected = try #require(cases.models[modelName])
        let model = try SentencePieceFixtures.model(modelName)
        let inputs = cases.inputs
        try #require(inputs.count == expected.cases.count)
        for (input, want) in zip(inputs, expected.cases) {
            let label = String(decoding: input, as: UTF8.self).debugDescription
            #expect(model.encode(utf8: input) == want.ids, "ids of \(label)")
            if let normalized = want.normalized {
                let text = String(decoding: input, as: UTF8.self)
                #expect(model.normalize(text) == normalized, "normalization of \(label)")
                #expect(model.encode(text) == want.ids, "ids of \(label)")
                #expect(model.encodeAsPieces(text) == want.pieces, "pieces of \(label)")
            }
            #expect(try model.decode(ids: want.ids) == want.decoded, "decoding of \(label)")
            #expect(model.decode(pieces: want.pieces) == want.decoded_pieces, "decoding of the pieces of \(label)")
        }
    }

    @Test("decoding random id sequences equals sentencepiece's", arguments: SentencePieceFixtures.modelNames)
    func randomDecodes(modelName: String) throws {
        let expected = try #require(try Self.cases.get().models[modelName])
        let model = try SentencePieceFixtures.model(modelName)
        #expect(expected.random_decodes.count == 150)
        for sample in expected.random_decodes {
            #expect(try model.decode(ids: sample.ids) == sample.text, "ids \(sample.ids)")
        }
    }

    @Test("pieces the model does not have decode as sentencepiece decodes them", arguments: SentencePieceFixtures.modelNames)
    func unknownPieces(modelName: String) throws {
        let cases = try Self.cases.get()
        let expected = try #require(cases.models[modelName])
        let model = try SentencePieceFixtures.model(modelName)
        for (pieces, text) in zip(cases.unknown_piece_lists, expected.unknown_piece_decodes) {
            #expect(model.decode(pieces: pieces) == text, "pieces \(pieces)")
        }
    }

    @Test("size and special ids equal sentencepiece's", arguments: SentencePieceFixtures.modelNames)
    func specialIDs(modelName: String) throws {
        let expected = try #require(try Self.cases.get().models[modelName])
        let model = try SentencePieceFixtures.model(modelName)
        #expect(model.count == expected.count)
        #expect(model.unknownID == expected.unk_id)
        #expect((model.bosID ?? -1) == expected.bos_id)
        #expect((model.eosID ?? -1) == expected.eos_id)
        #expect((model.padID ?? -1) == expected.pad_id)
        for id in 0..<model.count {
            let piece = try #require(model.piece(of: id))
            #expect(model.id(of: piece) == id)
        }
        #expect(model.piece(of: model.count) == nil)
        #expect(model.piece(of: -1) == nil)
        #expect(model.id(of: "no such piece ✗✗✗") == nil)
    }
}
