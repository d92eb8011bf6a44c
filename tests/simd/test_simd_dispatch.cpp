// The SIMD level API: names, parsing, the levels the CPU supports, switching, and refusing a level
// the CPU lacks with a message that names the supported ones.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "simd_test_util.h"
#include "tensor/errors.h"
#include "tensor/simd/kernels.h"

namespace nl {
namespace {

TEST(SimdDispatch, NamesRoundTrip) {
    for (SimdLevel l : {SimdLevel::Scalar, SimdLevel::SSE2, SimdLevel::AVX2, SimdLevel::AVX512})
        EXPECT_EQ(parse_simd_level(simd_level_name(l)), l);
    try {
        parse_simd_level("avx1024");
        FAIL() << "no error";
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("avx1024"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("scalar, sse2, avx2, avx512"), std::string::npos);
    }
}

TEST(SimdDispatch, SupportedLevelsAreAscendingFromScalar) {
    const auto levels = supported_simd_levels();
    ASSERT_FALSE(levels.empty());
    EXPECT_EQ(levels.front(), SimdLevel::Scalar);
    EXPECT_EQ(levels.back(), best_simd_level());
    for (size_t i = 1; i < levels.size(); ++i) EXPECT_EQ(static_cast<int>(levels[i]), static_cast<int>(levels[i - 1]) + 1);
    for (SimdLevel l : levels) {
        EXPECT_TRUE(simd_level_supported(l));
        const simd::Kernels* k = simd::kernels_for(l);
        if (l == SimdLevel::Scalar) {
            EXPECT_EQ(k, nullptr);
        } else {
            ASSERT_NE(k, nullptr);
            EXPECT_EQ(k->level, l);
        }
    }
#if defined(__x86_64__)
    EXPECT_TRUE(simd_level_supported(SimdLevel::SSE2));  // the x86-64 baseline
#endif
}

// Run by CTest with NOISELAB_SIMD set (tests/simd/CMakeLists.txt): the level chosen at start-up
// follows it (a level the CPU lacks falls back to the best one it has).
TEST(SimdDispatch, EnvironmentChoosesTheLevel) {
    const char* env = std::getenv("NOISELAB_SIMD");
    if (!env) GTEST_SKIP() << "NOISELAB_SIMD is not set";
    SimdLevel want = parse_simd_level(env);
    if (!simd_level_supported(want)) want = best_simd_level();
    EXPECT_EQ(simd_level(), want) << "NOISELAB_SIMD=" << env;
}

TEST(SimdDispatch, SetAndRestore) {
    const SimdLevel before = simd_level();
    for (SimdLevel l : supported_simd_levels()) {
        set_simd_level(l);
        EXPECT_EQ(simd_level(), l);
    }
    set_simd_level(before);
}

TEST(SimdDispatch, UnsupportedLevelIsRefused) {
    if (best_simd_level() == SimdLevel::AVX512) GTEST_SKIP() << "this CPU supports every level";
    const SimdLevel before = simd_level();
    try {
        set_simd_level(SimdLevel::AVX512);
        FAIL() << "no error";
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("avx512"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("supported: scalar"), std::string::npos);
    }
    EXPECT_EQ(simd_level(), before);
}

}  // namespace
}  // namespace nl
