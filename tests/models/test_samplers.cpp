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

std::map<std::string, std::string> sampler_hashes() {
    std::map<std::string, std::string> h;
    {
        DigitsEps eps(digits_net(), {0, 1, 2, 3}, 3.0);
        SamplerConfig cfg;
        cfg.steps = 5;
        h["digits_ddim_cosine_g3"] = hash_hex(tensor_hash(diffusion_sample(eps, 4, cfg, 7)));
        DigitsEps eps2(digits_net(), {7, 10}, 2.0);
        cfg.sampler = SamplerKind::DDPM;
        cfg.schedule = Schedule::Linear;
        cfg.temperature = 0.9;
        h["digits_ddpm_linear_g2_t0.9"] = hash_hex(tensor_hash(diffusion_sample(eps2, 2, cfg, 8)));
    }
    {
        ToyEps moons(toy_net(), 0), spiral(toy_net(), 4);
        SamplerConfig cfg;
        cfg.steps = 20;
        cfg.eta = 0.5;
        h["moons_ddim_eta0.5"] = hash_hex(tensor_hash(diffusion_sample(moons, 64, cfg, 7)));
        cfg.sampler = SamplerKind::DDPM;
        cfg.temperature = 0.8;
        h["spiral_ddpm_t0.8"] = hash_hex(tensor_hash(diffusion_sample(spiral, 64, cfg, 7)));
    }
    if (file_exists(asset("digits_gan.safetensors"))) {
        DigitsGenerator G(Weights::load(asset("digits_gan.safetensors")));
        Generator gen(7);
        const Tensor z = latents(8, G.z_dim(), gen, 1.0, 0.7);
        h["gan_trunc0.7"] = hash_hex(tensor_hash(G.forward(z, from_vector({0, 1, 2, 3, 4, 5, 6, 7}, {8}, {DType::Int64}))));
        Generator ga(7), gb(8);
        const Tensor path = interpolate(latents(1, G.z_dim(), ga)[0], latents(1, G.z_dim(), gb)[0], 5, true);
        h["gan_slerp_7_8"] = hash_hex(tensor_hash(G.forward(path, full({5}, 3, {DType::Int64}))));
    }
    {
        DigitsVAE v2(Weights::load(asset("digits_vae2.safetensors"))), v16(Weights::load(asset("digits_vae16.safetensors")));
        h["vae2_grid5"] = hash_hex(tensor_hash(v2.decode(latent_grid(5))));
        Generator gen(7);
        h["vae16_sample"] = hash_hex(tensor_hash(v16.decode(latents(4, 16, gen))));
    }
    {
        CharMLP lm(Weights::load(asset("charlm.safetensors")));
        CharSampling s;
        s.temperature = 0.8;
        s.top_k = 10;
        s.top_p = 0.9;
        std::string all;
        for (const auto& w : sample_words(lm, 20, s, 7)) all += w + "\n";
        h["lm_t0.8_k10_p0.9"] = hash_hex(fnv1a64(all.data(), all.size()));
    }
    return h;
}

TEST(SamplerGolden, HashesMatch) {
    const std::string path = golden("sampler_hashes.txt");
    const auto got = sampler_hashes();
    const char* regen = std::getenv("NOISELAB_REGENERATE_GOLDEN");
    if (regen && std::string(regen) == "1") {
        std::ofstream f(path);
        f << "# End-to-end sampler hashes (tests/models/test_samplers.cpp); regenerate with\n"
             "# NOISELAB_REGENERATE_GOLDEN=1 models_tests --gtest_filter='SamplerGolden.*'\n";
        for (const auto& [k, v] : got) f << k << " " << v << "\n";
        GTEST_SKIP() << "regenerated " << path;
    }
    std::ifstream f(path);
    ASSERT_TRUE(f) << "missing " << path << " (regenerate, see the file comment)";
    std::map<std::string, std::string> want;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream is(line);
        std::string k, v;
        is >> k >> v;
        want[k] = v;
    }
    EXPECT_EQ(want.size(), got.size());
    for (const auto& [k, v] : got) EXPECT_EQ(want[k], v) << k;
}

}  // namespace
}  // namespace nl::models::testing
