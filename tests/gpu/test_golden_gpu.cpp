// The golden stream hashes of tests/golden/streams_v<N>.txt on the GPU: every case of
// tests/core/golden_cases.cpp whose op has an in-place form (uniform_, normal_, log_normal_,
// exponential_, cauchy_, geometric_, bernoulli_, random_, ...) runs into a CUDA tensor and must
// give the golden hash, generator offset and first values. (The factory-only ops of the catalogue
// run on the CPU there; CPU == GPU parity covers them in test_parity.cpp.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "golden_cases.h"
#include "gpu_test_util.h"
#include "op_catalog.h"
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

TEST(GpuGolden, InPlaceOpsReproduceTheGoldenFile) {
    NL_REQUIRE_GPU();
    const std::map<std::string, std::string> golden = golden_lines(golden_file());
    ASSERT_FALSE(golden.empty());
    int checked = 0, failures = 0;
    for (const testing::GoldenCase& c : testing::golden_cases()) {
        const testing::OpCase& op = testing::find_op(c.op);
        if (!op.fill) continue;
        const auto it = golden.find(c.key());
        if (it == golden.end()) continue;  // core_golden reports missing lines
        Generator g(c.seed, c.stream);
        g.set_offset(c.offset);
        Tensor t = empty(c.shape, {c.dtype, Device::cuda()});
        op.fill(t, g);
        ASSERT_TRUE(t.device().is_cuda());
        const testing::GoldenResult r{tensor_hash(t), testing::first_values(t, testing::kGoldenValues), g.offset()};
        const std::string got = testing::golden_line(c, r);
        ++checked;
        if (got != it->second && ++failures <= 20) ADD_FAILURE() << "GPU:    " << got << "\ngolden: " << it->second;
    }
    std::printf("golden cases checked on the GPU: %d, differing: %d\n", checked, failures);
    EXPECT_GT(checked, 400);
    EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace nl
