#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives back the memory of a read-only file mapping's pages once a tensor has been read from them.
///
/// Weight files are memory-mapped, and every page read stays resident until the mapping closes,
/// on top of the packed weights built from it: loading a 300 MB F32 model peaked at 600 MB.
/// Dropping a clean page of a read-only file mapping loses nothing; touching it again reads it
/// back from the file.
enum MappedPages {
    /// Releases the whole pages inside `byteRange` of the mapping that starts at `base`.
    static func release(_ base: UnsafeRawPointer, byteRange: Range<Int>) {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard pageSize > 0 else { return }
        let address = Int(bitPattern: base)
        let first = (address + byteRange.lowerBound + pageSize - 1) / pageSize * pageSize
        let end = (address + byteRange.upperBound) / pageSize * pageSize
        guard end > first, let start = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(start, end - first, Int32(MADV_DONTNEED))
    }
}
