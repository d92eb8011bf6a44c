// The golden stream hashes (tests/golden/streams_v<kStreamVersion>.txt): every op x dtype x seed x
// size x offset x stream of golden_cases.cpp must reproduce its hash, its generator offset after
// the op and its first values. A failure prints the first differing values and the regenerate
// command (to be used only with a deliberate stream change and a version bump).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "golden_cases.h"
#include "tensor/backend.h"
#include "tensor/generator.h"
#include "tests/support/require_gpu.h"

namespace {

using nl::testing::GoldenCase;

struct Expected {
    std::string rest;  // hash offset_after first_values
    int line = 0;
};

// key (first six columns) -> the rest of the line
std::map<std::string, Expected> read_golden(const std::string& path, std::string& version_line) {
    std::ifstream f(path);
    EXPECT_TRUE(f.good()) << "cannot open " << path << "\nregenerate: " << nl::testing::regenerate_command();
    std::map<std::string, Expected> m;
    std::string text;
    int line = 0;
    while (std::getline(f, text)) {
        ++line;
        if (text.empty() || text[0] == '#') continue;
        if (text.rfind("stream_version", 0) == 0) {
            version_line = text;
            continue;
        }
        std::istringstream is(text);
        std::string col[6], rest;
        for (std::string& c : col) is >> c;
        std::getline(is >> std::ws, rest);
        const std::string key = col[0] + " " + col[1] + " " + col[2] + " " + col[3] + " " + col[4] + " " + col[5];
        EXPECT_TRUE(m.emplace(key, Expected{rest, line}).second) << path << ":" << line << ": duplicate case " << key;
    }
    return m;
}

// "a,b,c" -> {a, b, c}
std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream is(s);
    while (std::getline(is, item, ',')) out.push_back(item);
    return out;
}

// Checks every case on `device` against the file (the same file for every device: CPU == GPU).
void check_all(nl::Device device) {
    const std::string path = nl::testing::golden_path();
    std::string version_line;
    const std::map<std::string, Expected> expected = read_golden(path, version_line);
    ASSERT_EQ(version_line, "stream_version " + std::to_string(nl::kStreamVersion))
        << path << " is not the golden file of stream version " << nl::kStreamVersion;

    std::set<std::string> seen;
    int failures = 0;
    for (const GoldenCase& c : nl::testing::golden_cases()) {
        const std::string key = c.key();
        seen.insert(key);
        const auto it = expected.find(key);
        if (it == expected.end()) {
            ADD_FAILURE() << "case missing from " << path << ": " << key
                          << "\n(a new case: add it with the regenerate command, after checking that no existing line changes)\n"
                          << nl::testing::regenerate_command();
            continue;
        }
        nl::testing::GoldenResult r;
        try {
            r = nl::testing::run_golden(c, device);
        } catch (const std::exception& e) {
            ADD_FAILURE() << key << " threw: " << e.what();
            continue;
        }
        const std::string got = nl::testing::golden_line(c, r).substr(key.size() + 1);
        if (got == it->second.rest) continue;
        if (++failures > 20) continue;  // enough to see the pattern
        std::istringstream want_is(it->second.rest), got_is(got);
        std::string want_hash, want_off, want_first, got_hash, got_off, got_first;
        want_is >> want_hash >> want_off >> want_first;
        got_is >> got_hash >> got_off >> got_first;
        std::ostringstream msg;
        msg << path << ":" << it->second.line << ": " << key << " on " << device.str() << "\n  hash " << got_hash << ", golden " << want_hash
            << "\n  offset after " << got_off << ", golden " << want_off;
        const std::vector<std::string> wv = split(want_first), gv = split(got_first);
        size_t i = 0;
        while (i < wv.size() && i < gv.size() && wv[i] == gv[i]) ++i;
        if (i < wv.size() || i < gv.size())
            msg << "\n  first difference at element " << i << ": got " << (i < gv.size() ? gv[i] : "(none)")
                << ", golden " << (i < wv.size() ? wv[i] : "(none)") << "\n  got    " << got_first << "\n  golden "
                << want_first;
        else
            msg << "\n  the first " << wv.size() << " values agree (" << got_first << "); a later element differs";
        ADD_FAILURE() << msg.str();
    }
    for (const auto& [key, e] : expected)
        if (!seen.count(key)) ADD_FAILURE() << path << ":" << e.line << ": no such case in golden_cases.cpp: " << key;
    if (failures > 0)
        ADD_FAILURE() << failures << " case(s) differ. The stream changed: that breaks reproducibility for users. If (and "
                      << "only if) the change is deliberate, bump kStreamVersion in tensor/generator.h, document it in "
                      << "docs/STREAMS.md, and write the new file with:\n  " << nl::testing::regenerate_command();
}

TEST(GoldenStreams, EveryCaseMatchesOnCpu) { check_all(nl::Device::cpu()); }

// The same file on the GPU: CPU == GPU bit for bit, for every op and dtype.
TEST(GoldenStreams, EveryCaseMatchesOnCuda) {
    const std::string why = nl::cuda_unavailable_reason();
    NL_SKIP_UNLESS_GPU(why.empty(), "no CUDA device: " + why);
    check_all(nl::Device::cuda(0));
}

}  // namespace
