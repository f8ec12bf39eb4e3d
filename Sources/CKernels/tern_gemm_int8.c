#include "tern_gemm_int8.h"
#include "tern_processor.h"

#include <math.h>
#include <string.h>

#include "tern_avx2.h"

// Each kernel quantizes the rows of A once, then walks tiles of rows of A by panels of W as
// tern_gemm.c does, summing byte products into int32 accumulators that stay in registers over
// the whole depth, and scales each accumulator once at the end (the formula in tern_gemm_int8.h).

#define PANEL TERN_PANEL_WIDTH
#define GROUP 4
#define ALWAYS_INLINE __attribute__((always_inline)) inline

static long panel_count(long n) { return (n + PANEL - 1) / PANEL; }

static long minimum(long a, long b) { return a < b ? a : b; }

long tern_int8_padded_depth(long k) { return (k + GROUP - 1) / GROUP * GROUP; }

size_t tern_packed_int8_count(long n, long k) { return (size_t)(panel_count(n) * PANEL * tern_int8_padded_depth(k)); }

/// Where W[row, column] lies in the packed bytes.
static long packed_offset(long kp, long row, long column) {
    return (row / PANEL) * PANEL * kp + (column / GROUP) * PANEL * GROUP + (row % PANEL) * GROUP + column % GROUP;
}

// Quantizing a row takes two passes: the largest magnitude (with `poison`, which turns NaN when a
// value is NaN or infinite), then the scaled, rounded values. The vector versions round with the
// processor's default mode, half to even, as rintf does, so every version writes the same bytes.

/// Folds `count` floats into `*largest` (max |x|) and `*poison` (Σ x · 0).
static void scan_portable(const float *x, long count, float *largest, float *poison) {
    for (long i = 0; i < count; i++) {
        *largest = fmaxf(*largest, fabsf(x[i]));
        *poison += x[i] * 0.0f;
    }
}

/// q = round(x · inverse) within [-127, 127].
static void scale_portable(const float *x, long count, float inverse, int8_t *q) {
    for (long i = 0; i < count; i++) {
        float scaled = rintf(x[i] * inverse);
        q[i] = (int8_t)(scaled > 127 ? 127 : scaled < -127 ? -127 : scaled);
    }
}

/// The scale of a row whose scan gave `largest` and `poison`; `*zeros` says whether the row quantizes
/// to zeros: a row of zeros (scale 0) or one holding NaN or ∞ (scale NaN, so NaN comes out).
static float row_scale(float largest, float poison, int *zeros) {
    *zeros = poison != 0 || largest == 0;
    return poison != 0 ? NAN : largest == 0 ? 0 : largest / 127.0f;
}

/// Quantizes `count` floats: returns the scale and writes `q` (see tern_gemm_int8.h).
static float quantize(const float *x, long count, int8_t *q) {
    float largest = 0, poison = 0;
    scan_portable(x, count, &largest, &poison);
    int zeros;
    float scale = row_scale(largest, poison, &zeros);
    if (zeros) memset(q, 0, (size_t)count);
    else scale_portable(x, count, 127.0f / largest, q);
    return scale;
}

void tern_pack_int8(const float *weights, long n, long k, int8_t *packed, float *scales, int32_t *column_sums) {
    long kp = tern_int8_padded_depth(k), padded = panel_count(n) * PANEL;
    memset(packed, 0, tern_packed_int8_count(n, k));
    for (long row = n; row < padded; row++) scales[row] = 0, column_sums[row] = 0;
    int8_t q[k > 0 ? k : 1];
    for (long row = 0; row < n; row++) {
        scales[row] = quantize(weights + row * k, k, q);
        int32_t sum = 0;
        for (long column = 0; column < k; column++) {
            packed[packed_offset(kp, row, column)] = q[column];
            sum += q[column];
        }
        column_sums[row] = sum;
    }
}

void tern_packed_row_int8(const int8_t *packed, long k, long row, int8_t *out) {
    long kp = tern_int8_padded_depth(k);
    for (long column = 0; column < k; column++) out[column] = packed[packed_offset(kp, row, column)];
}

typedef float (*quantizer)(const float *x, long count, int8_t *q);

