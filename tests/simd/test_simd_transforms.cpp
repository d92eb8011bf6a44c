// Exhaustive-ish checks of the vectorised transforms against the scalar functions they replicate,
// bit for bit, at every SIMD level the CPU has: Box-Muller over 2^24 angle words (the top 24 bits
// in every pattern: every table entry with every top 19 bits of its 27-bit offset, the low 8 bits
// scrambled) and 2^25 radius words, log over every (0, 1] uniform the radius can take, exp over
// dense sweeps of its branches (overflow, subnormal results, NaN), sin/cos over every octant and
// fraction, the SSE2 fma emulation on hard cases, and the float16 / bfloat16 roundings.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "simd_test_util.h"
#include "tensor/detmath.h"
#include "tensor/half.h"
#include "tensor/philox.h"
#include "tensor/simd/kernels.h"
#include "tensor/transforms.h"

namespace nl {
namespace {

constexpr int64_t kChunk = int64_t(1) << 20;

uint32_t bits_of(float x) { return dm::bits(x); }
uint64_t bits_of(double x) { return dm::bits(x); }

std::vector<const simd::Kernels*> vector_levels() {
    simdtest::note_unsupported_levels();
    std::vector<const simd::Kernels*> ks;
    for (SimdLevel l : supported_simd_levels())
        if (const simd::Kernels* k = simd::kernels_for(l)) ks.push_back(k);
    return ks;
}

// Compares got[i] and want[i] bitwise; reports the first mismatch with its input.
template <class T, class In>
void expect_bits(const char* what, const simd::Kernels* k, const std::vector<T>& want, const std::vector<T>& got,
                 const std::vector<In>& input) {
    for (size_t i = 0; i < want.size(); ++i) {
        if (bits_of(want[i]) != bits_of(got[i])) {
            ADD_FAILURE() << what << " at level " << simd_level_name(k->level) << ": input " << input[i] << " gives "
                          << got[i] << " (bits " << std::hex << bits_of(got[i]) << "), reference " << want[i]
                          << " (bits " << bits_of(want[i]) << ")";
            return;
        }
    }
}

// Box-Muller for the words w0 = radius(i), w1 = angle(i), i in [0, count).
template <class R, class A>
void check_normal_pairs(const char* what, int64_t count, R radius, A angle) {
    const auto levels = vector_levels();
    std::vector<uint32_t> w0(kChunk), w1(kChunk);
    std::vector<float> r0(kChunk), r1(kChunk), g0(kChunk), g1(kChunk);
    for (int64_t base = 0; base < count; base += kChunk) {
        const int64_t n = std::min(kChunk, count - base);
        w0.resize(n), w1.resize(n), r0.resize(n), r1.resize(n), g0.resize(n), g1.resize(n);
        for (int64_t i = 0; i < n; ++i) {
            w0[i] = radius(base + i);
            w1[i] = angle(base + i);
            xf::normal_pair_f32(w0[i], w1[i], r0[i], r1[i]);
        }
        for (const simd::Kernels* k : levels) {
            k->normal_pair_f32(w0.data(), w1.data(), n, g0.data(), g1.data());
            expect_bits(what, k, r0, g0, w0);
            expect_bits(what, k, r1, g1, w1);
            if (::testing::Test::HasFailure()) return;
        }
    }
}

TEST(SimdTransforms, NormalPairAllAngles) {
    // The angle word: 5 bits of table entry, 27 of offset. 2^24 words: the top 24 bits run through
    // all their values (every entry, both signs of the offset), the low 8 scrambled independently;
    // assorted radius words.
    check_normal_pairs("normal_pair (angles)", int64_t(1) << 24,
                       [](int64_t i) { return static_cast<uint32_t>(i * 0x9E3779B97F4A7C15ull >> 32); },
                       [](int64_t i) { return static_cast<uint32_t>(i << 8) | static_cast<uint32_t>((i * 0x2545F491u) >> 24 & 0xFF); });
}

TEST(SimdTransforms, NormalPairRadii) {
    // Every w0 below 2^24 (w0 | 1 exact in float, u down to 2^-32: every log table entry at the
    // small exponents), then 2^24 words spread over the rest; angles assorted.
    check_normal_pairs("normal_pair (small radius words)", int64_t(1) << 24,
                       [](int64_t i) { return static_cast<uint32_t>(i); },
                       [](int64_t i) { return static_cast<uint32_t>(i * 0xD2511F53u); });
    check_normal_pairs("normal_pair (radius words)", int64_t(1) << 24,
                       [](int64_t i) { return static_cast<uint32_t>(i << 8) | 0x80u; },
                       [](int64_t i) { return static_cast<uint32_t>(i * 0xCD9E8D57u + 12345u); });
}

template <class F>
void check_unary_f32(const char* what, const std::vector<float>& x, F scalar,
                     void (*simd::Kernels::*member)(const float*, int64_t, float*)) {
    std::vector<float> want(x.size()), got(x.size());
    for (size_t i = 0; i < x.size(); ++i) want[i] = scalar(x[i]);
    for (const simd::Kernels* k : vector_levels()) {
        (k->*member)(x.data(), static_cast<int64_t>(x.size()), got.data());
        expect_bits(what, k, want, got, x);
    }
}

TEST(SimdTransforms, LogOfUniforms) {
    std::vector<float> x;
    x.reserve(size_t(3) << 23);
    for (uint32_t w = 0; w < (1u << 24); ++w) x.push_back(xf::uniform_open0_f32(w));
    for (uint32_t i = 0; i < (1u << 24); i += 2) x.push_back(xf::uniform_open0_f32((i << 8) | (i & 0xFF)));
    for (uint32_t w = 0xFFFFFF00u; w != 0; ++w) x.push_back(xf::uniform_open0_f32(w));  // up to 1.0
    check_unary_f32("log", x, [](float v) { return dm::log(v); }, &simd::Kernels::log_f32);
}

TEST(SimdTransforms, LogOfPositiveNormals) {
    std::vector<float> x;
    for (uint32_t b = 0x00800000u; b < 0x7F800000u; b += 509) x.push_back(dm::from_bits(b));
    check_unary_f32("log", x, [](float v) { return dm::log(v); }, &simd::Kernels::log_f32);
}

TEST(SimdTransforms, ExpFloat) {
    std::vector<float> x;
    for (uint64_t b = 0; b < (uint64_t(1) << 32); b += 997) x.push_back(dm::from_bits(static_cast<uint32_t>(b)));
    // Dense: every float in [-128, -64] (subnormal and zero results, kExpMin) and [64, 128]
    // (overflow, kExpMax), and the neighbourhood of 0.
    for (uint32_t b = dm::bits(64.0f); b <= dm::bits(128.0f); b += 3) {
        x.push_back(dm::from_bits(b));
        x.push_back(-dm::from_bits(b));
    }
    for (uint32_t b = 0; b < (1u << 20); ++b) {
        x.push_back(dm::from_bits(b * 1024u));
        x.push_back(-dm::from_bits(b * 1024u));
    }
    for (float v : {std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                    std::numeric_limits<float>::quiet_NaN(), dm::Consts<float>::kExpMax, dm::Consts<float>::kExpMin})
        x.push_back(v);
    check_unary_f32("exp", x, [](float v) { return dm::exp(v); }, &simd::Kernels::exp_f32);
}

TEST(SimdTransforms, ExpDouble) {
    std::vector<double> x;
    std::mt19937_64 rng(42);
    for (int i = 0; i < (1 << 20); ++i) x.push_back(std::uniform_real_distribution<double>(-760.0, 720.0)(rng));
    for (int i = 0; i < (1 << 20); ++i) x.push_back(-std::ldexp(static_cast<double>(rng() >> 11), -53 - static_cast<int>(rng() % 64)));
    for (int i = 0; i < (1 << 18); ++i) {  // the subnormal-result and overflow borders
        x.push_back(std::uniform_real_distribution<double>(-746.0, -707.0)(rng));
        x.push_back(std::uniform_real_distribution<double>(708.0, 710.0)(rng));
    }
    for (double v : {0.0, -0.0, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                     std::numeric_limits<double>::quiet_NaN(), dm::Consts<double>::kExpMax, dm::Consts<double>::kExpMin})
        x.push_back(v);
    std::vector<double> want(x.size()), got(x.size());
    for (size_t i = 0; i < x.size(); ++i) want[i] = dm::exp(x[i]);
    for (const simd::Kernels* k : vector_levels()) {
        if (!k->exp_f64) continue;  // SSE2: no double fma, no vector double exp
        k->exp_f64(x.data(), static_cast<int64_t>(x.size()), got.data());
        expect_bits("exp<double>", k, want, got, x);
    }
}

// The integer weights of sample_logits (exp specialised to x <= 0, nearbyint by adding 2^52, the
// floor of 1 for positive weights) against random.cpp's formulas, for logits whose scaled
// distances to the maximum reach the subnormal results, zero weights and -inf.
TEST(SimdTransforms, LogitWeights) {
    std::mt19937_64 rng(5);
    for (double temperature : {1.0, 0.8, 1e-3, 37.5}) {
        std::vector<double> l64;
        for (int i = 0; i < (1 << 18); ++i) {
            const double spread = std::ldexp(1.0, static_cast<int>(rng() % 12));  // distances up to ~2000
            l64.push_back(-std::uniform_real_distribution<double>(0.0, spread)(rng) * temperature);
        }
        for (double d = 700.0; d < 760.0; d += 0.001) l64.push_back(-d * temperature);  // subnormal, zero
        l64.push_back(0.0);  // the maximum
        l64.push_back(-INFINITY);
        std::vector<float> l32(l64.begin(), l64.end());
        for (int which = 0; which < 2; ++which) {
            const int64_t n = static_cast<int64_t>(l64.size());
            std::vector<uint64_t> want(l64.size());
            uint64_t want_sum = 0;
            for (size_t j = 0; j < l64.size(); ++j) {
                const double v = which ? l64[j] : static_cast<double>(l32[j]);
                const double w = v == -INFINITY ? 0.0 : dm::exp(dm::div(dm::sub(v, 0.0), temperature));
                want[j] = w > 0.0 ? std::max<uint64_t>(1, static_cast<uint64_t>(std::nearbyint(w / 1.0 * 1099511627776.0))) : 0;
                want_sum += want[j];
            }
            for (const simd::Kernels* k : vector_levels()) {
                if (!k->logit_weights_f32) continue;  // SSE2: the scalar formulas run instead
                std::vector<uint64_t> got(l64.size());
                uint64_t sum = 0;
                double maxw = 0.0;
                if (which) k->logit_weights_f64(l64.data(), n, 0.0, temperature, got.data(), &sum, &maxw);
                else k->logit_weights_f32(l32.data(), n, 0.0, temperature, got.data(), &sum, &maxw);
                for (size_t j = 0; j < want.size(); ++j)
                    ASSERT_EQ(want[j], got[j]) << "logit " << (which ? l64[j] : l32[j]) << " T=" << temperature
                                               << " at level " << simd_level_name(k->level);
                EXPECT_EQ(sum, want_sum);
                EXPECT_EQ(maxw, 1.0);
            }
        }
    }
}

TEST(SimdTransforms, SinCosEveryOctantAndFraction) {
    const int64_t n = int64_t(1) << 24;
    std::vector<uint32_t> oct(kChunk);
    std::vector<float> frac(kChunk), ws(kChunk), wc(kChunk), gs(kChunk), gc(kChunk);
    for (int64_t base = 0; base < n; base += kChunk) {
        for (int64_t i = 0; i < kChunk; ++i) {
            const uint32_t v = static_cast<uint32_t>(base + i);
            oct[i] = v >> 21;
            frac[i] = static_cast<float>(v & 0x1FFFFFu) * 4.76837158203125e-07f;
            dm::sincos_octant(oct[i], frac[i], ws[i], wc[i]);
        }
        for (const simd::Kernels* k : vector_levels()) {
            k->sincos_octant_f32(oct.data(), frac.data(), kChunk, gs.data(), gc.data());
            expect_bits("sin", k, ws, gs, frac);
            expect_bits("cos", k, wc, gc, frac);
            if (HasFailure()) return;
        }
    }
}

// fma is hardware at AVX2 / AVX-512 and emulated at SSE2 (double product, sum rounded to odd).
TEST(SimdTransforms, FusedMultiplyAdd) {
    std::mt19937_64 rng(7);
    std::vector<float> a, b, c;
    auto any_float = [&](int lo_exp, int hi_exp) {
        const float m = 1.0f + static_cast<float>(rng() >> 41) * 1.1920928955078125e-07f;
        const int e = lo_exp + static_cast<int>(rng() % static_cast<uint64_t>(hi_exp - lo_exp + 1));
        return (rng() & 1 ? -1.0f : 1.0f) * std::ldexp(m, e);
    };
    for (int i = 0; i < (1 << 21); ++i) {  // assorted magnitudes
        a.push_back(any_float(-30, 30));
        b.push_back(any_float(-30, 30));
        c.push_back(any_float(-60, 60));
    }
    for (int i = 0; i < (1 << 21); ++i) {  // cancellation: c near -a*b, ties and near-ties
        const float x = any_float(-10, 10), y = any_float(-10, 10);
        const float p = x * y;
        const uint32_t nudge = static_cast<uint32_t>(rng() % 5);
        a.push_back(x);
        b.push_back(y);
        c.push_back(-dm::from_bits(dm::bits(p) + nudge - 2u));
    }
    for (int i = 0; i < (1 << 20); ++i) {  // sums whose exact value lies half an ulp from a float
        const float x = 1.0f + static_cast<float>(rng() % (1u << 12)) * 1.1920928955078125e-07f;
        a.push_back(x);
        b.push_back(x);
        c.push_back(any_float(-40, 2));
    }
    for (int i = 0; i < (1 << 18); ++i) {  // subnormal and overflowing results
        a.push_back(any_float(-80, -60));
        b.push_back(any_float(-80, -60));
        c.push_back(any_float(-149, -120));
        a.push_back(any_float(60, 127));
        b.push_back(any_float(60, 127));
        c.push_back(any_float(100, 127));
    }
    std::vector<float> want(a.size()), got(a.size());
    for (size_t i = 0; i < a.size(); ++i) want[i] = std::fma(a[i], b[i], c[i]);
    for (const simd::Kernels* k : vector_levels()) {
        k->fma_f32(a.data(), b.data(), c.data(), static_cast<int64_t>(a.size()), got.data());
        expect_bits("fma", k, want, got, a);
    }
}

TEST(SimdTransforms, HalfAndBFloat16Rounding) {
    std::vector<float> x;
    for (uint64_t b = 0; b < (uint64_t(1) << 32); b += 1021) x.push_back(dm::from_bits(static_cast<uint32_t>(b)));
    // Exact ties of the float16 rounding and their neighbours, for every exponent (13 dropped bits
    // for normal results, 14 to 24 for subnormal ones), and the overflow threshold 65520.
    std::mt19937 rng(3);
    for (uint32_t e = 102; e <= 142; ++e) {
        const uint32_t shift = e < 113 ? 126 - e : 13;
        for (int i = 0; i < 2000; ++i) {
            const uint32_t mant = (static_cast<uint32_t>(rng()) << shift) & 0x7FFFFFu;
            for (int d = -2; d <= 2; ++d)
                x.push_back(dm::from_bits(((e << 23) | mant | (1u << (shift - 1))) + static_cast<uint32_t>(d)));
        }
    }
    for (uint32_t b = dm::bits(65000.0f); b <= dm::bits(66000.0f); ++b) x.push_back(-dm::from_bits(b));
    for (uint32_t payload : {0x7FC00000u, 0x7F800001u, 0xFFC00001u, 0x7FFFFFFFu}) x.push_back(dm::from_bits(payload));
    std::vector<uint16_t> want_h(x.size()), want_b(x.size()), got(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
        want_h[i] = float_to_half_bits(x[i]);
        want_b[i] = float_to_bfloat16_bits(x[i]);
    }
    for (const simd::Kernels* k : vector_levels()) {
        k->f32_to_f16(x.data(), static_cast<int64_t>(x.size()), got.data());
        for (size_t i = 0; i < x.size(); ++i)
            ASSERT_EQ(want_h[i], got[i]) << "float16 of " << x[i] << " (bits " << std::hex << dm::bits(x[i])
                                         << ") at level " << simd_level_name(k->level);
        k->f32_to_bf16(x.data(), static_cast<int64_t>(x.size()), got.data());
        for (size_t i = 0; i < x.size(); ++i)
            ASSERT_EQ(want_b[i], got[i]) << "bfloat16 of " << x[i] << " (bits " << std::hex << dm::bits(x[i])
                                         << ") at level " << simd_level_name(k->level);
    }
}

// The Philox words of the vector generator against philox_block, across a 2^32 block boundary.
TEST(SimdTransforms, PhiloxWords) {
    for (const simd::Kernels* k : vector_levels()) {
        for (uint64_t start : {uint64_t(0), uint64_t(0xFFFFFFF0ull), uint64_t(123456789012345ull)}) {
            for (int64_t n : {int64_t(1), int64_t(3), int64_t(37), int64_t(1000)}) {
                std::vector<uint32_t> w(static_cast<size_t>(4 * n));
                k->words(0xDEADBEEFCAFEF00Dull, 77, start, n, w.data());
                for (int64_t i = 0; i < n; ++i) {
                    const PhiloxCounter c = philox_block(0xDEADBEEFCAFEF00Dull, start + static_cast<uint64_t>(i), 77);
                    for (int j = 0; j < 4; ++j)
                        ASSERT_EQ(c.v[j], w[4 * i + j]) << "block " << start + i << " word " << j << " at level "
                                                        << simd_level_name(k->level);
                }
            }
        }
    }
}

}  // namespace
}  // namespace nl
