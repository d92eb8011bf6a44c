// The diffusion samplers and the stepper API: frames for play/pause/scrub, determinism, DDPM equal
// to DDIM with eta = 1 (same noise, same posterior), config validation, and end-to-end regression
// hashes of every sampler (C++-generated goldens in tests/golden/models/sampler_hashes.txt;
// regenerate with NOISELAB_REGENERATE_GOLDEN=1 ./models_tests --gtest_filter='SamplerGolden.*').
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "model_test_util.h"
#include "sampler_hashes.h"
#include "models/charlm.h"
#include "models/diffusion.h"
#include "models/latent.h"
#include "tensor/errors.h"
#include "tensor/hash.h"

namespace nl::models::testing {
namespace {

const Toy2DNet& toy_net() {
    static const Toy2DNet net(Weights::load(asset("toy2d_diffusion.safetensors")));
    return net;
}
const DigitsUNet& digits_net() {
    static const DigitsUNet net(Weights::load(asset("digits_diffusion.safetensors")));
    return net;
}

TEST(Stepper, FramesForScrubbing) {
    ToyEps eps(toy_net(), 0);
    SamplerConfig cfg;
    cfg.steps = 8;
    DiffusionStepper s(eps, 16, cfg, 3);
    EXPECT_EQ(s.steps_done(), 0);
    EXPECT_EQ(s.num_frames(), 1);
    EXPECT_FALSE(s.x0_pred().defined());
    const std::vector<int> ts = timesteps(8);
    for (int i = 0; i < 8; ++i) {
        EXPECT_FALSE(s.done());
        EXPECT_EQ(s.frame(i).timestep, ts[i]);
        s.step();
        EXPECT_EQ(s.steps_done(), i + 1);
        EXPECT_TRUE(s.frame(i).x0.defined());
        EXPECT_EQ(s.x0_pred().shape(), (Shape{16, 2}));
    }
    EXPECT_TRUE(s.done());
    EXPECT_EQ(s.num_frames(), 9);
    EXPECT_EQ(s.frame(8).timestep, -1);
    EXPECT_EQ(s.frame(8).alpha_bar, 1.0);
    // DDIM's last step lands on the predicted x_0.
    EXPECT_EQ(hash_hex(tensor_hash(s.x())), hash_hex(tensor_hash(s.frame(7).x0)));
    EXPECT_THROW(s.frame(9), ShapeError);
    s.step();  // no-op once done
    EXPECT_EQ(s.num_frames(), 9);
}

TEST(Stepper, SteppingEqualsRunAndSeedsDiffer) {
    ToyEps eps(toy_net(), 4);
    SamplerConfig cfg;
    cfg.sampler = SamplerKind::DDPM;
    cfg.steps = 10;
    DiffusionStepper a(eps, 32, cfg, 11), b(eps, 32, cfg, 11), c(eps, 32, cfg, 12);
    while (!a.done()) a.step();
    b.run();
    c.run();
    for (int i = 0; i <= 10; ++i) EXPECT_EQ(tensor_hash(a.frame(i).x), tensor_hash(b.frame(i).x)) << i;
    EXPECT_NE(tensor_hash(a.x()), tensor_hash(c.x()));
    EXPECT_EQ(tensor_hash(diffusion_sample(eps, 32, cfg, 11)), tensor_hash(a.x()));
}

TEST(Stepper, DdpmEqualsDdimEtaOne) {
    ToyEps eps(toy_net(), 1);
    SamplerConfig ddpm, ddim;
    ddpm.sampler = SamplerKind::DDPM;
    ddim.sampler = SamplerKind::DDIM;
    ddim.eta = 1.0;
    ddpm.steps = ddim.steps = 20;
    const Tensor a = diffusion_sample(eps, 64, ddpm, 5), b = diffusion_sample(eps, 64, ddim, 5);
    EXPECT_LE(rel_error(a, b), 1e-4);
    ddim.eta = 0.0;
    EXPECT_GT(rel_error(diffusion_sample(eps, 64, ddim, 5), b), 1e-2);  // eta matters
}

TEST(Stepper, TemperatureScalesTheStart) {
    ToyEps eps(toy_net(), 2);
    SamplerConfig cfg;
    cfg.steps = 4;
    cfg.temperature = 0.5;
    DiffusionStepper half(eps, 8, cfg, 9);
    cfg.temperature = 1.0;
    DiffusionStepper one(eps, 8, cfg, 9);
    EXPECT_LE(rel_error(half.x() * 2.0, one.x()), 1e-7);
}

TEST(Stepper, RejectsBadConfig) {
    ToyEps eps(toy_net(), 0);
    SamplerConfig cfg;
    cfg.steps = 0;
    EXPECT_THROW(DiffusionStepper(eps, 4, cfg, 1), ValueError);
    cfg.steps = 1001;
    EXPECT_THROW(DiffusionStepper(eps, 4, cfg, 1), ValueError);
    cfg = {};
    cfg.eta = 1.5;
    EXPECT_THROW(DiffusionStepper(eps, 4, cfg, 1), ValueError);
    cfg = {};
    cfg.temperature = -1;
    EXPECT_THROW(DiffusionStepper(eps, 4, cfg, 1), ValueError);
    EXPECT_THROW(DigitsEps(digits_net(), {11}, 3.0), ValueError);
    EXPECT_THROW(parse_sampler("euler"), ValueError);
    EXPECT_THROW(parse_schedule("quadratic"), ValueError);
}

TEST(Schedule, EndpointsAndTimesteps) {
    const auto lin = alpha_bar(Schedule::Linear), cosv = alpha_bar(Schedule::Cosine);
    EXPECT_NEAR(lin[0], 1 - 1e-4, 1e-12);
    EXPECT_NEAR(lin[999], 4.035e-5, 1e-6);  // prod(1 - beta)
    EXPECT_GE(cosv[999], 1e-5);
    for (int t = 1; t < 1000; ++t) EXPECT_LT(lin[t], lin[t - 1]);
    const auto ts = timesteps(50);
    EXPECT_EQ(ts.front(), 999);
    EXPECT_EQ(ts.back(), 0);
    EXPECT_EQ(ts[1], 979);  // round(999 - 999/49) = round(978.61)
}

// ---- regression hashes ---------------------------------------------------------------------------

TEST(SamplerGolden, HashesMatch) {
    const std::string path = sampler_hashes_path();
    const auto got = sampler_hashes(Device::cpu());
    const char* regen = std::getenv("NOISELAB_REGENERATE_GOLDEN");
    if (regen && std::string(regen) == "1") {
        std::ofstream f(path);
        f << "# End-to-end sampler hashes (tests/models/sampler_hashes.cpp); regenerate with\n"
             "# NOISELAB_REGENERATE_GOLDEN=1 models_tests --gtest_filter='SamplerGolden.*'\n";
        for (const auto& [k, v] : got) f << k << " " << v << "\n";
        GTEST_SKIP() << "regenerated " << path;
    }
    const auto want = golden_sampler_hashes();
    ASSERT_FALSE(want.empty()) << "missing or empty " << path << " (regenerate, see the file comment)";
    EXPECT_EQ(want.size(), got.size());
    for (const auto& [k, v] : got) EXPECT_EQ(want.count(k) ? want.at(k) : "<not in the file>", v) << k;
}

}  // namespace
}  // namespace nl::models::testing
