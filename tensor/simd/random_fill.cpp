// The CPU driver of the elementwise random ops: splits the blocks into fixed chunks over the
// threads and runs, per chunk, the vector kernel of the SIMD level in use; ops without a vector
// transform get vector Philox words and the scalar transforms; a trailing partial block and the
// scalar level run the reference block function itself. Compiled for the x86-64 baseline.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <type_traits>

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

// What geometric and Poisson compute from their parameters alone, kept across the blocks of a
// chunk (the scalar reference recomputes it per element; the values are the same).
struct ParameterCache {
    double geometric_log_q = 0.0;
    xf::PoissonSetup poisson;
    bool poisson_valid = false;

    explicit ParameterCache(const RandomRequest& r) {
        if (r.kind == RandomKind::Geometric && r.a < 1.0) geometric_log_q = xf::geometric_log_q(r.a);
    }
    const xf::PoissonSetup& poisson_for(double lambda) {
        if (!poisson_valid || !(poisson.lambda == lambda)) {
            poisson = xf::poisson_setup(lambda);
            poisson_valid = true;
        }
        return poisson;
    }
};

// random_block (tensor/random_block.h) for block q with its primary words w already computed;
// the rejection samplers still read their extra attempts from Philox themselves.
template <class T>
void block_from_words(const RandomRequest& r, uint64_t q, const uint32_t* w, T* out, ParameterCache& cache) {
    using namespace xf;
    const uint64_t block = r.offset + q;
    const int per = elements_per_block(r.kind, r.dtype, r.range);
    const int64_t first = static_cast<int64_t>(q) * per;
    const int count = (r.numel - first < per) ? static_cast<int>(r.numel - first) : per;
    constexpr bool kF64 = sizeof(T) == 8 && !std::is_integral<T>::value;
    constexpr bool kHalf = std::is_same<T, Half>::value || std::is_same<T, BFloat16>::value;
    auto param_a = [&](int j) { return r.a_per_elem ? r.a_per_elem[first + j] : r.a; };
    auto param_b = [&](int j) { return r.b_per_elem ? r.b_per_elem[first + j] : r.b; };

    switch (r.kind) {
        case RandomKind::Uniform:
            for (int j = 0; j < count; ++j) {
                if constexpr (kF64) {
                    out[first + j] = cast_from_double<T>(scale_to_interval(uniform_f64(w[2 * j], w[2 * j + 1]), r.a, r.b));
                } else if constexpr (kHalf) {
                    const float u = std::is_same<T, Half>::value ? uniform_f16(w[j]) : uniform_bf16(w[j]);
                    out[first + j] = uniform_low_precision<T>(u, static_cast<float>(r.a), static_cast<float>(r.b));
                } else {
                    out[first + j] = cast_from_float<T>(scale_to_interval(uniform_f32(w[j]), static_cast<float>(r.a), static_cast<float>(r.b)));
                }
            }
            break;
        case RandomKind::Normal:
        case RandomKind::LogNormal: {
            const bool lognormal = r.kind == RandomKind::LogNormal;
            if constexpr (kF64) {
                double z[2];
                normal_pair_f64(w[0], w[1], w[2], w[3], z[0], z[1]);
                for (int j = 0; j < count; ++j) {
                    const double v = dm::fma(z[j], param_b(j), param_a(j));
                    out[first + j] = cast_from_double<T>(lognormal ? dm::exp(v) : v);
                }
            } else {
                float z[4];
                normal_pair_f32(w[0], w[1], z[0], z[1]);
                normal_pair_f32(w[2], w[3], z[2], z[3]);
                for (int j = 0; j < count; ++j) {
                    const float v = dm::fma(z[j], static_cast<float>(param_b(j)), static_cast<float>(param_a(j)));
                    out[first + j] = cast_from_float<T>(lognormal ? dm::exp(v) : v);
                }
            }
            break;
        }
        case RandomKind::Exponential:
            for (int j = 0; j < count; ++j) {
                if constexpr (kF64) out[first + j] = cast_from_double<T>(exponential_f64(w[2 * j], w[2 * j + 1], r.a));
                else out[first + j] = cast_from_float<T>(exponential_f32(w[j], static_cast<float>(r.a)));
            }
            break;
        case RandomKind::Cauchy:
            for (int j = 0; j < count; ++j) {
                if constexpr (kF64) out[first + j] = cast_from_double<T>(cauchy_f64(w[2 * j], w[2 * j + 1], r.a, r.b));
                else out[first + j] = cast_from_float<T>(cauchy_f32(w[j], static_cast<float>(r.a), static_cast<float>(r.b)));
            }
            break;
        case RandomKind::Bernoulli:
            for (int j = 0; j < count; ++j)
                out[first + j] = cast_from_int<T>(bernoulli(w[j], bernoulli_threshold(param_a(j))) ? 1 : 0);
            break;
        case RandomKind::RandInt:
            for (int j = 0; j < count; ++j) {
                const uint64_t k = per == 4 ? bounded32(w[j], r.range, r.seed, block, r.stream, j)
                                            : bounded64(w[2 * j], w[2 * j + 1], r.range, r.seed, block, r.stream, j);
                out[first + j] = cast_from_int<T>(static_cast<int64_t>(static_cast<uint64_t>(r.low) + k));
            }
            break;
        case RandomKind::Geometric:
            for (int j = 0; j < count; ++j) {
                out[first + j] = cast_from_double<T>(
                    r.a >= 1.0 ? 1.0 : geometric_from_log_q(w[2 * j], w[2 * j + 1], cache.geometric_log_q));
            }
            break;
        case RandomKind::Poisson:
            for (int j = 0; j < count; ++j) {
                const PoissonSetup& s = cache.poisson_for(param_a(j));
                out[first + j] = cast_from_double<T>(poisson_from_setup(w[2 * j], w[2 * j + 1], s, r.seed, block, r.stream, j));
            }
            break;
    }
}

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
                    ParameterCache cache(req);
                    while (q < fe) {
                        const int64_t n = std::min(kTileBlocks, fe - q);
                        k->words(req.seed, req.stream, req.offset + static_cast<uint64_t>(q), n, buf);
                        for (int64_t i = 0; i < n; ++i) block_from_words<T>(req, static_cast<uint64_t>(q + i), buf + 4 * i, o, cache);
                        q += n;
                    }
                }
            }
            for (; q < b1; ++q) xf::random_block<T>(req, static_cast<uint64_t>(q), o);
        });
    });
}

}  // namespace nl::simd
