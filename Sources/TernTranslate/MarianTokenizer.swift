import Foundation
import TernSentencePiece
import TernTokenizer

/// One side of a Hugging Face Marian folder, as `MarianTokenizer` in transformers does it:
/// text → SentencePiece pieces (`source.spm` or `target.spm`) → ids through `vocab.json` (or,
/// for the target side of separate vocabularies, `target_vocab.json`), a piece that it lacks
/// becoming `<unk>`; and back: ids → pieces, without `</s>`,
/// `<unk>` and `<pad>` → the SentencePiece model's decoding, trimmed.
///
/// `encode` gives no `</s>` (the model's `TokenFraming` appends it) and no `>>xx<<` token
/// (`MarianVocabularies.sourcePrefix(of:)`, which the translator puts before every sentence).
///
/// ```swift
/// let (source, target) = try MarianVocabularies.load(modelDirectory: "opus-mt-en-de", targetLanguage: nil).makeTokenizers()
/// source.encode("A dog runs.")      // vocab.json ids of "▁A", "▁dog", "▁runs", "."
/// target.decode([412, 9, 0])        // text
/// ```
public final class MarianTokenizer: TranslationTokenizer {
    private let model: SentencePieceModel
    private let table: MarianPieceTable

    /// - Parameters:
    ///   - model: the side's SentencePiece model.
    ///   - pieces: the side's numbering of pieces (`vocab.json`, or `target_vocab.json`).
    public init(model: SentencePieceModel, pieces: MarianPieceTable) {
        self.model = model
        table = pieces
    }

    public func encode(_ text: String) -> [Int32] {
        model.encodeAsPieces(text).map(table.id)
    }

    /// Groups of ids, each a piece that starts with `▁` (a space before it) and the pieces
    /// that follow it up to the next such piece.
    public func encodeWords(_ text: String) -> [[Int32]] {
        var words: [[Int32]] = []
        for piece in model.encodeAsPieces(text) {
            if piece.hasPrefix("▁") || words.isEmpty { words.append([]) }
            words[words.count - 1].append(table.id(of: piece))
        }
        return words
    }

    public func pieces(_ ids: [Int32]) -> [String] {
        ids.map(table.piece)
    }

    public func decode(_ ids: some Sequence<Int32>) -> String {
        let kept = ids.filter { !table.specialIDs.contains($0) && table.pieces.indices.contains(Int($0)) }
        return model.decode(pieces: pieces(kept)).replacingOccurrences(of: "▁", with: " ").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func decodeLine(_ ids: some Sequence<Int32>) -> String {
        Tokenizer.joiningLineBreaks(decode(ids))
    }
}
