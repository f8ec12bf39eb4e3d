import Foundation

/// Tern's cache folder, where downloaded corpora and models live: `$XDG_CACHE_HOME/tern`, or
/// `~/.cache/tern` when `XDG_CACHE_HOME` is unset or relative.
public enum CacheFolder {
    /// `<cache>/tern/<kind>/<name>`, for example `~/.cache/tern/models/Helsinki-NLP/opus-mt-en-de`.
    public static func directory(kind: String, name: String,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        tern(environment: environment)
            .appendingPathComponent(kind, isDirectory: true)
            .appendingPathComponent(name, isDirectory: true)
    }

    /// `$XDG_CACHE_HOME/tern`, or `~/.cache/tern`.
    public static func tern(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        // The XDG base directory specification ignores relative paths.
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.homeDirectoryForCurrentUser
            base = home.appendingPathComponent(".cache", isDirectory: true)
        }
        return base.appendingPathComponent("tern", isDirectory: true)
    }
}