/// Quantizes `a [m, k]` (rows `lda` apart) row by row into `quantized [m, Kp]` (zero-padded) and `scales [m]`.
static void quantize_rows(quantizer quantize_row, const float *a, long lda, long m, long k, int8_t *quantized,
                          float *scales) {
    long kp = tern_int8_padded_depth(k);
    for (long row = 0; row < m; row++) {
        scales[row] = quantize_row(a + row * lda, k, quantized + row * kp);
        memset(quantized + row * kp + k, 0, (size_t)(kp - k));
    }
}

/// The arguments every kernel takes once the activations are quantized.
typedef struct {
    const int8_t *quantized;  // [m, kp]
    const float *row_scales;  // [m]
    long m, kp, n;
    const int8_t *packed;
    const float *scales;
    const int32_t *column_sums;
    const float *bias;
    float *c;
    long ldc;
} int8_product;

// ---- Portable ----

static void gemm_portable(const int8_product *p) {
    for (long row = 0; row < p->m; row++) {
        const int8_t *x = p->quantized + row * p->kp;
        for (long column = 0; column < p->n; column++) {
            const int8_t *w = p->packed + packed_offset(p->kp, column, 0);
            int32_t sum = 0;
            for (long g = 0; g < p->kp; g += GROUP)
                for (int r = 0; r < GROUP; r++) sum += (int32_t)x[g + r] * w[g * PANEL + r];
            p->c[row * p->ldc + column] = fmaf((float)sum, p->row_scales[row] * p->scales[column], p->bias[column]);
        }
    }
}

#ifdef TERN_X86

// ---- AVX2: a panel is two vectors of 8 outputs × 4 inputs; tiles of up to 4 rows by one panel ----

/// `quantize` 8 floats at a time, the tail in portable code.
TERN_AVX2 static float quantize_avx2(const float *x, long count, int8_t *q) {
    long whole = count / 8 * 8;
    const __m256 signBit = _mm256_set1_ps(-0.0f), zero = _mm256_setzero_ps();
    __m256 largest = zero, poison = zero;
    for (long i = 0; i < whole; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        largest = _mm256_max_ps(largest, _mm256_andnot_ps(signBit, v));
        poison = _mm256_add_ps(poison, _mm256_mul_ps(v, zero));
    }
    float lanes[8], poisonLanes[8], largestScalar = 0, poisonScalar = 0;
    _mm256_storeu_ps(lanes, largest);
    _mm256_storeu_ps(poisonLanes, poison);
    for (int lane = 0; lane < 8; lane++) {
        largestScalar = fmaxf(largestScalar, lanes[lane]);
        poisonScalar += poisonLanes[lane];
    }
    scan_portable(x + whole, count - whole, &largestScalar, &poisonScalar);
    int zeros;
    float scale = row_scale(largestScalar, poisonScalar, &zeros);
    if (zeros) {
        memset(q, 0, (size_t)count);
        return scale;
    }
    float inverse = 127.0f / largestScalar;
    const __m256 factor = _mm256_set1_ps(inverse);
    const __m256i high = _mm256_set1_epi32(127), low = _mm256_set1_epi32(-127);
    for (long i = 0; i < whole; i += 8) {
        __m256i r = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i), factor));
        r = _mm256_min_epi32(_mm256_max_epi32(r, low), high);
        __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
        _mm_storel_epi64((__m128i *)(q + i), _mm_packs_epi16(words, words));
    }
    scale_portable(x + whole, count - whole, inverse, q + whole);
    return scale;
}

