// stats::histogram and stats::moments of CUDA tensors, reduced on the GPU (gpu/stats_kernels.cu
// through DeviceOps::histogram / moments), against the same functions on the tensor's CPU copy:
// histogram counts equal (integers), moments' counts, min and max equal and the rest within
// 1e-12 relative; and gui::analyze of a CUDA tensor against analyze of its CPU copy.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gpu_test_util.h"
#include "gui/analysis.h"
#include "tensor/backend.h"
#include "tensor/ops.h"
#include "tensor/random.h"
#include "tensor/stats.h"

namespace nl {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

using gpu_test::cuda_ops;

::testing::AssertionResult same_counts(const std::vector<int64_t>& want, const std::vector<int64_t>& got) {
    if (want.size() != got.size())
        return ::testing::AssertionFailure() << "bins differ: " << want.size() << " vs " << got.size();
    int64_t differ = 0;
    size_t first = 0;
    for (size_t i = 0; i < want.size(); ++i)
        if (want[i] != got[i] && differ++ == 0) first = i;
    if (differ == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << differ << " of " << want.size() << " bins differ; first bin " << first
                                         << ": CPU " << want[first] << " vs GPU " << got[first];
}

void expect_same_histogram(const stats::Histogram& want, const stats::Histogram& got, const std::string& what) {
    EXPECT_EQ(got.lo, want.lo) << what;
    EXPECT_EQ(got.hi, want.hi) << what;
    EXPECT_TRUE(same_counts(want.counts, got.counts)) << what;
    EXPECT_EQ(got.below, want.below) << what;
    EXPECT_EQ(got.above, want.above) << what;
    EXPECT_EQ(got.total, want.total) << what;
}

// stats::histogram of `gpu` (and the DeviceOps call itself, which must take it) against the same
// call on `cpu`, a CPU tensor with the same values in the same order.
void check_histogram(const Tensor& cpu, const Tensor& gpu, int bins, double lo, double hi, const std::string& what) {
    const std::string w = what + " bins=" + std::to_string(bins) + " [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "]";
    ASSERT_TRUE(gpu.device().is_cuda()) << w;
    const stats::Histogram want = stats::histogram(cpu, bins, lo, hi);
    DeviceHistogram d;
    ASSERT_TRUE(cuda_ops()->histogram(gpu, bins, lo, hi, static_cast<double>(bins) / (hi - lo), d)) << w;
    EXPECT_TRUE(same_counts(want.counts, d.counts)) << w;
    EXPECT_EQ(d.below, want.below) << w;
    EXPECT_EQ(d.above, want.above) << w;
    EXPECT_EQ(d.total, want.total) << w;
    expect_same_histogram(want, stats::histogram(gpu, bins, lo, hi), w);
}

// |a - b| <= tol * scale, or both NaN.
::testing::AssertionResult close(double want, double got, double scale, double tol = 1e-12) {
    if (std::isnan(want) && std::isnan(got)) return ::testing::AssertionSuccess();
    if (std::abs(got - want) <= tol * scale) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "CPU " << want << " vs GPU " << got << " (difference "
                                         << std::abs(got - want) << ", allowed " << tol * scale << ")";
}

void expect_same_moments(const stats::Moments& c, const stats::Moments& g, const std::string& what) {
    EXPECT_EQ(g.n, c.n) << what;
    EXPECT_EQ(g.nan_count, c.nan_count) << what;
    EXPECT_EQ(g.inf_count, c.inf_count) << what;
    if (c.n == 0) {
        for (double v : {g.mean, g.std, g.variance, g.skewness, g.excess_kurtosis, g.min, g.max})
            EXPECT_TRUE(std::isnan(v)) << what;
        return;
    }
    EXPECT_EQ(g.min, c.min) << what;
    EXPECT_EQ(g.max, c.max) << what;
    EXPECT_TRUE(close(c.mean, g.mean, std::abs(c.mean) + c.std)) << what << " mean";
    EXPECT_TRUE(close(c.variance, g.variance, std::abs(c.variance))) << what << " variance";
    EXPECT_TRUE(close(c.std, g.std, std::abs(c.std))) << what << " std";
    // The higher moments move with the mean: d skewness / d mean = -3 / std, d kurtosis / d mean =
    // -4 skewness / std; the two means may differ by an ulp or two (other summation order).
    const double shift = c.std > 0 ? 4.0 * std::numeric_limits<double>::epsilon() * std::abs(c.mean) / c.std : 0.0;
    EXPECT_TRUE(close(c.skewness, g.skewness, std::abs(c.skewness) + 1.0 + 3e12 * shift)) << what << " skewness";
    // Excess kurtosis relative to the kurtosis m4 / m2^2 (= excess + 3): the CPU's plain sum of
    // 10^7 fourth powers is off by a few 1e-13 relative (seen: 1.1e-12 on an excess of 7.6e-4).
    EXPECT_TRUE(close(c.excess_kurtosis, g.excess_kurtosis,
                      std::abs(c.excess_kurtosis) + 3.0 + 4e12 * shift * (std::abs(c.skewness) + 1.0)))
        << what << " excess kurtosis";
}

void check_moments(const Tensor& cpu, const Tensor& gpu, const std::string& what) {
    DeviceMoments d;
    ASSERT_TRUE(cuda_ops()->moments(gpu, d)) << what;
    expect_same_moments(stats::moments(cpu), stats::moments(gpu), what);
}

// Normal values (scale 3, so many fall outside [-4, 4]) with the awkward ones spliced in: the
// range's ends, every edge of 8 bins over [-4, 4] and of `bins` bins, the doubles next to lo and
// hi, NaN and +-inf.
std::vector<double> awkward_values(int64_t n, uint64_t seed, int bins) {
    Generator g(seed);
    std::vector<double> v = (randn({n}, {DType::Float64}, &g) * 3.0).to_vector();
    std::vector<double> special = {-4.0, 4.0, kNaN, kInf, -kInf, -kNaN, std::nextafter(-4.0, -kInf),
                                   std::nextafter(-4.0, kInf), std::nextafter(4.0, -kInf), std::nextafter(4.0, kInf),
                                   0.0, -0.0};
    for (int k = 0; k <= 8; ++k) special.push_back(-4.0 + k);
    for (int k = 0; k <= bins && k <= 4096; ++k) special.push_back(-4.0 + 8.0 * k / bins);
    for (size_t i = 0; i < special.size() && i * 7 < v.size(); ++i) v[i * 7] = special[i];
    return v;
}

TEST(GpuStats, HistogramCountsEqualCpuForFloatingDtypes) {
    NL_REQUIRE_GPU();
    ASSERT_NE(cuda_ops(), nullptr);
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
        for (int bins : {1, 8, 200, 1 << 16}) {
            const Tensor cpu = from_vector(awkward_values(100003, 7 + bins, bins), {100003}, {dt});
            const Tensor gpu = cpu.to(Device::cuda());
            check_histogram(cpu, gpu, bins, -4.0, 4.0, dtype_name(dt));
            check_histogram(cpu, gpu, bins, -1.5, 2.25, dtype_name(dt));
            // A range inside one value's rounding (all data below or above it, or at an end).
            check_histogram(cpu, gpu, bins, 0.0, 1e-300, dtype_name(dt));
        }
    }
}

