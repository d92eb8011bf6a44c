// The CPU driver of the elementwise random ops: splits the blocks into fixed chunks over the
// threads and runs, per chunk, the vector kernel of the SIMD level in use; ops without a vector
// transform get vector Philox words and the scalar transforms; a trailing partial block and the
// scalar level run the reference block function itself. Compiled for the x86-64 baseline.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "tensor/detmath.h"
#include "tensor/half.h"
#include "tensor/parallel.h"
#include "tensor/philox.h"
#include "tensor/random_block.h"
#include "tensor/simd/cpu_random.h"
#include "tensor/simd/kernels.h"
#include "tensor/transforms.h"

namespace nl::simd {

namespace {

constexpr int64_t kTileBlocks = 256;  // words buffer of the scalar-transform path: 4 KiB

// Outputs at least this large are written with non-temporal stores. Off by default: on the
// reference machine (docs/PERFORMANCE.md) plain stores were faster, 2.2 against 1.6 G rand
// samples/s on two threads; NOISELAB_STREAM_STORES_MB=16 turns them on from 16 MiB.
uint64_t stream_store_bytes() {
    static const uint64_t bytes = [] {
        const char* env = std::getenv("NOISELAB_STREAM_STORES_MB");
        char* end = nullptr;
        const unsigned long long mb = env ? std::strtoull(env, &end, 10) : 0;
        return env && end != env && *end == '\0' && mb > 0 ? static_cast<uint64_t>(mb) << 20 : UINT64_MAX;
    }();
    return bytes;
}

}  // namespace

FillArgs make_fill_args(const RandomRequest& r) {
    FillArgs a;
    a.kind = r.kind;
    a.dtype = r.dtype;
    a.seed = r.seed;
    a.offset = r.offset;
    a.stream = r.stream;
    a.numel = r.numel;
    a.per_element = r.a_per_elem != nullptr || r.b_per_elem != nullptr;
    a.af = static_cast<float>(r.a);
    a.bf = static_cast<float>(r.b);
    a.span_f = dm::sub(a.bf, a.af);
    a.below_b_f = xf::next_below(a.bf);
    a.clamp_f = a.af < a.bf;
    a.ad = r.a;
    a.bd = r.b;
    a.span_d = dm::sub(r.b, r.a);
    a.below_b_d = xf::next_below(r.b);
    a.clamp_d = r.a < r.b;
    a.unit_interval = r.dtype == DType::Float64 ? (r.a == 0.0 && r.b == 1.0) : (a.af == 0.0f && a.bf == 1.0f);
    if (r.kind == RandomKind::Bernoulli && !a.per_element) {
        const uint64_t t = xf::bernoulli_threshold(r.a);
        a.always_one = t >= (uint64_t(1) << 32);
        a.threshold32 = static_cast<uint32_t>(t);
    }
    if (r.kind == RandomKind::RandInt && elements_per_block(r.kind, r.dtype, r.range) == 4) {
        a.full_range = r.range == (uint64_t(1) << 32);
        if (!a.full_range) {
            a.range32 = static_cast<uint32_t>(r.range);
            a.reject_below = (0u - a.range32) % a.range32;
        }
    }
    a.low = r.low;
    a.stream_stores = static_cast<uint64_t>(r.numel) * dtype_size(r.dtype) >= stream_store_bytes();
    return a;
}

namespace {

// The setup of geometric and Poisson (random_block_from_words) kept across the blocks of a chunk
// while the parameter stays the same; the reference computes it per element, with the same values.
class SetupCache {
public:
    double geometric_log_q(double p) {
        if (!(geometric_p_ == p)) {
            geometric_log_q_ = xf::geometric_log_q(p);
            geometric_p_ = p;
        }
        return geometric_log_q_;
    }
    const xf::PoissonSetup& poisson(double lambda) {
        if (!poisson_valid_ || !(poisson_.lambda == lambda)) {
            poisson_ = xf::poisson_setup(lambda);
            poisson_valid_ = true;
        }
        return poisson_;
    }

private:
    double geometric_p_ = -1.0;  // no probability: the first call computes
    double geometric_log_q_ = 0.0;
    xf::PoissonSetup poisson_;
    bool poisson_valid_ = false;
};

}  // namespace

void randint_fixup(const FillArgs& a, int64_t elem, void* dst) {
    const uint64_t q = static_cast<uint64_t>(elem / 4);
    const int j = static_cast<int>(elem % 4);
    const uint64_t block = a.offset + q;
    const uint32_t w = philox_block(a.seed, block, a.stream).v[j];
    const uint64_t range = a.full_range ? (uint64_t(1) << 32) : a.range32;
    const uint64_t k = xf::bounded32(w, range, a.seed, block, a.stream, j);
    const int64_t v = static_cast<int64_t>(static_cast<uint64_t>(a.low) + k);
    dispatch_dtype(a.dtype, [&](auto tag) {
        using T = decltype(tag);
        *static_cast<T*>(dst) = xf::cast_from_int<T>(v);
    });
}

void f32_to_f16_scalar(const float* src, int n, uint16_t* dst) {
    for (int i = 0; i < n; ++i) dst[i] = float_to_half_bits(src[i]);
}

void philox_words(uint64_t seed, uint32_t stream, uint64_t block0, int64_t nblocks, uint32_t* out) {
    if (const Kernels* k = kernels_for(simd_level())) {
        k->words(seed, stream, block0, nblocks, out);
        return;
    }
    for (int64_t i = 0; i < nblocks; ++i) {
        const PhiloxCounter c = philox_block(seed, block0 + static_cast<uint64_t>(i), stream);
        for (int j = 0; j < 4; ++j) out[4 * i + j] = c.v[j];
    }
}

void cpu_random_fill(const RandomRequest& req, void* out) {
    const int64_t blocks = static_cast<int64_t>(blocks_for(req));
    const Kernels* k = kernels_for(simd_level());
    const FillArgs args = make_fill_args(req);
    const int per = elements_per_block(req.kind, req.dtype, req.range);
    const int64_t full = req.numel / per;  // complete blocks; a partial last one runs the reference
    dispatch_dtype(req.dtype, [&](auto tag) {
        using T = decltype(tag);
        T* o = static_cast<T*>(out);
        parallel_for(blocks, kBlocksPerChunk, [&](int64_t b0, int64_t b1) {
            int64_t q = b0;
            if (k) {
                const int64_t fe = std::min(b1, full);
                if (q < fe && k->fill(args, out, q, fe)) {
                    q = fe;
                } else {
                    uint32_t buf[4 * kTileBlocks];
                    SetupCache cache;
                    while (q < fe) {
                        const int64_t n = std::min(kTileBlocks, fe - q);
                        k->words(req.seed, req.stream, req.offset + static_cast<uint64_t>(q), n, buf);
                        for (int64_t i = 0; i < n; ++i) xf::random_block_from_words<T>(req, static_cast<uint64_t>(q + i), buf + 4 * i, o, cache);
                        q += n;
                    }
                }
            }
            for (; q < b1; ++q) xf::random_block<T>(req, static_cast<uint64_t>(q), o);
        });
    });
}

}  // namespace nl::simd
