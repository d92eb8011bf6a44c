// tests/support/require_gpu.h: a GPU test skips where no GPU is usable, except under
// NOISELAB_REQUIRE_GPU=1 (the device checks on a lent GPU), where it fails.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <gtest/gtest-spi.h>

#include "tests/support/require_gpu.h"

namespace {

// A test body that needs a GPU, where none is usable.
void needs_a_gpu_there_is_none() { NL_SKIP_UNLESS_GPU(false, std::string("no GPU in this test")); }

// Sets NOISELAB_REQUIRE_GPU for a scope (unset when `value` is null), then restores it.
class RequireGpuVariable {
public:
    explicit RequireGpuVariable(const char* value) {
        if (const char* old = std::getenv(kName)) saved_ = old, had_ = true;
        value ? ::setenv(kName, value, 1) : ::unsetenv(kName);
    }
    ~RequireGpuVariable() { had_ ? ::setenv(kName, saved_.c_str(), 1) : ::unsetenv(kName); }

private:
    static constexpr const char* kName = "NOISELAB_REQUIRE_GPU";
    std::string saved_;
    bool had_ = false;
};

}  // namespace

TEST(RequireGpu, OnlyTheValue1MakesAGpuRequired) {
    {
        const RequireGpuVariable v("1");
        EXPECT_TRUE(nl::test::gpu_required());
    }
    for (const char* other : {"0", "", "yes", "11"}) {
        const RequireGpuVariable v(other);
        EXPECT_FALSE(nl::test::gpu_required()) << "'" << other << "'";
    }
    const RequireGpuVariable unset(nullptr);
    EXPECT_FALSE(nl::test::gpu_required());
}

TEST(RequireGpu, AMissingGpuFailsTheTestWhenOneIsRequired) {
    const RequireGpuVariable v("1");
    EXPECT_FATAL_FAILURE(needs_a_gpu_there_is_none(), "NOISELAB_REQUIRE_GPU=1, but no GPU in this test");
}

// Without the variable the test skips (and does not fail). A skip cannot be asserted from inside
// the test it skips, so a child process (a gtest death test) reports it through its exit status.
TEST(RequireGpu, AMissingGpuSkipsTheTestOtherwise) {
    const RequireGpuVariable unset(nullptr);
    EXPECT_EXIT(
        {
            needs_a_gpu_there_is_none();
            const bool skipped = ::testing::Test::IsSkipped() && !::testing::Test::HasFailure();
            std::exit(skipped ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "");
}
