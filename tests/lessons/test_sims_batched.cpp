// Lesson 15's K seeds trained at once (gui/lessons/sims/moons_batched.h): the batched tensor
// trainer trains the same networks as the hand-written one-seed-at-a-time loop (to rounding),
// gives the same bits every time on one device, and on a device keeps every op of a step on a
// kernel (host-memory stand-in for CUDA with stand-in kernels: no GPU needed), with the CPU's
// exact values there. The same on a real GPU: GpuLessons in tests/gpu/test_lessons_gpu.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "gui/lessons/sims/moons.h"
#include "gui/lessons/sims/moons_batched.h"
#include "tensor/errors.h"
#include "tensor/ops_internal.h"
#include "tests/support/fake_device_ops.h"
#include "tests/support/host_memory_backend.h"

using namespace nl;
using namespace nl::gui::sims;

namespace {

// Largest |a - b| / max(1, |b|) over two parameter vectors of one layout.
double max_rel_diff(const std::vector<float>& a, const std::vector<float>& b) {
    EXPECT_EQ(a.size(), b.size());
    double worst = 0;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, std::fabs(double(a[i]) - b[i]) / std::max(1.0, std::fabs(double(b[i]))));
    return worst;
}

}  // namespace

TEST(SimsMoonsBatched, TrainsTheNetworksOfTheOneSeedAtATimeLoop) {
    for (Optim optim : {Optim::Adam, Optim::SGD}) {
        TrainConfig cfg;
        cfg.optim = optim;
        cfg.lr = optim == Optim::Adam ? 0.01 : 0.1;
        const Moons train = make_moons(cfg.n_train, cfg.noise, cfg.data_seed);
        const int k = 5;
        const uint64_t first = 40;
        BatchedMoons batched(cfg, k, first, train, Device::cpu());
        std::vector<MoonsRun> runs;
        for (int r = 0; r < k; ++r) runs.emplace_back(cfg, first + r, &train);
        // Same initial weights, drawn from each seed's generator exactly as the loop draws them.
        for (int r = 0; r < k; ++r) EXPECT_EQ(batched.params(r), runs[static_cast<size_t>(r)].params()) << "run " << r;
        // After 15 steps (two epochs, short last batches included) the weights agree to rounding:
        // the batched matmuls sum in another order than the loop.
        EXPECT_EQ(batched.step(15), 15);
        for (int r = 0; r < k; ++r) {
            runs[static_cast<size_t>(r)].step(15);
            EXPECT_LT(max_rel_diff(batched.params(r), runs[static_cast<size_t>(r)].params()), 1e-6) << "run " << r;
        }
        EXPECT_EQ(batched.steps_done(), 15);
        EXPECT_EQ(batched.total_steps(), runs[0].total_steps());
    }
}

TEST(SimsMoonsBatched, SweepOfAllSeedsAtOnceIsReproducibleAndSpreads) {
    TrainConfig cfg;
    SeedSweep a(cfg, 8, 100, Device::cpu());
    ASSERT_TRUE(a.batched());
    EXPECT_EQ(a.batched_device()->str(), "cpu");
    int calls = 0;
    while (!a.advance(8 * 9)) ++calls;  // 9 steps of all 8 runs per call
    EXPECT_EQ(calls, (cfg.epochs * 7 + 8) / 9 - 1);  // 7 minibatches per epoch (200 points, batch 32)
    SeedSweep b(cfg, 8, 100, Device::cpu());
    b.advance(1 << 30);  // all at once: the budget only slices the work
    ASSERT_EQ(a.accuracies().size(), 8u);
    EXPECT_EQ(a.accuracies(), b.accuracies()) << "same seeds on one device, same bits";
    EXPECT_DOUBLE_EQ(a.progress(), 1.0);
    std::set<double> distinct(a.accuracies().begin(), a.accuracies().end());
    EXPECT_GE(distinct.size(), 3u);
    EXPECT_GT(a.mean(), 0.8);
    // One after another, the same seeds: the weights differ by rounding only, and here that moves
    // no validation point across the boundary (a point that close could flip).
    SeedSweep seq(cfg, 8, 100);
    EXPECT_FALSE(seq.batched());
    seq.advance(1 << 30);
    EXPECT_EQ(a.accuracies(), seq.accuracies());
    // The first seed's network is the one shown: the same as b's, and the loop's to rounding.
    EXPECT_EQ(a.shown_params(), b.shown_params());
    MoonsRun first(cfg, 100, &a.train());
    while (!first.done()) first.step(1000);
    EXPECT_LT(max_rel_diff(a.shown_params(), first.params()), 1e-4);
    EXPECT_THROW(BatchedMoons(cfg, 0, 0, a.train(), Device::cpu()), ValueError);
    EXPECT_THROW(BatchedMoons(cfg, 201, 0, a.train(), Device::cpu()), ValueError);
    EXPECT_THROW(BatchedMoons(cfg, 2, 0, a.val(), Device::cpu()), ValueError) << "1000 points, n_train 200";
}

// The K runs on a CUDA device: every op of a training step reaches a kernel, values are the CPU's.
TEST(SimsMoonsBatched, OnADeviceEveryOpOfAStepHasAKernel) {
    test::HostMemoryCuda fake;
    test::HostMemoryCuda::Install installed(fake);
    test::FakeDeviceOps kernels;
    fake.kernels = &kernels;
    TrainConfig cfg;
    cfg.epochs = 2;
    const Moons train = make_moons(cfg.n_train, cfg.noise, cfg.data_seed);
    const Moons val = make_moons(cfg.n_val, cfg.noise, cfg.data_seed + 1);
    BatchedMoons cpu(cfg, 6, 7, train, Device::cpu());
    BatchedMoons dev(cfg, 6, 7, train, Device::cuda(0));
    EXPECT_EQ(dev.device(), Device::cuda(0));
    cpu.step(1 << 20);
    const int64_t before = ops_detail::through_host_calls(), copies = fake.copies_to_host;
    dev.step(1 << 20);
    EXPECT_EQ(ops_detail::through_host_calls(), before) << "an op of a training step ran through the host";
    EXPECT_EQ(fake.copies_to_host - copies, 0) << "a step read device memory back (on a GPU: a wait)";
    // Per step: 3 forward, 2 backward and 6 gradient matmuls; the gradients joined by one cat.
    EXPECT_EQ(kernels.calls["matmul"], dev.total_steps() * 11);
    EXPECT_EQ(kernels.calls["cat"], dev.total_steps());
    for (int r = 0; r < 6; ++r) EXPECT_EQ(dev.params(r), cpu.params(r)) << "run " << r;
    EXPECT_EQ(dev.accuracies(val), cpu.accuracies(val));
}
