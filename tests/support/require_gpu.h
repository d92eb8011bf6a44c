// What a test that needs a usable CUDA device does where there is none: it skips, naming why. With
// NOISELAB_REQUIRE_GPU=1 in the environment it fails instead. tests/gpu/run_device_checks.sh sets
// that on a lent GPU, so a machine whose driver or toolkit will not start cannot pass the device
// checks as a suite of skips (gtest exits 0 when every test skipped).
#pragma once
#include <cstdlib>
#include <cstring>

#include <gtest/gtest.h>

namespace nl::test {
inline bool gpu_required() {
    const char* e = std::getenv("NOISELAB_REQUIRE_GPU");
    return e && std::strcmp(e, "1") == 0;
}
}  // namespace nl::test

// Returns from the test (skipped, or failed under NOISELAB_REQUIRE_GPU=1) unless `usable`.
#define NL_SKIP_UNLESS_GPU(usable, why)                                                             \
    do {                                                                                            \
        if (!(usable)) {                                                                            \
            if (::nl::test::gpu_required()) GTEST_FAIL() << "NOISELAB_REQUIRE_GPU=1, but " << (why); \
            GTEST_SKIP() << (why);                                                                  \
        }                                                                                           \
    } while (0)
