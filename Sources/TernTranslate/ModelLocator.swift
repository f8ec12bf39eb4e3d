import Foundation
import TernModel

/// Finds model folders by name: `en-de` with mode `encdec` is `Models/en-de/encdec/` under the
/// first of these roots that has it: `$TERN_HOME`, the current folder, and the folders above
/// the running executable (so `.build/release/tern` finds the checkout's `Models/`). Any other
/// name is looked up in the model cache, where `tern model fetch NAME` puts it (`ModelCache`).
public enum ModelLocator {
    /// The bundled default: English→German, encoder-decoder, trained on everyday, news and caption text.
    public static let defaultModel = "en-de"

    /// The bundled architecture study that `tern compare` runs by default: English→German
    /// encoder-decoder, prefix LM and causal LM trained on Multi30k with the same budget.
    public static let defaultComparison = "en-de-multi30k"

    public static var searchRoots: [String] {
        var roots: [String] = []
        if let home = ProcessInfo.processInfo.environment["TERN_HOME"] { roots.append(home) }
        roots.append(FileManager.default.currentDirectoryPath)
        // The executable's real location, also when it was started through PATH or a symlink.
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            roots.append(folder.path)
            folder = folder.deletingLastPathComponent()
        }
        return roots
    }

    /// The folder of `nameOrPath` in `mode`.
    /// - Throws: `ModelError.unknownModel` listing where it looked.
    public static func resolve(_ nameOrPath: String = defaultModel, mode: Architecture = .encoderDecoder) throws -> String {
        do {
            return try ModelDirectory.resolve(nameOrPath, mode: mode, roots: searchRoots)
        } catch let ModelError.unknownModel(name, searched) {
            let cached = ModelCache.directory(for: nameOrPath)
            guard FileManager.default.fileExists(atPath: cached.appendingPathComponent(ModelDirectory.configFile).path) else {
                throw ModelError.unknownModel(name: name, searched: searched + [cached.path])
            }
            return cached.path
        }
    }
}
