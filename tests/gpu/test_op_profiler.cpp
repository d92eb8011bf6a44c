// NOISELAB_PROFILE_OPS (gpu/op_profiler.h) on a real GPU: with profiling on, every device op and
// copy is counted under its name with host and GPU time, a convolution under its shape, values are
// unchanged; with it off nothing is recorded.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "gpu/op_profiler.h"
#include "gpu_test_util.h"
#include "tensor/hash.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl {
namespace {

// The table's row for `op` split into words ({} when absent): op name words, then calls, GPU ms,
// GPU us/op, host ms, host us/op, GPU %.
std::vector<std::string> row_of(const std::string& table, const std::string& op) {
    std::istringstream in(table);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(op + " ", 0) != 0) continue;
        std::istringstream words(line.substr(op.size()));
        std::vector<std::string> w;
        for (std::string s; words >> s;) w.push_back(s);
        if (w.size() == 6) return w;
    }
    return {};
}

TEST(GpuOpProfiler, CountsEveryOpWithItsTimesAndChangesNoValue) {
    NL_REQUIRE_GPU();
    Generator g(5);
    const Tensor x = randn({8, 16, 20, 20}, {}, &g), w = randn({32, 16, 3, 3}, {}, &g);
    const Tensor gx = x.to(Device::cuda(0)), gw = w.to(Device::cuda(0));
    const uint64_t plain = tensor_hash(conv2d(gx, gw, Tensor{}, 1, 1).cpu());
    gpu::op_profile_reset();
    gpu::set_op_profiling(true);
    const Tensor y = conv2d(gx, gw, Tensor{}, 1, 1);
    Tensor s = gx;
    for (int i = 0; i < 5; ++i) s = s + gx;
    const Tensor back = y.cpu();
    gpu::set_op_profiling(false);
    (void)(gx * gx);  // not counted
    EXPECT_EQ(tensor_hash(back), plain) << "timing an op changes none of its values";
    const std::string table = gpu::op_profile_table();
    const std::vector<std::string> conv = row_of(table, "conv2d 3x3/1 16->32 20x20"), add = row_of(table, "add"),
                                   copy = row_of(table, "copy device->host");
    ASSERT_EQ(conv.size(), 6u) << table;
    ASSERT_EQ(add.size(), 6u) << table;
    ASSERT_EQ(copy.size(), 6u) << table;
    EXPECT_EQ(conv[0], "1");
    EXPECT_EQ(add[0], "5");
    EXPECT_EQ(copy[0], "1");
    EXPECT_GT(std::stod(conv[1]), 0.0) << "GPU time of the convolution";
    EXPECT_GT(std::stod(add[3]), 0.0) << "host time of the additions";
    EXPECT_TRUE(row_of(table, "mul").empty()) << "an op run with profiling off was counted:\n" << table;
    gpu::op_profile_reset();
    EXPECT_TRUE(row_of(gpu::op_profile_table(), "add").empty());
}

}  // namespace
}  // namespace nl
