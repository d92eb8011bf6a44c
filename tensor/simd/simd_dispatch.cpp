// Chooses the SIMD level at start-up from the CPU's features (and NOISELAB_SIMD), and hands the
// driver the kernels of the level in use. Compiled for the baseline: it must run on any CPU.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tensor/errors.h"
#include "tensor/simd/kernels.h"
#include "tensor/simd/simd.h"

#if defined(NL_SIMD_X86) && defined(__clang__)
#include <cpuid.h>
#endif

namespace nl {

namespace {

SimdLevel detect() {
#if defined(NL_SIMD_X86)
    __builtin_cpu_init();
    // libgcc's checks include the OS saving the wide registers (XGETBV), not only CPUID.
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
        return SimdLevel::AVX512;
#if defined(__clang__)
    // clang 14's __builtin_cpu_supports does not know "f16c": CPUID leaf 1, ECX bit 29.
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    const bool f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 29));
#else
    const bool f16c = __builtin_cpu_supports("f16c");
#endif
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && f16c)
        return SimdLevel::AVX2;
    return SimdLevel::SSE2;
#else
    return SimdLevel::Scalar;
#endif
}

SimdLevel best() {
    static const SimdLevel b = detect();
    return b;
}

SimdLevel initial_level() {
    SimdLevel level = best();
    if (const char* env = std::getenv("NOISELAB_SIMD")) {
        try {
            const SimdLevel want = parse_simd_level(env);
            // A level above the CPU's falls back to the best it has (the env may be shared between
            // machines); lower ones are honoured.
            if (static_cast<int>(want) < static_cast<int>(level)) level = want;
        } catch (const ValueError& e) {
            std::fprintf(stderr, "noiselab: ignoring NOISELAB_SIMD: %s\n", e.what());
        }
    }
    return level;
}

std::atomic<int>& current() {
    static std::atomic<int> level{static_cast<int>(initial_level())};
    return level;
}

std::string supported_names() {
    std::string s;
    for (SimdLevel l : supported_simd_levels()) s += std::string(s.empty() ? "" : ", ") + simd_level_name(l);
    return s;
}

}  // namespace

const char* simd_level_name(SimdLevel level) {
    switch (level) {
        case SimdLevel::Scalar: return "scalar";
        case SimdLevel::SSE2: return "sse2";
        case SimdLevel::AVX2: return "avx2";
        case SimdLevel::AVX512: return "avx512";
    }
    return "?";
}

SimdLevel parse_simd_level(std::string_view name) {
    for (SimdLevel l : {SimdLevel::Scalar, SimdLevel::SSE2, SimdLevel::AVX2, SimdLevel::AVX512})
        if (name == simd_level_name(l)) return l;
    throw ValueError("unknown SIMD level '" + std::string(name) + "'; valid: scalar, sse2, avx2, avx512");
}

SimdLevel best_simd_level() { return best(); }

bool simd_level_supported(SimdLevel level) { return static_cast<int>(level) <= static_cast<int>(best()); }

std::vector<SimdLevel> supported_simd_levels() {
    std::vector<SimdLevel> v;
    for (int l = 0; l <= static_cast<int>(best()); ++l) v.push_back(static_cast<SimdLevel>(l));
    return v;
}

SimdLevel simd_level() { return static_cast<SimdLevel>(current().load(std::memory_order_relaxed)); }

void set_simd_level(SimdLevel level) {
    if (!simd_level_supported(level))
        throw ValueError(std::string("SIMD level ") + simd_level_name(level) +
                         " is not supported by this CPU; supported: " + supported_names());
    current().store(static_cast<int>(level), std::memory_order_relaxed);
}

namespace simd {

const Kernels* kernels_for(SimdLevel level) {
    if (!simd_level_supported(level)) return nullptr;
#if defined(NL_SIMD_X86)
    switch (level) {
        case SimdLevel::AVX512: return kernels_avx512();
        case SimdLevel::AVX2: return kernels_avx2();
        case SimdLevel::SSE2: return kernels_sse2();
        case SimdLevel::Scalar: return nullptr;
    }
#endif
    return nullptr;
}

}  // namespace simd

}  // namespace nl
