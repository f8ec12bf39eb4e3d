#include "tern_icu.h"

#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/uversion.h>

struct TernBreaker {
    UBreakIterator *iterator;
};

int32_t tern_icu_normalize(int32_t form,
                           const uint16_t *source, int32_t sourceLength,
                           uint16_t *destination, int32_t destinationCapacity,
                           int32_t *errorCode) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *normalizer =
        form == TERN_ICU_NFKC ? unorm2_getNFKCInstance(&status) : unorm2_getNFCInstance(&status);
    if (U_FAILURE(status)) {
        *errorCode = status;
        return -1;
    }
    int32_t length = unorm2_normalize(normalizer, (const UChar *)source, sourceLength,
                                      (UChar *)destination, destinationCapacity, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) {
        return length;
    }
    if (U_FAILURE(status)) {
        *errorCode = status;
        return -1;
    }
    return length;
}

TernBreaker *tern_breaker_open(int32_t kind, const char *locale, int32_t *errorCode) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIteratorType type = kind == TERN_ICU_BREAK_SENTENCE ? UBRK_SENTENCE : UBRK_WORD;
    UBreakIterator *iterator = ubrk_open(type, locale, NULL, 0, &status);
    if (U_FAILURE(status)) {
        *errorCode = status;
        return NULL;
    }
    TernBreaker *breaker = malloc(sizeof(TernBreaker));
    if (breaker == NULL) {
        ubrk_close(iterator);
        *errorCode = U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    breaker->iterator = iterator;
    return breaker;
}

void tern_breaker_close(TernBreaker *breaker) {
    if (breaker == NULL) return;
    ubrk_close(breaker->iterator);
    free(breaker);
}

int32_t tern_breaker_boundaries(TernBreaker *breaker,
                                const uint16_t *text, int32_t length,
                                int32_t *boundaries, int32_t capacity,
                                int32_t *errorCode) {
    if (capacity < length + 1) {
        *errorCode = U_BUFFER_OVERFLOW_ERROR;
        return -1;
    }
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(breaker->iterator, (const UChar *)text, length, &status);
    if (U_FAILURE(status)) {
        *errorCode = status;
        return -1;
    }
    int32_t count = 0;
    for (int32_t offset = ubrk_first(breaker->iterator); offset != UBRK_DONE;
         offset = ubrk_next(breaker->iterator)) {
        boundaries[count++] = offset;
    }
    // Detach the iterator from the caller's buffer, which may be freed after this call.
    ubrk_setText(breaker->iterator, NULL, 0, &status);
    return count;
}

const char *tern_icu_error_name(int32_t errorCode) {
    return u_errorName((UErrorCode)errorCode);
}

const char *tern_icu_version(void) {
    static char text[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo version;
    u_getVersion(version);
    u_versionToString(version, text);
    return text;
}
