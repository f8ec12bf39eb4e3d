import Foundation
import TernModel
import TernTranslate

/// Which model folders a comparison runs, from `--model`, `--encdec`/`--prefix-lm`/`--causal-lm`
/// and `--modes`:
///
/// - a folder given for a mode is used for that mode (made absolute);
/// - the modes are those of `modes` when given; otherwise, when folders are given and no model
///   name, just those; otherwise all three;
/// - a mode without a folder is found by name (`model`, default `en-de-multi30k`) with
///   `ModelLocator`: `Models/en-de-multi30k/{encdec,prefix-lm,causal-lm}`. When the modes were not chosen (`--modes`
///   or folders), a mode the named model lacks is left out and listed in `missing`; at least
///   one must exist.
///
/// Modes always come in the order encdec, prefix-lm, causal-lm.
public struct ModelSelection: Sendable, Equatable {
    /// Each compared mode and its folder.
    public var folders: [(mode: Architecture, folder: String)]
    /// The language pair's name for reports: the model name, or else the name of the folder
    /// above the encoder-decoder (or first) folder when that folder is named after its mode
    /// (`Models/en-de/encdec` → `en-de`), or else that folder's own name.
    public var pair: String
    /// Modes left out because the named model has no folder for them.
    public var missing: [Architecture] = []

    public static func == (lhs: ModelSelection, rhs: ModelSelection) -> Bool {
        lhs.pair == rhs.pair && lhs.folders.map(\.mode) == rhs.folders.map(\.mode) && lhs.folders.map(\.folder) == rhs.folders.map(\.folder)
    }

    /// - Throws: `ModelError.unknownModel` when a named model has no folder for a mode.
    public static func resolve(model: String?, folders given: [Architecture: String], modes: [Architecture]?) throws -> ModelSelection {
        let chosen = modes != nil || !given.isEmpty
        let wanted: Set<Architecture> = modes.map(Set.init) ?? (model == nil && !given.isEmpty ? Set(given.keys) : Set(Architecture.allCases))
        let name = model ?? ModelLocator.defaultComparison
        var folders: [(mode: Architecture, folder: String)] = []
        var missing: [Architecture] = []
        var firstFailure: (any Error)?
        for mode in Architecture.allCases where wanted.contains(mode) {
            // Absolute, so that a config's relative `tern_vocabulary` resolves from any folder given.
            if let folder = given[mode] {
                folders.append((mode, URL(fileURLWithPath: folder).standardizedFileURL.path))
                continue
            }
            do {
                folders.append((mode, try ModelLocator.resolve(name, mode: mode)))
            } catch where !chosen {
                missing.append(mode)
                firstFailure = firstFailure ?? error
            }
        }
        if folders.isEmpty, let firstFailure { throw firstFailure }
        guard !folders.isEmpty else { throw CompareError.invalidModes("no mode to compare") }
        let pair: String
        if let model {
            pair = model
        } else {
            let first = URL(fileURLWithPath: (folders.first { $0.mode == .encoderDecoder } ?? folders[0]).folder).standardized
            pair = Architecture(rawValue: first.lastPathComponent) != nil
                ? first.deletingLastPathComponent().lastPathComponent : first.lastPathComponent
        }
        return ModelSelection(folders: folders, pair: pair, missing: missing)
    }

    /// Parses `--modes`: names separated by commas, such as `encdec,prefix-lm`.
    /// - Throws: `CompareError.invalidModes`.
    public static func parseModes(_ list: String) throws -> [Architecture] {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let modes = try names.map { name in
            guard let mode = Architecture(rawValue: name) else {
                throw CompareError.invalidModes("unknown mode '\(name)' in --modes; choose from \(Architecture.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return mode
        }
        guard !modes.isEmpty else { throw CompareError.invalidModes("--modes names no mode") }
        return modes
    }
}
