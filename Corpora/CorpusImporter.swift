import Foundation

/// Imports a corpus from a local folder: checks every file against the catalogue, then writes
/// plain-text files ready for training into a destination folder.
///
/// For each file of the corpus the importer
/// 1. finds it in the source folder, which may hold the corpus's files directly or in a
///    subfolder named after the corpus (as `../shared/corpora` does);
/// 2. checks its size and SHA-256 against the catalogue, before anything is written;
/// 3. decompresses `.gz` files, splits tab-separated files into one file per column and copies
///    the rest, checking the line count;
/// 4. writes each output under a temporary name and renames it into place.
///
/// ```swift
/// let importer = try CorpusImporter()
/// let summary = try importer.import("multi30k", from: URL(fileURLWithPath: "../shared/corpora"))
/// ```
public struct CorpusImporter: Sendable {
    public let catalog: CorpusCatalog

    public init(catalog: CorpusCatalog) {
        self.catalog = catalog
    }

    /// An importer for the catalogue shipped with Tern.
    public init() throws {
        self.init(catalog: try .bundled())
    }

    /// Imports the corpus called `name` from `source` into `destination`, by default
    /// `CorpusCache.directory(for: name)`.
    public func `import`(_ name: String, from source: URL, to destination: URL? = nil) throws -> CorpusImportSummary {
        let corpus = try catalog.corpus(named: name)
        return try self.import(corpus, from: source, to: destination ?? CorpusCache.directory(for: name))
    }

    /// Imports `corpus` from `source` into `destination`.
    public func `import`(_ corpus: Corpus, from source: URL, to destination: URL) throws -> CorpusImportSummary {
        let located = try corpus.files.map { file in (file, try locate(file, of: corpus, in: source)) }
        for (file, url) in located {
            try verifyIntegrity(of: file, at: url)
        }
        var outputs: [CorpusImportSummary.Output] = []
        for (file, url) in located {
            outputs += try unpack(file, from: url, into: destination)
        }
        return CorpusImportSummary(corpus: corpus.name, destination: destination, outputs: outputs)
    }

    private func locate(_ file: CorpusFile, of corpus: Corpus, in source: URL) throws -> URL {
        let candidates = [
            source.appendingPathComponent(corpus.name).appendingPathComponent(file.name),
            source.appendingPathComponent(file.name),
        ]
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0.path) }) else {
            throw CorpusImportError.missingFile(corpus: corpus.name, file: file.name, searched: candidates.map(\.path))
        }
        return found
    }

    private func verifyIntegrity(of file: CorpusFile, at url: URL) throws {
        let size = try url.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
        guard size == file.bytes else {
            throw CorpusImportError.sizeMismatch(path: url.path, expected: file.bytes, found: size)
        }
        let digest = try SHA256.hash(fileAt: url).hex
        guard digest == file.sha256 else {
            throw CorpusImportError.checksumMismatch(path: url.path, expected: file.sha256, found: digest)
        }
    }

    private func unpack(_ file: CorpusFile, from url: URL, into destination: URL) throws -> [CorpusImportSummary.Output] {
        let outputURLs = file.outputNames.map { destination.appendingPathComponent($0) }
        for folder in Set(outputURLs.map { $0.deletingLastPathComponent() }) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        return try AtomicFiles.write(to: outputURLs) { temporaries in
            if let member = file.member {
                let staging = FileManager.default.temporaryDirectory
                    .appendingPathComponent("tern-unzip-\(UUID().uuidString)", isDirectory: true)
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: staging) }
                let extracted = try ZipArchive.extract(member: member, from: url, into: staging)
                return try unpackText(file, at: extracted, into: temporaries, reportedAs: url.appendingPathComponent(member))
            }
            if file.isGzip {
                try Gzip.decompress(url, to: temporaries[0])
                try verifyLineCount(of: file, text: temporaries[0], reportedAs: url)
                return [CorpusImportSummary.Output(name: file.outputNames[0], lines: file.lines)]
            }
            return try unpackText(file, at: url, into: temporaries, reportedAs: url)
        }
    }

    /// Splits the plain-text `text` into its columns, or copies it, after checking its line count.
    private func unpackText(
        _ file: CorpusFile, at text: URL, into temporaries: [URL], reportedAs source: URL
    ) throws -> [CorpusImportSummary.Output] {
        try verifyLineCount(of: file, text: text, reportedAs: source)
        if file.columns != nil {
            let rows = try TabSeparatedColumns.split(text, into: temporaries)
            return file.outputNames.map { CorpusImportSummary.Output(name: $0, lines: rows) }
        }
        try FileManager.default.copyItem(at: text, to: temporaries[0])
        // The copy keeps the source's mode, which is read-only in shared folders.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporaries[0].path)
        return [CorpusImportSummary.Output(name: file.outputNames[0], lines: file.lines)]
    }

    private func verifyLineCount(of file: CorpusFile, text: URL, reportedAs source: URL) throws {
        let lines = try FileChunks.lineCount(ofFileAt: text)
        guard lines == file.lines else {
            throw CorpusImportError.lineCountMismatch(path: source.path, expected: file.lines, found: lines)
        }
    }
}

/// What an import wrote.
public struct CorpusImportSummary: Equatable, Sendable {
    /// One file written.
    public struct Output: Equatable, Sendable {
        /// Name relative to `destination`.
        public var name: String
        public var lines: Int
    }

    public var corpus: String
    public var destination: URL
    public var outputs: [Output]

    /// Lines written, all files together.
    public var totalLines: Int {
        outputs.reduce(0) { $0 + $1.lines }
    }
}

/// Errors importing a corpus from local files.
public enum CorpusImportError: LocalizedError, Equatable {
    case missingFile(corpus: String, file: String, searched: [String])
    case sizeMismatch(path: String, expected: Int, found: Int)
    case checksumMismatch(path: String, expected: String, found: String)
    case lineCountMismatch(path: String, expected: Int, found: Int)

    public var errorDescription: String? {
        switch self {
        case let .missingFile(corpus, file, searched):
            return "\(corpus): cannot find '\(file)' (looked for \(searched.joined(separator: " and "))); "
                + "pass --from the folder that holds the corpus files, or a folder with a '\(corpus)' subfolder"
        case let .sizeMismatch(path, expected, found):
            return "'\(path)' has \(found) bytes but the catalogue expects \(expected); "
                + "the file is incomplete or a different version: replace it with an unmodified copy from the origin"
        case let .checksumMismatch(path, expected, found):
            return "'\(path)' has sha256 \(found) but the catalogue expects \(expected); "
                + "the file is corrupt or a different version: replace it with an unmodified copy from the origin"
        case let .lineCountMismatch(path, expected, found):
            return "'\(path)' has \(found) lines of text but the catalogue expects \(expected); "
                + "replace it with an unmodified copy from the origin"
        }
    }
}
