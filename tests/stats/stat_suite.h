// Shared machinery of the statistical suite (docs/STATISTICS.md): the false-alarm budget and the
// Bonferroni threshold every decision uses, sample extraction, and the exact reference laws of
// the rounded dtypes (float16 / bfloat16) and of integer buckets that the generic tests in
// tensor/stats.h do not cover.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dist_shorthand.h"
#include "tensor/stats.h"
#include "tensor/tensor.h"

namespace nl::suite {

// ---- the false-alarm budget ----------------------------------------------------------------------
// The whole suite may raise a false alarm with probability at most kFamilyAlpha. It makes at most
// kDecisionBudget statistical decisions (M, checked at exit), each rejecting only when
// p < kAlpha = kFamilyAlpha / M, so by Bonferroni's union bound P(any false alarm) <= kFamilyAlpha.
constexpr double kFamilyAlpha = 1e-6;
constexpr int kDecisionBudget = 200;
constexpr double kAlpha = kFamilyAlpha / kDecisionBudget;  // 5e-9
// Chi-square cells are pooled to at least this many expected counts: the chi-square law of
// Pearson's X^2 must hold out to p ~ 5e-9, where small cells' Poisson tails would inflate it.
constexpr double kMinExpected = 50.0;

// One statistical decision: counts it against the budget and fails the test when p < kAlpha.
void expect_fit(const stats::TestResult& r, const std::string& what);
// A power check (a deliberately wrong hypothesis): fails unless p < kAlpha. Not counted in M:
// it can only fail by missing a defect, never by a false alarm.
void expect_reject(const stats::TestResult& r, const std::string& what);
int decisions_made();

// ---- samples ---------------------------------------------------------------------------------------
constexpr int64_t kN = 1000000;  // samples per test unless a test says otherwise
// "op dtype", the name of one case in the failure messages.
inline std::string label(const std::string& op, DType d) { return op + " " + dtype_name(d); }
std::vector<double> values(const Tensor& t);        // any dtype, as double, row-major
std::vector<int64_t> int_values(const Tensor& t);  // integer-valued tensors, exact for int64

using stats_test::dist;  // dist(Kind::Normal, 0, 1)
stats::TestResult ks(const std::vector<double>& v, const stats::Distribution& d);
stats::TestResult chi2(const std::vector<double>& v, const stats::Distribution& d);  // pooled to kMinExpected
// Chi-square of observed counts against probabilities (expected = n * probs), pooled to kMinExpected.
stats::TestResult chi2_probs(const std::vector<double>& observed, const std::vector<double>& probs,
                             int64_t constraints = 1);
// z-test of the sample mean (finite samples) against d's mean and variance.
stats::TestResult mean_z(const std::vector<double>& v, const stats::Distribution& d);
// z = r_lag * sqrt(n): lag-`lag` serial correlation of v, N(0,1) for independent samples.
stats::TestResult serial_correlation(const std::vector<double>& v, size_t lag);

// ---- integer ranges too wide for one cell per value --------------------------------------------------
// Chi-square of integer samples from [low, low + range) (range 0 means 2^64) against the uniform
// law, in `buckets` cells of consecutive integers whose sizes are computed exactly (128-bit), so
// a range that is not a multiple of `buckets` is still exact. Values outside the range fail.
stats::TestResult uniform_buckets(const std::vector<int64_t>& v, int64_t low, uint64_t range, int buckets);

// ---- rounded dtypes ------------------------------------------------------------------------------------
// A binary floating-point format: `mantissa` explicit fraction bits, smallest normal exponent
// `min_exp`, largest finite value, overflow to inf. Rounding is to nearest, ties to even.
struct LowFormat {
    const char* name;
    int mantissa;
    int min_exp;
    double max_finite;
};
extern const LowFormat kHalf;      // IEEE binary16
extern const LowFormat kBFloat16;  // bfloat16
double round_to(const LowFormat& f, double x);
double next_down(const LowFormat& f, double t);  // the representable value just below t
double next_up(const LowFormat& f, double t);

// Chi-square of samples of a float32-computed, then rounded, continuous distribution d: about
// `cells` cells bounded by representable values, each with the exact probability
// P(real value rounds into the cell) = cdf(upper rounding boundary) - cdf(lower rounding boundary).
stats::TestResult rounded_fit(const std::vector<double>& v, const stats::Distribution& d, const LowFormat& f,
                              int cells = 200);
// uniform_(a, b) in a 16-bit dtype: u takes the 2^grid_bits values k / 2^grid_bits (11 bits for
// float16, 8 for bfloat16), x = a + (b - a) u is exact in float32 for the (a, b) used (checked),
// then rounds to the format, and a result that reaches b becomes the value just below b. The
// exact law is enumerated and the samples are tested against it value by value.
stats::TestResult rounded_uniform_fit(const std::vector<double>& v, double a, double b, int grid_bits,
                                      const LowFormat& f);

}  // namespace nl::suite
