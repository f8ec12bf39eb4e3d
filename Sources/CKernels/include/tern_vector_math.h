#ifndef TERN_VECTOR_MATH_H
#define TERN_VECTOR_MATH_H

// The element-wise and row kernels of decoding: maximum, Σ exp, exp in place, dot product, swish, layer norm.
// AVX2/FMA code where the processor has it, portable code otherwise; both use the same exp:
// x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for e^r, and 2^n built in the exponent
// bits. Relative error below 2e-7; inputs below -87.3 give 0 (they occur as `logit - max`).

#ifdef __cplusplus
extern "C" {
#endif

/// The largest of `count` floats (-infinity when `count` is 0).
float tern_maximum(const float *values, long count);

/// Σ exp(values[i] - shift) over `count` floats.
float tern_sum_of_exponentials(const float *values, long count, float shift);

/// values[i] = exp(values[i] - shift) over `count` floats, in place.
void tern_exponentiate(float *values, long count, float shift);

/// Σ a[i] · b[i] over `count` floats.
float tern_dot(const float *a, const float *b, long count);

/// values[i] = values[i] / (1 + exp(-values[i])) (swish, also called SiLU) over `count` floats, in place.
void tern_swish(float *values, long count);

/// Layer normalization of one row of `count` floats in place: (x - mean) / sqrt(var + epsilon) · gamma + beta.
void tern_layer_norm(float *row, long count, const float *gamma, const float *beta, float epsilon);

#ifdef __cplusplus
}
#endif

#endif
