#ifndef TERN_SEARCH_H
#define TERN_SEARCH_H

// The scan behind beam search's top-k: most of a vocabulary row cannot enter the k best, and a
// vector comparison over the row finds the few tokens that can.

#ifdef __cplusplus
extern "C" {
#endif

/// The first index i in [0, count) where `base + (logits[i] - normalizer) > threshold`, each
/// value computed in F32 exactly as written (no fused operations), or `count` when there is none.
long tern_first_total_above(const float *logits, long count, float normalizer, float base, float threshold);

#ifdef __cplusplus
}
#endif

#endif
