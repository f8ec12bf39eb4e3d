import Foundation

/// Copies of fixture folders whose files may be symbolic links to other fixtures' (copied as
/// `FileManager.copyItem` would copy them, a relative link would point nowhere).
public enum FolderCopy {
    /// Copies the files of `folder` into `destination`, which it creates, following links, and
    /// leaving out the files named in `leaving`.
    public static func copy(_ folder: String, to destination: String, leaving: Set<String> = []) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where !leaving.contains(name) {
            let source = URL(fileURLWithPath: folder + "/" + name).resolvingSymlinksInPath()
            try FileManager.default.copyItem(atPath: source.path, toPath: destination + "/" + name)
        }
    }
}

extension TemporaryDirectory {
    /// A new temporary folder holding a copy of `folder` (`FolderCopy.copy`).
    public convenience init(copying folder: String, leaving: Set<String> = []) throws {
        try self.init()
        try FolderCopy.copy(folder, to: path, leaving: leaving)
    }
}
