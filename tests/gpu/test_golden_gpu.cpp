// The golden stream hashes of tests/golden/streams_v<N>.txt on the GPU: every case of
// tests/core/golden_cases.cpp runs on cuda:0 and must give the golden hash, generator offset and
// first values (the same check as core_golden's EveryCaseMatchesOnCuda, here under the gpu label
// so that tests/gpu/run_device_checks.sh runs it with the carried binaries).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "golden_cases.h"
#include "gpu_test_util.h"
#include "tensor/generator.h"
#include "tensor/hash.h"

namespace nl {
namespace {

// "op dtype seed shape offset stream" -> the whole golden line.
std::map<std::string, std::string> golden_lines(const std::string& path) {
    std::map<std::string, std::string> m;
    std::ifstream f(path);
    EXPECT_TRUE(f.good()) << "cannot open " << path;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#' || line.rfind("stream_version", 0) == 0) continue;
        std::istringstream is(line);
        std::string col[6];
        for (std::string& c : col) is >> c;
        m[col[0] + " " + col[1] + " " + col[2] + " " + col[3] + " " + col[4] + " " + col[5]] = line;
    }
    return m;
}

// The golden file: $NOISELAB_GOLDEN_FILE, else the source tree this was built from, else
// tests/golden/ under the working directory (binaries carried to another machine).
std::string golden_file() {
    if (const char* env = std::getenv("NOISELAB_GOLDEN_FILE")) return env;
    const std::string built = testing::golden_path();
    if (std::ifstream(built).good()) return built;
    return "tests/golden/streams_v" + std::to_string(kStreamVersion) + ".txt";
}

// Runs every `stride`-th golden case on `device`; returns (checked, differing).
std::pair<int, int> check_golden(Device device, int stride) {
    const std::map<std::string, std::string> golden = golden_lines(golden_file());
    EXPECT_FALSE(golden.empty());
    int checked = 0, failures = 0, index = 0;
    for (const testing::GoldenCase& c : testing::golden_cases()) {
        if (index++ % stride != 0) continue;
        const auto it = golden.find(c.key());
        if (it == golden.end()) continue;  // core_golden reports missing lines
        testing::GoldenResult r;
        try {
            r = testing::run_golden(c, device);
        } catch (const std::exception& e) {
            ADD_FAILURE() << c.key() << " threw on " << device.str() << ": " << e.what();
            continue;
        }
        const std::string got = testing::golden_line(c, r);
        ++checked;
        if (got != it->second && ++failures <= 20) ADD_FAILURE() << device.str() << ": " << got << "\ngolden: " << it->second;
    }
    return {checked, failures};
}

TEST(GpuGolden, EveryCaseReproducesTheGoldenFile) {
    NL_REQUIRE_GPU();
    const auto [checked, failures] = check_golden(Device::cuda(0), 1);
    std::printf("golden cases checked on the GPU: %d, differing: %d\n", checked, failures);
    EXPECT_GT(checked, 1000);
    EXPECT_EQ(failures, 0);
}

// The comparison above, run on the CPU for a sample of the cases: it must pass there (so a GPU
// failure is the GPU's, not this test's).
TEST(GpuGolden, TheCheckPassesOnTheCpu) {
    const auto [checked, failures] = check_golden(Device::cpu(), 16);
    EXPECT_GT(checked, 50);
    EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace nl
