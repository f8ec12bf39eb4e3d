import Foundation
import TernIO

/// Where imported corpora live unless a command is told otherwise:
/// `$XDG_CACHE_HOME/tern/corpora/<name>`, or `~/.cache/tern/corpora/<name>` when
/// `XDG_CACHE_HOME` is unset (`CacheFolder`).
public enum CorpusCache {
    /// The default folder for the corpus called `name`.
    public static func directory(
        for name: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        CacheFolder.directory(kind: "corpora", name: name, environment: environment)
    }
}
