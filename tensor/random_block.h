// One Philox block -> the elements it feeds, for every elementwise random op (RandomRequest).
// This is the reference that defines the streams: the CPU loop calls it per block, the CUDA kernel
// calls it per thread, and SIMD paths must match it bit for bit. Word layout (docs/STREAMS.md):
//   4 elements per block (one word each):  element 4q + j reads word j of block offset + q
//   2 elements per block (two words each): element 2q + j reads words 2j, 2j+1
//   Box-Muller pairs: float32 (w0,w1) -> elements 4q, 4q+1 and (w2,w3) -> 4q+2, 4q+3 (cos, sin);
//                     float64 (w0..w3) -> elements 2q, 2q+1 (cos, sin)
//   Rejection (randint, Poisson): attempt a >= 1 re-reads the same words with counter word 3 = a.
#pragma once
#include <cstdint>
#include <type_traits>

#include "tensor/detmath.h"
#include "tensor/dtype.h"
#include "tensor/half.h"
#include "tensor/philox.h"
#include "tensor/random_request.h"
#include "tensor/transforms.h"

namespace nl::xf {

// ---- storing into each dtype (lower precisions: computed in float32, rounded to nearest even) ---
template <class T> NL_HOST_DEVICE T cast_from_float(float v) { return static_cast<T>(v); }
template <> NL_HOST_DEVICE Half cast_from_float<Half>(float v) { return Half(v); }
template <> NL_HOST_DEVICE BFloat16 cast_from_float<BFloat16>(float v) { return BFloat16(v); }
// Doubles into T: dtype.h's from_double (integers saturate, NaN gives 0: C++ leaves an out-of-range
// double -> integer conversion undefined, x86 wraps through int32 and CUDA clamps, which would make
// geometric_ into uint8/int32 differ between devices).
template <class T> NL_HOST_DEVICE T cast_from_int(int64_t v) { return static_cast<T>(v); }
template <> NL_HOST_DEVICE Half cast_from_int<Half>(int64_t v) { return Half(static_cast<float>(v)); }
template <> NL_HOST_DEVICE BFloat16 cast_from_int<BFloat16>(int64_t v) { return BFloat16(static_cast<float>(v)); }
template <> NL_HOST_DEVICE bool cast_from_int<bool>(int64_t v) { return v != 0; }

// uniform_(a, b) for float16 / bfloat16: the float32 result rounded, and if rounding reached b,
// the largest value of the type below b: T(b) itself when b rounded down, else one step below it.
template <class T> NL_HOST_DEVICE T uniform_low_precision(float u, float a, float b) {
    T x = T(scale_to_interval(u, a, b));
    if (static_cast<float>(x) >= b && a < b) {
        const T tb = T(b);
        const float fb = static_cast<float>(tb);
        if (fb < b) return tb;
        uint16_t bits = tb.bits;  // one unit of the 16-bit type toward -inf
        bits = (fb > 0.0f) ? static_cast<uint16_t>(bits - 1) : (fb == 0.0f ? 0x8001u : static_cast<uint16_t>(bits + 1));
        x = T::from_bits(bits);
    }
    return x;
}

// ---- integers ------------------------------------------------------------------------------------
// Lemire's nearly-divisionless method, exactly unbiased: reject the few words whose low product
// falls below (2^32 - range) mod range, and retry with the next attempt's word.
NL_HOST_DEVICE uint64_t bounded32(uint32_t w, uint64_t range, uint64_t seed, uint64_t block,
                                  uint32_t stream, int lane) {
    if (range == (uint64_t(1) << 32)) return w;
    const uint32_t r = static_cast<uint32_t>(range);
    uint64_t m = static_cast<uint64_t>(w) * r;
    uint32_t lo = static_cast<uint32_t>(m);
    if (lo < r) {
        const uint32_t t = static_cast<uint32_t>(0u - r) % r;
        for (uint32_t attempt = 1; lo < t; ++attempt) {
            w = philox_block(seed, block, stream, attempt).v[lane];
            m = static_cast<uint64_t>(w) * r;
            lo = static_cast<uint32_t>(m);
        }
    }
    return m >> 32;
}
// The same on 64-bit words (two words per element) for ranges above 2^32; range 0 means 2^64.
NL_HOST_DEVICE uint64_t bounded64(uint32_t w0, uint32_t w1, uint64_t range, uint64_t seed,
                                  uint64_t block, uint32_t stream, int lane) {
    uint64_t x = join64(w0, w1);
    if (range == 0) return x;
    uint64_t lo;
    uint64_t hi = mulhi64(x, range, lo);
    if (lo < range) {
        const uint64_t t = (0ull - range) % range;
        for (uint32_t attempt = 1; lo < t; ++attempt) {
            const PhiloxCounter c = philox_block(seed, block, stream, attempt);
            x = join64(c.v[2 * lane], c.v[2 * lane + 1]);
            hi = mulhi64(x, range, lo);
        }
    }
    return hi;
}

// ---- Poisson -------------------------------------------------------------------------------------
// log(k!) : a table to 9!, then Stirling's series (error < 1e-15 relative for k >= 10).
NL_HOST_DEVICE double log_factorial(double k) {
    if (k < 10.0) {
        const double table[10] = {0.0,
                                  0.0,
                                  0.69314718055994530942,
                                  1.79175946922805500081,
                                  3.17805383034794561964,
                                  4.78749174278204599425,
                                  6.57925121201010099506,
                                  8.52516136106541430017,
                                  10.60460290274525022842,
                                  12.80182748008146961121};
        return table[static_cast<int>(k)];
    }
    const double x = dm::add(k, 1.0);
    const double ix = dm::div(1.0, x), ix2 = dm::mul(ix, ix);
    // 1/(12x) - 1/(360x^3) + 1/(1260x^5) - 1/(1680x^7)
    double series = dm::fma(ix2, -5.952380952380952381e-04, 7.936507936507936508e-04);
    series = dm::fma(ix2, series, -2.777777777777777778e-03);
    series = dm::fma(ix2, series, 8.333333333333333333e-02);
    series = dm::mul(series, ix);
    const double main = dm::sub(dm::mul(dm::sub(x, 0.5), dm::log(x)), x);
    return dm::add(dm::add(main, 0.91893853320467274178), series);  // + log(sqrt(2 pi))
}

// What Poisson(lambda) computes from lambda alone: fill loops compute it once per distinct rate.
struct PoissonSetup {
    double lambda = 0.0;
    double exp_neg = 0.0;  // inversion (lambda < 10): exp(-lambda)
    double slam = 0.0, loglam = 0.0, b = 0.0, a = 0.0, invalpha = 0.0, vr = 0.0, log_invalpha = 0.0;  // PTRS
};
NL_HOST_DEVICE PoissonSetup poisson_setup(double lambda) {
    PoissonSetup s;
    s.lambda = lambda;
    if (!(lambda > 0.0)) return s;
    if (lambda < 10.0) {
        s.exp_neg = dm::exp(-lambda);
        return s;
    }
    s.slam = dm::sqrt(lambda);
    s.loglam = dm::log(lambda);
    s.b = dm::fma(2.53, s.slam, 0.931);
    s.a = dm::fma(0.02483, s.b, -0.059);
    s.invalpha = dm::add(1.1239, dm::div(1.1328, dm::sub(s.b, 3.4)));
    s.vr = dm::sub(0.9277, dm::div(3.6224, dm::sub(s.b, 2.0)));
    s.log_invalpha = dm::log(s.invalpha);
    return s;
}

// Poisson(lambda): inversion for lambda < 10 (one 53-bit uniform), Hormann's transformed rejection
// (PTRS, 1993) above, with attempt a reading counter word 3 = a. Exact in distribution.
NL_HOST_DEVICE double poisson_from_setup(uint32_t w0, uint32_t w1, const PoissonSetup& s, uint64_t seed,
                                         uint64_t block, uint32_t stream, int lane) {
    const double lambda = s.lambda;
    if (!(lambda > 0.0)) return 0.0;
    if (lambda < 10.0) {
        const double u = uniform_f64(w0, w1);
        double p = s.exp_neg, cdf = p, k = 0.0;
        while (u >= cdf && k < 1000.0) {
            k = dm::add(k, 1.0);
            p = dm::div(dm::mul(p, lambda), k);
            cdf = dm::add(cdf, p);
        }
        return k;
    }
    const double a = s.a, b = s.b;
    for (uint32_t attempt = 0;; ++attempt) {
        if (attempt > 0) {
            const PhiloxCounter c = philox_block(seed, block, stream, attempt);
            w0 = c.v[2 * lane];
            w1 = c.v[2 * lane + 1];
        }
        const double U = dm::sub(dm::mul(static_cast<double>(w0), 2.3283064365386963e-10), 0.5);
        const double V = dm::mul(static_cast<double>(2ull * w1 + 1ull), 1.1641532182693481e-10);  // (0,1)
        const double us = dm::sub(0.5, U < 0 ? -U : U);
        const double kr = dm::add(dm::add(dm::mul(dm::add(dm::div(dm::add(a, a), us), b), U), lambda), 0.43);
        // w0 == 0 gives U = -0.5, us = 0 and kr = -inf: rejected below in any case (k < 0), but
        // converting -inf to an integer would be undefined, so reject it before the conversion.
        if (!(kr >= -1.0)) continue;
        double k = static_cast<double>(static_cast<long long>(kr));
        if (k > kr) k = dm::sub(k, 1.0);  // floor
        if (us >= 0.07 && V <= s.vr) return k;
        if (k < 0.0 || (us < 0.013 && V > us)) continue;
        const double lhs = dm::sub(dm::add(dm::log(V), s.log_invalpha), dm::log(dm::add(dm::div(a, dm::mul(us, us)), b)));
        const double rhs = dm::sub(dm::fma(k, s.loglam, -lambda), log_factorial(k));
        if (lhs <= rhs) return k;
    }
}

// One element with its own rate (what random_block computes for each Poisson element).
NL_HOST_DEVICE double poisson(uint32_t w0, uint32_t w1, double lambda, uint64_t seed, uint64_t block,
                              uint32_t stream, int lane) {
    return poisson_from_setup(w0, w1, poisson_setup(lambda), seed, block, stream, lane);
}

// ---- the block function ------------------------------------------------------------------------
// What geometric and Poisson compute from their parameters alone (log(1 - p); the PTRS
// constants). The reference computes it for every element; the CPU fill passes a cache that keeps
// it across blocks (tensor/simd/random_fill.cpp), with the same values.
struct SetupPerElement {
    NL_HOST_DEVICE double geometric_log_q(double p) { return xf::geometric_log_q(p); }
    NL_HOST_DEVICE PoissonSetup poisson(double lambda) { return poisson_setup(lambda); }
};

// normal's per-element mean may be NaN (std is checked finite, so nothing else makes a NaN): the
// value is that NaN, quieted, sign and payload kept, which is what x86's fma gives (and, for float
// outputs, its double -> float conversion: narrow_double). The GPU's fma returns one canonical NaN
// instead, so both devices take the NaN from here.
NL_HOST_DEVICE double quiet_nan(double m) { return dm::from_bits(dm::bits(m) | uint64_t{0x0008000000000000}); }

// Writes the elements of block q (relative to r.offset) that fall below r.numel into out, from
// the block's words w (Philox of block r.offset + q); the rejection samplers (randint, Poisson)
// read their further attempts from Philox themselves.
template <class T, class Setup>
NL_HOST_DEVICE void random_block_from_words(const RandomRequest& r, uint64_t q, const uint32_t* w, T* out, Setup& setup) {
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
                    out[first + j] = from_double<T>(scale_to_interval(uniform_f64(w[2 * j], w[2 * j + 1]), r.a, r.b));
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
                    const double m = param_a(j);
                    const double v = m != m ? quiet_nan(m) : dm::fma(z[j], param_b(j), m);
                    out[first + j] = from_double<T>(lognormal ? dm::exp(v) : v);  // log_normal_'s mean is a finite scalar
                }
            } else {
                float z[4];
                normal_pair_f32(w[0], w[1], z[0], z[1]);
                normal_pair_f32(w[2], w[3], z[2], z[3]);
                for (int j = 0; j < count; ++j) {
                    const double m = param_a(j);
                    const float v = m != m ? narrow_double(m)
                                           : dm::fma(z[j], static_cast<float>(param_b(j)), static_cast<float>(m));
                    out[first + j] = cast_from_float<T>(lognormal ? dm::exp(v) : v);
                }
            }
            break;
        }
        case RandomKind::Exponential:
            for (int j = 0; j < count; ++j) {
                if constexpr (kF64) out[first + j] = from_double<T>(exponential_f64(w[2 * j], w[2 * j + 1], r.a));
                else out[first + j] = cast_from_float<T>(exponential_f32(w[j], static_cast<float>(r.a)));
            }
            break;
        case RandomKind::Cauchy:
            for (int j = 0; j < count; ++j) {
                if constexpr (kF64) out[first + j] = from_double<T>(cauchy_f64(w[2 * j], w[2 * j + 1], r.a, r.b));
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
            // geometric(w0, w1, p) with log(1 - p) from the setup.
            for (int j = 0; j < count; ++j) {
                out[first + j] = from_double<T>(
                    r.a >= 1.0 ? 1.0 : geometric_from_log_q(w[2 * j], w[2 * j + 1], setup.geometric_log_q(r.a)));
            }
            break;
        case RandomKind::Poisson:
            for (int j = 0; j < count; ++j) {
                const PoissonSetup& ps = setup.poisson(param_a(j));
                out[first + j] = from_double<T>(poisson_from_setup(w[2 * j], w[2 * j + 1], ps, r.seed, block, r.stream, j));
            }
            break;
    }
}

// The reference: block q from its own Philox words.
template <class T>
NL_HOST_DEVICE void random_block(const RandomRequest& r, uint64_t q, T* out) {
    const PhiloxCounter c = philox_block(r.seed, r.offset + q, r.stream);
    SetupPerElement setup;
    random_block_from_words<T>(r, q, c.v, out, setup);
}

}  // namespace nl::xf
