#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing whole byte buffers to a file descriptor with `write(2)`.
public enum FileDescriptorWrite {
    /// Writes all of `bytes` to `descriptor`, retrying after interruptions and short writes.
    /// - Returns: 0 on success, else the `errno` of the failed write.
    public static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32) -> Int32 {
        var written = bytes.startIndex
        while written < bytes.endIndex {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                written += count
            } else if count < 0, errno == EINTR || errno == EAGAIN {
                continue
            } else {
                return count == 0 ? EIO : errno
            }
        }
        return 0
    }
}
