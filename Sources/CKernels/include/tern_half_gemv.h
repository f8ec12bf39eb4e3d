#ifndef TERN_HALF_GEMV_H
#define TERN_HALF_GEMV_H

// Matrix-vector product over IEEE half-precision weights, accumulated in single precision.
// Half the bytes of an F32 product: the output layer of a small model is memory-bound at one row.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// y[r] += Σ_c half_to_float(weights[r * columns + c]) · x[c] for r in 0..<rows.
/// Uses AVX2/F16C/FMA when the processor has them, portable code otherwise.
void tern_half_gemv(const uint16_t *weights, int rows, int columns, const float *x, float *y);

#ifdef __cplusplus
}
#endif

#endif
