#include "tern_search.h"
#include "tern_processor.h"

#include "tern_avx2.h"

#pragma STDC FP_CONTRACT OFF

static long first_total_above_portable(const float *logits, long start, long count, float normalizer, float base,
                                       float threshold) {
    for (long i = start; i < count; i++) {
        float total = base + (logits[i] - normalizer);
        if (total > threshold) return i;
    }
    return count;
}

#ifdef TERN_X86
TERN_AVX2 static long first_total_above_avx2(const float *logits, long count, float normalizer, float base, float threshold) {
    const __m256 normalizers = _mm256_set1_ps(normalizer), bases = _mm256_set1_ps(base), thresholds = _mm256_set1_ps(threshold);
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256 a = _mm256_add_ps(bases, _mm256_sub_ps(_mm256_loadu_ps(logits + i), normalizers));
        __m256 b = _mm256_add_ps(bases, _mm256_sub_ps(_mm256_loadu_ps(logits + i + 8), normalizers));
        int above = _mm256_movemask_ps(_mm256_cmp_ps(a, thresholds, _CMP_GT_OQ))
                    | (_mm256_movemask_ps(_mm256_cmp_ps(b, thresholds, _CMP_GT_OQ)) << 8);
        if (above) return i + __builtin_ctz((unsigned)above);
    }
    return first_total_above_portable(logits, i, count, normalizer, base, threshold);
}
#endif

long tern_first_total_above(const float *logits, long count, float normalizer, float base, float threshold) {
#ifdef TERN_X86
    if (tern_processor_has_avx2()) return first_total_above_avx2(logits, count, normalizer, base, threshold);
#endif
    return first_total_above_portable(logits, 0, count, normalizer, base, threshold);
}
