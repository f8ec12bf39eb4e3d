import Foundation
import TernSentencePiece
import TestSupport

/// The fixtures that `Fixtures/make_sentencepiece_fixtures.py` wrote with the `sentencepiece`
/// library: small trained models, the hashes of sentencepiece's output on the shared corpus
/// lines, and the hard cases in full.
enum SentencePieceFixtures {
    static let directory = PackagePaths.root.appendingPathComponent("Tests/TernSentencePieceTests/Fixtures")

    /// Every model the generator wrote.
    static let modelNames = [
        "unigram-nmt-nfkc", "unigram-identity-bytes", "unigram-identity-unused", "unigram-nfkc-symbols", "unigram-identity-denormalized",
        "bpe-nmt-nfkc-bytes", "bpe-identity", "bpe-identity-unused", "bpe-suffix-symbols",
    ]

    /// The bytes of a model file (stored gzip-compressed).
    static func modelBytes(_ name: String) throws -> [UInt8] {
        let path = directory.appendingPathComponent("models/\(name).model.gz").path
        let result = try ProcessRunner.run("/bin/gzip", ["-dc", path])
        guard result.exitCode == 0 else { throw FixtureError("gzip could not read \(path): \(result.errorText)") }
        return [UInt8](result.standardOutput)
    }

    static func model(_ name: String) throws -> SentencePieceModel {
        try SentencePieceModel(serialized: modelBytes(name))
    }

    /// The corpus files (relative to the shared corpora) whose lines the hashes cover, in order.
    struct CorpusLines: Decodable {
        let files: [String]
        let line_counts: [Int]
    }

    static func corpusLines() throws -> CorpusLines {
        try JSONDecoder().decode(CorpusLines.self, from: Data(contentsOf: directory.appendingPathComponent("corpus-lines.json")))
    }

    /// One hash (16 hex digits) per corpus line.
    static func expectedHashes(_ name: String) throws -> [String] {
        try CorpusText.lines(of: directory.appendingPathComponent("expected/\(name).hashes.gz"))
    }

    /// `hard-cases.json`.
    struct HardCases: Decodable {
        struct Case: Decodable {
            let normalized: String?
            let ids: [Int]
            let pieces: [String]
            let decoded: String
            let decoded_pieces: String
        }
        struct Model: Decodable {
            let count: Int
            let unk_id: Int
            let bos_id: Int
            let eos_id: Int
            let pad_id: Int
            let cases: [Case]
            /// [ids, DecodeIds(ids)] pairs; JSON arrays of mixed types.
            let random_decodes: [RandomDecode]
            let unknown_piece_decodes: [String]
        }
        struct RandomDecode: Decodable {
            let ids: [Int]
            let text: String
            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                ids = try container.decode([Int].self)
                text = try container.decode(String.self)
            }
        }
        let sentencepiece_version: String
        let inputs_hex: [String]
        let unknown_piece_lists: [[String]]
        let models: [String: Model]

        /// The inputs as bytes; some are not valid UTF-8.
        var inputs: [[UInt8]] {
            inputs_hex.map { hex in
                let digits = Array(hex.utf8)
                return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
            }
        }
    }

    static func hardCases() throws -> HardCases {
        try JSONDecoder().decode(HardCases.self, from: Data(contentsOf: directory.appendingPathComponent("hard-cases.json")))
    }

    /// What the generator hashes for a line (`canonical_record`): ids, pieces as `LENGTH:PIECE`,
    /// and both decodings, tab-separated.
    static func canonicalRecord(ids: [Int], pieces: [String], decoded: String, decodedPieces: String) -> String {
        ids.map(String.init).joined(separator: " ") + "\t" + pieces.map { "\($0.utf8.count):\($0)" }.joined()
            + "\t" + decoded + "\t" + decodedPieces
    }

    /// 64-bit FNV-1a of the UTF-8 bytes of `text`, as 16 lower-case hex digits.
    static func fnv1a64(_ text: String) -> String {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
