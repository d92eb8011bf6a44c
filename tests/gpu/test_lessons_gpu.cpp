// Lesson 9 ("Devices: the same tensor on the CPU and the GPU") on a real GPU: the lesson's own
// experiment (gui/lessons/sims/devices.cpp, compute only, compiled in here) draws each op on the
// CPU and on cuda:0 and must find every byte equal, with both timings measured. In CI (no GPU) the
// lesson's CPU half and its "what is missing" message are covered by tests/lessons.
#include <gtest/gtest.h>

#include "gpu_test_util.h"
#include "gui/lessons/sims/devices.h"
#include "tensor/generator.h"
#include "tensor/hash.h"
#include "tensor/random.h"

namespace nl {
namespace {

using gui::sims::compare_devices;
using gui::sims::DeviceCompare;
using gui::sims::DeviceOp;

TEST(GpuLessons, DevicesLessonFindsTheSameBytesOnBothDevices) {
    NL_REQUIRE_GPU();
    struct Case {
        DeviceOp op;
        Shape shape;
        DType dtype;
    };
    const Case cases[] = {
        {DeviceOp::Randn, {1 << 20}, DType::Float32},  // the lesson's preset
        {DeviceOp::Randn, {64, 3, 33, 31}, DType::Float16},
        {DeviceOp::Randn, {1000, 77}, DType::BFloat16},
        {DeviceOp::Randn, {12345}, DType::Float64},
        {DeviceOp::Rand, {1 << 18}, DType::Float32},
        {DeviceOp::Randint, {99999}, DType::Int64},
    };
    for (const Case& c : cases) {
        const DeviceCompare r = compare_devices(c.op, c.shape, c.dtype, 2026);
        SCOPED_TRACE(std::string(gui::sims::device_op_name(c.op)) + " " + dtype_name(c.dtype));
        ASSERT_TRUE(r.gpu_available) << r.gpu_missing;
        EXPECT_TRUE(r.gpu_error.empty()) << r.gpu_error;
        EXPECT_EQ(r.differing, 0);
        EXPECT_TRUE(r.equal());
        EXPECT_EQ(r.cpu_hash, r.gpu_hash);
        EXPECT_GT(r.cpu_ms, 0.0);
        EXPECT_GT(r.gpu_ms, 0.0);
        EXPECT_EQ(r.numel, shape_numel(c.shape));
    }
    // The CPU hash is the ordinary op's: the lesson compares real tensors, not a special path.
    Generator g(2026);
    EXPECT_EQ(compare_devices(DeviceOp::Randn, {1 << 20}, DType::Float32, 2026).cpu_hash,
              tensor_hash(randn({1 << 20}, {}, &g)));
}

}  // namespace
}  // namespace nl
