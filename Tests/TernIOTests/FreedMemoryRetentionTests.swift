import TernIO
import Testing

@Suite struct FreedMemoryRetentionTests {
    /// glibc accepts both settings (it refuses an mmap threshold above 32 MiB, for one).
    @Test func glibcAcceptsTheSettings() {
        #if canImport(Glibc)
        #expect(FreedMemoryRetention.keepFreedMemoryForReuse())
        #endif
    }
}
