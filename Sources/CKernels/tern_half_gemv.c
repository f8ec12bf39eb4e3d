#include "tern_half_gemv.h"
#include "tern_processor.h"

#include <string.h>

#include "tern_avx2.h"

static float half_to_float(uint16_t half) {
    uint32_t sign = (uint32_t)(half & 0x8000) << 16;
    uint32_t exponent = (half >> 10) & 0x1f;
    uint32_t mantissa = half & 0x3ff;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            exponent = 127 - 15 + 1;
            while ((mantissa & 0x400) == 0) {
                mantissa <<= 1;
                exponent--;
            }
            bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
        }
    } else if (exponent == 0x1f) {
        bits = sign | 0x7f800000 | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static void half_gemv_portable(const uint16_t *weights, int rows, int columns, const float *x, float *y) {
    for (int r = 0; r < rows; r++) {
        const uint16_t *row = weights + (long)r * columns;
        float sum = 0;
        for (int c = 0; c < columns; c++) sum += half_to_float(row[c]) * x[c];
        y[r] += sum;
    }
}

#ifdef TERN_X86
/// Four rows at a time, eight columns per instruction; the tail columns in scalar code.
TERN_AVX2 static void half_gemv_avx2(const uint16_t *weights, int rows, int columns, const float *x, float *y) {
    int vectorColumns = columns & ~7;
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
        const uint16_t *w0 = weights + (long)r * columns, *w1 = w0 + columns, *w2 = w1 + columns, *w3 = w2 + columns;
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
        for (int c = 0; c < vectorColumns; c += 8) {
            __m256 xv = _mm256_loadu_ps(x + c);
            s0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w0 + c))), xv, s0);
            s1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w1 + c))), xv, s1);
            s2 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w2 + c))), xv, s2);
            s3 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w3 + c))), xv, s3);
        }
        float t0 = tern_horizontal_sum(s0), t1 = tern_horizontal_sum(s1), t2 = tern_horizontal_sum(s2), t3 = tern_horizontal_sum(s3);
        for (int c = vectorColumns; c < columns; c++) {
            t0 += half_to_float(w0[c]) * x[c];
            t1 += half_to_float(w1[c]) * x[c];
            t2 += half_to_float(w2[c]) * x[c];
            t3 += half_to_float(w3[c]) * x[c];
        }
        y[r] += t0;
        y[r + 1] += t1;
        y[r + 2] += t2;
        y[r + 3] += t3;
    }
    if (r < rows) half_gemv_portable(weights + (long)r * columns, rows - r, columns, x, y + r);
}
#endif

void tern_half_gemv(const uint16_t *weights, int rows, int columns, const float *x, float *y) {
#ifdef TERN_X86
    if (tern_processor_has_avx2()) {
        half_gemv_avx2(weights, rows, columns, x, y);
        return;
    }
#endif
    half_gemv_portable(weights, rows, columns, x, y);
}
