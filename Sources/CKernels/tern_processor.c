#include "tern_processor.h"

int tern_processor_has_avx2(void) {
#if defined(__x86_64__) || defined(__i386__)
    static int supported = -1;
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    }
    return supported;
#else
    return 0;
#endif
}

int tern_processor_has_avx512(void) {
#if defined(__x86_64__) || defined(__i386__)
    static int supported = -1;
    if (supported < 0) {
        __builtin_cpu_init();
        supported = tern_processor_has_avx2() && __builtin_cpu_supports("avx512f");
    }
    return supported;
#else
    return 0;
#endif
}

int tern_processor_has_avx512_vnni(void) {
#if defined(__x86_64__) || defined(__i386__)
    static int supported = -1;
    if (supported < 0) {
        __builtin_cpu_init();
        supported = tern_processor_has_avx512() && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni");
    }
    return supported;
#else
    return 0;
#endif
}
