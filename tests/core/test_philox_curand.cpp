// cuRAND's host Philox4x32-10 generator as an independent oracle for philox_block. No GPU needed:
// curandCreateGeneratorHost runs on the CPU. Skipped (with a message) when libcurand is absent.
//
// Ordering of curandGenerate for CURAND_RNG_PSEUDO_PHILOX4_32_10, default ordering (worked out by
// experiment with CUDA 13.0's libcurand and checked word for word below): the host generator
// emulates 65,536 device threads, thread t using subsequence t, each producing four words per
// Philox call, and interleaves them four words at a time. With generator offset o (in words), the
// word at output index i is, with g = o + i, q = g / 4, j = g % 4:
//     word j of Philox4x32-10(counter = (b lo, b hi, t, 0), key = (seed lo, seed hi)),
//     t = q mod 65536 (the subsequence), b = q / 65536 (the block within the subsequence).
// So nl::philox_block(seed, b, t) == cuRAND words [4 (65536 b + t), 4 (65536 b + t) + 4) for any
// b < 2^46 and t < 65536 (cuRAND's subsequence number fills counter words 2 and 3, i.e. our
// stream id and rejection attempt). The offset is a position in that interleaved sequence, not a
// per-thread skip: that is what lets the tests below reach any (b, t) directly.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tensor/philox.h"

#if defined(NOISELAB_HAVE_CURAND_HOST)
#include <curand.h>
#endif

namespace {

#if defined(NOISELAB_HAVE_CURAND_HOST)
constexpr uint64_t kSubsequences = 65536;

// RAII for a cuRAND host generator; `ok` is false when the library refuses (e.g. a stub).
struct HostPhilox {
    curandGenerator_t g = nullptr;
    curandStatus_t status;
    HostPhilox() { status = curandCreateGeneratorHost(&g, CURAND_RNG_PSEUDO_PHILOX4_32_10); }
    ~HostPhilox() {
        if (status == CURAND_STATUS_SUCCESS) curandDestroyGenerator(g);
    }
    // n words starting at interleaved word index `offset`.
    std::vector<uint32_t> words(uint64_t seed, uint64_t offset, size_t n) {
        std::vector<uint32_t> out(n);
        EXPECT_EQ(curandSetPseudoRandomGeneratorSeed(g, seed), CURAND_STATUS_SUCCESS);
        EXPECT_EQ(curandSetGeneratorOffset(g, offset), CURAND_STATUS_SUCCESS);
        EXPECT_EQ(curandGenerate(g, out.data(), n), CURAND_STATUS_SUCCESS);
        return out;
    }
};

#define NL_REQUIRE_CURAND(gen)                                                                    \
    if ((gen).status != CURAND_STATUS_SUCCESS)                                                    \
    GTEST_SKIP() << "curandCreateGeneratorHost failed with status " << (gen).status               \
                 << "; the cuRAND oracle is not available here"
#endif

TEST(PhiloxCurand, FirstWordsInterleaveSubsequences) {
#if !defined(NOISELAB_HAVE_CURAND_HOST)
    GTEST_SKIP() << "libcurand not found at configure time (NOISELAB_CURAND_LIB / NOISELAB_CURAND_INCLUDE)";
#else
    HostPhilox gen;
    NL_REQUIRE_CURAND(gen);
    // Three full rounds of the 65,536 subsequences plus a ragged tail: every word checked.
    for (uint64_t seed : {0ull, 42ull, 0x0123456789ABCDEFull, ~0ull}) {
        const size_t n = 3 * kSubsequences * 4 + 10;
        const std::vector<uint32_t> w = gen.words(seed, 0, n);
        size_t mismatches = 0;
        for (size_t i = 0; i < n; ++i) {
            const uint64_t q = i / 4;
            const nl::PhiloxCounter c = nl::philox_block(seed, q / kSubsequences, static_cast<uint32_t>(q % kSubsequences));
            if (c.v[i % 4] != w[i] && mismatches++ < 5)
                ADD_FAILURE() << "seed " << seed << " word " << i << ": ours " << c.v[i % 4] << ", cuRAND " << w[i];
        }
        EXPECT_EQ(mismatches, 0u) << "seed " << seed;
    }
#endif
}

TEST(PhiloxCurand, ManyBlocksAndSubsequencesViaOffset) {
#if !defined(NOISELAB_HAVE_CURAND_HOST)
    GTEST_SKIP() << "libcurand not found at configure time (NOISELAB_CURAND_LIB / NOISELAB_CURAND_INCLUDE)";
#else
    HostPhilox gen;
    NL_REQUIRE_CURAND(gen);
    std::mt19937_64 rng(20261126);
    // Blocks up to 2^46 - 1 (so counter word 1 is exercised), subsequences over the whole range,
    // including the edges; 8 consecutive blocks each time (words cross into the next subsequence).
    std::vector<std::pair<uint64_t, uint64_t>> cases = {
        {0, 0}, {0, 65535}, {1, 0}, {0xFFFFFFFFull, 1}, {0x100000000ull, 2}, {(1ull << 46) - 2, 65535}};
    for (int i = 0; i < 120; ++i) cases.emplace_back(rng() >> (i % 2 ? 18 : 40), rng() % kSubsequences);
    for (const auto& [b, t] : cases) {
        const uint64_t seed = rng();
        const uint64_t offset = 4 * (kSubsequences * b + t);
        const std::vector<uint32_t> w = gen.words(seed, offset, 8 * 4);
        for (int k = 0; k < 8; ++k) {
            const uint64_t q = kSubsequences * b + t + static_cast<uint64_t>(k);
            const nl::PhiloxCounter c = nl::philox_block(seed, q / kSubsequences, static_cast<uint32_t>(q % kSubsequences));
            for (int j = 0; j < 4; ++j)
                ASSERT_EQ(c.v[j], w[4 * k + j]) << "seed " << seed << " block " << q / kSubsequences
                                                << " subsequence " << q % kSubsequences << " word " << j;
        }
    }
#endif
}

TEST(PhiloxCurand, UnalignedOffsetIsAWordPosition) {
#if !defined(NOISELAB_HAVE_CURAND_HOST)
    GTEST_SKIP() << "libcurand not found at configure time (NOISELAB_CURAND_LIB / NOISELAB_CURAND_INCLUDE)";
#else
    HostPhilox gen;
    NL_REQUIRE_CURAND(gen);
    const uint64_t seed = 7;
    for (uint64_t offset : std::vector<uint64_t>{1, 3, 5, 4 * kSubsequences - 1, 4 * kSubsequences * 9 + 2}) {
        const std::vector<uint32_t> w = gen.words(seed, offset, 16);
        for (size_t i = 0; i < w.size(); ++i) {
            const uint64_t g = offset + i, q = g / 4;
            const nl::PhiloxCounter c = nl::philox_block(seed, q / kSubsequences, static_cast<uint32_t>(q % kSubsequences));
            ASSERT_EQ(c.v[g % 4], w[i]) << "offset " << offset << " index " << i;
        }
    }
#endif
}

}  // namespace
