#include "tern_vector_math.h"
#include "tern_processor.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tern_avx2.h"

#define EXP_LOWEST -87.3f
#define EXP_HIGHEST 88.3f
#define ROUNDING_SHIFT 12582912.0f  // 1.5 · 2^23: adding it rounds to an integer kept in the low mantissa bits
#define LOG2E 1.44269504f
#define LN2_HIGH 0.69314575f
#define LN2_LOW 1.4286068e-6f

// ---- Portable code ----

static float exp_portable(float x) {
    if (x < EXP_LOWEST) return 0;
    if (x > EXP_HIGHEST) x = EXP_HIGHEST;
    float shifted = x * LOG2E + ROUNDING_SHIFT;
    float n = shifted - ROUNDING_SHIFT;
    float r = x - n * LN2_HIGH - n * LN2_LOW;
    float p = 1.0f / 720;
    p = p * r + 1.0f / 120;
    p = p * r + 1.0f / 24;
    p = p * r + 1.0f / 6;
    p = p * r + 0.5f;
    p = p * r + 1;
    p = p * r + 1;
    int32_t shiftedBits, roundingBits;
    float rounding = ROUNDING_SHIFT;
    memcpy(&shiftedBits, &shifted, sizeof shiftedBits);
    memcpy(&roundingBits, &rounding, sizeof roundingBits);
    int32_t scaleBits = (shiftedBits - roundingBits + 127) << 23;
    float scale;
    memcpy(&scale, &scaleBits, sizeof scale);
    return p * scale;
}

static float maximum_portable(const float *values, long count) {
    float largest = -INFINITY;
    for (long i = 0; i < count; i++) if (values[i] > largest) largest = values[i];
    return largest;
}

static float sum_of_exponentials_portable(const float *values, long count, float shift) {
    float sum = 0;
    for (long i = 0; i < count; i++) sum += exp_portable(values[i] - shift);
    return sum;
}

static void exponentiate_portable(float *values, long count, float shift) {
    for (long i = 0; i < count; i++) values[i] = exp_portable(values[i] - shift);
}

static float dot_portable(const float *a, const float *b, long count) {
    float sum = 0;
    for (long i = 0; i < count; i++) sum += a[i] * b[i];
    return sum;
}

static void swish_portable(float *values, long count) {
    for (long i = 0; i < count; i++) values[i] = values[i] / (1 + exp_portable(-values[i]));
}

static void layer_norm_portable(float *row, long count, const float *gamma, const float *beta, float epsilon) {
    float mean = 0, variance = 0;
    for (long i = 0; i < count; i++) mean += row[i];
    mean /= (float)count;
    for (long i = 0; i < count; i++) variance += (row[i] - mean) * (row[i] - mean);
    variance /= (float)count;
    float inverse = 1 / sqrtf(variance + epsilon);
    for (long i = 0; i < count; i++) row[i] = (row[i] - mean) * inverse * gamma[i] + beta[i];
}

// ---- AVX2 + FMA ----

#ifdef TERN_X86

TERN_AVX2 static inline __m256 exp_avx2(__m256 x) {
    const __m256 lowest = _mm256_set1_ps(EXP_LOWEST), rounding = _mm256_set1_ps(ROUNDING_SHIFT);
    __m256 clamped = _mm256_min_ps(_mm256_max_ps(x, lowest), _mm256_set1_ps(EXP_HIGHEST));
    __m256 shifted = _mm256_fmadd_ps(clamped, _mm256_set1_ps(LOG2E), rounding);
    __m256 n = _mm256_sub_ps(shifted, rounding);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_HIGH), clamped);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_LOW), r);
    __m256 p = _mm256_set1_ps(1.0f / 720);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1));
    __m256i exponent = _mm256_add_epi32(_mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_castps_si256(rounding)),
                                        _mm256_set1_epi32(127));
    __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(exponent, 23));
    __m256 below = _mm256_cmp_ps(x, lowest, _CMP_LT_OQ);
    return _mm256_andnot_ps(below, _mm256_mul_ps(p, scale));
}

TERN_AVX2 static inline float horizontal_max(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
}

TERN_AVX2 static float maximum_avx2(const float *values, long count) {
    __m256 a = _mm256_set1_ps(-INFINITY), b = a;
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        a = _mm256_max_ps(a, _mm256_loadu_ps(values + i));
        b = _mm256_max_ps(b, _mm256_loadu_ps(values + i + 8));
    }
    for (; i + 8 <= count; i += 8) a = _mm256_max_ps(a, _mm256_loadu_ps(values + i));
    float largest = horizontal_max(_mm256_max_ps(a, b));
    for (; i < count; i++) if (values[i] > largest) largest = values[i];
    return largest;
}

