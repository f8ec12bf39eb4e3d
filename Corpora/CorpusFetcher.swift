import Foundation

/// Downloads a corpus from its origin (or a mirror) into a temporary folder, then imports it
/// with `CorpusImporter`, so downloads get exactly the same checks as local copies.
///
/// A mirror serves the layout `tern corpus import` reads: `<mirror>/<corpus>/<file name>`, every
/// file as the catalogue names it (no archives). A plain HTTP server over a folder like
/// `../shared/corpora` is a mirror.
public struct CorpusFetcher: Sendable {
    /// Environment variable naming a mirror, used when no mirror is passed explicitly.
    public static let mirrorVariable = "TERN_CORPUS_MIRROR"

    public let importer: CorpusImporter
    /// Base URL of a mirror, or nil to download from each file's origin URL.
    public let mirror: URL?
    /// Seconds to wait for a server to answer before giving up.
    public let timeout: TimeInterval

    /// - Parameters:
    ///   - mirror: Base URL of a mirror; when nil, `TERN_CORPUS_MIRROR` from `environment`, if set.
    ///   - timeout: Seconds to wait for a server to answer.
    public init(
        importer: CorpusImporter,
        mirror: URL? = nil,
        timeout: TimeInterval = 20,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.importer = importer
        self.mirror = mirror ?? environment[Self.mirrorVariable].flatMap { $0.isEmpty ? nil : URL(string: $0) }
        self.timeout = timeout
    }

    /// Downloads the corpus called `name` and imports it into `destination`, by default
    /// `CorpusCache.directory(for: name)`.
    /// - Throws: `CorpusFetchError` when a file cannot be downloaded, or what the import throws.
    public func fetch(_ name: String, to destination: URL? = nil) async throws -> CorpusImportSummary {
        let corpus = try importer.catalog.corpus(named: name)
        let staging = FileManager.default.temporaryDirectory
            .appendingPathComponent("tern-fetch-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: staging) }

        let curl = CorpusDownload(curl: CurlDownload(timeout: timeout), corpus: corpus.name)
        for file in corpus.files {
            let target = staging.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let (url, archive) = try remoteLocation(of: file, in: corpus)
            switch archive {
            case nil:
                try curl.fetch(url, to: target)
            case .zip:
                let zip = staging.appendingPathComponent("\(file.name).zip")
                try curl.fetch(url, to: zip)
                try ZipArchive.extract(member: file.name, from: zip, into: target.deletingLastPathComponent())
            }
        }
        return try importer.import(corpus, from: staging, to: destination ?? CorpusCache.directory(for: name))
    }

    /// Where to download `file` from, and how it is packed there.
    private func remoteLocation(of file: CorpusFile, in corpus: Corpus) throws -> (URL, CorpusFile.Archive?) {
        if let mirror {
            return (mirror.appendingPathComponent(corpus.name).appendingPathComponent(file.name), nil)
        }
        guard let url = file.url else {
            throw CorpusFetchError.noDownload(corpus: corpus.name, file: file.name)
        }
        return (url, file.archive)
    }
}

/// `CurlDownload` for one corpus, its failures told as `CorpusFetchError`.
private struct CorpusDownload {
    let curl: CurlDownload
    let corpus: String

    func fetch(_ url: URL, to target: URL) throws {
        do {
            try curl.fetch(url, to: target)
        } catch let failure as CurlDownload.Failure {
            switch failure {
            case let .unreachable(url, reason): throw CorpusFetchError.originUnreachable(corpus: corpus, url: url, reason: reason)
            case let .httpStatus(url, status): throw CorpusFetchError.httpStatus(url: url, status: status)
            case let .failed(url, reason): throw CorpusFetchError.downloadFailed(url: url, reason: reason)
            }
        }
    }
}

/// Errors downloading a corpus.
public enum CorpusFetchError: LocalizedError, Equatable {
    case originUnreachable(corpus: String, url: String, reason: String)
    case httpStatus(url: String, status: Int)
    case downloadFailed(url: String, reason: String)
    case noDownload(corpus: String, file: String)

    public var errorDescription: String? {
        switch self {
        case let .originUnreachable(corpus, url, reason):
            return "could not reach the origin of \(corpus) at \(url) (\(reason)); this machine may be offline. "
                + "With a local copy of the files, run `tern corpus import \(corpus) --from DIR`"
        case let .httpStatus(url, status):
            return "downloading \(url) failed with HTTP status \(status); check that the server still has the file there, "
                + "or download from a mirror that does (--mirror or \(CorpusFetcher.mirrorVariable))"
        case let .downloadFailed(url, reason):
            return "downloading \(url) failed (\(reason)); try again, or download the files yourself and run `tern corpus import`"
        case let .noDownload(corpus, file):
            return "\(corpus): the catalogue pins no download for '\(file)'; "
                + "fetch it from a mirror (--mirror or \(CorpusFetcher.mirrorVariable)), or run `tern corpus import \(corpus) --from DIR` with a local copy"
        }
    }
}
