// The description of one elementwise random op that every backend executes: which transform,
// which dtype, where in the stream (seed, offset in blocks, stream id), and the parameters. The
// host reserves the blocks from a Generator and passes (seed, offset) by value, as PyTorch does.
#pragma once
#include <cstdint>

#include "tensor/dtype.h"
#include "tensor/host_device.h"

namespace nl {

enum class RandomKind : uint8_t {
    Uniform,      // a + (b - a) u, [a, b)
    Normal,       // a + b z (mean a, std b)
    RandInt,      // low + unbiased integer in [0, range)
    Bernoulli,    // 1 with probability a (or a_per_elem[i])
    Exponential,  // rate a
    LogNormal,    // exp(a + b z)
    Cauchy,       // median a, scale b
    Geometric,    // success probability a
    Poisson,      // rate a_per_elem[i]
};

const char* random_kind_name(RandomKind k);

struct RandomRequest {
    RandomKind kind = RandomKind::Uniform;
    DType dtype = DType::Float32;
    int64_t numel = 0;
    uint64_t seed = 0;
    uint64_t offset = 0;  // first Philox block
    uint32_t stream = 0;
    double a = 0.0, b = 1.0;
    int64_t low = 0;       // RandInt
    uint64_t range = 0;    // RandInt: high - low, >= 1 (0 means 2^64)
    // Per-element parameters (already broadcast to numel, contiguous, on the op's device) that
    // replace a / b when set: Bernoulli p, Normal mean / std, Poisson rate.
    const double* a_per_elem = nullptr;
    const double* b_per_elem = nullptr;
};

// Elements produced per Philox block (4 words) for a request: 4 for ops that read one word per
// element, 2 for ops that read two (docs/STREAMS.md has the table).
NL_HOST_DEVICE int elements_per_block(RandomKind kind, DType dtype, uint64_t range) {
    const bool f64 = dtype == DType::Float64;
    switch (kind) {
        case RandomKind::Uniform:
        case RandomKind::Normal:
        case RandomKind::Exponential:
        case RandomKind::LogNormal:
        case RandomKind::Cauchy:
            return f64 ? 2 : 4;
        case RandomKind::Bernoulli:
            return 4;
        case RandomKind::RandInt:
            return (range != 0 && range <= (uint64_t(1) << 32)) ? 4 : 2;
        case RandomKind::Geometric:
        case RandomKind::Poisson:
            return 2;
    }
    return 4;
}

NL_HOST_DEVICE uint64_t blocks_for(const RandomRequest& r) {
    const uint64_t e = static_cast<uint64_t>(elements_per_block(r.kind, r.dtype, r.range));
    return (static_cast<uint64_t>(r.numel) + e - 1) / e;
}

}  // namespace nl
