#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard input, output and error that the process was started without (`tern … <&-`).
///
/// A closed descriptor 0, 1 or 2 would be reused by the next file the process opens, so that
/// "standard input" would read a model file, or "standard output" overwrite one.
/// `occupyClosedDescriptors()` puts `/dev/null` in their place before anything is opened, and
/// remembers them, so that `LineReader` and `LineWriter` can say that the stream is closed.
public enum StandardStreams {
    nonisolated(unsafe) private static var closedAtStart: Set<Int32> = []

    /// Call first thing in `main`, before any file is opened.
    public static func occupyClosedDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            let placeholder = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if placeholder >= 0, placeholder != descriptor {
                dup2(placeholder, descriptor)
                close(placeholder)
            }
            closedAtStart.insert(descriptor)
        }
    }

    /// Whether `descriptor` (0, 1 or 2) was closed when the process started.
    public static func wasClosedAtStart(_ descriptor: Int32) -> Bool {
        closedAtStart.contains(descriptor)
    }
}
