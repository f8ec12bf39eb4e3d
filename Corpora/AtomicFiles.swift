import Foundation

/// Writes files under temporary names beside their destinations and renames them into place
/// only once all of them are complete, so that no reader ever sees a half-written file.
enum AtomicFiles {
    /// Calls `produce` with one temporary file URL per destination, in the same order, then
    /// renames each temporary file to its destination, replacing what was there. When `produce`
    /// throws, the temporary files are removed and the destinations are left untouched.
    static func write<Result>(to destinations: [URL], _ produce: ([URL]) throws -> Result) throws -> Result {
        let temporaries = destinations.map { destination in
            destination.deletingLastPathComponent()
                .appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        }
        defer {
            for temporary in temporaries where FileManager.default.fileExists(atPath: temporary.path) {
                try? FileManager.default.removeItem(at: temporary)
            }
        }
        let result = try produce(temporaries)
        for (temporary, destination) in zip(temporaries, destinations) {
            guard rename(temporary.path, destination.path) == 0 else {
                throw AtomicFilesError.cannotRename(destination: destination.path, reason: String(cString: strerror(errno)))
            }
        }
        return result
    }
}

/// Errors moving a finished file into place.
public enum AtomicFilesError: LocalizedError, Equatable {
    case cannotRename(destination: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .cannotRename(destination, reason):
            return "cannot move the finished file into place at '\(destination)' (\(reason)); check that the folder is writable"
        }
    }
}