TERN_AVX2 static ALWAYS_INLINE void tile_avx2(const int mr, const int8_product *p, long row, long panel) {
    __m256i accumulators[4][2];
    for (int i = 0; i < mr; i++) accumulators[i][0] = accumulators[i][1] = _mm256_setzero_si256();
    const __m256i ones = _mm256_set1_epi16(1);
    const int8_t *weights = p->packed + panel * PANEL * p->kp, *x = p->quantized + row * p->kp;
    for (long g = 0; g < p->kp; g += GROUP) {
        __m256i w[2], magnitude[2];
        for (int v = 0; v < 2; v++) {
            w[v] = _mm256_loadu_si256((const __m256i *)(weights + g * PANEL + 32 * v));
            magnitude[v] = _mm256_abs_epi8(w[v]);
        }
        for (int i = 0; i < mr; i++) {
            int32_t four;
            memcpy(&four, x + i * p->kp + g, sizeof four);
            __m256i inputs = _mm256_set1_epi32(four);
            for (int v = 0; v < 2; v++) {
                __m256i pairs = _mm256_maddubs_epi16(magnitude[v], _mm256_sign_epi8(inputs, w[v]));
                accumulators[i][v] = _mm256_add_epi32(accumulators[i][v], _mm256_madd_epi16(pairs, ones));
            }
        }
    }
    long first = panel * PANEL, columns = minimum(PANEL, p->n - first);
    for (int i = 0; i < mr; i++) {
        float out[PANEL];
        __m256 rowScale = _mm256_set1_ps(p->row_scales[row + i]);
        for (int v = 0; v < 2; v++) {
            __m256 scale = _mm256_mul_ps(rowScale, _mm256_loadu_ps(p->scales + first + 8 * v));
            __m256 total = _mm256_cvtepi32_ps(accumulators[i][v]);
            _mm256_storeu_ps(out + 8 * v, _mm256_fmadd_ps(total, scale, _mm256_loadu_ps(p->bias + first + 8 * v)));
        }
        memcpy(p->c + (row + i) * p->ldc + first, out, (size_t)columns * sizeof(float));
    }
}

#define AVX2_TILE(MR) \
    TERN_AVX2 static void tile_avx2_##MR(const int8_product *p, long row, long panel) { tile_avx2(MR, p, row, panel); }
AVX2_TILE(1) AVX2_TILE(2) AVX2_TILE(3) AVX2_TILE(4)

static void gemm_avx2(const int8_product *p) {
    static void (*const tiles[5])(const int8_product *, long, long) = {0, tile_avx2_1, tile_avx2_2, tile_avx2_3, tile_avx2_4};
    for (long panel = 0; panel < panel_count(p->n); panel++)
        for (long row = 0; row < p->m; row += 4) tiles[minimum(4, p->m - row)](p, row, panel);
}

// ---- AVX-512 VNNI: a panel is one vector of 16 outputs × 4 inputs; tiles of up to 8 rows by 2 panels ----

#define TERN_VNNI __attribute__((target("avx512f,avx512bw,avx512vnni,avx2,fma,f16c")))

/// `quantize` 16 floats at a time, the tail masked.
TERN_VNNI static float quantize_avx512(const float *x, long count, int8_t *q) {
    const __m512 zero = _mm512_setzero_ps();
    __m512 largest = zero, poison = zero;
    for (long i = 0; i < count; i += 16) {
        __mmask16 mask = count - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (count - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(mask, x + i);
        largest = _mm512_max_ps(largest, _mm512_abs_ps(v));
        poison = _mm512_add_ps(poison, _mm512_mul_ps(v, zero));
    }
    float largestScalar = _mm512_reduce_max_ps(largest), poisonScalar = _mm512_reduce_add_ps(poison);
    int zeros;
    float scale = row_scale(largestScalar, poisonScalar, &zeros);
    if (zeros) {
        memset(q, 0, (size_t)count);
        return scale;
    }
    const __m512 factor = _mm512_set1_ps(127.0f / largestScalar);
    const __m512i high = _mm512_set1_epi32(127), low = _mm512_set1_epi32(-127);
    for (long i = 0; i < count; i += 16) {
        __mmask16 mask = count - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (count - i)) - 1);
        __m512i r = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(mask, x + i), factor));
        _mm512_mask_cvtepi32_storeu_epi8(q + i, mask, _mm512_min_epi32(_mm512_max_epi32(r, low), high));
    }
    return scale;
}

