#ifndef TERN_ICU_H
#define TERN_ICU_H

// A small C facade over ICU. Its interface uses no ICU types (only UTF-16 buffers, ints and
// opaque handles) so that Swift code importing Foundation can use it: Foundation ships its own
// private ICU declarations, which clash with the system headers.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Unicode normalization forms offered by `tern_icu_normalize`.
enum {
    TERN_ICU_NFC = 1,
    TERN_ICU_NFKC = 2
};

/// Kinds of text boundaries offered by `tern_breaker_open`.
enum {
    TERN_ICU_BREAK_WORD = 0,
    TERN_ICU_BREAK_SENTENCE = 1
};

/// Normalizes `source` (UTF-16, `sourceLength` units) into `destination`.
/// Returns the length of the normalized text. When it exceeds `destinationCapacity`, nothing
/// useful is written and the caller retries with a buffer of the returned length.
/// On failure returns -1 and stores ICU's error code in `*errorCode`.
int32_t tern_icu_normalize(int32_t form,
                           const uint16_t *source, int32_t sourceLength,
                           uint16_t *destination, int32_t destinationCapacity,
                           int32_t *errorCode);

/// An ICU break iterator for one kind of boundary. Not thread-safe: one per thread.
typedef struct TernBreaker TernBreaker;

/// Opens a break iterator of `kind` for `locale` (for example "en" or "" for the root locale).
/// Returns NULL on failure and stores ICU's error code in `*errorCode`.
TernBreaker *tern_breaker_open(int32_t kind, const char *locale, int32_t *errorCode);

void tern_breaker_close(TernBreaker *breaker);

/// Writes the boundary offsets of `text` into `boundaries`, in increasing order, starting with 0
/// and ending with `length`. `capacity` must be at least `length + 1`.
/// Returns the number of offsets written, or -1 on failure (ICU's code in `*errorCode`).
int32_t tern_breaker_boundaries(TernBreaker *breaker,
                                const uint16_t *text, int32_t length,
                                int32_t *boundaries, int32_t capacity,
                                int32_t *errorCode);

/// ICU's name for an error code, for messages.
const char *tern_icu_error_name(int32_t errorCode);

/// The ICU version, for example "72.1".
const char *tern_icu_version(void);

#ifdef __cplusplus
}
#endif

#endif
