#include "tern_attention.h"
#include "tern_processor.h"
#include "tern_vector_math.h"

#include <math.h>

#include "tern_avx2.h"

// ---- Portable code ----

static void scores_portable(const float *query, const float *keys, long stride, long key_count, long head_width,
                            float *scores) {
    for (long j = 0; j < key_count; j++) {
        const float *key = keys + j * stride;
        float sum = 0;
        for (long i = 0; i < head_width; i++) sum += query[i] * key[i];
        scores[j] = sum;
    }
}

static void weighted_sum_portable(const float *weights, const float *values, long stride, long key_count, long head_width,
                                  float *output) {
    for (long i = 0; i < head_width; i++) output[i] = 0;
    for (long j = 0; j < key_count; j++) {
        const float *value = values + j * stride;
        for (long i = 0; i < head_width; i++) output[i] += weights[j] * value[i];
    }
}

// ---- AVX2 + FMA (head_width a multiple of 8) ----

#ifdef TERN_X86

/// scores[j] = query · key_j, four keys at a time: their sums reduce together in three hadds.
TERN_AVX2 static void scores_avx2(const float *query, const float *keys, long stride, long key_count, long head_width,
                                  float *scores) {
    long j = 0;
    for (; j + 4 <= key_count; j += 4) {
        const float *k0 = keys + j * stride, *k1 = k0 + stride, *k2 = k1 + stride, *k3 = k2 + stride;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (long i = 0; i < head_width; i += 8) {
            __m256 q = _mm256_loadu_ps(query + i);
            a0 = _mm256_fmadd_ps(q, _mm256_loadu_ps(k0 + i), a0);
            a1 = _mm256_fmadd_ps(q, _mm256_loadu_ps(k1 + i), a1);
            a2 = _mm256_fmadd_ps(q, _mm256_loadu_ps(k2 + i), a2);
            a3 = _mm256_fmadd_ps(q, _mm256_loadu_ps(k3 + i), a3);
        }
        // [a0 a1 a2 a3 | a0 a1 a2 a3] partial sums of the low and high 128-bit halves.
        __m256 pairs = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
        _mm_storeu_ps(scores + j, _mm_add_ps(_mm256_castps256_ps128(pairs), _mm256_extractf128_ps(pairs, 1)));
    }
    for (; j < key_count; j++) {
        const float *key = keys + j * stride;
        __m256 a = _mm256_setzero_ps();
        for (long i = 0; i < head_width; i += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(query + i), _mm256_loadu_ps(key + i), a);
        scores[j] = tern_horizontal_sum(a);
    }
}

/// output = Σ_j weights[j] · value_j, 32 output columns at a time held in registers.
TERN_AVX2 static void weighted_sum_avx2(const float *weights, const float *values, long stride, long key_count,
                                        long head_width, float *output) {
    long i = 0;
    for (; i + 32 <= head_width; i += 32) {
        __m256 o0 = _mm256_setzero_ps(), o1 = o0, o2 = o0, o3 = o0;
        for (long j = 0; j < key_count; j++) {
            const float *value = values + j * stride + i;
            __m256 w = _mm256_broadcast_ss(weights + j);
            o0 = _mm256_fmadd_ps(w, _mm256_loadu_ps(value), o0);
            o1 = _mm256_fmadd_ps(w, _mm256_loadu_ps(value + 8), o1);
            o2 = _mm256_fmadd_ps(w, _mm256_loadu_ps(value + 16), o2);
            o3 = _mm256_fmadd_ps(w, _mm256_loadu_ps(value + 24), o3);
        }
        _mm256_storeu_ps(output + i, o0);
        _mm256_storeu_ps(output + i + 8, o1);
        _mm256_storeu_ps(output + i + 16, o2);
        _mm256_storeu_ps(output + i + 24, o3);
    }
    for (; i < head_width; i += 8) {
        __m256 o = _mm256_setzero_ps();
        for (long j = 0; j < key_count; j++) o = _mm256_fmadd_ps(_mm256_broadcast_ss(weights + j), _mm256_loadu_ps(values + j * stride + i), o);
        _mm256_storeu_ps(output + i, o);
    }
}

TERN_AVX2 static float sum_avx2(const float *values, long count) {
    __m256 a = _mm256_setzero_ps();
    long i = 0;
    for (; i + 8 <= count; i += 8) a = _mm256_add_ps(a, _mm256_loadu_ps(values + i));
    float sum = tern_horizontal_sum(a);
    for (; i < count; i++) sum += values[i];
    return sum;
}

#endif

// ---- Entry points ----

static int uses_avx2(long head_width) {
#ifdef TERN_X86
    return head_width % 8 == 0 && tern_processor_has_avx2();
#else
    (void)head_width;
    return 0;
#endif
}

void tern_attention_probabilities(const float *query, const float *keys, long stride, long key_count, long head_width,
                                  float *probabilities) {
    int vector = uses_avx2(head_width);
#ifdef TERN_X86
    if (vector) scores_avx2(query, keys, stride, key_count, head_width, probabilities);
#endif
    if (!vector) scores_portable(query, keys, stride, key_count, head_width, probabilities);
    float maximum = tern_maximum(probabilities, key_count);
    if (maximum == -INFINITY) {
        for (long j = 0; j < key_count; j++) probabilities[j] = 0;
        return;
    }
    tern_exponentiate(probabilities, key_count, maximum);
    float sum = 0;
#ifdef TERN_X86
    if (vector) sum = sum_avx2(probabilities, key_count);
#endif
    if (!vector) for (long j = 0; j < key_count; j++) sum += probabilities[j];
    float inverse = 1 / sum;
    for (long j = 0; j < key_count; j++) probabilities[j] *= inverse;
}

void tern_attend(const float *query, const float *keys, const float *values, long stride, long key_count, long head_width,
                 float *scores, float *output) {
    tern_attention_probabilities(query, keys, stride, key_count, head_width, scores);
#ifdef TERN_X86
    if (uses_avx2(head_width)) {
        weighted_sum_avx2(scores, values, stride, key_count, head_width, output);
        return;
    }
#endif
    weighted_sum_portable(scores, values, stride, key_count, head_width, output);
}