TEST(GpuStats, HistogramCountsEqualCpuForIntegerAndBoolDtypes) {
    NL_REQUIRE_GPU();
    Generator g(11);
    const Tensor i64 = randint(-300, 300, {50001}, {DType::Int64}, &g);
    const Tensor u8 = randint(0, 256, {50001}, {DType::Int64}, &g).to(DType::UInt8);
    const Tensor b = randint(0, 2, {50001}, {DType::Int64}, &g).to(DType::Bool);
    const Tensor i32 = randint(-1000, 1000, {50001}, {DType::Int32}, &g);
    for (int bins : {1, 200, 1 << 16}) {
        check_histogram(i64, i64.to(Device::cuda()), bins, -200.0, 200.0, "int64");
        check_histogram(i64, i64.to(Device::cuda()), bins, -300.5, 299.5, "int64");
        check_histogram(u8, u8.to(Device::cuda()), bins, 0.0, 255.0, "uint8");
        check_histogram(u8, u8.to(Device::cuda()), bins, 10.0, 100.0, "uint8");
        check_histogram(b, b.to(Device::cuda()), bins, 0.0, 1.0, "bool");
        check_histogram(b, b.to(Device::cuda()), bins, -0.5, 0.5, "bool");
        check_histogram(i32, i32.to(Device::cuda()), bins, -999.0, 999.0, "int32");
    }
    // int64 beyond 2^53 read as the nearest double, as Tensor::to_vector does.
    const Tensor big = from_vector({9007199254740993.0, -9007199254740993.0, 1.0}, {3}, {DType::Int64});
    check_histogram(big, big.to(Device::cuda()), 3, -9007199254740992.0, 9007199254740992.0, "int64 2^53");
}

