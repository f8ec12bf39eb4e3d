import Foundation
import TernJSON

/// Reads and writes a vocabulary folder, `Vocab/<name>/`:
///
/// - `vocab.txt`: one piece per line; the line number minus one is the piece's id.
/// - `merges.txt`: one merge rule per line, `left right` (pieces never contain a space), in
///   rank order.
/// - `manifest.json`: format version, normalization, pre-tokenization, sizes, special tokens
///   and how the vocabulary was learned (`VocabularyManifest`).
///
/// Files are written byte-for-byte deterministically, so learning twice from the same corpus
/// gives identical folders.
public enum VocabularyStore {
    public static let piecesFile = "vocab.txt"
    public static let mergesFile = "merges.txt"
    public static let manifestFile = "manifest.json"

    /// Loads the vocabulary in `directory`.
    /// - Throws: `TokenizerError` naming the file (and line) that is missing, unreadable or corrupt.
    public static func load(from directory: String) throws -> SubwordVocabulary {
        let manifestPath = path(directory, manifestFile)
        let manifest: VocabularyManifest
        do {
            manifest = try JSONDecoder().decode(VocabularyManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        } catch let error as DecodingError {
            throw TokenizerError.invalidManifest(path: manifestPath, reason: SnakeCaseJSON.describe(error))
        } catch {
            throw FileManager.default.fileExists(atPath: manifestPath)
                ? TokenizerError.unreadableVocabularyFile(path: manifestPath, reason: error.localizedDescription)
                : TokenizerError.missingVocabularyFile(path: manifestPath)
        }
        guard manifest.formatVersion == VocabularyManifest.currentFormatVersion else {
            throw TokenizerError.unsupportedFormatVersion(path: manifestPath, found: manifest.formatVersion,
                                                          supported: VocabularyManifest.currentFormatVersion)
        }
        let piecesPath = path(directory, piecesFile)
        let pieces = try readLines(piecesPath)
        guard pieces.count == manifest.size else {
            throw TokenizerError.corruptVocabulary(path: piecesPath, line: nil,
                                                   reason: "it holds \(pieces.count) pieces but the manifest says \(manifest.size); the file may be truncated")
        }
        let mergesPath = path(directory, mergesFile)
        let mergeLines = try readLines(mergesPath)
        guard mergeLines.count == manifest.mergeCount else {
            throw TokenizerError.corruptVocabulary(path: mergesPath, line: nil,
                                                   reason: "it holds \(mergeLines.count) merges but the manifest says \(manifest.mergeCount); the file may be truncated")
        }
        let merges = try mergeLines.enumerated().map { index, line in
            // Split by code point, not by Character: a piece may begin with a combining mark, a
            // variation selector or a joiner, which would cling to the space as one Character.
            let parts = line.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw TokenizerError.corruptVocabulary(path: mergesPath, line: index + 1,
                                                       reason: "expected two pieces separated by one space")
            }
            return (left: String(parts[0]), right: String(parts[1]))
        }
        return try SubwordVocabulary(pieces: pieces, merges: merges, normalization: manifest.normalization,
                                     preTokenization: manifest.preTokenization,
                                     maxPreTokenLength: manifest.maxPreTokenLength,
                                     piecesOrigin: piecesPath, mergesOrigin: mergesPath)
    }

    /// Writes `vocabulary` into `directory`, creating it if needed.
    /// - Throws: file-system errors.
    public static func write(_ vocabulary: SubwordVocabulary, training: VocabularyManifest.Training?, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let manifest = VocabularyManifest(vocabulary: vocabulary, training: training)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var manifestData = try encoder.encode(manifest)
        manifestData.append(contentsOf: Array("\n".utf8))
        try manifestData.write(to: URL(fileURLWithPath: path(directory, manifestFile)))
        try Data(vocabulary.pieces.map { $0 + "\n" }.joined().utf8)
            .write(to: URL(fileURLWithPath: path(directory, piecesFile)))
        let mergeText = vocabulary.merges.map { vocabulary.pieces[Int($0.left)] + " " + vocabulary.pieces[Int($0.right)] + "\n" }.joined()
        try Data(mergeText.utf8).write(to: URL(fileURLWithPath: path(directory, mergesFile)))
    }

    private static func path(_ directory: String, _ file: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(file).path
    }

    private static func readLines(_ path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { throw TokenizerError.missingVocabularyFile(path: path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TokenizerError.unreadableVocabularyFile(path: path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenizerError.corruptVocabulary(path: path, line: nil, reason: "it is not valid UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
