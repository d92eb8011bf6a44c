// The tables of stream version 2's float32 Box-Muller (tensor/normal_tables.h, written by
// scripts/gen_normal_tables.py): what the transform relies on, checked in long double on the
// shipped values, whoever wrote them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "tensor/transforms.h"

namespace {

using LD = long double;
constexpr LD kPi = 3.141592653589793238462643383279502884L;

LD ulp_of(float x) {
    const float a = std::fabs(x);
    return std::nextafter(a, INFINITY) - a;
}

// Entry i covers the split mantissas m whose bits are K + i*2^19 ... K + (i+1)*2^19 - 1.
TEST(NormalTables, LogEntriesKeepRSmallAndLAccurate) {
    constexpr uint32_t K = 0x3FB504F3u - (1u << 23) + 1;
    int exact_entries = 0;
    for (int i = 0; i < nl::xf::kNormalLogEntries; ++i) {
        const nl::xf::FloatPair e = nl::xf::kNormalLogTableHost[i];
        const LD c = -static_cast<LD>(e.a) / 2, L = -static_cast<LD>(e.b) / 2;
        const LD m_lo = nl::dm::from_bits(K + (static_cast<uint32_t>(i) << 19));
        const LD m_hi = nl::dm::from_bits(K + (static_cast<uint32_t>(i + 1) << 19) - 1);
        EXPECT_LT(std::fabs(m_lo * c - 1), 0.04L) << "entry " << i;  // the log1p polynomial's range
        EXPECT_LT(std::fabs(m_hi * c - 1), 0.04L) << "entry " << i;
        if (m_lo <= 1 && 1 <= m_hi) {
            EXPECT_EQ(c, 1.0L) << "the entry holding 1.0 must be exact";
            EXPECT_EQ(L, 0.0L);
            ++exact_entries;
            continue;
        }
        const LD exact = -std::log(c);
        EXPECT_LE(std::fabs(L - exact), std::ldexp(std::fabs(exact), -33)) << "entry " << i << ": L not accurate";
    }
    EXPECT_EQ(exact_entries, 1);
}

TEST(NormalTables, SinCosEntriesAreRoundedAndExactAtQuadrants) {
    for (int j = 0; j < nl::xf::kNormalSinCosEntries; ++j) {
        const nl::xf::FloatPair e = nl::xf::kNormalSinCosTableHost[j];
        const LD theta = 2 * kPi * j / nl::xf::kNormalSinCosEntries;
        const LD s = std::sin(theta), c = std::cos(theta);
        if (j % (nl::xf::kNormalSinCosEntries / 4) == 0) {  // 0, pi/2, pi, 3pi/2: exactly 0 and +-1
            EXPECT_EQ(e.a, static_cast<float>(std::round(s))) << "entry " << j;
            EXPECT_EQ(e.b, static_cast<float>(std::round(c))) << "entry " << j;
            EXPECT_FALSE(std::signbit(e.a) && e.a == 0.0f) << "entry " << j << ": negative zero";
            EXPECT_FALSE(std::signbit(e.b) && e.b == 0.0f) << "entry " << j << ": negative zero";
            continue;
        }
        EXPECT_LE(std::fabs(e.a - s), ulp_of(e.a) / 2 * 1.0001L) << "sin entry " << j;
        EXPECT_LE(std::fabs(e.b - c), ulp_of(e.b) / 2 * 1.0001L) << "cos entry " << j;
    }
}

}  // namespace