TEST(GpuStats, HistogramOfStridedViewsAndEmptyTensors) {
    NL_REQUIRE_GPU();
    const Tensor cpu = from_vector(awkward_values(64 * 100, 3, 200), {64, 100}, {DType::Float32});
    const Tensor gpu = cpu.to(Device::cuda());
    check_histogram(cpu.transpose(0, 1), gpu.transpose(0, 1), 200, -4.0, 4.0, "transposed");
    check_histogram(cpu.narrow(1, 5, 50), gpu.narrow(1, 5, 50), 200, -4.0, 4.0, "narrowed columns");
    check_histogram(cpu.narrow(0, 3, 20), gpu.narrow(0, 3, 20), 200, -4.0, 4.0, "narrowed rows (offset)");
    check_histogram(cpu.select(1, 7), gpu.select(1, 7), 8, -4.0, 4.0, "one column");
    const Tensor empty = zeros({0}, {DType::Float32});
    check_histogram(empty, empty.to(Device::cuda()), 200, -4.0, 4.0, "empty");
    const Tensor empty2 = zeros({3, 0}, {DType::Float64});
    check_histogram(empty2, empty2.to(Device::cuda()), 1, -1.0, 1.0, "empty [3, 0]");
    const Tensor scalar = from_vector({4.0}, {}, {DType::Float32});
    check_histogram(scalar, scalar.to(Device::cuda()), 8, -4.0, 4.0, "0-dim at hi");
}

TEST(GpuStats, HistogramOfTenMillionValues) {
    NL_REQUIRE_GPU();
    Generator g(5);
    const Tensor gpu = randn({10000000}, {DType::Float32, Device::cuda()}, &g);
    const Tensor cpu = gpu.cpu();
    for (int bins : {1, 200, 1 << 16}) check_histogram(cpu, gpu, bins, -3.0, 3.0, "1e7 float32");
    check_histogram(cpu, gpu, 1 << 20, -5.0, 5.0, "1e7 float32");
}

TEST(GpuStats, HistogramAutomaticBinsAndRangeAgreeWithCpu) {
    NL_REQUIRE_GPU();
    // Not on the device (Freedman-Diaconis needs exact quartiles), but the same results.
    const Tensor cpu = from_vector(awkward_values(20000, 9, 200), {20000}, {DType::Float64});
    const Tensor gpu = cpu.to(Device::cuda());
    expect_same_histogram(stats::histogram(cpu), stats::histogram(gpu), "bins 0, auto range");
    expect_same_histogram(stats::histogram(cpu, 0, -4, 4), stats::histogram(gpu, 0, -4, 4), "bins 0");
    expect_same_histogram(stats::histogram(cpu, 30), stats::histogram(gpu, 30), "auto range");
    // A range whose width overflows is left to the host (the device declines it).
    DeviceHistogram d;
    EXPECT_FALSE(cuda_ops()->histogram(gpu, 10, -1e308, 1e308, 10.0 / (1e308 - -1e308), d));
}

TEST(GpuStats, MomentsMatchCpu) {
    NL_REQUIRE_GPU();
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
        const Tensor cpu = from_vector(awkward_values(200003, 21, 200), {200003}, {dt});
        check_moments(cpu, cpu.to(Device::cuda()), dtype_name(dt));
    }
    Generator g(4);
    // Far from zero: the two-pass central sums, not sum-of-squares cancellation.
    const Tensor shifted = randn({300001}, {DType::Float64}, &g) * 1e-3 + 1e6;
    check_moments(shifted, shifted.to(Device::cuda()), "mean 1e6, std 1e-3");
    const Tensor skewed = exp(randn({300001}, {DType::Float64}, &g) * 0.5);
    check_moments(skewed, skewed.to(Device::cuda()), "log-normal");
    const Tensor i64 = randint(-300, 300, {50001}, {DType::Int64}, &g);
    check_moments(i64, i64.to(Device::cuda()), "int64");
    const Tensor u8 = randint(0, 256, {50001}, {DType::Int64}, &g).to(DType::UInt8);
    check_moments(u8, u8.to(Device::cuda()), "uint8");
    const Tensor b = randint(0, 2, {50001}, {DType::Int64}, &g).to(DType::Bool);
    check_moments(b, b.to(Device::cuda()), "bool");
    const Tensor m = from_vector(awkward_values(64 * 100, 3, 8), {64, 100}, {DType::Float32});
    check_moments(m.transpose(0, 1), m.to(Device::cuda()).transpose(0, 1), "transposed");
}

