// Runtime choice of the instruction set used by the CPU random kernels (AVX-512 / AVX2 / SSE2, or
// the scalar reference loops). Every level produces the same bits (docs/PERFORMANCE.md, "CPU");
// the level only changes speed. Chosen at start-up from the CPU's features; NOISELAB_SIMD=
// scalar|sse2|avx2|avx512 lowers it (a level the CPU lacks falls back to the best one it has), and
// set_simd_level() switches it at run time (tests compare every level against the scalar one).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace nl {

enum class SimdLevel : int { Scalar = 0, SSE2 = 1, AVX2 = 2, AVX512 = 3 };

const char* simd_level_name(SimdLevel level);  // "scalar", "sse2", "avx2", "avx512"
// Parses the names above; throws ValueError listing them for anything else.
SimdLevel parse_simd_level(std::string_view name);

// The best level this CPU (and OS) supports: AVX512 needs AVX-512 F/DQ/BW/VL, AVX2 needs AVX2, FMA
// and F16C, SSE2 is the x86-64 baseline. On other architectures only Scalar exists.
SimdLevel best_simd_level();
bool simd_level_supported(SimdLevel level);
std::vector<SimdLevel> supported_simd_levels();  // ascending, Scalar first

// The level in use (process-wide). set_simd_level throws ValueError naming the supported levels
// when the CPU lacks the one asked for.
SimdLevel simd_level();
void set_simd_level(SimdLevel level);

}  // namespace nl
