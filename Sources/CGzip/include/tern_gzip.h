#ifndef TERN_GZIP_H
#define TERN_GZIP_H

// Decompresses gzip files with zlib, for corpus import.

#ifdef __cplusplus
extern "C" {
#endif

/// Decompresses the gzip file at `sourcePath` into a new file at `destinationPath`.
/// Returns 0 on success, or a negative code: -1 the source cannot be opened, -2 the destination
/// cannot be written, -3 the source is not valid gzip data or is truncated.
int tern_gunzip_file(const char *sourcePath, const char *destinationPath);

#ifdef __cplusplus
}
#endif

#endif
