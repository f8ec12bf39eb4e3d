import Foundation

/// The corpus catalogue: every corpus Tern knows, as described by `manifest.json`.
///
/// ```swift
/// let catalog = try CorpusCatalog.bundled()
/// let multi30k = try catalog.corpus(named: "multi30k")
/// ```
public struct CorpusCatalog: Codable, Equatable, Sendable {
    /// The value of `format` in a catalogue file.
    public static let formatName = "tern-corpus-catalog"
    /// The newest catalogue `version` this code reads.
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    /// All corpora, sorted by name.
    public var corpora: [Corpus]

    /// The catalogue shipped with Tern (`Corpora/manifest.json`).
    public static func bundled() throws -> CorpusCatalog {
        guard let url = Bundle.module.url(forResource: "manifest", withExtension: "json") else {
            throw CorpusCatalogError.missingManifest
        }
        return try CorpusCatalog(contentsOf: url)
    }

    /// A catalogue of `corpora`, in the current format.
    public init(corpora: [Corpus]) {
        format = Self.formatName
        version = Self.currentVersion
        self.corpora = corpora
    }

    /// Reads a catalogue file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CorpusCatalogError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        do {
            self = try JSONDecoder().decode(CorpusCatalog.self, from: data)
        } catch {
            throw CorpusCatalogError.unreadable(path: url.path, reason: String(describing: error))
        }
        guard format == Self.formatName else {
            throw CorpusCatalogError.unreadable(path: url.path, reason: "format is '\(format)', not '\(Self.formatName)'")
        }
        guard version <= Self.currentVersion else {
            throw CorpusCatalogError.unreadable(path: url.path, reason: "version \(version) is newer than this Tern reads (\(Self.currentVersion))")
        }
    }

    /// The names of all corpora, in catalogue order.
    public var names: [String] {
        corpora.map(\.name)
    }

    /// The corpus called `name`.
    /// - Throws: `CorpusCatalogError.unknownCorpus`, listing the known names.
    public func corpus(named name: String) throws -> Corpus {
        guard let corpus = corpora.first(where: { $0.name == name }) else {
            throw CorpusCatalogError.unknownCorpus(name: name, known: names)
        }
        return corpus
    }
}

/// Errors finding a corpus in the catalogue.
public enum CorpusCatalogError: LocalizedError, Equatable {
    case unknownCorpus(name: String, known: [String])
    case missingManifest
    case unreadable(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .unknownCorpus(name, known):
            return "no corpus named '\(name)' in the catalogue; use one of: \(known.joined(separator: ", ")) (see `tern corpus list`)"
        case .missingManifest:
            return "the corpus catalogue manifest.json is missing from Tern's resources; rebuild Tern"
        case let .unreadable(path, reason):
            return "cannot read the corpus catalogue '\(path)': \(reason); restore it from the repository"
        }
    }
}