TEST(GpuStats, MomentsOfDegenerateData) {
    NL_REQUIRE_GPU();
    const std::vector<std::pair<std::vector<double>, std::string>> cases = {
        {{}, "empty"},
        {{kNaN, kInf, -kInf, kNaN}, "no finite value"},
        {{2.5}, "one value"},
        {{2.5, kNaN, 2.5, kInf, 2.5}, "constant with NaN and inf"},
        {{-1.0, 1.0}, "two values"},
        {{1e60, -1e60, 1e60, 3e59}, "large (fourth powers still finite)"},
    };
    for (const auto& [values, what] : cases) {
        const Tensor cpu = from_vector(values, {static_cast<int64_t>(values.size())}, {DType::Float64});
        check_moments(cpu, cpu.to(Device::cuda()), what);
    }
    Generator g(8);
    const Tensor gpu = randn({10000000}, {DType::Float32, Device::cuda()}, &g);
    check_moments(gpu.cpu(), gpu, "1e7 float32");
}

// analyze() of a CUDA tensor against analyze() of its CPU copy: the same histogram, moments within
// tolerance, and the same subsample for the test and the QQ plot.
void check_analysis(const Tensor& cpu, const Tensor& gpu, const stats::Distribution& d, const gui::AnalysisOptions& o,
                    const std::string& what) {
    const gui::Analysis want = gui::analyze(cpu, d, o);
    const gui::Analysis got = gui::analyze(gpu, d, o);
    EXPECT_EQ(got.valid, want.valid) << what;
    EXPECT_EQ(got.error, want.error) << what;
    EXPECT_EQ(got.values, want.values) << what;
    expect_same_histogram(want.hist, got.hist, what);
    expect_same_moments(want.moments, got.moments, what);
    EXPECT_EQ(got.test_n, want.test_n) << what;
    EXPECT_EQ(got.test.test, want.test.test) << what;
    EXPECT_EQ(got.test.statistic, want.test.statistic) << what;
    EXPECT_EQ(got.test.p_value, want.test.p_value) << what;
    EXPECT_EQ(got.test.dof, want.test.dof) << what;
    EXPECT_EQ(got.qq, want.qq) << what;
    EXPECT_TRUE(close(want.theory_mean, got.theory_mean, 0.0)) << what;  // both NaN for Cauchy
}

TEST(GpuStats, AnalyzeOfCudaTensorEqualsAnalyzeOfItsCpuCopy) {
    NL_REQUIRE_GPU();
    Generator g(17);
    const stats::Distribution normal{stats::Distribution::Kind::Normal, 0.0, 1.0, {}};
    const Tensor gpu = randn({1000, 1000}, {DType::Float32, Device::cuda()}, &g);
    const Tensor cpu = gpu.cpu();
    gui::AnalysisOptions o;
    check_analysis(cpu, gpu, normal, o, "normal, automatic");
    gui::AnalysisOptions live;
    live.max_values = gui::kLiveAnalysisValues;
    live.test_samples = gui::kLiveTestValues;
    check_analysis(cpu, gpu, normal, live, "normal, live");
    gui::AnalysisOptions fixed;
    fixed.auto_bins = false;
    fixed.bins = gui::kMaxBins;
    fixed.auto_range = false;
    fixed.lo = -2.0;
    fixed.hi = 2.0;
    check_analysis(cpu, gpu, normal, fixed, "normal, fixed bins and range");
    check_analysis(cpu.transpose(0, 1), gpu.transpose(0, 1), normal, live, "normal, transposed");

    const stats::Distribution cauchy{stats::Distribution::Kind::Cauchy, 0.0, 1.0, {}};
    const Tensor c = cpu.to(DType::Float64) * 5.0;  // wider than Cauchy's central 98%
    check_analysis(c, c.to(Device::cuda()), cauchy, o, "cauchy range");

    const stats::Distribution randint_d{stats::Distribution::Kind::RandInt, 0.0, 10.0, {}};
    const Tensor ints = randint(0, 10, {500, 300}, {DType::Int64, Device::cuda()}, &g);
    check_analysis(ints.cpu(), ints, randint_d, o, "randint, discrete bins");
    check_analysis(ints.cpu(), ints, randint_d, live, "randint, live");

    const Tensor nan = full({100}, kNaN, {DType::Float32});
    check_analysis(nan, nan.to(Device::cuda()), normal, o, "all NaN");
}

}  // namespace
}  // namespace nl
