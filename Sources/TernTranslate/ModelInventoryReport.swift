import Foundation
import TernJSON

/// How `tern model list` prints `ModelInventory.list()`.
public enum ModelInventoryFormat: String, CaseIterable, Sendable {
    /// A table for a person: name, mode, languages, weights size, bundled or in the model cache, and
    /// folder (relative to the current folder when inside it).
    case text
    /// One JSON object per model, in a list: the `Entry` fields in snake_case.
    case json

    /// `entries` in this format, without a trailing newline.
    public func render(_ entries: [ModelInventory.Entry]) throws -> String {
        switch self {
        case .json:
            return String(decoding: try SnakeCaseJSON.encoder().encode(entries.map(Record.init)), as: UTF8.self)
        case .text:
            guard !entries.isEmpty else { return "no models found: fetch one with `tern model fetch NAME`" }
            let rows = [["NAME", "MODE", "LANGUAGES", "WEIGHTS", "FROM", "FOLDER"]] + entries.map { entry in
                [entry.name, entry.mode?.rawValue ?? "-", Self.languages(entry.languages),
                 String(format: "%.1f MB", Double(entry.weightBytes) / 1e6), entry.inCache ? "cache" : "bundled",
                 Self.shown(entry.folder) + (entry.problem.map { " (cannot be loaded: \($0))" } ?? "")]
            }
            let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max()! }
            return rows.map { row in
                zip(row, widths).dropLast().map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) + "  " }.joined() + row.last!
            }.joined(separator: "\n")
        }
    }

    /// `folder` relative to the current folder when it is inside it, else as it is.
    private static func shown(_ folder: String) -> String {
        let current = FileManager.default.currentDirectoryPath + "/"
        return folder.hasPrefix(current) ? String(folder.dropFirst(current.count)) : folder
    }

    /// `en → de`, `en → de, es, fr`, or `-` when the name gives no languages.
    private static func languages(_ languages: ModelLanguages?) -> String {
        languages.map { "\($0.source) → \($0.targets.joined(separator: ", "))" } ?? "-"
    }

    /// The JSON form of an entry.
    private struct Record: Encodable {
        let name: String
        let mode: String?
        let folder: String
        let inCache: Bool
        let source: String?
        let targets: [String]
        let weightBytes: Int
        let problem: String?

        init(_ entry: ModelInventory.Entry) {
            name = entry.name
            mode = entry.mode?.rawValue
            folder = entry.folder
            inCache = entry.inCache
            source = entry.languages?.source
            targets = entry.languages?.targets ?? []
            weightBytes = entry.weightBytes
            problem = entry.problem
        }
    }
}
