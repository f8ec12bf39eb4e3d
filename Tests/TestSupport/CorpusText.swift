import Foundation

/// Reads the text lines of a corpus file, decompressing `.gz` files with the system's gzip.
public enum CorpusText {
    public static func lines(of url: URL) throws -> [String] {
        let data: Data
        if url.pathExtension == "gz" {
            data = try ProcessRunner.run("/bin/gzip", ["-dc", url.path]).standardOutput
        } else {
            data = try Data(contentsOf: url)
        }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
