// Accuracy of the deterministic math (tensor/detmath.h) against long double libm, in ULPs of the
// result's precision, over dense and edge inputs. The bounds asserted here are the ones the header
// and docs/STREAMS.md state; the measured maxima (over larger sweeps than these tests run) are in
// docs/STREAMS.md, "Deterministic math".
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>

#include "tensor/detmath.h"
#include "tensor/transforms.h"

namespace {

using LD = long double;
namespace dm = nl::dm;

// One ULP of T at the magnitude of `ref` (subnormal results: the smallest subnormal).
template <class T>
LD ulp_at(LD ref) {
    constexpr int p = std::numeric_limits<T>::digits;          // 24 or 53
    constexpr int emin = std::numeric_limits<T>::min_exponent;  // -125 or -1021
    int e = 0;
    std::frexp(std::fabs(ref), &e);  // |ref| = m 2^e, m in [0.5, 1)
    if (e < emin) e = emin;
    return std::ldexp(1.0L, e - p);
}
template <class T>
LD ulp_error(T got, LD ref) {
    return std::fabs(static_cast<LD>(got) - ref) / ulp_at<T>(ref);
}

// Tracks the worst error and the input that gave it.
template <class T>
struct Worst {
    LD err = 0;
    T at = 0;
    const char* what = nullptr;
    explicit Worst(const char* w = nullptr) : what(w) {}
    ~Worst() {  // the measured figure, for docs/STREAMS.md
        if (what) std::printf("[ measured ] %s: max %.3Lf ULP at %a\n", what, err, static_cast<double>(at));
    }
    void add(LD e, T x) {
        if (e > err) {
            err = e;
            at = x;
        }
    }
};

constexpr LD kPi = 3.141592653589793238462643383279502884L;

// sin and cos of 2*pi*v (v = (octant + frac) / 8, exact in long double) reduced by exact quarter
// turns, so the long double argument stays small and accurate (independent of the octant logic).
void ref_sincos(uint32_t octant, LD frac, LD& s, LD& c) {
    const LD v = (static_cast<LD>(octant) + frac) / 8;
    const LD k = std::round(v * 4);
    const LD a = 2 * kPi * (v - k / 4);  // |a| <= pi/4
    LD sa, ca;
    sincosl(a, &sa, &ca);
    switch (static_cast<int>(k) & 3) {
        case 0: s = sa; c = ca; break;
        case 1: s = ca; c = -sa; break;
        case 2: s = -sa; c = -ca; break;
        default: s = -ca; c = sa; break;
    }
}

// ---- bounds (ULP of the result; docs/STREAMS.md quotes them) -------------------------------------
constexpr LD kLogF32 = 2.0, kExpF32 = 1.0, kSinCosF32 = 2.0;
constexpr LD kLogF64 = 2.0, kExpF64 = 1.0, kSinCosF64 = 2.0;

TEST(DetMath, FloatLogEveryMantissaOfSeveralExponents) {
    // [2^-32, 2^-31): the smallest uniforms; [0.5, 1): most uniforms; [1, 2).
    Worst<float> w("float log, every float in [2^-32,2^-31), [0.5,1), [1,2)");
    for (int e : {-32, -1, 0}) {
        for (uint32_t m = 0; m < (1u << 23); ++m) {
            const float x = dm::from_bits(static_cast<uint32_t>(e + 127) << 23 | m);
            w.add(ulp_error(dm::log(x), std::log(static_cast<LD>(x))), x);
        }
    }
    EXPECT_LE(w.err, kLogF32) << "worst at " << std::hexfloat << w.at;
    EXPECT_GT(w.err, 0.5) << "suspiciously exact: is the reference right?";
}

TEST(DetMath, FloatLogOfUniformOpen0Inputs) {
    // Every value uniform_open0_f32 can produce is a log input for normal, exponential and the
    // multinomial race; a stride over all 2^32 words plus both ends exhaustively.
    Worst<float> w("float log of uniform_open0_f32 outputs");
    auto check = [&](uint32_t word) {
        const float u = nl::xf::uniform_open0_f32(word);
        w.add(ulp_error(dm::log(u), std::log(static_cast<LD>(u))), u);
    };
    for (uint64_t word = 0; word < (uint64_t(1) << 32); word += 509) check(static_cast<uint32_t>(word));
    for (uint32_t i = 0; i < 65536; ++i) {
        check(i);
        check(0xFFFFFFFFu - i);
    }
    EXPECT_LE(w.err, kLogF32) << "worst at " << std::hexfloat << w.at;
}

TEST(DetMath, UniformOpen0Interval) {
    EXPECT_EQ(nl::xf::uniform_open0_f32(0), std::ldexp(1.0f, -32));
    EXPECT_EQ(nl::xf::uniform_open0_f32(1), std::ldexp(1.0f, -32));
    EXPECT_EQ(nl::xf::uniform_open0_f32(2), std::ldexp(3.0f, -32));
    EXPECT_EQ(nl::xf::uniform_open0_f32(0xFFFFFFFFu), 1.0f);
    // 1.0 comes from exactly the top 128 words (float(k) rounds k >= 2^31 - 64 up to 2^31).
    for (uint32_t i = 0; i < 4096; ++i) {
        const uint32_t word = 0xFFFFFFFFu - i;
        EXPECT_EQ(nl::xf::uniform_open0_f32(word) == 1.0f, i < 128) << std::hex << word;
    }
    // Non-decreasing in the word, always in (0, 1].
    float prev = 0.0f;
    for (uint64_t word = 0; word < (uint64_t(1) << 32); word += 65521) {
        const float u = nl::xf::uniform_open0_f32(static_cast<uint32_t>(word));
        ASSERT_GT(u, 0.0f);
        ASSERT_LE(u, 1.0f);
        ASSERT_GE(u, prev);
        prev = u;
    }
    EXPECT_EQ(nl::xf::uniform_open0_f64(0, 0), std::ldexp(1.0, -53));
    EXPECT_EQ(nl::xf::uniform_open0_f64(0xFFFFFFFFu, 0xFFFFFFFFu), 1.0);
    EXPECT_EQ(nl::xf::uniform_open_f64(0, 0), std::ldexp(1.0, -53));
    EXPECT_EQ(nl::xf::uniform_open_f64(0xFFFFFFFFu, 0xFFFFFFFFu), 1.0 - std::ldexp(1.0, -53));
    EXPECT_EQ(nl::xf::uniform_f64(0xFFFFFFFFu, 0xFFFFFFFFu), 1.0 - std::ldexp(1.0, -53));
    EXPECT_EQ(nl::xf::uniform_f32(0xFFFFFFFFu), 1.0f - std::ldexp(1.0f, -24));
}

TEST(DetMath, FloatLogSpecialValues) {
    EXPECT_EQ(dm::bits(dm::log(1.0f)), 0u) << "log(1) must be +0";
    EXPECT_EQ(dm::bits(dm::log(1.0)), 0u);
    for (int k = -126; k <= 127; ++k)
        EXPECT_LE(ulp_error(dm::log(std::ldexp(1.0f, k)), k * std::log(2.0L)), kLogF32) << k;
    EXPECT_LE(ulp_error(dm::log(std::numeric_limits<float>::max()), std::log(static_cast<LD>(std::numeric_limits<float>::max()))), kLogF32);
}

// dm::log_split against the split it replaced ("m in [1, 2), halved above sqrt 2"), which the
// stream's values were defined with: the same exponent and mantissa for every float with the sign
// bit clear (zero, subnormals, inf and NaN included) and for doubles over every exponent's
// sqrt 2 boundary and a stride through the rest.
template <class T>
void branchy_split(T x, int& e, typename dm::Consts<T>::Bits& mb) {
    using C = dm::Consts<T>;
    using B = typename C::Bits;
    const B b = dm::bits(x);
    e = static_cast<int>(b >> C::kMantBits) - C::kBias;
    mb = (b & C::kMantMask) | C::kOneBits;
    if (mb > C::kSqrt2Bits) {
        mb -= (B(1) << C::kMantBits);
        e += 1;
    }
}
TEST(DetMath, LogSplitIsTheBranchySplit) {
    uint64_t differ = 0;
    for (uint32_t b = 0; b < 0x80000000u; ++b) {
        const float x = dm::from_bits(b);
        int e0, e1;
        uint32_t m0, m1;
        branchy_split(x, e0, m0);
        dm::log_split(x, e1, m1);
        differ += (e0 != e1) | (m0 != m1);
    }
    EXPECT_EQ(differ, 0u) << "floats whose split changed";
    auto check_double = [&](uint64_t b) {
        int e0, e1;
        uint64_t m0, m1;
        branchy_split(dm::from_bits(b), e0, m0);
        dm::log_split(dm::from_bits(b), e1, m1);
        differ += (e0 != e1) | (m0 != m1);
    };
    for (uint64_t exponent = 0; exponent < 2048; ++exponent)
        for (uint64_t m = 0x6A09E667F3BCDull - 256; m <= 0x6A09E667F3BCDull + 256; ++m) check_double(exponent << 52 | m);
    for (uint64_t b = 0; b < 0x7FF0000000000000ull; b += 0x0000100000001ull * 4099) check_double(b);
    EXPECT_EQ(differ, 0u) << "doubles whose split changed";
}

TEST(DetMath, DoubleLog) {
    std::mt19937_64 rng(1);
    Worst<double> w("double log, 3e6 samples");
    auto check = [&](double x) { w.add(ulp_error(dm::log(x), std::log(static_cast<LD>(x))), x); };
    for (int i = 0; i < 3000000; ++i) {
        uint64_t b = rng() & 0x000FFFFFFFFFFFFFull;
        // half the samples in [2^-60, 2) (uniform_open0_f64's range), half over every exponent
        const uint64_t e = (i & 1) ? 1023 - rng() % 61 : 1 + rng() % 2046;
        check(dm::from_bits(b | e << 52));
    }
    for (double x : {std::numeric_limits<double>::min(), std::numeric_limits<double>::max(), 1.0,
                     std::nextafter(1.0, 0.0), std::nextafter(1.0, 2.0), std::sqrt(2.0), std::sqrt(0.5),
                     std::ldexp(1.0, -53), 0.5, 2.0, 3.0})
        check(x);
    for (uint32_t i = 0; i < 65536; ++i) check(nl::xf::uniform_open0_f64(0xFFFFFFFFu - i, 0xFFFFFFFFu));
    EXPECT_LE(w.err, kLogF64) << "worst at " << std::hexfloat << w.at;
}

// exp of floats (dm::exp<float> for the random transforms, dm::exp_f32 for the elementwise ops):
// within `bound` ULP of long double libm, with the right overflow, underflow and special values.
template <class Exp>
void check_float_exp(Exp exp_fn, const char* name, LD bound) {
    Worst<float> w(name);
    auto check = [&](float x) {
        const LD ref = std::exp(static_cast<LD>(x));
        // Round to nearest overflows from FLT_MAX + ulp/2 = 2^128 - 2^103 on.
        if (ref >= std::ldexp(1.0L, 128) - std::ldexp(1.0L, 103)) {
            EXPECT_TRUE(std::isinf(exp_fn(x))) << std::hexfloat << x;
            return;
        }
        w.add(ulp_error(exp_fn(x), ref), x);
    };
    // A stride over every float pattern in [-104, 89] (the range with non-trivial results),
    // denser over the subnormal results below -87.3 and over [-1, 1].
    for (uint64_t b = 0; b < (uint64_t(1) << 32); b += 613) {
        const float x = dm::from_bits(static_cast<uint32_t>(b));
        if (x > -104.0f && x < 89.0f) check(x);
    }
    for (float x = -103.97f; x < -87.3f; x = std::nextafter(x, 0.0f) + 1e-5f) check(x);
    for (float x = -1.0f; x < 1.0f; x += 1.0f / 65536) check(x);
    // Around the overflow and underflow cut-offs (kExpMax, kExpMin), float by float.
    using C = dm::Consts<float>;
    for (float edge : {C::kExpMax, C::kExpMin}) {
        float x = edge;
        for (int i = 0; i < 4096; ++i) x = std::nextafter(x, -1000.0f);
        for (int i = 0; i < 8192; ++i, x = std::nextafter(x, 1000.0f)) check(x);
    }
    EXPECT_LE(w.err, bound) << "worst at " << std::hexfloat << w.at;
    EXPECT_TRUE(std::isinf(exp_fn(std::nextafter(C::kExpMax, 100.0f))));
    EXPECT_EQ(exp_fn(std::nextafter(C::kExpMin, -200.0f)), 0.0f);
    EXPECT_GT(exp_fn(-103.0f), 0.0f);
    EXPECT_EQ(exp_fn(0.0f), 1.0f);
    EXPECT_EQ(exp_fn(-0.0f), 1.0f);
    EXPECT_TRUE(std::isnan(exp_fn(std::numeric_limits<float>::quiet_NaN())));
    EXPECT_TRUE(std::isinf(exp_fn(std::numeric_limits<float>::infinity())));
    EXPECT_EQ(exp_fn(-std::numeric_limits<float>::infinity()), 0.0f);
}

TEST(DetMath, FloatExp) {
    check_float_exp([](float x) { return dm::exp(x); }, "float exp, strided over [-104, 89]", kExpF32);
}

// Evaluated in double and rounded once: about half an ulp, for exp / sigmoid / silu.
TEST(DetMath, FloatExpOfTheElementwiseOps) {
    check_float_exp([](float x) { return dm::exp_f32(x); }, "float exp_f32, strided over [-104, 89]", 0.51L);
    EXPECT_EQ(dm::exp_elementwise(1.5f), dm::exp_f32(1.5f));
    EXPECT_EQ(dm::exp_elementwise(1.5), dm::exp(1.5));
}

// tanh, sin and cos of floats for the elementwise ops (double inside, one rounding): within 0.51
// ulp of long double libm on a stride over every float (sin / cos below 2^19, where they are ours).
TEST(DetMath, FloatTanhSinCosOfTheElementwiseOps) {
    Worst<float> wt("float tanh_f32, strided"), ws("float sin_f32, strided below 2^19"), wc("float cos_f32, strided below 2^19");
    for (uint64_t b = 0; b < (uint64_t(1) << 32); b += 1021) {
        const float x = dm::from_bits(static_cast<uint32_t>(b));
        if (!std::isfinite(x)) continue;
        const LD lx = x;
        wt.add(ulp_error(dm::tanh_f32(x), std::tanh(lx)), x);
        if (std::fabs(x) < 524288.0f) {
            ws.add(ulp_error(dm::sin_f32(x), std::sin(lx)), x);
            wc.add(ulp_error(dm::cos_f32(x), std::cos(lx)), x);
        }
    }
    for (float x = -12.0f; x < 12.0f; x += 1.0f / 4096) {  // dense where the functions bend
        wt.add(ulp_error(dm::tanh_f32(x), std::tanh(static_cast<LD>(x))), x);
        ws.add(ulp_error(dm::sin_f32(x), std::sin(static_cast<LD>(x))), x);
        wc.add(ulp_error(dm::cos_f32(x), std::cos(static_cast<LD>(x))), x);
    }
    EXPECT_LE(wt.err, 0.51L) << "tanh worst at " << std::hexfloat << wt.at;
    EXPECT_LE(ws.err, 0.51L) << "sin worst at " << std::hexfloat << ws.at;
    EXPECT_LE(wc.err, 0.51L) << "cos worst at " << std::hexfloat << wc.at;
    // Signs of zero, saturation, non-finite inputs, and libm beyond 2^19.
    EXPECT_TRUE(std::signbit(dm::tanh_f32(-0.0f)));
    EXPECT_TRUE(std::signbit(dm::sin_f32(-0.0f)));
    EXPECT_EQ(dm::cos_f32(-0.0f), 1.0f);
    EXPECT_EQ(dm::tanh_f32(20.0f), 1.0f);
    EXPECT_EQ(dm::tanh_f32(-std::numeric_limits<float>::infinity()), -1.0f);
    EXPECT_TRUE(std::isnan(dm::sin_f32(std::numeric_limits<float>::infinity())));
    EXPECT_TRUE(std::isnan(dm::tanh_f32(std::numeric_limits<float>::quiet_NaN())));
    EXPECT_EQ(dm::sin_f32(1e6f), std::sin(1e6f));
}

TEST(DetMath, DoubleExp) {
    std::mt19937_64 rng(2);
    Worst<double> w("double exp, 2e6 samples");
    auto check = [&](double x) { w.add(ulp_error(dm::exp(x), std::exp(static_cast<LD>(x))), x); };
    std::uniform_real_distribution<double> wide(-745.1, 709.7), narrow(-2.0, 2.0);
    for (int i = 0; i < 2000000; ++i) check((i & 1) ? wide(rng) : narrow(rng));
    for (double x : {0.0, 1e-300, -1e-300, 1.0, -1.0, 709.78, -708.4, -740.0, -745.0}) check(x);
    EXPECT_LE(w.err, kExpF64) << "worst at " << std::hexfloat << w.at;
    EXPECT_TRUE(std::isinf(dm::exp(710.0)));
    EXPECT_EQ(dm::exp(-746.0), 0.0);
    EXPECT_GT(dm::exp(-745.0), 0.0);
}

TEST(DetMath, FloatSinCosEveryNormalAngle) {
    // 3 octant bits and a 21-bit fraction (stream version 1's Box-Muller angles): all 2^24, exhaustively.
    Worst<float> ws("float sin, all 2^24 24-bit angles"), wc("float cos, all 2^24 24-bit angles");
    for (uint32_t octant = 0; octant < 8; ++octant) {
        for (uint32_t f = 0; f < (1u << 21); ++f) {
            const float frac = static_cast<float>(f) * 4.76837158203125e-07f;
            float s, c;
            dm::sincos_octant(octant, frac, s, c);
            LD rs, rc;
            ref_sincos(octant, frac, rs, rc);
            ws.add(ulp_error(s, rs), static_cast<float>(octant) + frac);
            wc.add(ulp_error(c, rc), static_cast<float>(octant) + frac);
        }
    }
    EXPECT_LE(ws.err, kSinCosF32) << "sin worst at octant+frac " << ws.at;
    EXPECT_LE(wc.err, kSinCosF32) << "cos worst at octant+frac " << wc.at;
}

TEST(DetMath, FloatSinCosCauchyAngles) {
    // cauchy_f32 feeds a 23-bit fraction (octants 0-3): a stride plus both ends of each octant.
    Worst<float> w("float sincos_octant, 23-bit fractions");
    for (uint32_t octant = 0; octant < 8; ++octant) {
        for (uint32_t f = 0; f < (1u << 23); f += (f < 4096 || f > (1u << 23) - 4096) ? 1 : 61) {
            const float frac = static_cast<float>(f) * 1.1920928955078125e-07f;
            float s, c;
            dm::sincos_octant(octant, frac, s, c);
            LD rs, rc;
            ref_sincos(octant, frac, rs, rc);
            w.add(std::max(ulp_error(s, rs), ulp_error(c, rc)), static_cast<float>(octant) + frac);
        }
    }
    EXPECT_LE(w.err, kSinCosF32) << "worst at octant+frac " << w.at;
}

TEST(DetMath, DoubleSinCos) {
    std::mt19937_64 rng(3);
    Worst<double> w("double sincos_octant, 2e6 samples");
    auto check = [&](uint32_t octant, uint64_t f50) {
        const double frac = static_cast<double>(f50) * 8.8817841970012523e-16;  // 2^-50
        double s, c;
        dm::sincos_octant(octant, frac, s, c);
        LD rs, rc;
        ref_sincos(octant, frac, rs, rc);
        w.add(std::max(ulp_error(s, rs), ulp_error(c, rc)), octant + frac);
    };
    for (int i = 0; i < 2000000; ++i) check(static_cast<uint32_t>(rng() & 7), rng() & ((uint64_t(1) << 50) - 1));
    for (uint32_t octant = 0; octant < 8; ++octant)
        for (uint64_t f = 0; f < 4096; ++f) {
            check(octant, f);
            check(octant, (uint64_t(1) << 50) - 1 - f);
        }
    EXPECT_LE(w.err, kSinCosF64) << "worst at octant+frac " << w.at;
}

TEST(DetMath, SinCosExactAtOctantBoundaries) {
    // frac == 0 lands on multiples of pi/4: sin/cos of 0, pi/2, pi, 3pi/2 are exact (zero signs
    // are part of the stream: cos(pi/2) is -0).
    float s, c;
    dm::sincos_octant(0, 0.0f, s, c);
    EXPECT_EQ(s, 0.0f);
    EXPECT_EQ(c, 1.0f);
    dm::sincos_octant(2, 0.0f, s, c);
    EXPECT_EQ(s, 1.0f);
    EXPECT_EQ(c, 0.0f);
    dm::sincos_octant(4, 0.0f, s, c);
    EXPECT_EQ(s, 0.0f);
    EXPECT_EQ(c, -1.0f);
    dm::sincos_octant(6, 0.0f, s, c);
    EXPECT_EQ(s, -1.0f);
    EXPECT_EQ(c, 0.0f);
    dm::sincos_octant(1, 0.0f, s, c);  // pi/4
    EXPECT_LE(ulp_error(s, std::sqrt(0.5L)), kSinCosF32);
    EXPECT_LE(ulp_error(c, std::sqrt(0.5L)), kSinCosF32);
}

// dm::sqrt_radius on the GPU: sqrt_refined(q, y0) with y0 the hardware's approximate 1/sqrt(q).
// Whatever y0 is within 3 ulps of 1/sqrt(q) (the hardware: 2^-22.9 relative), or 2^-22, 2^-20 or
// 2^-16 relative off, the result must be the IEEE square root, for every q the radius can have
// (0 and [2^-24, 64)). Every 37th float here (9e7 cases: std::fma is a library call in a portable
// build); all of them (3.3e9 cases, about a minute) with NOISELAB_SLOW_TESTS=1.
TEST(DetMath, RadiusSqrtIsCorrectlyRounded) {
    const char* slow = std::getenv("NOISELAB_SLOW_TESTS");
    const uint32_t stride = slow && *slow == '1' ? 1 : 37;
    const uint32_t lo = dm::bits(std::ldexp(1.0f, -24)), hi = dm::bits(64.0f);
    const double far[] = {-0x1p-16, 0x1p-16, -0x1p-20, 0x1p-20, -0x1p-22, 0x1p-22};
    int64_t cases = 0, wrong = 0;
    float first_wrong = 0;
    for (uint32_t b = lo; b < hi; b += stride) {
        const float q = dm::from_bits(b), want = std::sqrt(q);
        const double r = 1.0 / std::sqrt(static_cast<double>(q));
        const uint32_t yb = dm::bits(static_cast<float>(r));
        auto check = [&](float y0) {
            ++cases;
            if (dm::sqrt_refined(q, y0) != want && wrong++ == 0) first_wrong = q;
        };
        for (int k = -3; k <= 3; ++k) check(dm::from_bits(yb + static_cast<uint32_t>(k)));
        for (double e : far) check(static_cast<float>(r * (1 + e)));
    }
    EXPECT_EQ(wrong, 0) << "of " << cases << " cases; first at q = " << std::hexfloat << first_wrong;
    EXPECT_EQ(dm::bits(dm::sqrt_refined(0.0f, 0x1p50f)), 0u) << "q = 0 (y0 taken at 2^-100) gives +0";
    // The radius argument stays in that range: the largest uniforms below 1 and the smallest.
    for (uint32_t w = 0xFFFFFFFFu; w > 0xFFFFF000u; --w) {
        const float q = nl::xf::minus_two_log_uniform_f32(w, nl::xf::normal_tables());
        EXPECT_TRUE(q == 0.0f || (q >= std::ldexp(1.0f, -24) && q < 64.0f)) << "w = " << w << " q = " << q;
    }
    for (uint32_t w = 0; w < 4096; ++w) {
        const float q = nl::xf::minus_two_log_uniform_f32(w, nl::xf::normal_tables());
        EXPECT_TRUE(q >= std::ldexp(1.0f, -24) && q < 64.0f) << "w = " << w << " q = " << q;
    }
}

// Box-Muller end to end (normal_pair_f32, stream version 2's tables): against the same u and angle
// in long double: u = float(w0 | 1) * 2^-32 and the angle of normal_ref_sincos. Radius words from both ends
// (u near 1: small radii; near 2^-32: the tail) and angle words everywhere, plus every word within
// 2^17 of each quadrant point, where sin or cos passes through zero and only relative accuracy
// counts. The bound is what it measures (stream version 1's polynomials measured 3.3).
LD normal_ref_u(uint32_t w0) { return static_cast<LD>(static_cast<float>(w0 | 1u)) * std::ldexp(1.0L, -32); }
// sin and cos of the angle normal_pair_f32 means for w1: 2*pi*j/32 + f32(32 t) * 2*pi/2^37 with
// j = (w1 + 2^26) >> 27 (mod 32) and 32 t = int32(w1 << 5), taken a quarter turn at a time first so
// that a word on a quadrant point gives exact zeros, as the true values are (not long double's
// cos(pi/2)).
void normal_ref_sincos(uint32_t w1, LD& s, LD& c) {
    const uint32_t j = ((w1 + (1u << 26)) >> 27) & 31u, quarter = j >> 3;
    const LD two_pi = 2 * 3.141592653589793238462643383279502884L;
    const LD t32 = static_cast<float>(static_cast<int32_t>(w1 << 5));  // the transform's rounding
    const LD phi = two_pi * (j & 7u) / 32 + t32 * two_pi * std::ldexp(1.0L, -37);
    const LD sp = std::sin(phi), cp = std::cos(phi);
    const LD sv[4] = {sp, cp, -sp, -cp}, cv[4] = {cp, -sp, -cp, sp};
    s = sv[quarter];
    c = cv[quarter];
}
void add_normal_pair(Worst<float>& w, uint32_t w0, uint32_t w1) {
    float z0, z1;
    nl::xf::normal_pair_f32(w0, w1, z0, z1);
    const LD u = normal_ref_u(w0);
    if (u == 1) {  // radius 0: both exact zeros
        EXPECT_EQ(z0, 0.0f);
        EXPECT_EQ(z1, 0.0f);
        return;
    }
    const LD r = std::sqrt(-2 * std::log(u));
    LD s, c;
    normal_ref_sincos(w1, s, c);
    w.add(ulp_error(z0, r * c), z0);
    w.add(ulp_error(z1, r * s), z1);
}

TEST(DetMath, BoxMullerFloatAccuracy) {
    std::mt19937 rng(4);
    Worst<float> w("normal_pair_f32 (Box-Muller), 2e6 pairs");
    for (int i = 0; i < 2000000; ++i) {
        const uint32_t w0 = i < 65536 ? 0xFFFFFFFFu - static_cast<uint32_t>(i) : i < 131072 ? static_cast<uint32_t>(i - 65536) : rng();
        add_normal_pair(w, w0, rng());
    }
    EXPECT_LE(w.err, 4.0) << "worst at " << w.at;
}

TEST(DetMath, BoxMullerFloatNearQuadrantPoints) {
    std::mt19937 rng(5);
    Worst<float> w("normal_pair_f32 near 0, pi/2, pi, 3pi/2");
    for (uint32_t quadrant = 0; quadrant < 4; ++quadrant) {
        for (int32_t d = -(1 << 17); d <= (1 << 17); ++d) {
            add_normal_pair(w, rng(), (quadrant << 30) + static_cast<uint32_t>(d));
        }
    }
    EXPECT_LE(w.err, 4.0) << "worst at " << w.at;
}

TEST(DetMath, BoxMullerFloatTableEdges) {
    // Both sides of every boundary between two table entries (log: mantissa bits 19..22 of the
    // split; angle: w1's low 27 bits crossing 2^26) and the words that give u = 1.
    std::mt19937 rng(6);
    Worst<float> w("normal_pair_f32 at table edges");
    for (uint32_t j = 0; j < 32; ++j) {
        for (int32_t d = -256; d < 256; ++d) add_normal_pair(w, rng(), (j << 27) + 0x4000000u + static_cast<uint32_t>(d));
    }
    // Log entries change where the bits of float(w | 1), minus K32 = the split's constant, cross a
    // multiple of 2^19. For each such boundary, over every exponent: words around the 4 floats
    // below it and the 4 from it up (float steps: above 2^24 many words share one float), and a
    // check that both sides were reached wherever the floats are dense enough (from 2^8 up).
    const int64_t k32 = 0x3FB504F3 - (1 << 23) + 1 + (int64_t(32) << 23);
    int one_sided = 0;
    for (int64_t b = k32 - ((k32 - 0x3F800000) >> 19 << 19); b < 0x4F800000; b += 1 << 19) {
        bool below = false, above = false;
        for (int64_t step = -4; step < 4; ++step) {
            const float f = nl::dm::from_bits(static_cast<uint32_t>(b + step));
            if (f < 1.0f || f >= 4294967040.0f) continue;
            for (uint32_t d : {0u, 1u, 2u}) {
                const uint32_t word = static_cast<uint32_t>(f) + d - 1u;
                const int64_t got = nl::dm::bits(static_cast<float>(word | 1u));
                (got < b ? below : above) = true;
                add_normal_pair(w, word, rng());
            }
        }
        if (nl::dm::from_bits(static_cast<uint32_t>(b)) >= 256.0f && !(below && above)) ++one_sided;
    }
    EXPECT_EQ(one_sided, 0) << "log table boundaries not straddled";
    for (uint32_t k = 0; k < 256; ++k) add_normal_pair(w, 0xFFFFFFFFu - k, rng());
    EXPECT_LE(w.err, 4.0) << "worst at " << w.at;
}

}  // namespace
