#include "tern_gemm.h"
#include "tern_processor.h"

#include <string.h>

#include "tern_avx2.h"

// Each kernel computes tiles of `mr` rows of A by `np` panels of W. The tile's accumulators stay
// in registers across the whole k loop: they start at the bias, take one fused multiply-add per
// weight vector and row, and are stored once. Tiles are walked panel group by panel group, so a
// group's weights stay in cache while every row of A passes over them.

#define PANEL TERN_PANEL_WIDTH
#define ALWAYS_INLINE __attribute__((always_inline)) inline

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

static long panel_count(long n) { return (n + PANEL - 1) / PANEL; }

static long minimum(long a, long b) { return a < b ? a : b; }

size_t tern_packed_count(long n, long k) { return (size_t)(panel_count(n) * PANEL * k); }

tern_gemm_kernel tern_gemm_best_kernel(void) {
    if (tern_processor_has_avx512()) return TERN_GEMM_AVX512;
    if (tern_processor_has_avx2()) return TERN_GEMM_AVX2;
    return TERN_GEMM_PORTABLE;
}

// ---- Packing ----

#define DEFINE_PACK(NAME, TYPE)                                                       \
    void NAME(const TYPE *weights, long n, long k, TYPE *packed) {                    \
        memset(packed, 0, tern_packed_count(n, k) * sizeof(TYPE));                    \
        for (long row = 0; row < n; row++) {                                          \
            TYPE *column = packed + (row / PANEL) * PANEL * k + row % PANEL;          \
            const TYPE *source = weights + row * k;                                   \
            for (long kk = 0; kk < k; kk++) column[kk * PANEL] = source[kk];          \
        }                                                                             \
    }
DEFINE_PACK(tern_pack_f32, float)
DEFINE_PACK(tern_pack_f16, uint16_t)

void tern_packed_row_f32(const float *packed, long k, long row, float *out) {
    const float *column = packed + (row / PANEL) * PANEL * k + row % PANEL;
    for (long kk = 0; kk < k; kk++) out[kk] = column[kk * PANEL];
}

void tern_packed_row_f16(const uint16_t *packed, long k, long row, float *out) {
    const uint16_t *column = packed + (row / PANEL) * PANEL * k + row % PANEL;
    for (long kk = 0; kk < k; kk++) out[kk] = half_to_float(column[kk * PANEL]);
}

/// Where a tile's panels start: `panel` panels into `packed`, for either element size.
static const void *panel_address(const void *packed, int half, long panel, long k) {
    return half ? (const void *)((const uint16_t *)packed + panel * PANEL * k)
                : (const void *)((const float *)packed + panel * PANEL * k);
}

// ---- Portable: tiles of up to 4 rows by one panel ----

static void tile_portable(int half, const float *a, long lda, long mr, long k, const void *panel,
                          const float *bias, float *c, long ldc, long columns) {
    float accumulators[4][PANEL];
    for (long i = 0; i < mr; i++)
        for (int j = 0; j < PANEL; j++) accumulators[i][j] = bias[j];
    for (long kk = 0; kk < k; kk++) {
        float weights[PANEL];
        if (half) {
            for (int j = 0; j < PANEL; j++) weights[j] = half_to_float(((const uint16_t *)panel)[kk * PANEL + j]);
        } else {
            memcpy(weights, (const float *)panel + kk * PANEL, sizeof weights);
        }
        for (long i = 0; i < mr; i++) {
            float x = a[i * lda + kk];
            for (int j = 0; j < PANEL; j++) accumulators[i][j] += x * weights[j];
        }
    }
    for (long i = 0; i < mr; i++) memcpy(c + i * ldc, accumulators[i], (size_t)columns * sizeof(float));
}

static void gemm_portable(int half, const float *a, long lda, long m, long k, const void *packed,
                          const float *bias, long n, float *c, long ldc) {
    for (long p = 0; p < panel_count(n); p++) {
        const void *panel = panel_address(packed, half, p, k);
        long columns = minimum(PANEL, n - p * PANEL);
        for (long m0 = 0; m0 < m; m0 += 4)
            tile_portable(half, a + m0 * lda, lda, minimum(4, m - m0), k, panel, bias + p * PANEL,
                          c + m0 * ldc + p * PANEL, ldc, columns);
    }
}

#ifdef TERN_X86

// ---- AVX2: a panel is two 8-float vectors; tiles of up to 6 rows by 1 panel or 3 rows by 2 ----

TERN_AVX2 static ALWAYS_INLINE __m256 load_avx2(const void *panels, int half, long offset) {
    if (half) return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)panels + offset)));
    return _mm256_loadu_ps((const float *)panels + offset);
}