TERN_VNNI static ALWAYS_INLINE void tile_vnni(const int mr, const int np, const int8_product *p, long row, long panel) {
    __m512i accumulators[8][2];
    for (int i = 0; i < mr; i++)
        for (int j = 0; j < np; j++) accumulators[i][j] = _mm512_setzero_si512();
    const __m512i toUnsigned = _mm512_set1_epi32((int32_t)0x80808080u);  // q ^ 0x80 = q + 128 as a byte
    const int8_t *weights = p->packed + panel * PANEL * p->kp, *x = p->quantized + row * p->kp;
    long panelStride = PANEL * p->kp;
    for (long g = 0; g < p->kp; g += GROUP) {
        __m512i w[2];
        for (int j = 0; j < np; j++) w[j] = _mm512_loadu_si512(weights + j * panelStride + g * PANEL);
        for (int i = 0; i < mr; i++) {
            int32_t four;
            memcpy(&four, x + i * p->kp + g, sizeof four);
            __m512i inputs = _mm512_xor_si512(_mm512_set1_epi32(four), toUnsigned);
            for (int j = 0; j < np; j++) accumulators[i][j] = _mm512_dpbusd_epi32(accumulators[i][j], inputs, w[j]);
        }
    }
    for (int j = 0; j < np; j++) {
        long first = (panel + j) * PANEL, valid = p->n - first;
        __mmask16 mask = valid >= PANEL ? (__mmask16)0xffff : (__mmask16)((1u << valid) - 1);
        __m512i shift = _mm512_slli_epi32(_mm512_loadu_si512(p->column_sums + first), 7);  // 128 · Σ_k qw
        __m512 scales = _mm512_loadu_ps(p->scales + first), bias = _mm512_loadu_ps(p->bias + first);
        for (int i = 0; i < mr; i++) {
            __m512 total = _mm512_cvtepi32_ps(_mm512_sub_epi32(accumulators[i][j], shift));
            __m512 scale = _mm512_mul_ps(_mm512_set1_ps(p->row_scales[row + i]), scales);
            _mm512_mask_storeu_ps(p->c + (row + i) * p->ldc + first, mask, _mm512_fmadd_ps(total, scale, bias));
        }
    }
}

#define VNNI_TILE(MR, NP)                                                                   \
    TERN_VNNI static void tile_vnni_##MR##_##NP(const int8_product *p, long row, long panel) { \
        tile_vnni(MR, NP, p, row, panel);                                                    \
    }
VNNI_TILE(1, 1) VNNI_TILE(2, 1) VNNI_TILE(3, 1) VNNI_TILE(4, 1) VNNI_TILE(5, 1) VNNI_TILE(6, 1) VNNI_TILE(7, 1) VNNI_TILE(8, 1)
VNNI_TILE(1, 2) VNNI_TILE(2, 2) VNNI_TILE(3, 2) VNNI_TILE(4, 2) VNNI_TILE(5, 2) VNNI_TILE(6, 2) VNNI_TILE(7, 2) VNNI_TILE(8, 2)

static void gemm_vnni(const int8_product *p) {
    typedef void (*tile_function)(const int8_product *, long, long);
    static const tile_function onePanel[9] = {0, tile_vnni_1_1, tile_vnni_2_1, tile_vnni_3_1, tile_vnni_4_1,
                                              tile_vnni_5_1, tile_vnni_6_1, tile_vnni_7_1, tile_vnni_8_1};
    static const tile_function twoPanels[9] = {0, tile_vnni_1_2, tile_vnni_2_2, tile_vnni_3_2, tile_vnni_4_2,
                                               tile_vnni_5_2, tile_vnni_6_2, tile_vnni_7_2, tile_vnni_8_2};
    long panels = panel_count(p->n);
    for (long panel = 0; panel < panels; panel += 2) {
        const tile_function *tiles = panels - panel >= 2 ? twoPanels : onePanel;
        for (long row = 0; row < p->m; row += 8) tiles[minimum(8, p->m - row)](p, row, panel);
    }
}

#endif

void tern_packed_gemm_int8(tern_gemm_kernel kernel, const float *a, long lda, long m, long k, const int8_t *packed,
                           const float *scales, const int32_t *column_sums, const float *bias, long n, float *c,
                           long ldc, int8_t *quantized, float *row_scales) {
    int8_product product = {quantized, row_scales, m, tern_int8_padded_depth(k), n, packed, scales, column_sums,
                            bias, c, ldc};
#ifdef TERN_X86
    if (kernel == TERN_GEMM_AVX512 && tern_processor_has_avx512_vnni()) {
        quantize_rows(quantize_avx512, a, lda, m, k, quantized, row_scales);
        gemm_vnni(&product);
        return;
    }
    if (kernel >= TERN_GEMM_AVX2 && tern_processor_has_avx2()) {
        quantize_rows(quantize_avx2, a, lda, m, k, quantized, row_scales);
        gemm_avx2(&product);
        return;
    }
#endif
    (void)kernel;
    quantize_rows(quantize, a, lda, m, k, quantized, row_scales);
    gemm_portable(&product);
}
