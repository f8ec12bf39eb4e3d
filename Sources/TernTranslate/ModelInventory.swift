import Foundation
import TernIO
import TernModel

/// The models `--model NAME` can name on this machine: bundled ones, `Models/NAME/MODE` under
/// the first search root that has them (`ModelLocator.searchRoots`, the order `ModelLocator`
/// resolves names in), and those in the model cache (`ModelCache`) as `NAME` or `OWNER/NAME`:
/// what `tern model fetch` downloaded, and training exports written there. Only `config.json` and the weights file's size are
/// read, so a large model lists as fast as a small one; a folder whose `config.json` cannot be
/// read is listed with the reason.
public enum ModelInventory {
    /// One model folder.
    public struct Entry: Sendable, Equatable {
        /// The name `--model` takes.
        public let name: String
        /// Its architecture; nil when `config.json` cannot be read (see `problem`).
        public let mode: Architecture?
        public let folder: String
        /// True for a folder in the model cache, false for a bundled one.
        public let inCache: Bool
        /// Its languages; nil when its name gives none.
        public let languages: ModelLanguages?
        /// Bytes of its weights file (`model.safetensors`, else `pytorch_model.bin`); 0 when missing.
        public let weightBytes: Int
        /// Why the folder cannot be loaded as it is, when `config.json` says so.
        public let problem: String?
    }

    /// Every model under `roots`' `Models/` folders, then every one in `cache`, each sorted by name
    /// (a bundled name's modes in `Architecture.allCases` order).
    public static func list(roots: [String] = ModelLocator.searchRoots, cache: URL = ModelCache.root()) -> [Entry] {
        var bundled: [String: Entry] = [:]
        for root in roots {
            let models = URL(fileURLWithPath: root).appendingPathComponent("Models").path
            for name in subfolders(of: models) {
                for mode in Architecture.allCases where bundled["\(name)/\(mode.rawValue)"] == nil {
                    let folder = models + "/" + name + "/" + mode.rawValue
                    guard hasConfig(folder) else { continue }
                    bundled["\(name)/\(mode.rawValue)"] = entry(name: name, folder: folder, inCache: false)
                }
            }
        }
        var cached: [Entry] = []
        for name in subfolders(of: cache.path) {
            let folder = cache.path + "/" + name
            if hasConfig(folder) {
                cached.append(entry(name: name, folder: folder, inCache: true))
            } else {
                cached += subfolders(of: folder).filter { hasConfig(folder + "/" + $0) }
                    .map { entry(name: name + "/" + $0, folder: folder + "/" + $0, inCache: true) }
            }
        }
        let modeOrder = { (entry: Entry) in Architecture.allCases.firstIndex { $0 == entry.mode } ?? 0 }
        return bundled.values.sorted { ($0.name, modeOrder($0)) < ($1.name, modeOrder($1)) } + cached.sorted { $0.name < $1.name }
    }

    private static func entry(name: String, folder: String, inCache: Bool) -> Entry {
        let configPath = folder + "/" + ModelDirectory.configFile
        var mode: Architecture?, problem: String?
        do {
            mode = try ModelConfig.load(path: configPath).architecture(path: configPath)
        } catch {
            problem = error.localizedDescription
        }
        let languages = (try? ModelLanguages.of(folder: folder))?.map(\.languages)
        let weights = ModelDirectory.weightsPath(folder)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: weights)[.size] as? Int) ?? 0
        return Entry(name: name, mode: mode, folder: folder, inCache: inCache, languages: languages, weightBytes: bytes, problem: problem)
    }

    private static func hasConfig(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/" + ModelDirectory.configFile)
    }

    /// The names of the folders in `path` (links followed), sorted; none when it is not a folder.
    private static func subfolders(of path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isFolder) && isFolder.boolValue
        }.sorted()
    }
}
