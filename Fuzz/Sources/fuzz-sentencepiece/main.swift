import Foundation
import FuzzSupport
import TernSentencePiece

/// `SentencePieceModel(serialized:)`: the input is the whole `.model` file. Anything may be
/// refused, but only with a `SentencePieceError`. A model that loads encodes a fixed sample
/// (ASCII, full-width forms, combining marks, controls, emoji, Chinese, runs of spaces, a
/// malformed byte) to ids inside the vocabulary, one id per piece, and decodes those ids and
/// pieces without an error; every id's piece looks up to an id with that piece.
let samples: [[UInt8]] = [
    "A man in a blue shirt.", "Ｆｕｌｌ－ｗｉｄｔｈ ①②③ ﬁ", "e\u{301} n\u{303}", "tab\there\u{0}\u{7}",
    "😀👍🏽 🇩🇪", "我爱你，今天天气很好。", "   runs   of   spaces   ", "<unk> <s> </s> ▁▁", "",
].map { Array($0.utf8) } + [[0x62, 0x61, 0x64, 0xFF, 0xC3]]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let model: SentencePieceModel
    do {
        model = try SentencePieceModel(serialized: Array(UnsafeBufferPointer(start: data, count: size)))
    } catch {
        FuzzSupport.note("refused: \(error.localizedDescription)")
        FuzzSupport.check(error is SentencePieceError, "SentencePieceModel threw a \(type(of: error)), not a SentencePieceError: \(error)")
        return 0
    }
    FuzzSupport.note("loaded: \(model.kind), \(model.count) pieces")
    for sample in samples {
        let ids = model.encode(utf8: sample)
        FuzzSupport.check(ids.allSatisfy { (0..<model.count).contains($0) }, "an id outside 0..<\(model.count): \(ids)")
        let text = String(decoding: sample, as: UTF8.self)
        let pieces = model.encodeAsPieces(text)
        FuzzSupport.check(pieces.count == model.encode(text).count, "\(pieces.count) pieces for \(model.encode(text).count) ids")
        do {
            _ = try model.decode(ids: ids)
        } catch {
            FuzzSupport.check(false, "decoding ids that encode gave threw: \(error)")
        }
        _ = model.decode(pieces: pieces)
        _ = model.normalize(text)
    }
    for id in 0..<min(model.count, 512) {
        guard let piece = model.piece(of: id) else {
            FuzzSupport.check(false, "no piece for id \(id) of \(model.count)")
            return 0
        }
        // A piece that is not valid UTF-8 reads back changed, so it may not look up.
        if piece.unicodeScalars.contains("\u{FFFD}") { continue }
        // A control piece may share its text with a normal one; the lookup then finds the
        // control piece, as sentencepiece's does.
        let found = model.id(of: piece)
        FuzzSupport.check(found.flatMap(model.piece(of:)) == piece, "piece \(piece.debugDescription) of id \(id) looks up to \(String(describing: found))")
    }
    return 0
}

FuzzSupport.runLibFuzzer(fuzz)
