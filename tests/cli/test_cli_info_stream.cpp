// `noiselab info` prints a PNG's recipe (and refuses files without one); `noiselab stream` writes
// the Philox words: the Random123 known answer for seed 0, little-endian with --raw, offsets and
// streams as philox_block defines them, and a quiet exit when the reader closes the pipe.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "cli_run.h"
#include "tensor/io/png.h"
#include "tensor/philox.h"

using namespace cli_test;

TEST(Info, PrintsTheRecipe) {
    Sandbox sb;
    ASSERT_EQ(sb.noiselab({"sample", "--dist", "poisson", "--lambda", "2.5", "--shape", "6,6", "--seed", "77", "--out", "p.png"}).status, 0);
    const Result r = sb.noiselab({"info", "p.png"});
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* s : {"op:        poisson", "[6, 6]", "seed:      77", "poisson(lambda=2.5)", "noiselab sample --from p.png",
                          "\"tensor_hash\""})
        EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
    const Result j = sb.noiselab({"info", "--json", "p.png"});
    ASSERT_EQ(j.status, 0);
    EXPECT_EQ(j.out.front(), '{');
    // The printed flags sample the same tensor again.
    const size_t p = r.out.find("  noiselab sample --dist");
    ASSERT_NE(p, std::string::npos);
    const std::string flags = r.out.substr(p + 2, r.out.find('\n', p) - p - 2);
    const Result again = sb.shell(sh_quote(binary()) + flags.substr(8));
    ASSERT_EQ(again.status, 0) << again.err;
    const Result orig = sb.noiselab({"sample", "--from", "p.png"});
    EXPECT_EQ(printed_hash(again.out), printed_hash(orig.out));
}

TEST(Info, RefusesFilesWithoutRecipe) {
    Sandbox sb;
    const uint8_t px[4] = {0, 64, 128, 255};
    nl::io::write_png(sb.path("plain.png").string(), px, 2, 2, 1);
    Result r = sb.noiselab({"info", "plain.png"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("plain.png"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("recipe"), std::string::npos) << r.err;
    r = sb.noiselab({"sample", "--from", "plain.png"});
    EXPECT_EQ(r.status, 2);
    // Not a PNG at all.
    ASSERT_EQ(sb.shell("echo hello > fake.png").status, 0);
    r = sb.noiselab({"info", "fake.png"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("fake.png"), std::string::npos) << r.err;
}

TEST(Stream, KnownAnswerForSeedZero) {
    // Random123's kat_vectors: philox4x32 10 rounds, counter 0, key 0.
    Sandbox sb;
    const Result r = sb.noiselab({"stream", "--seed", "0", "--words", "4"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "6627e8d5\ne169c58d\nbc57ac4c\n9b00dbd8\n");
}

TEST(Stream, RawWordsAreLittleEndianBlocksFromTheOffset) {
    Sandbox sb;
    const uint64_t seed = 0x123456789abcdefull, offset = 1000;
    const uint32_t stream = 7;
    const Result r = sb.shell(sh_quote(binary()) + " stream --raw --seed " + std::to_string(seed) + " --stream 7 --offset 1000 --words 10 > words.bin");
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string bytes = read_text(sb.path("words.bin"));
    ASSERT_EQ(bytes.size(), 40u);
    for (int i = 0; i < 10; ++i) {
        const nl::PhiloxCounter b = nl::philox_block(seed, offset + i / 4, stream);
        const uint32_t w = b.v[i % 4];
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + 4 * i;
        EXPECT_EQ(p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24), w) << "word " << i;
    }
    EXPECT_EQ(sb.noiselab({"stream", "--raw", "--words", "0"}).out, "");
}

TEST(Stream, EndlessStreamStopsQuietlyWhenThePipeCloses) {
    Sandbox sb;
    if (std::system("command -v bash >/dev/null 2>&1") != 0) GTEST_SKIP() << "bash is not installed";
    // pipefail: the status is noiselab's own, not that of wc (SIGPIPE would give 141).
    const Result r = sb.shell("bash -c " + sh_quote("set -o pipefail; " + sh_quote(binary()) +
                                                    " stream --raw --seed 5 | head -c 1000000 | wc -c"));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("1000000"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "");
}