/// `mr` rows by `np` panels (`2·np` vectors); the constant arguments unroll every loop.
TERN_AVX2 static ALWAYS_INLINE void tile_avx2(const int mr, const int np, const int half, const float *a, long lda,
                                              long k, const void *panels, const float *bias, float *c, long ldc,
                                              long columns) {
    enum { vectors = 4 };
    __m256 accumulators[6][vectors];
    for (int v = 0; v < 2 * np; v++) {
        __m256 b = _mm256_loadu_ps(bias + 8 * v);
        for (int i = 0; i < mr; i++) accumulators[i][v] = b;
    }
    long panelStride = PANEL * k;
    for (long kk = 0; kk < k; kk++) {
        __m256 weights[vectors];
        for (int v = 0; v < 2 * np; v++) weights[v] = load_avx2(panels, half, (v / 2) * panelStride + kk * PANEL + (v % 2) * 8);
        for (int i = 0; i < mr; i++) {
            __m256 x = _mm256_broadcast_ss(a + i * lda + kk);
            for (int v = 0; v < 2 * np; v++) accumulators[i][v] = _mm256_fmadd_ps(x, weights[v], accumulators[i][v]);
        }
    }
    if (columns == 16 * np) {
        for (int i = 0; i < mr; i++)
            for (int v = 0; v < 2 * np; v++) _mm256_storeu_ps(c + i * ldc + 8 * v, accumulators[i][v]);
        return;
    }
    for (int i = 0; i < mr; i++) {
        float row[vectors * 8];
        for (int v = 0; v < 2 * np; v++) _mm256_storeu_ps(row + 8 * v, accumulators[i][v]);
        memcpy(c + i * ldc, row, (size_t)columns * sizeof(float));
    }
}

/// `tile_ISA_MR_NP`: the tile of `MR` rows by `NP` panels of `tile_ISA`, compiled for each element type.
#define DEFINE_TILE(ISA, TARGET, MR, NP)                                                                         \
    TARGET static void tile_##ISA##_##MR##_##NP(int half, const float *a, long lda, long k, const void *panels, \
                                                 const float *bias, float *c, long ldc, long columns) {         \
        if (half) tile_##ISA(MR, NP, 1, a, lda, k, panels, bias, c, ldc, columns);                             \
        else tile_##ISA(MR, NP, 0, a, lda, k, panels, bias, c, ldc, columns);                                  \
    }
#define AVX2_TILE(MR, NP) DEFINE_TILE(avx2, TERN_AVX2, MR, NP)
AVX2_TILE(1, 1) AVX2_TILE(2, 1) AVX2_TILE(3, 1) AVX2_TILE(4, 1) AVX2_TILE(5, 1) AVX2_TILE(6, 1)
AVX2_TILE(1, 2) AVX2_TILE(2, 2) AVX2_TILE(3, 2)

typedef void (*tile_function)(int half, const float *a, long lda, long k, const void *panels, const float *bias,
                              float *c, long ldc, long columns);

static void gemm_avx2(int half, const float *a, long lda, long m, long k, const void *packed, const float *bias,
                      long n, float *c, long ldc) {
    static const tile_function onePanel[7] = {0, tile_avx2_1_1, tile_avx2_2_1, tile_avx2_3_1,
                                              tile_avx2_4_1, tile_avx2_5_1, tile_avx2_6_1};
    static const tile_function twoPanels[4] = {0, tile_avx2_1_2, tile_avx2_2_2, tile_avx2_3_2};
    long panels = panel_count(n);
    for (long p0 = 0; p0 < panels; p0 += 2) {
        long groupPanels = minimum(2, panels - p0);
        for (long m0 = 0; m0 < m;) {
            long mr = minimum(6, m - m0);
            if (mr <= 3 && groupPanels == 2) {
                twoPanels[mr](half, a + m0 * lda, lda, k, panel_address(packed, half, p0, k), bias + p0 * PANEL,
                              c + m0 * ldc + p0 * PANEL, ldc, minimum(2 * PANEL, n - p0 * PANEL));
            } else {
                for (long p = p0; p < p0 + groupPanels; p++)
                    onePanel[mr](half, a + m0 * lda, lda, k, panel_address(packed, half, p, k), bias + p * PANEL,
                                 c + m0 * ldc + p * PANEL, ldc, minimum(PANEL, n - p * PANEL));
            }
            m0 += mr;
        }
    }
}

// ---- AVX-512: a panel is one 16-float vector; tiles of up to 8 rows by 2 panels or 4 rows by 4 ----

#define TERN_AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))

TERN_AVX512 static ALWAYS_INLINE __m512 load_avx512(const void *panels, int half, long offset) {
    if (half) return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)((const uint16_t *)panels + offset)));
    return _mm512_loadu_ps((const float *)panels + offset);
}

