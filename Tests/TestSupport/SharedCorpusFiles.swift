import Foundation

extension SharedCorpora {
    /// Every text file of the shared corpora (plain or gzip), sorted by path; documentation and
    /// score tables left out.
    public static func textFiles() throws -> [URL] {
        guard let directory else { return [] }
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true,
                  !["md", "tsv"].contains(url.pathExtension.lowercased())
            else { continue }
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }
}
