// Lesson 15's K seeds trained at once on a real GPU (label gpu; skipped with the reason when
// cuda:0 is unavailable): the batched trainer on cuda:0 gives the same bits run after run, keeps
// every op of a step on a kernel, and trains the CPU's networks to rounding (cuBLAS sums in its
// own order).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "gui/lessons/sims/devices.h"
#include "gui/lessons/sims/moons.h"
#include "gui/lessons/sims/moons_batched.h"
#include "tensor/ops_internal.h"

using namespace nl;
using namespace nl::gui::sims;

TEST(SimsMoonsGpu, AllSeedsAtOnceOnTheGpu) {
    const std::string why = gpu_unavailable_reason();
    if (!why.empty()) GTEST_SKIP() << "no GPU: " << why;
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
    const std::vector<double> acc_gpu = gpu.accuracies(val), acc_cpu = cpu.accuracies(val);
    for (int r = 0; r < k; ++r) EXPECT_NEAR(acc_gpu[static_cast<size_t>(r)], acc_cpu[static_cast<size_t>(r)], 0.01) << "run " << r;
    // Reproducible on the device: the same K seeds again, the same bits.
    BatchedMoons again(cfg, k, 0, train, Device::cuda(0));
    again.step(1 << 20);
    for (int r = 0; r < k; r += 5) EXPECT_EQ(again.params(r), gpu.params(r)) << "run " << r;
    EXPECT_EQ(again.accuracies(val), acc_gpu);
}
