// float16 and bfloat16 conversions (tensor/half.h): every one of the 65,536 bit patterns decodes to
// its exact value and re-encodes to itself, and float -> 16-bit rounding matches a long double
// round-to-nearest-even reference over ties, their neighbours, subnormals, overflow and a sweep of
// the whole float range.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "tensor/half.h"

namespace {

using LD = long double;

float fbits(uint32_t b) { return nl::f32_from_bits(b); }
uint32_t bitsf(float f) { return nl::f32_bits(f); }

// The exact value of a binary16 pattern, from its fields (independent of half.h).
LD half_value(uint16_t h) {
    const int sign = h >> 15, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
    LD v = exp == 0 ? std::ldexp(static_cast<LD>(mant), -24) : std::ldexp(static_cast<LD>(1024 + mant), exp - 25);
    if (exp == 0x1F) v = mant ? std::numeric_limits<LD>::quiet_NaN() : std::numeric_limits<LD>::infinity();
    return sign ? -v : v;
}
// The exact value of a bfloat16 pattern: the float with these top 16 bits.
LD bf16_value(uint16_t b) { return static_cast<LD>(fbits(static_cast<uint32_t>(b) << 16)); }

bool is_half_nan(uint16_t h) { return (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0; }
bool is_bf16_nan(uint16_t b) { return (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0; }

// Round-to-nearest-even reference: `values` are the non-negative finite values of the format in
// increasing order with their bit patterns, followed by the first value past the largest (the one
// the exponent range would give next), which stands for +inf.
struct Ladder {
    std::vector<LD> v;
    std::vector<uint16_t> bits;
    uint16_t inf_bits;
    uint16_t round(float x) const {
        const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
        const LD a = std::fabs(static_cast<LD>(x));
        if (std::isinf(a)) return sign | inf_bits;
        const auto it = std::upper_bound(v.begin(), v.end(), a);  // first value > a
        if (it == v.end()) return sign | inf_bits;                 // beyond the "next" value
        const size_t hi = static_cast<size_t>(it - v.begin());
        const size_t lo = hi - 1;                                  // v[0] == 0 <= a
        const LD dlo = a - v[lo], dhi = v[hi] - a;                 // exact: neighbours
        size_t pick = dlo < dhi ? lo : dhi < dlo ? hi : ((bits[lo] & 1) == 0 ? lo : hi);
        return sign | (pick == v.size() - 1 ? inf_bits : bits[pick]);
    }
};

Ladder half_ladder() {
    Ladder l;
    for (uint32_t h = 0; h < 0x7C00; ++h) {
        l.v.push_back(half_value(static_cast<uint16_t>(h)));
        l.bits.push_back(static_cast<uint16_t>(h));
    }
    l.v.push_back(65536.0L);  // 2^16: where the exponent range ends
    l.bits.push_back(0x7C00);
    l.inf_bits = 0x7C00;
    return l;
}

Ladder bf16_ladder() {
    Ladder l;
    for (uint32_t b = 0; b < 0x7F80; ++b) {
        l.v.push_back(bf16_value(static_cast<uint16_t>(b)));
        l.bits.push_back(static_cast<uint16_t>(b));
    }
    l.v.push_back(std::ldexp(1.0L, 128));
    l.bits.push_back(0x7F80);
    l.inf_bits = 0x7F80;
    return l;
}

// Floats worth checking for a ladder: every value, the midpoints between neighbours (the ties),
// one float ulp either side of each, and a stride over all 2^32 float patterns.
std::vector<float> probe_floats(const Ladder& l) {
    std::vector<float> xs;
    auto near = [&](float f) {
        xs.push_back(f);
        xs.push_back(std::nextafter(f, 0.0f));
        xs.push_back(std::nextafter(f, std::numeric_limits<float>::infinity()));
    };
    for (size_t i = 0; i + 1 < l.v.size(); ++i) {
        near(static_cast<float>(l.v[i]));
        const LD mid = (l.v[i] + l.v[i + 1]) / 2;
        const float fm = static_cast<float>(mid);
        if (static_cast<LD>(fm) == mid) near(fm);  // ties are floats except beyond FLT_MAX
    }
    for (uint64_t b = 0; b < (uint64_t(1) << 32); b += 4099) {
        const float f = fbits(static_cast<uint32_t>(b));
        if (!std::isnan(f)) xs.push_back(f);  // NaNs are checked on their own
    }
    for (float f : {0.0f, std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::min(),
                    std::numeric_limits<float>::max(), std::numeric_limits<float>::infinity()})
        near(f);
    const size_t n = xs.size();
    for (size_t i = 0; i < n; ++i) xs.push_back(-xs[i]);
    return xs;
}

TEST(Half, AllPatternsDecodeExactlyAndRoundTrip) {
    int nans = 0;
    for (uint32_t u = 0; u < 65536; ++u) {
        const uint16_t h = static_cast<uint16_t>(u);
        const float f = nl::half_bits_to_float(h);
        if (is_half_nan(h)) {
            ++nans;
            ASSERT_TRUE(std::isnan(f)) << std::hex << u;
            const uint16_t back = nl::float_to_half_bits(f);
            ASSERT_TRUE(is_half_nan(back)) << std::hex << u;
            ASSERT_EQ(back & 0x8000, h & 0x8000) << "NaN keeps its sign: " << std::hex << u;
            ASSERT_NE(back & 0x0200, 0) << "NaN comes back quiet: " << std::hex << u;
            continue;
        }
        ASSERT_EQ(static_cast<LD>(f), half_value(h)) << std::hex << u;
        ASSERT_EQ(std::signbit(f), (h & 0x8000) != 0) << std::hex << u;
        ASSERT_EQ(nl::float_to_half_bits(f), h) << std::hex << u;
        ASSERT_EQ(nl::Half(f).bits, h);
        ASSERT_EQ(static_cast<float>(nl::Half::from_bits(h)), f);
    }
    EXPECT_EQ(nans, 2 * 1023);
}

TEST(Half, FloatToHalfIsRoundToNearestEven) {
    const Ladder l = half_ladder();
    const std::vector<float> xs = probe_floats(l);
    size_t bad = 0;
    for (float x : xs) {
        const uint16_t want = l.round(x), got = nl::float_to_half_bits(x);
        if (want != got && bad++ < 10)
            ADD_FAILURE() << std::hexfloat << x << " (bits " << std::hex << bitsf(x) << "): got " << got << ", want " << want;
    }
    EXPECT_EQ(bad, 0u) << "of " << xs.size() << " floats";
    // Named edge cases.
    EXPECT_EQ(nl::float_to_half_bits(65504.0f), 0x7BFF);
    EXPECT_EQ(nl::float_to_half_bits(65519.996f), 0x7BFF);   // just below the overflow tie
    EXPECT_EQ(nl::float_to_half_bits(65520.0f), 0x7C00);     // tie with 2^16 rounds to even: inf
    EXPECT_EQ(nl::float_to_half_bits(-1e30f), 0xFC00);
    EXPECT_EQ(nl::float_to_half_bits(std::ldexp(1.0f, -24)), 0x0001);     // smallest subnormal
    EXPECT_EQ(nl::float_to_half_bits(std::ldexp(1.0f, -25)), 0x0000);     // tie with 0: even
    EXPECT_EQ(nl::float_to_half_bits(std::ldexp(3.0f, -26)), 0x0001);     // 0.75 * 2^-24: up to 1
    EXPECT_EQ(nl::float_to_half_bits(std::ldexp(3.0f, -25)), 0x0002);     // 1.5 * 2^-24: tie, to 2
    EXPECT_EQ(nl::float_to_half_bits(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), 0x0001);
    EXPECT_EQ(nl::float_to_half_bits(-0.0f), 0x8000);
    for (uint32_t nan : {0x7FC00000u, 0x7F800001u, 0xFFFFFFFFu, 0x7FBFFFFFu})
        EXPECT_EQ(nl::float_to_half_bits(fbits(nan)), (nan >> 16 & 0x8000) | 0x7E00) << std::hex << nan;
    EXPECT_EQ(nl::float_to_half_bits(std::ldexp(1023.0f, -24) + std::ldexp(1.0f, -25)), 0x0400);  // carries into normal
    EXPECT_EQ(nl::float_to_half_bits(1.0f + std::ldexp(1.0f, -11)), 0x3C00);  // tie below: even
    EXPECT_EQ(nl::float_to_half_bits(1.0f + std::ldexp(3.0f, -11)), 0x3C02);  // tie above: even
}

TEST(BFloat16, AllPatternsDecodeExactlyAndRoundTrip) {
    int nans = 0;
    for (uint32_t u = 0; u < 65536; ++u) {
        const uint16_t b = static_cast<uint16_t>(u);
        const float f = nl::bfloat16_bits_to_float(b);
        ASSERT_EQ(bitsf(f), u << 16);  // decoding is exact by construction: the top 16 bits
        const uint16_t back = nl::float_to_bfloat16_bits(f);
        if (is_bf16_nan(b)) {
            ++nans;
            ASSERT_TRUE(is_bf16_nan(back)) << std::hex << u;
            ASSERT_EQ(back & 0x8000, b & 0x8000) << std::hex << u;
            ASSERT_NE(back & 0x0040, 0) << "NaN comes back quiet: " << std::hex << u;
            continue;
        }
        ASSERT_EQ(back, b) << std::hex << u;
        ASSERT_EQ(nl::BFloat16(f).bits, b);
    }
    EXPECT_EQ(nans, 2 * 127);
}

TEST(BFloat16, FloatToBFloat16IsRoundToNearestEven) {
    const Ladder l = bf16_ladder();
    const std::vector<float> xs = probe_floats(l);
    size_t bad = 0;
    for (float x : xs) {
        const uint16_t want = l.round(x), got = nl::float_to_bfloat16_bits(x);
        if (want != got && bad++ < 10)
            ADD_FAILURE() << std::hexfloat << x << " (bits " << std::hex << bitsf(x) << "): got " << got << ", want " << want;
    }
    EXPECT_EQ(bad, 0u) << "of " << xs.size() << " floats";
    EXPECT_EQ(nl::float_to_bfloat16_bits(std::numeric_limits<float>::max()), 0x7F80);  // rounds up to inf
    EXPECT_EQ(nl::float_to_bfloat16_bits(fbits(0x3F808000u)), 0x3F80);  // tie: even (down)
    EXPECT_EQ(nl::float_to_bfloat16_bits(fbits(0x3F818000u)), 0x3F82);  // tie: even (up)
    EXPECT_EQ(nl::float_to_bfloat16_bits(fbits(0x00008000u)), 0x0000);  // subnormal tie to 0
    EXPECT_EQ(nl::float_to_bfloat16_bits(fbits(0x00018000u)), 0x0002);
    EXPECT_EQ(nl::float_to_bfloat16_bits(fbits(0x7FC00001u)) & 0x7FC0, 0x7FC0);  // quiet NaN
    EXPECT_EQ(nl::float_to_bfloat16_bits(fbits(0x7F800001u)) & 0x7FC0, 0x7FC0);  // signalling -> quiet
}

// Exhaustive over all 2^32 floats would take too long; the subnormal half range, where the
// shift-and-round path runs, is checked exhaustively against x * 2^24 rounded to nearest even.
TEST(Half, EverySubnormalRangeFloat) {
    size_t bad = 0, n = 0;
    for (uint32_t b = 0x32800000u; b < 0x38800000u; ++b, ++n) {  // [2^-26, 2^-14)
        const float x = fbits(b);
        const uint16_t want = static_cast<uint16_t>(std::nearbyint(static_cast<double>(x) * 16777216.0));  // exact product
        const uint16_t got = nl::float_to_half_bits(x);
        if (want != got && bad++ < 10) ADD_FAILURE() << std::hexfloat << x << ": got " << got << ", want " << want;
        if ((b & 0xFFFFF) == 0 && nl::float_to_half_bits(-x) != (0x8000 | want)) ADD_FAILURE() << "sign of " << -x;
    }
    EXPECT_EQ(bad, 0u) << "of " << n;
}

}  // namespace
