// The golden forward passes on the GPU: the same tolerance as on the CPU (1e-5 relative to
// PyTorch), and GPU vs CPU within 1e-5 of each other; the samplers whose every op is exact on
// the GPU give the CPU's golden hashes there. Skipped when CUDA is unavailable (failed under
// NOISELAB_REQUIRE_GPU=1).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "forward_cases.h"
#include "sampler_hashes.h"
#include "tests/support/require_gpu.h"

namespace nl::models::testing {
namespace {

class ForwardGpu : public ::testing::TestWithParam<const char*> {};

TEST_P(ForwardGpu, MatchesPyTorch) {
    NL_SKIP_UNLESS_GPU(have_cuda(), "CUDA unavailable: " + cuda_unavailable_reason());
    if (std::string(GetParam()) == "gan" && !file_exists(forward_asset("gan"))) GTEST_SKIP() << "no GAN weights shipped";
    EXPECT_LE(forward_error(GetParam(), Device::cuda(0)), 1e-5) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Models, ForwardGpu, ::testing::ValuesIn(kForwardCases));

// Every golden sampler (digits and 2-D diffusion, GAN, VAE, character model) on cuda:0 ends with
// the very bytes of the CPU's golden hash: every op they run is exact there (conv2d, group_norm,
// exp / sigmoid / silu / tanh / sin / cos of floats from tensor/detmath.h, the exact matmul
// kernel, the arithmetic, randn; the rest goes through the host). The exact matmul is opt-in
// (NOISELAB_MATMUL_KERNEL=exact) until this test has passed on a GPU.
TEST(SamplerGoldenGpu, ExactSamplersGiveTheCpusHashes) {
    NL_SKIP_UNLESS_GPU(have_cuda(), "CUDA unavailable: " + cuda_unavailable_reason());
    if (std::getenv("NOISELAB_MATMUL_KERNEL") == nullptr || std::string(std::getenv("NOISELAB_MATMUL_KERNEL")) != "exact")
        GTEST_SKIP() << "needs NOISELAB_MATMUL_KERNEL=exact (cuBLAS sums in its own order)";
    const auto want = golden_sampler_hashes();
    const auto got = sampler_hashes(Device::cuda(0));
    ASSERT_EQ(got.size(), want.size());
    for (const auto& [k, v] : got) EXPECT_EQ(want.count(k) ? want.at(k) : "<not in the file>", v) << k << " on cuda:0";
}

}  // namespace
}  // namespace nl::models::testing
