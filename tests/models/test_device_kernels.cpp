// The models on a device whose backend has kernels for every layer they use: with the host-memory
// stand-in for CUDA and stand-in kernels (tests/support/fake_device_ops.h, the CPU ops on host
// copies), a forward pass and a sampler step must reach a kernel for every op and never run an
// op through the host (ops_detail::through_host_calls), while giving the CPU's exact values.
// On a GPU this is what keeps `--device cuda` off the host between steps.
#include <gtest/gtest.h>

#include "model_test_util.h"
#include "models/diffusion.h"
#include "models/nets.h"
#include "models/weights.h"
#include "tensor/hash.h"
#include "tensor/ops_internal.h"
#include "tensor/random.h"
#include "tests/support/fake_device_ops.h"
#include "tests/support/host_memory_backend.h"

namespace nl::models::testing {
namespace {

class DeviceKernels : public ::testing::Test {
protected:
    void SetUp() override { fake_.kernels = &kernels_; }
    nl::test::HostMemoryCuda fake_;
    nl::test::HostMemoryCuda::Install installed_{fake_};
    nl::test::FakeDeviceOps kernels_;
};

TEST_F(DeviceKernels, DigitsUNetForwardRunsEveryOpOnAKernel) {
    DigitsUNet cpu(Weights::load(asset("digits_diffusion.safetensors")));
    DigitsUNet dev(Weights::load(asset("digits_diffusion.safetensors")));
    dev.to(Device::cuda(0));
    Generator g(3);
    const Tensor x = randn({4, 1, 20, 20}, {}, &g);
    const Tensor ab = from_vector({0.9, 0.5, 0.1, 0.02}, {4});
    const Tensor labels = from_vector({3, 10, 0, 7}, {4}, {DType::Int64});
    const Tensor want = cpu.forward(x, ab, labels);
    const Tensor gx = x.to(Device::cuda(0)), gab = ab.to(Device::cuda(0)), glabels = labels.to(Device::cuda(0));
    const int64_t before = ops_detail::through_host_calls(), copies = fake_.copies_to_host;
    kernels_.calls.clear();  // count the forward pass alone (to() stacks the embedding weights with cat)
    const Tensor got = dev.forward(gx, gab, glabels);
    EXPECT_EQ(ops_detail::through_host_calls(), before) << "an op of the forward pass ran through the host";
    // What still reads device memory back (each a wait for the stream on a GPU): the noise-level
    // embedding, which models/schedule.cpp computes on the host, and embedding's index check.
    EXPECT_LE(fake_.copies_to_host - copies, 2);
    ASSERT_TRUE(got.device().is_cuda());
    EXPECT_EQ(tensor_hash(got.cpu()), tensor_hash(want)) << "the stand-in kernels compute the CPU's values";
    // conv_in, 6 residual blocks (2 convs each, 1x1 skips in res3 and res4), down1/2, up1/2,
    // conv_out; each block's two convs add their addend (the embedding, the skip) in the same op,
    // and every norm applies its silu.
    EXPECT_EQ(kernels_.calls["conv2d_add"], 12);
    EXPECT_EQ(kernels_.calls["conv2d"], 8);
    EXPECT_EQ(kernels_.calls["group_norm_silu"], 13);
    EXPECT_EQ(kernels_.calls["group_norm"], 0);
    // t1, t2 and the six blocks' embedding projections as one product.
    EXPECT_EQ(kernels_.calls["matmul"], 3);
    // What is left elementwise: the three linears' biases and the label embedding's addition; the
    // time embedding's two silus.
    EXPECT_EQ(kernels_.calls["binary"], 4);
    EXPECT_EQ(kernels_.calls["unary"], 2);
    int64_t launches = 0;
    for (const auto& [op, n] : kernels_.calls) launches += n;
    EXPECT_EQ(launches, 47) << "device ops a forward pass issues (82 before the fused layers, and 8 copies of "
                               "weight^T on a GPU)";
    EXPECT_EQ(kernels_.calls["upsample_nearest2d"], 2);
    EXPECT_EQ(kernels_.calls["cat"], 2);
    EXPECT_EQ(kernels_.calls["index_select"], 1) << "the label embedding";
}

// The GAN generator (conv_transpose2d, batch_norm with running statistics, tanh) and the digit
// classifier (avg_pool2d) on kernels too: the digits of `noiselab gan --device cuda` and their
// quality check stay on the device.
TEST_F(DeviceKernels, GanGeneratorAndClassifierRunEveryOpOnAKernel) {
    DigitsGenerator gen_cpu(Weights::load(asset("digits_gan.safetensors")));
    DigitsGenerator gen_dev(Weights::load(asset("digits_gan.safetensors")));
    gen_dev.to(Device::cuda(0));
    DigitsClassifier cls_cpu(Weights::load(asset("digits_classifier.safetensors")));
    DigitsClassifier cls_dev(Weights::load(asset("digits_classifier.safetensors")));
    cls_dev.to(Device::cuda(0));
    Generator g(5);
    const Tensor z = randn({6, gen_cpu.z_dim()}, {}, &g);
    const Tensor labels = from_vector({0, 1, 2, 7, 8, 9}, {6}, {DType::Int64});
    const Tensor want_images = gen_cpu.forward(z, labels), want_logits = cls_cpu.forward(want_images);
    const Tensor gz = z.to(Device::cuda(0)), glabels = labels.to(Device::cuda(0));
    const int64_t before = ops_detail::through_host_calls();
    const Tensor images = gen_dev.forward(gz, glabels);
    const Tensor logits = cls_dev.forward(images);
    EXPECT_EQ(ops_detail::through_host_calls(), before) << "an op ran through the host";
    ASSERT_TRUE(images.device().is_cuda());
    EXPECT_EQ(tensor_hash(images.cpu()), tensor_hash(want_images));
    EXPECT_EQ(tensor_hash(logits.cpu()), tensor_hash(want_logits));
    EXPECT_EQ(kernels_.calls["conv_transpose2d"], 2);
    EXPECT_EQ(kernels_.calls["batch_norm"], 2);
    EXPECT_EQ(kernels_.calls["avg_pool2d"], 2);
}

// Whole sampler steps: the guided digits model (both halves of the batch, the guidance mix, the
// null-label rows by where, clipping x_0) and the toy model, DDIM with noise (eta > 0) and DDPM.
TEST_F(DeviceKernels, SamplerStepsRunEveryOpOnAKernel) {
    DigitsUNet unet_cpu(Weights::load(asset("digits_diffusion.safetensors")));
    DigitsUNet unet_dev(Weights::load(asset("digits_diffusion.safetensors")));
    unet_dev.to(Device::cuda(0));
    Toy2DNet toy_cpu(Weights::load(asset("toy2d_diffusion.safetensors")));
    Toy2DNet toy_dev(Weights::load(asset("toy2d_diffusion.safetensors")));
    toy_dev.to(Device::cuda(0));
    for (SamplerKind kind : {SamplerKind::DDIM, SamplerKind::DDPM}) {
        SamplerConfig cfg;
        cfg.sampler = kind;
        cfg.steps = 3;
        cfg.eta = 0.5;
        const Tensor digits = diffusion_sample(DigitsEps(unet_cpu, {3, 10, 5}, 2.0), 3, cfg, 21);
        const Tensor toy = diffusion_sample(ToyEps(toy_cpu, 2), 16, cfg, 22);
        cfg.device = Device::cuda(0);
        const DigitsEps digits_eps(unet_dev, {3, 10, 5}, 2.0);
        const ToyEps toy_eps(toy_dev, 2);
        DiffusionStepper ds(digits_eps, 3, cfg, 21), ts(toy_eps, 16, cfg, 22);
        const int64_t before = ops_detail::through_host_calls();
        ds.run();
        ts.run();
        EXPECT_EQ(ops_detail::through_host_calls(), before) << sampler_name(kind) << ": an op ran through the host";
        EXPECT_EQ(tensor_hash(ds.x().cpu()), tensor_hash(digits)) << sampler_name(kind);
        EXPECT_EQ(tensor_hash(ts.x().cpu()), tensor_hash(toy)) << sampler_name(kind);
    }
    EXPECT_GT(kernels_.calls["where"], 0) << "the unconditional rows of guided sampling";
    EXPECT_GT(kernels_.calls["clamp"], 0) << "x_0 clipping";
}

}  // namespace
}  // namespace nl::models::testing
