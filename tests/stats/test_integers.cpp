// Statistical suite, integer ops: randint / random_ / randint_like over ranges that are not
// powers of two in every dtype that holds them (one chi-square cell per value), ranges beyond
// 2^31, 2^32 and 2^63 in exact buckets (a modulo reduction would make some buckets twice as
// likely) plus their low digits, and randperm (full permutation law for n = 4, the value x
// position table for n = 7, and a bucketed table for n = 65536).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "tensor/random.h"
#include "tests/stats/stat_suite.h"

namespace {

using namespace nl;
using namespace nl::suite;
using Kind = stats::Distribution::Kind;

std::vector<double> as_double(const std::vector<int64_t>& v) { return std::vector<double>(v.begin(), v.end()); }

TEST(StatsIntegers, SmallRangesInEveryDtype) {
    struct Case {
        int64_t low, high;
        DType dtype;
        int64_t n;
    };
    // n = 4e6 for the tiny ranges: a 1% bias of one value of [0, 3) is then a 9-sigma effect.
    const Case cases[] = {
        {0, 3, DType::Int64, 4 * kN},       {-5, 7, DType::Int32, 4 * kN},      {0, 1000, DType::Int64, 4 * kN},
        {3, 250, DType::UInt8, kN},         {0, 2, DType::Bool, kN},            {-100, 100, DType::Float32, kN},
        {-2048, 2049, DType::Float16, kN},  {-256, 257, DType::BFloat16, kN},   {-1000000, 1000007, DType::Float64, 2 * kN},
    };
    uint64_t seed = 3000;
    for (const Case& c : cases) {
        Generator g(++seed);
        const std::string what = "randint(" + std::to_string(c.low) + ", " + std::to_string(c.high) + ") " + dtype_name(c.dtype);
        const std::vector<int64_t> v = int_values(randint(c.low, c.high, {c.n}, {c.dtype}, &g));
        const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
        EXPECT_GE(*mn, c.low) << what;
        EXPECT_LT(*mx, c.high) << what;
        expect_fit(chi2(as_double(v), dist(Kind::RandInt, static_cast<double>(c.low), static_cast<double>(c.high))), what);
        if (c.high - c.low == 3 || c.high - c.low == 1000)
            expect_fit(mean_z(as_double(v), dist(Kind::RandInt, static_cast<double>(c.low), static_cast<double>(c.high))),
                       what + " (mean)");
    }
}

TEST(StatsIntegers, RandomInPlaceAndLike) {
    Generator g(3101);
    Tensor t = Tensor::empty({kN}, {DType::Int32});
    random_(t, -17, 83, &g);
    expect_fit(chi2(as_double(int_values(t)), dist(Kind::RandInt, -17, 83)), "random_(-17, 83) int32");
    const std::vector<int64_t> v = int_values(randint_like(Tensor::empty({kN}, {DType::Int64}), 10, 16, &g));
    expect_fit(chi2(as_double(v), dist(Kind::RandInt, 10, 16)), "randint_like(10, 16) int64");
    const Tensor h = randint(7, {kN}, {DType::Int64}, &g);  // the high-only overload: [0, high)
    EXPECT_EQ(h.dtype(), DType::Int64);
    expect_fit(chi2(as_double(int_values(h)), dist(Kind::RandInt, 0, 7)), "randint(7) int64");
}

TEST(StatsIntegers, WideRangesInExactBuckets) {
    struct Case {
        int64_t low;
        uint64_t range;  // 0 = 2^64
        DType dtype;
        int buckets;
        const char* what;
    };
    constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
    const Case cases[] = {
        // 3 * 2^30 > 2^31: a 32-bit word taken modulo the range would make the first 4 of 12 buckets twice as likely.
        {0, 3ull << 30, DType::Int64, 12, "randint(0, 3*2^30)"},
        {-(int64_t(1) << 31), 1ull << 32, DType::Int32, 16, "randint(-2^31, 2^31) int32 (range 2^32)"},
        {5, (1ull << 32) + 1, DType::Int64, 16, "randint(5, 5 + 2^32 + 1) (two-word path)"},
        {-(int64_t(3) << 61), 3ull << 62, DType::Int64, 12, "randint(-3*2^61, 3*2^61) (range 3*2^62 > 2^63)"},
        {kMin64, ~0ull, DType::Int64, 16, "randint(int64 min, int64 max) (range 2^64 - 1)"},
        {0, 1000000000000000ull, DType::Float64, 10, "randint(0, 1e15) float64"},
    };
    uint64_t seed = 3200;
    for (const Case& c : cases) {
        Generator g(++seed);
        const int64_t high = static_cast<int64_t>(static_cast<uint64_t>(c.low) + c.range);
        const std::vector<int64_t> v = int_values(randint(c.low, high, {kN}, {c.dtype}, &g));
        expect_fit(uniform_buckets(v, c.low, c.range, c.buckets), std::string(c.what) + " buckets");
        // Low digits: the offset modulo 10 (uniform within 10 / range < 4e-9 for these ranges).
        std::vector<double> digits(10, 0.0);
        for (int64_t x : v) digits[(static_cast<uint64_t>(x) - static_cast<uint64_t>(c.low)) % 10] += 1.0;
        expect_fit(chi2_probs(digits, std::vector<double>(10, 0.1)), std::string(c.what) + " last decimal digit");
    }
}

// ---- randperm -----------------------------------------------------------------------------------------
TEST(StatsRandperm, EveryPermutationOfFourIsEquallyLikely) {
    Generator g(3301);
    constexpr int kPerms = 9600;  // 400 expected per permutation
    std::map<std::vector<int64_t>, double> seen;
    for (int i = 0; i < kPerms; ++i) seen[int_values(randperm(4, {DType::Int64}, &g))] += 1.0;
    std::vector<int64_t> p = {0, 1, 2, 3};
    std::vector<double> counts;
    do {
        counts.push_back(seen.count(p) ? seen[p] : 0.0);
    } while (std::next_permutation(p.begin(), p.end()));
    ASSERT_EQ(seen.size(), 24u) << "randperm(4) gave something that is not a permutation, or missed one";
    expect_fit(chi2_probs(counts, std::vector<double>(24, 1.0 / 24)), "randperm(4) permutation frequencies");
}

TEST(StatsRandperm, ValueByPositionTableIsUniform) {
    // n = 7, many permutations from one generator: T[value][position], a sum of N permutation
    // matrices. Each has both margins fixed, and its covariance is C / (n - 1) with C the
    // projection (I - J/n) x (I - J/n) of rank (n - 1)^2; so Pearson's X^2 tends to
    // n / (n - 1) * chi-square((n - 1)^2), not chi-square: the statistic is scaled by (n - 1) / n.
    Generator g(3401);
    constexpr int kN7 = 7, kPerms = 7000;
    std::vector<double> table(kN7 * kN7, 0.0);
    for (int i = 0; i < kPerms; ++i) {
        const std::vector<int64_t> p = int_values(randperm(kN7, {DType::Int64}, &g));
        std::vector<int64_t> sorted = p;
        std::sort(sorted.begin(), sorted.end());
        for (int k = 0; k < kN7; ++k) ASSERT_EQ(sorted[static_cast<size_t>(k)], k) << "not a permutation";
        for (int pos = 0; pos < kN7; ++pos) table[static_cast<size_t>(p[static_cast<size_t>(pos)] * kN7 + pos)] += 1.0;
    }
    stats::TestResult r = chi2_probs(table, std::vector<double>(kN7 * kN7, 1.0 / (kN7 * kN7)), 2 * kN7 - 1);
    ASSERT_EQ(r.dof, (kN7 - 1) * (kN7 - 1));
    r.statistic *= (kN7 - 1.0) / kN7;
    r.p_value = stats::chi_square_sf(r.statistic, static_cast<double>(r.dof));
    expect_fit(r, "randperm(7) value x position table");
}

TEST(StatsRandperm, LargePermutationsInBuckets) {
    // 16 permutations of 65536: values and positions grouped in 16 buckets each (4096 expected).
    // The finite-population factor of the test above is 65536 / 65535 here: negligible.
    Generator g(3501);
    constexpr int64_t kSize = 65536;
    constexpr int kB = 16, kPerms = 16;
    std::vector<double> table(kB * kB, 0.0);
    for (int i = 0; i < kPerms; ++i) {
        const std::vector<int64_t> p = int_values(randperm(kSize, {i % 2 ? DType::Int32 : DType::Int64}, &g));
        std::vector<char> hit(kSize, 0);
        for (int64_t pos = 0; pos < kSize; ++pos) {
            const int64_t val = p[static_cast<size_t>(pos)];
            ASSERT_TRUE(val >= 0 && val < kSize && !hit[static_cast<size_t>(val)]) << "not a permutation";
            hit[static_cast<size_t>(val)] = 1;
            table[static_cast<size_t>(val * kB / kSize * kB + pos * kB / kSize)] += 1.0;
        }
    }
    expect_fit(chi2_probs(table, std::vector<double>(kB * kB, 1.0 / (kB * kB)), 2 * kB - 1),
               "randperm(65536) value bucket x position bucket");
}

TEST(StatsRandperm, OrderTestOnOnePermutationAndOnAPrefix) {
    // The test the app and `noiselab sample --stats` run on a single permutation
    // (stats::permutation_order_test): one whole randperm(65536), and the first 20,000 values of
    // a randperm(10^6), as the app tests only the first values.
    Generator g(3601);
    expect_fit(stats::permutation_order_test(values(randperm(65536, {DType::Int64}, &g)), 65536),
               "randperm(65536) order");
    const std::vector<double> big = values(randperm(1000000, {DType::Int64}, &g));
    expect_fit(stats::permutation_order_test(std::vector<double>(big.begin(), big.begin() + 20000), 1000000),
               "randperm(10^6), first 20,000 values, order");
}

}  // namespace
