// Headless tests of the lesson simulators' compute (gui/lessons/sims/): lesson 12 (GPU
// reproducibility), 14 (DataLoader worker seeding), 16 (initialisation), 15 (seeds in training),
// 9 (devices). No ImGui: the visuals' facts are asserted on the numbers they draw.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "gui/lessons/sims/dataloader.h"
#include "gui/lessons/sims/devices.h"
#include "gui/lessons/sims/genmodels.h"
#include "gui/lessons/sims/gpu_repro.h"
#include "gui/lessons/sims/init_depth.h"
#include "gui/lessons/sims/moons.h"
#include "tensor/errors.h"
#include "tensor/hash.h"
#include "tensor/parallel.h"
#include "tensor/random.h"

using namespace nl;
using namespace nl::gui::sims;

namespace {

const GpuModel& gpu(const std::string& name_start) {
    for (const GpuModel& g : gpu_models())
        if (g.name.rfind(name_start, 0) == 0) return g;
    throw std::runtime_error("no GPU model " + name_start);
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

// ---- lesson 12 ----------------------------------------------------------------------------------

TEST(SimsGpuRepro, LaunchPolicyFollowsPyTorch) {
    const GpuModel& a100 = gpu("A100");
    LaunchConfig small = pytorch_launch(1000, a100.sms, a100.max_threads_per_sm);
    EXPECT_EQ(small.grid, 4u);  // ceil(1000 / 256)
    EXPECT_FALSE(small.capped);
    EXPECT_EQ(small.counter_offset, 4u);
    LaunchConfig big = pytorch_launch(int64_t{1} << 24, a100.sms, a100.max_threads_per_sm);
    EXPECT_EQ(big.grid, 108u * 8u);  // 2048 threads per SM / 256 = 8 blocks per SM
    EXPECT_TRUE(big.capped);
    EXPECT_EQ(big.threads, 221184u);
    EXPECT_EQ(big.counter_offset, ((uint64_t{1} << 24) - 1) / (221184u * 4) * 4 + 4);
    EXPECT_THROW(pytorch_launch(0, 108, 2048), ValueError);
    EXPECT_THROW(pytorch_launch(10, 0, 2048), ValueError);
    EXPECT_THROW(pytorch_launch(10, 108, 128), ValueError);
}

TEST(SimsGpuRepro, SmallTensorsAgreeOnEveryGpu) {
    // Below every model's cap the grid is ceil(n / 256) everywhere: nothing differs.
    const int64_t n = capped_from(gpu("RTX 2080")) - 1;
    for (const GpuModel& g : gpu_models()) {
        const ReproComparison c = compare_gpus(n, gpu("A100"), g, 64);
        EXPECT_EQ(c.differ, 0) << g.name;
        EXPECT_EQ(c.first_differ, -1) << g.name;
    }
}

TEST(SimsGpuRepro, LargeTensorsDifferBetweenA100AndH100) {
    const int64_t n = 1 << 22;
    const ReproComparison c = compare_gpus(n, gpu("A100"), gpu("H100"), 256);
    // Elements below the smaller grid stride come from lane 0 of the same thread on both GPUs;
    // the first one past it is lane 1 on the A100 but lane 0 of another thread on the H100.
    EXPECT_EQ(c.first_differ, static_cast<int64_t>(c.ref.threads));
    EXPECT_GT(c.differ, n * 9 / 10);
    EXPECT_EQ(c.cell_fraction.size(), 256u);
    EXPECT_EQ(c.cell_fraction.front(), 0.0f);  // the first cell lies below the stride
    // Same GPU model: identical.
    EXPECT_EQ(compare_gpus(n, gpu("A100"), gpu("A100"), 16).differ, 0);
}

TEST(SimsGpuRepro, SourcesDifferExactlyWhereValuesDiffer) {
    const int64_t n = 400000;  // capped on the laptop GPU and the V100, not on the others
    const GpuModel& ref = gpu("A100");
    const GpuModel& other = gpu("RTX 2080");
    const ReproComparison c = compare_gpus(n, ref, other, 10);
    int64_t value_diff = 0;
    for (int64_t i = 0; i < n; ++i)
        value_diff += !same_bits(pytorch_rand_value(42, 0, i, c.ref), pytorch_rand_value(42, 0, i, c.other));
    EXPECT_GT(c.differ, 0);
    EXPECT_EQ(value_diff, c.differ);
    for (int64_t i = 0; i < 1000; ++i) {
        const float v = pytorch_rand_value(42, 0, i, c.ref);
        EXPECT_GT(v, 0.0f);
        EXPECT_LT(v, 1.0f);
    }
}

TEST(SimsGpuRepro, NoiseLabValuesIgnoreTheGrid) {
    // Noise Lab's kernel as a grid-stride loop with each GPU's thread count equals nl::rand, bit
    // for bit; and the real CPU op gives the same bits with 1, 2 or 7 threads.
    const int64_t n = 300001;
    const uint64_t seed = 7;
    Generator g(seed);
    const std::vector<double> ref = rand({n}, {}, &g).to_vector();
    for (const GpuModel& m : gpu_models()) {
        const LaunchConfig l = pytorch_launch(n, m.sms, m.max_threads_per_sm);
        const std::vector<float> v = noiselab_grid_stride_rand(n, seed, l.threads);
        int64_t bad = 0;
        for (int64_t i = 0; i < n; ++i) bad += !same_bits(v[i], static_cast<float>(ref[i]));
        EXPECT_EQ(bad, 0) << m.name;
    }
    const int saved = get_num_threads();
    for (int threads : {1, 2, 7}) {
        set_num_threads(threads);
        Generator h(seed);
        EXPECT_EQ(rand({n}, {}, &h).to_vector(), ref) << threads << " threads";
    }
    set_num_threads(saved);
}

// ---- lesson 14 ----------------------------------------------------------------------------------

TEST(SimsDataLoader, NaiveSeedingRepeatsAugmentationsAcrossWorkers) {
    LoaderConfig cfg;  // 24 samples, batches of 4, 2 workers
    cfg.correct_seeding = false;
    const LoaderEpoch ep = simulate_loader(cfg);
    ASSERT_EQ(ep.batches.size(), 6u);
    // Worker 0 loads batches 0, 2, 4 and worker 1 batches 1, 3, 5: their k-th samples pair up.
    EXPECT_EQ(ep.duplicate_groups, 12);
    EXPECT_EQ(ep.duplicated_samples, 24);
    EXPECT_TRUE(ep.batches[0][0].aug == ep.batches[1][0].aug);
    EXPECT_TRUE(ep.batches[2][3].aug == ep.batches[3][3].aug);
    EXPECT_EQ(ep.batch_worker, (std::vector<int>{0, 1, 0, 1, 0, 1}));
    EXPECT_EQ(ep.batches[0][0].duplicate_group, 0);  // groups are numbered in the order they appear
    EXPECT_EQ(ep.batches[0][1].duplicate_group, 1);
}

TEST(SimsDataLoader, CorrectSeedingHasNoRepeats) {
    for (int workers : {1, 2, 3, 4}) {
        LoaderConfig cfg;
        cfg.n = 48;
        cfg.num_workers = workers;
        cfg.correct_seeding = true;
        for (int epoch : {0, 1}) {
            cfg.epoch = epoch;
            const LoaderEpoch ep = simulate_loader(cfg);
            EXPECT_EQ(ep.duplicate_groups, 0) << workers << " workers, epoch " << epoch;
            ASSERT_EQ(ep.worker_seeds.size(), static_cast<size_t>(workers));
            for (int w = 0; w < workers; ++w) EXPECT_EQ(ep.worker_seeds[w], ep.base_seed + w);
        }
    }
    // Without workers the main process draws everything from one generator: no repeats either.
    LoaderConfig main_only;
    main_only.num_workers = 0;
    EXPECT_EQ(simulate_loader(main_only).duplicate_groups, 0);
}

TEST(SimsDataLoader, EverySampleOncePerEpoch) {
    for (bool correct : {false, true})
        for (int bs : {1, 4, 5, 24})
            for (int epoch : {0, 1, 2}) {
                LoaderConfig cfg;
                cfg.n = 23;
                cfg.batch_size = bs;
                cfg.num_workers = 3;
                cfg.correct_seeding = correct;
                cfg.epoch = epoch;
                std::vector<int64_t> seen;
                for (const auto& b : simulate_loader(cfg).batches)
                    for (const auto& s : b) seen.push_back(s.index);
                std::sort(seen.begin(), seen.end());
                std::vector<int64_t> all(23);
                for (int i = 0; i < 23; ++i) all[i] = i;
                EXPECT_EQ(seen, all) << "bs " << bs << " epoch " << epoch;
            }
    LoaderConfig cfg;
    cfg.n = 23;
    cfg.batch_size = 5;
    cfg.drop_last = true;
    std::set<int64_t> seen;
    size_t count = 0;
    for (const auto& b : simulate_loader(cfg).batches) {
        EXPECT_EQ(b.size(), 5u);
        for (const auto& s : b) seen.insert(s.index), ++count;
    }
    EXPECT_EQ(count, 20u);
    EXPECT_EQ(seen.size(), 20u);
}

TEST(SimsDataLoader, EpochsReshuffleButNaiveWorkersRepeatTheirAugmentations) {
    LoaderConfig cfg;
    cfg.epoch = 0;
    const LoaderEpoch e0 = simulate_loader(cfg);
    cfg.epoch = 1;
    const LoaderEpoch e1 = simulate_loader(cfg);
    EXPECT_NE(e0.base_seed, e1.base_seed);
    EXPECT_NE(e0.batches[0][0].index * 100 + e0.batches[0][1].index, e1.batches[0][0].index * 100 + e1.batches[0][1].index);
    // Freshly forked workers copy the same untouched generator every epoch.
    EXPECT_TRUE(e0.batches[0][0].aug == e1.batches[0][0].aug);
    cfg.correct_seeding = true;
    const LoaderEpoch c1 = simulate_loader(cfg);
    cfg.epoch = 0;
    const LoaderEpoch c0 = simulate_loader(cfg);
    EXPECT_FALSE(c0.batches[0][0].aug == c1.batches[0][0].aug);
}

TEST(SimsDataLoader, RejectsBadSettings) {
    LoaderConfig cfg;
    cfg.batch_size = 0;
    EXPECT_THROW(simulate_loader(cfg), ValueError);
    cfg = LoaderConfig{};
    cfg.num_workers = 9;
    EXPECT_THROW(simulate_loader(cfg), ValueError);
    cfg = LoaderConfig{};
    cfg.n = 0;
    EXPECT_THROW(simulate_loader(cfg), ValueError);
}

// ---- lesson 16 ----------------------------------------------------------------------------------

TEST(SimsInit, StdPerLayerVanishesStaysOrExplodes) {
    InitConfig cfg;
    cfg.batch = 64;
    const InitResult small = run_init(cfg, InitScheme::TooSmall);
    const InitResult kaiming = run_init(cfg, InitScheme::Kaiming);
    const InitResult large = run_init(cfg, InitScheme::TooLarge);
    ASSERT_EQ(kaiming.layers.size(), 11u);
    EXPECT_NEAR(kaiming.weight_std, std::sqrt(2.0 / 256), 1e-12);
    EXPECT_NEAR(kaiming.layers[0].std, 1.0, 0.05);  // the input is randn
    for (size_t l = 1; l < 11; ++l) {
        // Each layer multiplies the std by about std_w * sqrt(fan_in / 2): 0.11, 1, 11.3.
        EXPECT_LT(small.layers[l].std, small.layers[l - 1].std * 0.2) << l;
        EXPECT_GT(large.layers[l].std, large.layers[l - 1].std * 5.0) << l;
        EXPECT_GT(kaiming.layers[l].std, 0.5 * kaiming.layers[1].std) << l;
        EXPECT_LT(kaiming.layers[l].std, 2.0 * kaiming.layers[1].std) << l;
        EXPECT_NEAR(kaiming.layers[l].frac_zero, 0.5, 0.15) << l;  // ReLU zeroes about half
    }
    EXPECT_LT(small.layers[10].std, 1e-7);
    EXPECT_GT(large.layers[10].std, 1e8);
    // The log-magnitude histograms move left, stay, move right.
    auto peak = [](const LayerStats& s) {
        return static_cast<int>(std::max_element(s.log_hist.begin(), s.log_hist.end()) - s.log_hist.begin());
    };
    EXPECT_LT(peak(small.layers[10]), peak(kaiming.layers[10]) - 10);
    EXPECT_GT(peak(large.layers[10]), peak(kaiming.layers[10]) + 10);
    EXPECT_THROW(run_init(InitConfig{0, 256, 64, 0}, InitScheme::Kaiming), ValueError);
}

// ---- lesson 15 ----------------------------------------------------------------------------------

TEST(SimsMoons, DataIsSklearnShaped) {
    const Moons m = make_moons(101, 0.0, 3);
    EXPECT_EQ(m.n(), 101);
    int ones = 0;
    for (int i = 0; i < m.n(); ++i) {
        ones += m.y[i];
        // Without noise the points lie on the unit circles centred (0, 0) and (1, 0.5).
        const double cx = m.y[i] ? 1.0 : 0.0, cy = m.y[i] ? 0.5 : 0.0;
        EXPECT_NEAR(std::hypot(m.x[2 * i] - cx, m.x[2 * i + 1] - cy), 1.0, 1e-5);
    }
    EXPECT_EQ(ones, 51);
    EXPECT_EQ(make_moons(64, 0.2, 5).x, make_moons(64, 0.2, 5).x);
}

TEST(SimsMoons, SameSeedSameAccuracyDifferentSeedsSpread) {
    TrainConfig cfg;
    SeedSweep a(cfg, 8, 100);
    while (!a.advance(37)) {
    }
    SeedSweep b(cfg, 8, 100);
    b.advance(1 << 30);  // all at once: the budget only slices the work
    ASSERT_EQ(a.accuracies().size(), 8u);
    EXPECT_EQ(a.accuracies(), b.accuracies());
    std::set<double> distinct(a.accuracies().begin(), a.accuracies().end());
    EXPECT_GE(distinct.size(), 3u);
    EXPECT_GT(a.stddev(), 0.0);
    EXPECT_GT(a.mean(), 0.8);  // it does learn the moons
    // A single run with the seed of the sweep's third run gives that run's accuracy exactly.
    MoonsRun r(cfg, 102, &a.train());
    while (!r.done()) r.step(1000);
    EXPECT_EQ(r.accuracy(a.val()), a.accuracies()[2]);
    EXPECT_THROW(SeedSweep(cfg, 0, 0), ValueError);
}

// ---- lesson 9 -----------------------------------------------------------------------------------

TEST(SimsDevices, CpuHalfRunsAndGpuHalfSaysWhatIsMissing) {
    const DeviceCompare r = compare_devices(DeviceOp::Randn, {64, 64}, DType::Float32, 11);
    Generator g(11);
    EXPECT_EQ(r.cpu_hash, tensor_hash(randn({64, 64}, {}, &g)));
    EXPECT_EQ(r.numel, 4096);
    EXPECT_EQ(r.preview.size(), 16u);
    if (r.gpu_available) {
        EXPECT_TRUE(r.gpu_error.empty()) << r.gpu_error;
        EXPECT_TRUE(r.equal()) << r.differing << " elements differ";
        EXPECT_EQ(r.cpu_hash, r.gpu_hash);
    } else {
        EXPECT_FALSE(r.gpu_missing.empty());
        EXPECT_EQ(r.differing, -1);
        EXPECT_LT(r.gpu_ms, 0);
    }
}

TEST(SimsDevices, BitDifferencesAreCounted) {
    Tensor a = randn({10, 10});
    Tensor b = a.clone();
    EXPECT_EQ(count_bit_differences(a, b), 0);
    b.set({3, 4}, b.at({3, 4}) + 1.0);
    EXPECT_EQ(count_bit_differences(a, b), 1);
    // -0.0 and 0.0 compare equal as numbers but not as bits.
    Tensor z = zeros({2});
    Tensor nz = zeros({2});
    nz.set({1}, -0.0);
    EXPECT_EQ(count_bit_differences(z, nz), 1);
    EXPECT_THROW(count_bit_differences(a, zeros({3})), ShapeError);
}

// ---- lesson 8 -----------------------------------------------------------------------------------

TEST(SimsGenModels, ChapterNoiseHasTheChaptersShapesAndFollowsTheSeed) {
    const ChapterNoise a = chapter_noise(5), b = chapter_noise(5), c = chapter_noise(6);
    EXPECT_EQ(a.vae_z.shape(), (Shape{32, 128}));
    EXPECT_EQ(a.diffusion.shape(), (Shape{32, 3, 64, 64}));
    EXPECT_EQ(a.gan_z.shape(), (Shape{32, 100}));
    EXPECT_EQ(tensor_hash(a.diffusion), tensor_hash(b.diffusion));
    EXPECT_NE(tensor_hash(a.vae_z), tensor_hash(c.vae_z));
    // Drawn in order from one generator: the VAE latent is randn(32, 128) of a fresh Generator(5).
    Generator g(5);
    EXPECT_EQ(tensor_hash(a.vae_z), tensor_hash(randn({32, 128}, {}, &g)));
}

TEST(SimsGenModels, TinyModelsTurnNoiseIntoImagesOrSayWhatIsMissing) {
    const ModelImages vae = vae_samples(6, 1);
    ASSERT_TRUE(vae.available) << vae.missing;  // digits_vae16.safetensors is shipped
    EXPECT_EQ(vae.z.shape(), (Shape{6, 16}));
    EXPECT_EQ(vae.images.shape(), (Shape{6, 1, 20, 20}));
    for (double v : vae.images.to_vector()) ASSERT_TRUE(v >= 0.0 && v <= 1.0);
    const ModelImages gan = gan_samples(6, 1);
    if (gan.available) {
        EXPECT_EQ(gan.images.shape(), (Shape{6, 1, 20, 20}));
    } else {
        EXPECT_NE(gan.missing.find("digits_gan.safetensors"), std::string::npos) << gan.missing;
        EXPECT_EQ(gan.z.shape(), (Shape{6, 64}));
    }
    DiffusionRun d(4, 3, 2);
    EXPECT_EQ(d.x_T().shape(), (Shape{4, 1, 20, 20}));
    int calls = 0;
    while (!d.done()) d.step(), ++calls;
    EXPECT_EQ(calls, 3);
    const Tensor x = d.current01();
    EXPECT_EQ(x.shape(), (Shape{4, 1, 20, 20}));
    for (double v : x.to_vector()) ASSERT_TRUE(v >= 0.0 && v <= 1.0);
    DiffusionRun again(4, 3, 2);
    while (!again.done()) again.step();
    EXPECT_EQ(tensor_hash(again.current01()), tensor_hash(x));  // the seed fixes the whole run
    EXPECT_THROW(DiffusionRun(4, 0, 2), ValueError);
}
