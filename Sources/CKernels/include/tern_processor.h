#ifndef TERN_PROCESSOR_H
#define TERN_PROCESSOR_H

// Which vector instructions the kernels may use on this processor.

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the processor has AVX2, FMA and F16C (checked once), else 0.
int tern_processor_has_avx2(void);

/// 1 when the processor also has AVX-512F (checked once), else 0.
int tern_processor_has_avx512(void);

/// 1 when the processor also has AVX-512BW and AVX-512 VNNI (checked once), else 0.
int tern_processor_has_avx512_vnni(void);

#ifdef __cplusplus
}
#endif

#endif
