import Foundation
import TernSentencePiece
import TestSupport
import Testing

/// Tern's encoding and decoding equal sentencepiece's on every line of six corpus files (FLORES
/// dev English, German and Chinese, Multi30k test English and German, 3AM test Chinese: 5,991
/// lines) for every fixture model.
@Suite struct CorpusParityTests {
    @Test("ids, pieces and decodings equal sentencepiece's on the corpus lines",
          .enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent (set TERN_SHARED_CORPORA)"),
          arguments: SentencePieceFixtures.modelNames)
    func corpusLinesMatch(modelName: String) throws {
        let model = try SentencePieceFixtures.model(modelName)
        let expected = try SentencePieceFixtures.expectedHashes(modelName)
        let corpus = try SentencePieceFixtures.corpusLines()
        let corpora = try #require(SharedCorpora.directory)
        var lines: [String] = []
        for (file, count) in zip(corpus.files, corpus.line_counts) {
            let fileLines = try CorpusText.lines(of: corpora.appendingPathComponent(file))
            try #require(fileLines.count == count, "\(file) has \(fileLines.count) lines, the fixture was made from \(count)")
            lines += fileLines
        }
        try #require(lines.count == expected.count)
        var mismatches = 0
        for (index, (line, hash)) in zip(lines, expected).enumerated() {
            let ids = model.encode(line)
            let pieces = model.encodeAsPieces(line)
            let decoded = try model.decode(ids: ids)
            let decodedPieces = model.decode(pieces: pieces)
            let record = SentencePieceFixtures.canonicalRecord(ids: ids, pieces: pieces, decoded: decoded, decodedPieces: decodedPieces)
            if SentencePieceFixtures.fnv1a64(record) != hash {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("line \(index + 1) differs from sentencepiece: \(line.debugDescription)\n ids \(ids)\n pieces \(pieces)\n decoded \(decoded.debugDescription)\n decoded pieces \(decodedPieces.debugDescription)")
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(lines.count) lines differ")
        #expect(lines.count > 5000)
    }
}
