#ifndef TERN_GEMM_INT8_H
#define TERN_GEMM_INT8_H

// Products with int8 weights: `C[M, N] = A[M, K] · Wᵀ + bias`, as in tern_gemm.h, with W quantized
// once per output row and A quantized per input row on every call.
//
// Quantization (weights and activations alike): a row x gets the scale s = max|x| / 127 and the
// values q = round(x · (127 / max|x|)), rounded half to even and kept within [-127, 127]; a row of
// zeros gets s = 0 and q = 0, one holding NaN or ±∞ gets q = 0 and s = NaN (its outputs are NaN). Products are summed in int32, exactly, and
// c[m, n] = fma((float) Σ_k qa[m, k] · qw[n, k], s_m · s_n, bias[n]): every kernel gives the same bits.
//
// Packed layout: panels of 16 output rows, inputs in groups of 4 (K padded with zeros to a multiple
// of 4, `Kp`). Panel p holds qw[p·16 + j, 4g + r] at byte p·16·Kp + g·64 + j·4 + r, so one 64-byte
// load covers four inputs of sixteen outputs. Scales and column sums are padded to ⌈N / 16⌉ · 16.
//
// Kernels, chosen at run time:
// - AVX-512 VNNI (`vpdpbusd`, unsigned × signed bytes): activations are shifted to q + 128 and the
//   kernel subtracts 128 · Σ_k qw[n, k], stored per output row when packing;
// - AVX2 (`vpmaddubsw` + `vpmaddwd`): |qw| × (qa · sign qw), so each pair of byte products is at most
//   2 · 127 · 127 = 32258 and the int16 step never saturates (full 8-bit activations, exact);
// - portable C.
// Exact for K ≤ 65536 (|Σ| ≤ 65536 · 255 · 127 < 2³¹); wider inputs are refused by the callers.

#include <stddef.h>
#include <stdint.h>

#include "tern_gemm.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The widest input (K) the int8 kernels sum exactly.
#define TERN_INT8_MAX_DEPTH 65536

/// `Kp`: `k` rounded up to a multiple of 4.
long tern_int8_padded_depth(long k);

/// The bytes a packed int8 `[n, k]` matrix occupies: ⌈n / 16⌉ · 16 · Kp.
size_t tern_packed_int8_count(long n, long k);

/// Quantizes row-major F32 `weights [n, k]` row by row into `packed` (tern_packed_int8_count(n, k)
/// bytes), `scales` and `column_sums` (⌈n / 16⌉ · 16 values each; padding rows get 0).
void tern_pack_int8(const float *weights, long n, long k, int8_t *packed, float *scales, int32_t *column_sums);

/// Copies the quantized row `row` of the original `[n, k]` matrix into `out [k]`.
void tern_packed_row_int8(const int8_t *packed, long k, long row, int8_t *out);

/// `c[m, n] = a[m, k] · Wᵀ + bias` with W packed by tern_pack_int8 and `bias` padded to ⌈n / 16⌉ · 16.
/// `quantized` (m · Kp bytes) and `row_scales` (m floats) are the caller's scratch for the quantized
/// activations. Uses `kernel` (AVX-512 runs VNNI where the processor has it, else AVX2), which
/// must not exceed tern_gemm_best_kernel().
void tern_packed_gemm_int8(tern_gemm_kernel kernel, const float *a, long lda, long m, long k, const int8_t *packed,
                           const float *scales, const int32_t *column_sums, const float *bias, long n, float *c,
                           long ldc, int8_t *quantized, float *row_scales);

#ifdef __cplusplus
}
#endif

#endif
