// C++ forward passes equal PyTorch's golden outputs (tests/golden/models/*_forward.safetensors,
// written by models/train/*.py) to a relative error of 1e-5 in float32, on the CPU.
#include <gtest/gtest.h>

#include "forward_cases.h"

namespace nl::models::testing {
namespace {

class ForwardCpu : public ::testing::TestWithParam<const char*> {};

TEST_P(ForwardCpu, MatchesPyTorch) {
    if (std::string(GetParam()) == "gan" && !file_exists(forward_asset("gan"))) GTEST_SKIP() << "no GAN weights shipped";
    const double err = forward_error(GetParam(), Device::cpu());
    EXPECT_LE(err, 1e-5) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Models, ForwardCpu, ::testing::ValuesIn(kForwardCases));

}  // namespace
}  // namespace nl::models::testing
