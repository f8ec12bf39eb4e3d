#ifndef TERN_ATTENTION_H
#define TERN_ATTENTION_H

// Scaled dot-product attention for one query and one head, over keys and values stored `stride`
// floats apart (one head's slice of `[T, D]` rows): the dot products, the softmax and the
// weighted sum of the values in one call. AVX2/FMA code when the processor has it and the head
// width is a multiple of 8, portable code otherwise.

#ifdef __cplusplus
extern "C" {
#endif

/// probabilities[j] = softmax_j(query · key_j) for j < key_count, key j at keys + j · stride,
/// each `head_width` floats. Scores of -infinity everywhere give probabilities of 0.
void tern_attention_probabilities(const float *query, const float *keys, long stride, long key_count, long head_width,
                                  float *probabilities);

/// output[head_width] = Σ_j probabilities[j] · value_j, with the probabilities of
/// tern_attention_probabilities (written to `scores`, room for key_count floats) and value j at
/// values + j · stride.
void tern_attend(const float *query, const float *keys, const float *values, long stride, long key_count, long head_width,
                 float *scores, float *output);

#ifdef __cplusplus
}
#endif

#endif
