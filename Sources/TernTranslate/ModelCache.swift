import Foundation
import TernIO

/// Where `tern model fetch` puts models, and where `--model NAME` finds them:
/// `$XDG_CACHE_HOME/tern/models/NAME`, or `~/.cache/tern/models/NAME` (`CacheFolder`).
public enum ModelCache {
    /// The folder that holds every fetched model.
    public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        CacheFolder.tern(environment: environment).appendingPathComponent("models", isDirectory: true)
    }

    /// The folder of model `name` (`OWNER/NAME` for a hub model) in `root`.
    public static func directory(for name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        root(environment: environment).appendingPathComponent(name, isDirectory: true)
    }
}
