import Foundation
import TestSupport

extension TemporaryDirectory {
    /// The URL of `name` inside this folder.
    func fileURL(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    /// Writes `text` as UTF-8 to `name` inside this folder and returns its URL.
    @discardableResult
    func write(_ text: String, to name: String) throws -> URL {
        let file = fileURL(name)
        try Data(text.utf8).write(to: file)
        return file
    }
}
