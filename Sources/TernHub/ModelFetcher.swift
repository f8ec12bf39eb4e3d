import Foundation
import TernCorpus
import TernTranslate

/// Downloads a Marian model folder (OPUS-MT, say `Helsinki-NLP/opus-mt-en-de`) from the Hugging
/// Face hub with the `curl` tool into `ModelCache.directory(for: name)`, where `--model NAME`
/// finds it.
///
/// - The file list, sizes, SHA-256 values (Git LFS files) and Git blob ids (the others) come
///   from the hub's API (`HubListing`); only the
///   files a Marian folder needs are fetched (`HubListing.marianFiles`).
/// - Each file downloads to `FILE.partial`, continues from there when a run was interrupted
///   (an HTTP range request), and is renamed into place only once its size and checksum match. A file already in place with the right size and checksum
///   is kept.
/// - The hub is `$TERN_HUB_ENDPOINT`, else `https://huggingface.co`.
///
/// ```swift
/// let summary = try ModelFetcher().fetch("Helsinki-NLP/opus-mt-en-de")
/// print(summary.folder.path)
/// ```
public struct ModelFetcher: Sendable {
    public static let endpointVariable = "TERN_HUB_ENDPOINT"
    public static let defaultEndpoint = URL(string: "https://huggingface.co")!

    public let endpoint: URL
    public let timeout: TimeInterval
    private let environment: [String: String]

    /// What a fetch did: the folder, and the files downloaded and kept.
    public struct Summary: Equatable, Sendable {
        public var folder: URL
        public var downloaded: [String]
        public var alreadyPresent: [String]
        public var bytesDownloaded: Int
    }

    public init(endpoint: URL? = nil, timeout: TimeInterval = 20, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.endpoint = endpoint ?? environment[Self.endpointVariable].flatMap { $0.isEmpty ? nil : URL(string: $0) } ?? Self.defaultEndpoint
        self.timeout = timeout
        self.environment = environment
    }

    /// Fetches model `name` into `destination`, by default its `ModelCache` folder.
    /// - Throws: `ModelFetchError`.
    public func fetch(_ name: String, to destination: URL? = nil) throws -> Summary {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && $0.allSatisfy(allowed.contains) }) else {
            throw ModelFetchError.invalidName(name)
        }
        let folder = destination ?? ModelCache.directory(for: name, environment: environment)
        let listingURL = URL(string: endpoint.absoluteString + "/api/models/\(name)?blobs=true")!
        let listingFile = FileManager.default.temporaryDirectory.appendingPathComponent("tern-listing-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: listingFile) }
        try download(listingURL, to: listingFile, resume: false, folder: folder)
        let listing = try HubListing(json: (try? Data(contentsOf: listingFile)) ?? Data(), url: listingURL.absoluteString)
        let files = listing.marianFiles
        let missing = ["config.json", "vocab.json", "source.spm", "target.spm"].filter { required in !files.contains { $0.name == required } }
            + (files.contains { $0.name.hasSuffix("model.safetensors") || $0.name == "pytorch_model.bin" } ? [] : ["model.safetensors or pytorch_model.bin"])
        guard missing.isEmpty else { throw ModelFetchError.notAMarianFolder(name: name, missing: missing) }
        try createFolder(folder)

        var summary = Summary(folder: folder, downloaded: [], alreadyPresent: [], bytesDownloaded: 0)
        for file in files {
            let target = folder.appendingPathComponent(file.name)
            if (try? verify(target, as: file)) != nil {
                summary.alreadyPresent.append(file.name)
                continue
            }
            try? FileManager.default.removeItem(at: target)
            let partial = folder.appendingPathComponent(file.name + ".partial")
            let partialSize = Self.size(of: partial)
            if partialSize > file.size { try? FileManager.default.removeItem(at: partial) }
            if Self.size(of: partial) < file.size || file.size == 0 {
                let url = URL(string: endpoint.absoluteString + "/\(name)/resolve/main/\(file.name)")!
                do {
                    try download(url, to: partial, resume: Self.size(of: partial) > 0, folder: folder)
                } catch ModelFetchError.downloadFailed where Self.size(of: partial) > 0 {
                    // A server that cannot resume: start the file again.
                    try? FileManager.default.removeItem(at: partial)
                    try download(url, to: partial, resume: false, folder: folder)
                }
            }
            do {
                try verify(partial, as: file)
            } catch {
                try? FileManager.default.removeItem(at: partial)
                throw error
            }
            try FileManager.default.moveItem(at: partial, to: target)
            summary.downloaded.append(file.name)
            summary.bytesDownloaded += file.size - min(partialSize, file.size)
        }
        return summary
    }

    /// Checks `file`'s size, and its SHA-256 or Git blob id, whichever the hub lists.
    /// - Throws: `ModelFetchError.sizeMismatch` or `.checksumMismatch`.
    private func verify(_ url: URL, as file: HubListing.File) throws {
        let size = Self.size(of: url)
        guard size == file.size, FileManager.default.fileExists(atPath: url.path) else {
            throw ModelFetchError.sizeMismatch(file: file.name, expected: file.size, found: size)
        }
        if let expected = file.sha256 {
            let found = (try? SHA256.hash(fileAt: url).hex) ?? "unreadable"
            guard found == expected else { throw ModelFetchError.checksumMismatch(file: file.name, kind: "SHA-256", expected: expected, found: found) }
        } else if let expected = file.blobID {
            let found = (try? GitBlobSHA1.id(ofFileAt: url)) ?? "unreadable"
            guard found == expected else { throw ModelFetchError.checksumMismatch(file: file.name, kind: "Git blob id", expected: expected, found: found) }
        }
    }

    private func download(_ url: URL, to target: URL, resume: Bool, folder: URL) throws {
        do {
            try CurlDownload(timeout: timeout).fetch(url, to: target, resume: resume)
        } catch let failure as CurlDownload.Failure {
            switch failure {
            case let .unreachable(url, reason): throw ModelFetchError.hubUnreachable(url: url, reason: reason, folder: folder.path)
            case let .httpStatus(url, status): throw ModelFetchError.httpStatus(url: url, status: status)
            case let .failed(url, reason): throw ModelFetchError.downloadFailed(url: url, reason: reason)
            }
        }
    }

    private func createFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ModelFetchError.downloadFailed(url: folder.path, reason: "the folder cannot be created: \(error.localizedDescription)")
        }
    }

    private static func size(of url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
