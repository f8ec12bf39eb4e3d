#ifndef TERN_GEMM_H
#define TERN_GEMM_H

// Products of activations with weights packed once at load time: `C[M, N] = A[M, K] · Wᵀ + bias`
// for a weight matrix `W [N, K]` (PyTorch's `[out, in]`).
//
// Packed layout: the rows of W are grouped into panels of TERN_PANEL_WIDTH output columns. Panel
// p holds W[p·16 + j, k] at offset p·16·K + k·16 + j, so one step over k reads 16 contiguous
// weights. Rows past N in the last panel are zero. The bias is packed to the same padded width.
// Weights are F32 or IEEE half-precision bits (converted while loading, accumulated in F32).
//
// The micro-kernel is chosen at run time from what the processor has: AVX-512F, AVX2+FMA+F16C,
// or portable C.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TERN_PANEL_WIDTH 16

/// The kernels Tern can run; higher values need more of the processor.
typedef enum {
    TERN_GEMM_PORTABLE = 0,
    TERN_GEMM_AVX2 = 1,
    TERN_GEMM_AVX512 = 2,
} tern_gemm_kernel;

/// The best kernel this processor runs (checked once).
tern_gemm_kernel tern_gemm_best_kernel(void);

/// The number of elements a packed `[n, k]` matrix occupies: ⌈n / 16⌉ · 16 · k.
size_t tern_packed_count(long n, long k);

/// Packs row-major F32 `weights [n, k]` into `packed` (tern_packed_count(n, k) floats).
void tern_pack_f32(const float *weights, long n, long k, float *packed);

/// Packs row-major half-precision bits `weights [n, k]` into `packed` (tern_packed_count(n, k) values).
void tern_pack_f16(const uint16_t *weights, long n, long k, uint16_t *packed);

/// Copies row `row` of the original `[n, k]` matrix out of its packed F32 form into `out [k]`.
void tern_packed_row_f32(const float *packed, long k, long row, float *out);

/// Copies row `row` of the original `[n, k]` matrix out of its packed F16 form into `out [k]` as F32.
void tern_packed_row_f16(const uint16_t *packed, long k, long row, float *out);

/// `c[m, n] = a[m, k] · Wᵀ + bias`, with W packed F32 and `bias` packed to ⌈n / 16⌉ · 16 values.
/// Rows of `a` are `lda` apart, rows of `c` are `ldc` apart. Uses `kernel`, which must not exceed
/// tern_gemm_best_kernel().
void tern_packed_gemm_f32(tern_gemm_kernel kernel, const float *a, long lda, long m, long k,
                          const float *packed, const float *bias, long n, float *c, long ldc);

/// As tern_packed_gemm_f32, with W packed as half-precision bits.
void tern_packed_gemm_f16(tern_gemm_kernel kernel, const float *a, long lda, long m, long k,
                          const uint16_t *packed, const float *bias, long n, float *c, long ldc);

#ifdef __cplusplus
}
#endif

#endif
