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

/// Quantizes `count` floats: returns the scale and writes `q` (see tern_gemm_int8.h).
static float quantize(const float *x, long count, int8_t *q) {
    float largest = 0, poison = 0;  // poison: NaN when a value is NaN or infinite
    for (long i = 0; i < count; i++) {
        largest = fmaxf(largest, fabsf(x[i]));
        poison += x[i] * 0.0f;
    }
    if (largest == 0 || poison != 0) {  // zeros give scale 0; NaN or ∞ give q = 0 and a NaN scale, so NaN comes out
        memset(q, 0, (size_t)count);
        return largest == 0 ? 0 : NAN;
    }
    float inverse = 127.0f / largest;
    for (long i = 0; i < count; i++) {
        float scaled = rintf(x[i] * inverse);
        q[i] = (int8_t)(scaled > 127 ? 127 : scaled < -127 ? -127 : scaled);
    }
    return largest / 127.0f;
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

void tern_quantize_rows(const float *a, long lda, long m, long k, int8_t *quantized, float *scales) {
    long kp = tern_int8_padded_depth(k);
    for (long row = 0; row < m; row++) {
        scales[row] = quantize(a + row * lda, k, quantized + row * kp);
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
    tern_quantize_rows(a, lda, m, k, quantized, row_scales);
    int8_product product = {quantized, row_scales, m, tern_int8_padded_depth(k), n, packed, scales, column_sums,
                            bias, c, ldc};
#ifdef TERN_X86
    if (kernel == TERN_GEMM_AVX512 && tern_processor_has_avx512_vnni()) {
        gemm_vnni(&product);
        return;
    }
    if (kernel >= TERN_GEMM_AVX2 && tern_processor_has_avx2()) {
        gemm_avx2(&product);
        return;
    }
#endif
    (void)kernel;
    gemm_portable(&product);
}