TERN_AVX2 static float sum_of_exponentials_avx2(const float *values, long count, float shift) {
    const __m256 shifts = _mm256_set1_ps(shift);
    __m256 a = _mm256_setzero_ps(), b = a;
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        a = _mm256_add_ps(a, exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(values + i), shifts)));
        b = _mm256_add_ps(b, exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(values + i + 8), shifts)));
    }
    for (; i + 8 <= count; i += 8) a = _mm256_add_ps(a, exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(values + i), shifts)));
    float sum = tern_horizontal_sum(_mm256_add_ps(a, b));
    for (; i < count; i++) sum += exp_portable(values[i] - shift);
    return sum;
}

TERN_AVX2 static void exponentiate_avx2(float *values, long count, float shift) {
    const __m256 shifts = _mm256_set1_ps(shift);
    long i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(values + i, exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(values + i), shifts)));
    for (; i < count; i++) values[i] = exp_portable(values[i] - shift);
}

TERN_AVX2 static float dot_avx2(const float *a, const float *b, long count) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    }
    for (; i + 8 <= count; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float sum = tern_horizontal_sum(_mm256_add_ps(s0, s1));
    for (; i < count; i++) sum += a[i] * b[i];
    return sum;
}

TERN_AVX2 static void swish_avx2(float *values, long count) {
    const __m256 one = _mm256_set1_ps(1), zero = _mm256_setzero_ps();
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 x = _mm256_loadu_ps(values + i);
        _mm256_storeu_ps(values + i, _mm256_div_ps(x, _mm256_add_ps(one, exp_avx2(_mm256_sub_ps(zero, x)))));
    }
    for (; i < count; i++) values[i] = values[i] / (1 + exp_portable(-values[i]));
}

TERN_AVX2 static void layer_norm_avx2(float *row, long count, const float *gamma, const float *beta, float epsilon) {
    __m256 sums = _mm256_setzero_ps();
    long i = 0;
    for (; i + 8 <= count; i += 8) sums = _mm256_add_ps(sums, _mm256_loadu_ps(row + i));
    float mean = tern_horizontal_sum(sums);
    for (; i < count; i++) mean += row[i];
    mean /= (float)count;
    const __m256 means = _mm256_set1_ps(mean);
    __m256 squares = _mm256_setzero_ps();
    for (i = 0; i + 8 <= count; i += 8) {
        __m256 centered = _mm256_sub_ps(_mm256_loadu_ps(row + i), means);
        squares = _mm256_fmadd_ps(centered, centered, squares);
    }
    float variance = tern_horizontal_sum(squares);
    for (; i < count; i++) variance += (row[i] - mean) * (row[i] - mean);
    variance /= (float)count;
    float inverse = 1 / sqrtf(variance + epsilon);
    const __m256 inverses = _mm256_set1_ps(inverse);
    for (i = 0; i + 8 <= count; i += 8) {
        __m256 normalized = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(row + i), means), inverses);
        _mm256_storeu_ps(row + i, _mm256_fmadd_ps(normalized, _mm256_loadu_ps(gamma + i), _mm256_loadu_ps(beta + i)));
    }
    for (; i < count; i++) row[i] = (row[i] - mean) * inverse * gamma[i] + beta[i];
}
#endif

// ---- Dispatch ----

float tern_maximum(const float *values, long count) {
#ifdef TERN_X86
    if (tern_processor_has_avx2()) return maximum_avx2(values, count);
#endif
    return maximum_portable(values, count);
}

float tern_sum_of_exponentials(const float *values, long count, float shift) {
#ifdef TERN_X86
    if (tern_processor_has_avx2()) return sum_of_exponentials_avx2(values, count, shift);
#endif
    return sum_of_exponentials_portable(values, count, shift);
}

void tern_exponentiate(float *values, long count, float shift) {
#ifdef TERN_X86
    if (tern_processor_has_avx2()) {
        exponentiate_avx2(values, count, shift);
        return;
    }
#endif
    exponentiate_portable(values, count, shift);
}

float tern_dot(const float *a, const float *b, long count) {
#ifdef TERN_X86
    if (tern_processor_has_avx2()) return dot_avx2(a, b, count);
#endif
    return dot_portable(a, b, count);
}

void tern_swish(float *values, long count) {
#ifdef TERN_X86
    if (tern_processor_has_avx2()) {
        swish_avx2(values, count);
        return;
    }
#endif
    swish_portable(values, count);
}

void tern_layer_norm(float *row, long count, const float *gamma, const float *beta, float epsilon) {
#ifdef TERN_X86
    if (tern_processor_has_avx2()) {
        layer_norm_avx2(row, count, gamma, beta, epsilon);
        return;
    }
#endif
    layer_norm_portable(row, count, gamma, beta, epsilon);
}
