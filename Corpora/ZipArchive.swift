import Foundation

/// Extracts members of zip archives with the system's `unzip` tool.
enum ZipArchive {
    /// Where `unzip` is expected; Debian (package `unzip`) and macOS both put it here.
    static let unzipPath = "/usr/bin/unzip"

    /// Extracts the member `member` of the archive `archive` into the folder `folder`, without
    /// the member's own folders.
    /// - Returns: the extracted file.
    /// - Throws: `ZipArchiveError`.
    @discardableResult
    static func extract(member: String, from archive: URL, into folder: URL) throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: unzipPath) else {
            throw ZipArchiveError.unzipUnavailable(path: unzipPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: unzipPath)
        // -o: overwrite without asking, -q: quiet, -j: ignore folders inside the archive.
        process.arguments = ["-o", "-q", "-j", archive.path, member, "-d", folder.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let extracted = folder.appendingPathComponent((member as NSString).lastPathComponent)
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: extracted.path) else {
            throw ZipArchiveError.extractionFailed(archive: archive.path, member: member, status: process.terminationStatus)
        }
        return extracted
    }
}

/// Errors extracting a file from a zip archive.
public enum ZipArchiveError: LocalizedError, Equatable {
    case unzipUnavailable(path: String)
    case extractionFailed(archive: String, member: String, status: Int32)

    public var errorDescription: String? {
        switch self {
        case let .unzipUnavailable(path):
            return "'\(path)' is needed to extract the download but is not installed; "
                + "install it (apt-get install unzip), or unzip the archive yourself and run `tern corpus import`"
        case let .extractionFailed(archive, member, status):
            return "unzip could not extract '\(member)' from '\(archive)' (exit status \(status)); "
                + "the origin may have changed the archive: extract it yourself and run `tern corpus import`"
        }
    }
}
