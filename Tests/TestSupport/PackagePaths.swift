import Foundation

/// Paths inside the package checkout, found from this source file's location.
public enum PackagePaths {
    /// The package root: the folder holding Package.swift.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // TestSupport
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()

    /// A committed vocabulary folder, `Vocab/<name>`.
    public static func vocabulary(_ name: String) -> String {
        root.appendingPathComponent("Vocab").appendingPathComponent(name).path
    }

    /// A committed file, by its path relative to the package root.
    public static func file(_ relativePath: String) -> String {
        root.appendingPathComponent(relativePath).path
    }
}
