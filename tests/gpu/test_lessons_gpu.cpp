// Lessons 9 and 15 on a real GPU, through their own compute code (gui/lessons/sims/, compiled in
// here). Lesson 9 ("Devices: the same tensor on the CPU and the GPU") draws each op on the CPU and
// on cuda:0 and must find every byte equal, with both timings measured. Lesson 15 trains its K
// seeds at once on cuda:0 (BatchedMoons): the same bits run after run, every op of a step on a
// kernel, and the CPU's networks to rounding (cuBLAS sums in its own order). In CI (no GPU) the
// lessons' CPU halves, the "what is missing" message and lesson 15 on a stand-in device are
// covered by tests/lessons.
#include <gtest/gtest.h>

#include "gpu_test_util.h"
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/lessons/sims/devices.h"
#include "gui/lessons/sims/moons.h"
#include "gui/lessons/sims/moons_batched.h"
#include "tensor/ops_internal.h"
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

TEST(GpuLessons, SeedsLessonTrainsAllSeedsAtOnceOnTheGpu) {
    NL_REQUIRE_GPU();
    using namespace gui::sims;
    TrainConfig cfg;
    const Moons train = make_moons(cfg.n_train, cfg.noise, cfg.data_seed);
    const Moons val = make_moons(cfg.n_val, cfg.noise, cfg.data_seed + 1);
    const int k = 32;
    BatchedMoons cpu(cfg, k, 0, train, Device::cpu());
    BatchedMoons gpu(cfg, k, 0, train, Device::cuda(0));
    for (int r = 0; r < k; r += 7) EXPECT_EQ(gpu.params(r), cpu.params(r)) << "initial weights, run " << r;
    cpu.step(15);
    const int64_t before = ops_detail::through_host_calls();
    gpu.step(15);
    EXPECT_EQ(ops_detail::through_host_calls(), before) << "an op of a training step ran through the host";
    for (int r = 0; r < k; ++r) {
        const std::vector<float> a = gpu.params(r), b = cpu.params(r);
        double worst = 0;
        for (size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, std::fabs(double(a[i]) - b[i]) / std::max(1.0, std::fabs(double(b[i]))));
        EXPECT_LT(worst, 2e-5) << "run " << r;
    }
    cpu.step(1 << 20);
    gpu.step(1 << 20);
    // After 140 Adam steps the rounding differences may have moved a few validation points of a
    // run across its boundary, not the runs' accuracies as a whole.
    const std::vector<double> acc_gpu = gpu.accuracies(val), acc_cpu = cpu.accuracies(val);
    double worst = 0, mean_gpu = 0, mean_cpu = 0;
    for (int r = 0; r < k; ++r) {
        worst = std::max(worst, std::fabs(acc_gpu[static_cast<size_t>(r)] - acc_cpu[static_cast<size_t>(r)]));
        mean_gpu += acc_gpu[static_cast<size_t>(r)] / k;
        mean_cpu += acc_cpu[static_cast<size_t>(r)] / k;
    }
    std::printf("lesson 15 on the GPU: %d seeds, mean accuracy %.4f (CPU %.4f), largest difference of one seed %.4f\n",
                k, mean_gpu, mean_cpu, worst);
    EXPECT_NEAR(mean_gpu, mean_cpu, 0.005);
    EXPECT_LE(worst, 0.05);
    // Reproducible on the device: the same K seeds again, the same bits.
    BatchedMoons again(cfg, k, 0, train, Device::cuda(0));
    again.step(1 << 20);
    for (int r = 0; r < k; r += 5) EXPECT_EQ(again.params(r), gpu.params(r)) << "run " << r;
    EXPECT_EQ(again.accuracies(val), acc_gpu);
}

}  // namespace
}  // namespace nl
