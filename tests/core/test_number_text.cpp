// tensor/number_text.h: the shortest exact decimal every message and printed command uses, and
// the digit grouping of every long count.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "tensor/number_text.h"

namespace {

TEST(NumberText, ShortestDecimalReadsBackExactly) {
    EXPECT_EQ(nl::shortest_decimal(0.1), "0.1");
    EXPECT_EQ(nl::shortest_decimal(1.1), "1.1");  // ostream's precision 17 wrote 1.1000000000000001
    EXPECT_EQ(nl::shortest_decimal(1e6), "1000000");
    EXPECT_EQ(nl::shortest_decimal(-0.0), "-0");
    EXPECT_EQ(nl::shortest_decimal(-std::numeric_limits<double>::infinity()), "-inf");
    EXPECT_EQ(nl::shortest_decimal(std::nan("")), "nan");
    for (double v : {0.1 + 0.2, 1.0 / 3.0, 6.02214076e23, -1e-300, 0.123456789012345, 5e-324})
        EXPECT_EQ(std::strtod(nl::shortest_decimal(v).c_str(), nullptr), v) << nl::shortest_decimal(v);
}

TEST(NumberText, GroupDigitsByThousands) {
    EXPECT_EQ(nl::group_digits(0), "0");
    EXPECT_EQ(nl::group_digits(999), "999");
    EXPECT_EQ(nl::group_digits(1000), "1,000");
    EXPECT_EQ(nl::group_digits(4194304), "4,194,304");
    EXPECT_EQ(nl::group_digits(-1234567), "-1,234,567");
    EXPECT_EQ(nl::group_digits(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
}

}  // namespace
