#ifndef TERN_MEMORY_H
#define TERN_MEMORY_H

// The allocator settings Tern's processes run with (see TernIO's FreedMemoryRetention).

#ifdef __cplusplus
extern "C" {
#endif

/// With glibc: blocks under `mmap_threshold` bytes come from the heap, and the heap keeps up to
/// `trim_threshold` bytes of free space instead of giving it back. Returns 1 when both were set,
/// 0 when the allocator is not glibc's or refused a value.
int tern_keep_freed_memory(long mmap_threshold, long trim_threshold);

#ifdef __cplusplus
}
#endif

#endif
