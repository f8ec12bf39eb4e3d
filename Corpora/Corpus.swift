import Foundation

/// One corpus of the catalogue (`manifest.json`): where it comes from, under which licence, and
/// the exact files it consists of.
public struct Corpus: Codable, Equatable, Sendable {
    /// What a corpus is meant for.
    public enum Purpose: String, Codable, Sendable {
        /// Sentence pairs to learn from.
        case training
        /// Held-out test sets, possibly with system outputs to compare against.
        case evaluation
    }

    /// A named part of the corpus, such as `train` or `val`, and its number of sentence pairs.
    public struct Split: Codable, Equatable, Sendable {
        public var name: String
        public var sentences: Int
    }

    /// The catalogue's name, used on the command line and as the corpus's folder name.
    public var name: String
    public var description: String
    /// Home page or repository the files come from.
    public var origin: String
    /// Licence of the data, in short; `description` may say more.
    public var licence: String
    /// Language pairs, such as `en-de`.
    public var pairs: [String]
    public var purpose: Purpose
    public var splits: [Split]
    public var files: [CorpusFile]

    /// Names of all files an import writes, relative to the corpus's destination folder.
    public var outputNames: [String] {
        files.flatMap(\.outputNames)
    }

    /// True when every file an import writes exists in `directory`.
    public func isImported(at directory: URL) -> Bool {
        outputNames.allSatisfy { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
    }
}

/// One file of a corpus, as published by its origin, with the facts an import checks.
public struct CorpusFile: Codable, Equatable, Sendable {
    /// How the origin packs a file for download.
    public enum Archive: String, Codable, Sendable {
        /// `url` is a zip archive; the file is the archive member named like the file.
        case zip
    }

    /// File name relative to the corpus folder; it may include a subfolder (`en-de/flores-dev.en`).
    /// A name ending in `.gz` is gzip-compressed.
    public var name: String
    /// Size in bytes of the file as published (compressed, for `.gz` files).
    public var bytes: Int
    /// SHA-256 of the file as published (compressed, for `.gz` files), in lowercase hex.
    public var sha256: String
    /// Number of lines of the text (after decompression, for `.gz` files).
    public var lines: Int
    /// Where the origin publishes the file; nil when no download is pinned.
    public var url: URL?
    /// How the download at `url` is packed; nil for the plain file.
    public var archive: Archive?
    /// For a file published as a zip archive (`name` ends in `.zip`, and `bytes` and `sha256`
    /// pin the archive): the archive member to import. `lines` and `columns` then describe the
    /// member, and its output is named after it unless `columns` names the outputs.
    public var member: String?
    /// For a tab-separated file, the output file each column is written to, in column order.
    public var columns: [String]?

    /// True for gzip-compressed files, which an import decompresses.
    public var isGzip: Bool {
        name.hasSuffix(".gz")
    }

    /// Names of the files an import writes for this file: one per column for tab-separated
    /// files, the member's file name for archive members, the name without `.gz` for compressed
    /// files, and the name itself otherwise.
    public var outputNames: [String] {
        if let columns { return columns }
        if let member { return [(member as NSString).lastPathComponent] }
        return isGzip ? [String(name.dropLast(".gz".count))] : [name]
    }
}
