#ifndef TERN_AVX2_H
#define TERN_AVX2_H

// Shared by the kernels' AVX2 code paths (private to CKernels).

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TERN_X86 1
#define TERN_AVX2 __attribute__((target("avx2,fma,f16c")))

/// The sum of a vector's eight lanes.
TERN_AVX2 static inline float tern_horizontal_sum(__m256 v) {
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_shuffle_ps(sum, sum, 1));
    return _mm_cvtss_f32(sum);
}
#endif

#endif
