// Philox4x32 against Random123's known-answer vectors (tests/golden/philox_kat_vectors.txt): every
// philox4x32 row, 7 and 10 rounds, must match nl::philox4x32<R> word for word.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tensor/philox.h"

namespace {

struct KatRow {
    int line = 0;
    int rounds = 0;
    nl::PhiloxCounter ctr{};
    nl::PhiloxKey key{};
    nl::PhiloxCounter expected{};
};

std::vector<KatRow> read_philox4x32_rows() {
    const std::string path = std::string(NOISELAB_SOURCE_DIR) + "/tests/golden/philox_kat_vectors.txt";
    std::ifstream f(path);
    EXPECT_TRUE(f.good()) << "cannot open " << path;
    std::vector<KatRow> rows;
    std::string text;
    int line = 0;
    while (std::getline(f, text)) {
        ++line;
        std::istringstream is(text);
        std::string name;
        if (!(is >> name) || name != "philox4x32") continue;
        KatRow r;
        r.line = line;
        is >> std::dec >> r.rounds >> std::hex;
        for (uint32_t& w : r.ctr.v) is >> w;
        for (uint32_t& w : r.key.v) is >> w;
        for (uint32_t& w : r.expected.v) is >> w;
        EXPECT_FALSE(is.fail()) << path << ":" << line << ": malformed row: " << text;
        rows.push_back(r);
    }
    return rows;
}

std::string hex4(const nl::PhiloxCounter& c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%08x %08x %08x %08x", c.v[0], c.v[1], c.v[2], c.v[3]);
    return buf;
}

TEST(PhiloxKat, EveryPhilox4x32RowMatches) {
    const std::vector<KatRow> rows = read_philox4x32_rows();
    // The file holds 6 rows from tests/kat_vectors and 52 from tests/old_kat_vectors.
    ASSERT_EQ(rows.size(), 58u);
    int r7 = 0, r10 = 0;
    for (const KatRow& r : rows) {
        nl::PhiloxCounter got{};
        if (r.rounds == 7) {
            got = nl::philox4x32<7>(r.ctr, r.key);
            ++r7;
        } else if (r.rounds == 10) {
            got = nl::philox4x32<10>(r.ctr, r.key);
            ++r10;
        } else {
            ADD_FAILURE() << "line " << r.line << ": unexpected round count " << r.rounds;
            continue;
        }
        EXPECT_EQ(hex4(got), hex4(r.expected)) << "philox4x32-" << r.rounds << " at line " << r.line
                                               << " (counter " << hex4(r.ctr) << ")";
    }
    EXPECT_EQ(r7, 3);
    EXPECT_EQ(r10, 55);
}

// The project's counter layout: philox_block(seed, block, stream, attempt) is Philox4x32-10 on
// counter (block lo, block hi, stream, attempt) with key (seed lo, seed hi).
TEST(PhiloxKat, BlockCounterLayout) {
    const uint64_t seed = 0x0123456789ABCDEFull, block = 0xFEDCBA9876543210ull;
    const nl::PhiloxCounter got = nl::philox_block(seed, block, 0xA5A5A5A5u, 7u);
    const nl::PhiloxCounter want = nl::philox4x32<10>(nl::PhiloxCounter{{0x76543210u, 0xFEDCBA98u, 0xA5A5A5A5u, 7u}},
                                                      nl::PhiloxKey{{0x89ABCDEFu, 0x01234567u}});
    EXPECT_EQ(hex4(got), hex4(want));
    // attempt defaults to 0
    EXPECT_EQ(hex4(nl::philox_block(seed, block, 3)), hex4(nl::philox_block(seed, block, 3, 0)));
}

}  // namespace
