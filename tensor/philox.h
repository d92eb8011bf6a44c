// Philox4x32-R counter-based generator (Salmon, Moraes, Dror, Shaw: "Parallel random numbers: as
// easy as 1, 2, 3", SC'11). One definition for host and device; the known-answer vectors of
// Random123 and cuRAND's host PHILOX4_32_10 generator check it (tests/core/test_philox_kat.cpp,
// tests/core/test_philox_curand.cpp).
#pragma once
#include <cstdint>

#include "tensor/host_device.h"

namespace nl {

struct PhiloxCounter {
    uint32_t v[4];
};
struct PhiloxKey {
    uint32_t v[2];
};

namespace philox_detail {
constexpr uint32_t kMul0 = 0xD2511F53u;
constexpr uint32_t kMul1 = 0xCD9E8D57u;
constexpr uint32_t kWeyl0 = 0x9E3779B9u;  // golden ratio
constexpr uint32_t kWeyl1 = 0xBB67AE85u;  // sqrt(3) - 1

NL_HOST_DEVICE void round4(uint32_t& c0, uint32_t& c1, uint32_t& c2, uint32_t& c3, uint32_t k0,
                           uint32_t k1) {
#if defined(__CUDA_ARCH__)
    // The same products as 32-bit high and low halves: written as one 64-bit product, nvcc keeps
    // 64-bit moves and XORs around it (72 instructions per block on sm_90 against 48 this way,
    // counted in the cubin); the words are the same.
    const uint32_t hi0 = __umulhi(kMul0, c0), lo0 = kMul0 * c0;
    const uint32_t hi1 = __umulhi(kMul1, c2), lo1 = kMul1 * c2;
#else
    const uint64_t p0 = static_cast<uint64_t>(kMul0) * c0;
    const uint64_t p1 = static_cast<uint64_t>(kMul1) * c2;
    const uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    const uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
#endif
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
}
}  // namespace philox_detail

// Philox4x32 with `Rounds` rounds (10 is the standard, crush-resistant choice; 7 is tested too).
template <int Rounds = 10>
NL_HOST_DEVICE PhiloxCounter philox4x32(PhiloxCounter ctr, PhiloxKey key) {
    uint32_t c0 = ctr.v[0], c1 = ctr.v[1], c2 = ctr.v[2], c3 = ctr.v[3];
    uint32_t k0 = key.v[0], k1 = key.v[1];
    for (int r = 0; r < Rounds; ++r) {
        if (r > 0) {
            k0 += philox_detail::kWeyl0;
            k1 += philox_detail::kWeyl1;
        }
        philox_detail::round4(c0, c1, c2, c3, k0, k1);
    }
    return PhiloxCounter{{c0, c1, c2, c3}};
}

// The project's counter layout (docs/STREAMS.md, "Counter layout"):
//   key     = seed (low word, high word)
//   counter = (block index low, block index high, stream id, attempt)
// `attempt` is 0 for an op's primary words; rejection samplers read attempt 1, 2, ... at the
// same block, so an element's extra words never collide with any other element's words.
NL_HOST_DEVICE PhiloxCounter philox_block(uint64_t seed, uint64_t block, uint32_t stream,
                                          uint32_t attempt = 0) {
    PhiloxCounter ctr{{static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32), stream,
                       attempt}};
    PhiloxKey key{{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)}};
    return philox4x32<10>(ctr, key);
}

}  // namespace nl
