import Foundation

/// Where imported corpora live unless a command is told otherwise:
/// `$XDG_CACHE_HOME/tern/corpora/<name>`, or `~/.cache/tern/corpora/<name>` when
/// `XDG_CACHE_HOME` is unset.
public enum CorpusCache {
    /// The default folder for the corpus called `name`.
    public static func directory(
        for name: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        cacheHome(environment: environment)
            .appendingPathComponent("tern", isDirectory: true)
            .appendingPathComponent("corpora", isDirectory: true)
            .appendingPathComponent(name, isDirectory: true)
    }

    private static func cacheHome(environment: [String: String]) -> URL {
        // The XDG base directory specification ignores relative paths.
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true)
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache", isDirectory: true)
    }
}
