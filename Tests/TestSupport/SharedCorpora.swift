import Foundation

/// The project's shared corpora (`../shared/corpora` beside the package), for tests that need
/// real data. Such tests are skipped where the folder is absent:
///
/// ```swift
/// @Test(.enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"))
/// ```
public enum SharedCorpora {
    /// The environment variable that points tests at another copy of the shared corpora.
    public static let environmentVariable = "TERN_SHARED_CORPORA"

    /// `TERN_SHARED_CORPORA` when set, otherwise `<package root>/../shared/corpora`; nil when
    /// that folder does not exist.
    public static var directory: URL? {
        let candidate: URL
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty {
            candidate = URL(fileURLWithPath: override, isDirectory: true)
        } else {
            candidate = PackagePaths.root.deletingLastPathComponent()
                .appendingPathComponent("shared", isDirectory: true)
                .appendingPathComponent("corpora", isDirectory: true)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return candidate.standardizedFileURL
    }
}