/// `mr` rows by `np` panels; the constant arguments unroll every loop.
TERN_AVX512 static ALWAYS_INLINE void tile_avx512(const int mr, const int np, const int half, const float *a,
                                                  long lda, long k, const void *panels, const float *bias, float *c,
                                                  long ldc, long columns) {
    __m512 accumulators[8][4];
    for (int p = 0; p < np; p++) {
        __m512 b = _mm512_loadu_ps(bias + PANEL * p);
        for (int i = 0; i < mr; i++) accumulators[i][p] = b;
    }
    long panelStride = PANEL * k;
    for (long kk = 0; kk < k; kk++) {
        __m512 weights[4];
        for (int p = 0; p < np; p++) weights[p] = load_avx512(panels, half, p * panelStride + kk * PANEL);
        for (int i = 0; i < mr; i++) {
            __m512 x = _mm512_set1_ps(a[i * lda + kk]);
            for (int p = 0; p < np; p++) accumulators[i][p] = _mm512_fmadd_ps(x, weights[p], accumulators[i][p]);
        }
    }
    for (int p = 0; p < np; p++) {
        long valid = columns - PANEL * p;
        __mmask16 mask = valid >= PANEL ? (__mmask16)0xffff : (__mmask16)((1u << valid) - 1);
        for (int i = 0; i < mr; i++) _mm512_mask_storeu_ps(c + i * ldc + PANEL * p, mask, accumulators[i][p]);
    }
}

#define AVX512_TILE(MR, NP) DEFINE_TILE(avx512, TERN_AVX512, MR, NP)
AVX512_TILE(1, 1) AVX512_TILE(2, 1) AVX512_TILE(3, 1) AVX512_TILE(4, 1)
AVX512_TILE(5, 1) AVX512_TILE(6, 1) AVX512_TILE(7, 1) AVX512_TILE(8, 1)
AVX512_TILE(1, 2) AVX512_TILE(2, 2) AVX512_TILE(3, 2) AVX512_TILE(4, 2)
AVX512_TILE(5, 2) AVX512_TILE(6, 2) AVX512_TILE(7, 2) AVX512_TILE(8, 2)
AVX512_TILE(1, 4) AVX512_TILE(2, 4) AVX512_TILE(3, 4) AVX512_TILE(4, 4)

static void gemm_avx512(int half, const float *a, long lda, long m, long k, const void *packed, const float *bias,
                        long n, float *c, long ldc) {
    static const tile_function onePanel[9] = {0, tile_avx512_1_1, tile_avx512_2_1, tile_avx512_3_1, tile_avx512_4_1,
                                              tile_avx512_5_1, tile_avx512_6_1, tile_avx512_7_1, tile_avx512_8_1};
    static const tile_function twoPanels[9] = {0, tile_avx512_1_2, tile_avx512_2_2, tile_avx512_3_2, tile_avx512_4_2,
                                               tile_avx512_5_2, tile_avx512_6_2, tile_avx512_7_2, tile_avx512_8_2};
    static const tile_function fourPanels[5] = {0, tile_avx512_1_4, tile_avx512_2_4, tile_avx512_3_4, tile_avx512_4_4};
    long panels = panel_count(n);
    for (long p0 = 0; p0 < panels; p0 += 4) {
        long groupPanels = minimum(4, panels - p0);
        for (long m0 = 0; m0 < m;) {
            long mr = minimum(8, m - m0);
            if (mr <= 4 && groupPanels == 4) {
                fourPanels[mr](half, a + m0 * lda, lda, k, panel_address(packed, half, p0, k), bias + p0 * PANEL,
                               c + m0 * ldc + p0 * PANEL, ldc, minimum(4 * PANEL, n - p0 * PANEL));
            } else {
                for (long p = p0; p < p0 + groupPanels; p += 2) {
                    long np = minimum(2, p0 + groupPanels - p);
                    (np == 2 ? twoPanels : onePanel)[mr](half, a + m0 * lda, lda, k, panel_address(packed, half, p, k),
                                                         bias + p * PANEL, c + m0 * ldc + p * PANEL, ldc,
                                                         minimum(np * PANEL, n - p * PANEL));
                }
            }
            m0 += mr;
        }
    }
}

#endif

static void gemm(tern_gemm_kernel kernel, int half, const float *a, long lda, long m, long k, const void *packed,
                 const float *bias, long n, float *c, long ldc) {
#ifdef TERN_X86
    if (kernel == TERN_GEMM_AVX512 && tern_processor_has_avx512()) {
        gemm_avx512(half, a, lda, m, k, packed, bias, n, c, ldc);
        return;
    }
    if (kernel >= TERN_GEMM_AVX2 && tern_processor_has_avx2()) {
        gemm_avx2(half, a, lda, m, k, packed, bias, n, c, ldc);
        return;
    }
#endif
    (void)kernel;
    gemm_portable(half, a, lda, m, k, packed, bias, n, c, ldc);
}

void tern_packed_gemm_f32(tern_gemm_kernel kernel, const float *a, long lda, long m, long k, const float *packed,
                          const float *bias, long n, float *c, long ldc) {
    gemm(kernel, 0, a, lda, m, k, packed, bias, n, c, ldc);
}

void tern_packed_gemm_f16(tern_gemm_kernel kernel, const float *a, long lda, long m, long k, const uint16_t *packed,
                          const float *bias, long n, float *c, long ldc) {
    gemm(kernel, 1, a, lda, m, k, packed, bias, n, c, ldc);
}
