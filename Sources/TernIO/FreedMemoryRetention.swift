import CMemory

/// How the process's allocator treats memory it frees. Decoding allocates and frees the same
/// large buffers batch after batch (attention caches, logits); by default glibc hands freed memory
/// at the top of the heap, and every block it mapped separately, back to the kernel, so the next
/// batch faults the same pages in again and the kernel zeroes each one (on a 2-core VM that was
/// 0.5 s of system time in a 4 s beam-search run).
public enum FreedMemoryRetention {
    /// Keeps freed memory in the process for reuse: blocks under 32 MiB come from the heap, and
    /// the heap keeps up to 1 GiB of free space. Peak memory is unchanged; memory freed after a
    /// peak stays with the process until it exits. Returns false where the allocator is not glibc's.
    @discardableResult
    public static func keepFreedMemoryForReuse() -> Bool {
        tern_keep_freed_memory(32 << 20, 1 << 30) == 1
    }
}
