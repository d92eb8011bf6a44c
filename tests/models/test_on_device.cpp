// The models on a device without a GPU: with a host-memory stand-in for the CUDA backend
// (tests/support/host_memory_backend.h) and no device kernels, every op of a forward pass and of a
// sampler runs through the device dispatch on cuda:0 tensors. The results must be the CPU's bit
// for bit (the host path is the CPU's code) and stay on the device; this is what `--device cuda`
// does wherever a real kernel is missing, checked here in CI.
#include <gtest/gtest.h>

#include "forward_cases.h"
#include "sampler_hashes.h"
#include "models/charlm.h"
#include "models/diffusion.h"
#include "models/latent.h"
#include "tensor/hash.h"
#include "tests/support/host_memory_backend.h"

namespace nl::models::testing {
namespace {

class OnDevice : public ::testing::Test {
protected:
    nl::test::HostMemoryCuda fake_;
    nl::test::HostMemoryCuda::Install installed_{fake_};
};

TEST_F(OnDevice, ForwardPassesEqualTheCpu) {
    for (const char* which : kForwardCases) {
        if (!file_exists(forward_asset(which))) continue;  // the GAN is optional
        const double cpu = forward_error(which, Device::cpu()), dev = forward_error(which, Device::cuda(0));
        EXPECT_EQ(dev, cpu) << which << ": the device run must give the CPU's exact outputs";
        EXPECT_LE(dev, 1e-5) << which;
    }
}

// Every golden sampler run with its models and tensors on the device gives the golden hash (the
// stand-in computes on the host: this checks the device plumbing the GPU test relies on).
TEST_F(OnDevice, SamplerGoldenHashesHoldOnTheDevice) {
    const auto want = golden_sampler_hashes();
    const auto got = sampler_hashes(Device::cuda(0));
    ASSERT_EQ(got.size(), want.size());
    for (const auto& [k, v] : got) EXPECT_EQ(want.count(k) ? want.at(k) : "<not in the file>", v) << k;
}

TEST_F(OnDevice, SamplersEqualTheCpu) {
    Toy2DNet toy_cpu(Weights::load(asset("toy2d_diffusion.safetensors")));
    Toy2DNet toy_dev(Weights::load(asset("toy2d_diffusion.safetensors")));
    toy_dev.to(Device::cuda(0));
    DigitsUNet unet_cpu(Weights::load(asset("digits_diffusion.safetensors")));
    DigitsUNet unet_dev(Weights::load(asset("digits_diffusion.safetensors")));
    unet_dev.to(Device::cuda(0));
    for (SamplerKind kind : {SamplerKind::DDIM, SamplerKind::DDPM}) {
        SamplerConfig cfg;
        cfg.sampler = kind;
        cfg.steps = 6;
        cfg.eta = 0.5;
        cfg.temperature = 0.9;
        const Tensor a = diffusion_sample(ToyEps(toy_cpu, 4), 32, cfg, 11);
        const Tensor b = diffusion_sample(DigitsEps(unet_cpu, {3, 10}, 2.0), 2, cfg, 12);
        cfg.device = Device::cuda(0);
        const Tensor da = diffusion_sample(ToyEps(toy_dev, 4), 32, cfg, 11);
        const Tensor db = diffusion_sample(DigitsEps(unet_dev, {3, 10}, 2.0), 2, cfg, 12);
        EXPECT_TRUE(da.device().is_cuda());
        EXPECT_TRUE(db.device().is_cuda());
        EXPECT_EQ(tensor_hash(da.cpu()), tensor_hash(a)) << sampler_name(kind) << ", toy 2-D";
        EXPECT_EQ(tensor_hash(db.cpu()), tensor_hash(b)) << sampler_name(kind) << ", digits with guidance";
    }
}

// The character model builds each context on the host from the symbols drawn so far; on a device
// model it must go to the device (`noiselab lm --device cuda` once failed with "embedding:
// expected all tensors on the same device").
TEST_F(OnDevice, CharModelWritesTheCpusWords) {
    CharMLP cpu(Weights::load(asset("charlm.safetensors")));
    CharMLP dev(Weights::load(asset("charlm.safetensors")));
    dev.to(Device::cuda(0));
    CharSampling s;
    s.temperature = 0.8;
    s.top_k = 10;
    s.top_p = 0.9;
    const std::vector<std::string> words = sample_words(cpu, 12, s, 7);
    EXPECT_EQ(sample_words(dev, 12, s, 7), words);
    EXPECT_EQ(char_nll(dev, words), char_nll(cpu, words));
}

}  // namespace
}  // namespace nl::models::testing
