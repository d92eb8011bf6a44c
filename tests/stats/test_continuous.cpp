// Statistical suite, continuous ops in float32 and float64: KS against the exact distribution
// (n = 1e6, so |F_n - F| > 0.0032 anywhere is caught), mean z-tests where the mean and enough
// moments exist, Box-Muller's joint law (angle uniform, radius^2 exponential) and serial
// correlation. Thresholds and the false-alarm budget: stat_suite.h, docs/STATISTICS.md.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tensor/random.h"
#include "tests/stats/stat_suite.h"

namespace {

using namespace nl;
using namespace nl::suite;
using Kind = stats::Distribution::Kind;

const DType kFloatTypes[] = {DType::Float32, DType::Float64};

// KS (always) and the mean z-test (where d has a finite mean and a moderate kurtosis).
void fit_continuous(const std::vector<double>& v, const stats::Distribution& d, const std::string& what,
                    bool test_mean = true) {
    expect_fit(ks(v, d), what + " vs " + d.name() + " (KS)");
    if (test_mean) expect_fit(mean_z(v, d), what + " vs " + d.name() + " (mean)");
}

TEST(StatsContinuous, RandIsUniformOnZeroOne) {
    for (DType dt : kFloatTypes) {
        Generator g(1001);
        const std::vector<double> v = values(rand({kN}, {dt}, &g));
        for (double x : v) ASSERT_TRUE(x >= 0.0 && x < 1.0) << label("rand", dt) << " gave " << x;
        fit_continuous(v, dist(Kind::Uniform, 0, 1), label("rand", dt));
        expect_fit(serial_correlation(v, 1), label("rand", dt) + " lag-1 correlation");
    }
}

TEST(StatsContinuous, UniformOnSeveralIntervals) {
    const double intervals[][2] = {{-3, 5}, {1000, 1001}, {-1e30, 1e30}};
    uint64_t seed = 1100;
    for (DType dt : kFloatTypes) {
        for (const auto& ab : intervals) {
            Generator g(++seed);
            Tensor t = Tensor::empty({kN}, {dt});
            uniform_(t, ab[0], ab[1], &g);
            const std::vector<double> v = values(t);
            for (double x : v) ASSERT_TRUE(x >= ab[0] && x < ab[1]) << label("uniform_", dt) << " gave " << x;
            fit_continuous(v, dist(Kind::Uniform, ab[0], ab[1]), label("uniform_", dt));
        }
    }
}

TEST(StatsContinuous, RandnIsStandardNormal) {
    for (DType dt : kFloatTypes) {
        Generator g(1201);
        const std::vector<double> v = values(randn({kN}, {dt}, &g));
        fit_continuous(v, dist(Kind::Normal, 0, 1), label("randn", dt));
        expect_fit(serial_correlation(v, 1), label("randn", dt) + " lag-1 correlation");
        expect_fit(serial_correlation(v, 2), label("randn", dt) + " lag-2 correlation");
    }
}

TEST(StatsContinuous, BoxMullerPairsHaveUniformAngleAndExponentialRadius) {
    // Elements (2i, 2i+1) are the cos and sin of one Box-Muller pair in both layouts. Their joint
    // law is rotation invariant: the angle is uniform on (-pi, pi] and r^2 ~ Exponential(1/2). A
    // wrong octant sign, an angle argument that is off, or sin and cos of different angles break
    // this even where each marginal stays normal.
    for (DType dt : kFloatTypes) {
        Generator g(1301);
        const std::vector<double> z = values(randn({kN}, {dt}, &g));
        std::vector<double> angle, r2;
        for (size_t i = 0; i + 1 < z.size(); i += 2) {
            angle.push_back(std::atan2(z[i + 1], z[i]));
            r2.push_back(z[i] * z[i] + z[i + 1] * z[i + 1]);
        }
        expect_fit(ks(angle, dist(Kind::Uniform, -M_PI, M_PI)), label("randn pair angle", dt));
        expect_fit(ks(r2, dist(Kind::Exponential, 0.5)), label("randn pair radius^2", dt));
    }
}

TEST(StatsContinuous, NormalWithScalarParameters) {
    for (DType dt : kFloatTypes) {
        Generator g(1401);
        fit_continuous(values(normal(2.0, 3.0, {kN}, {dt}, &g)), dist(Kind::Normal, 2, 3), label("normal(2, 3)", dt));
        // In place on a non-contiguous (transposed) view.
        Tensor base = Tensor::empty({1000, kN / 1000}, {dt});
        Tensor view = base.transpose(0, 1);
        normal_(view, -1.0, 0.25, &g);
        fit_continuous(values(view), dist(Kind::Normal, -1, 0.25), label("normal_ on a transposed view", dt));
    }
}

// Standardises x with per-element mean and std; elements with std 0 must equal their mean.
std::vector<double> standardise(const std::vector<double>& x, const std::vector<double>& mean,
                                const std::vector<double>& std, const std::string& what) {
    std::vector<double> z;
    z.reserve(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
        if (std[i] == 0.0) {
            EXPECT_EQ(x[i], mean[i]) << what << ": std 0 must give the mean exactly (element " << i << ")";
            continue;
        }
        z.push_back((x[i] - mean[i]) / std[i]);
    }
    return z;
}

TEST(StatsContinuous, NormalWithTensorParametersBroadcasts) {
    const std::vector<double> means = {-10, 0, 3.5, 100};
    const std::vector<double> stds = {0.5, 1, 2, 4, 0};
    for (DType dt : kFloatTypes) {
        Generator g(1501);
        // mean [R, 1] and std [1, C] broadcast to [R, C].
        const int64_t rows = kN / static_cast<int64_t>(stds.size() - 1), cols = static_cast<int64_t>(stds.size());
        std::vector<double> mcol(static_cast<size_t>(rows));
        for (int64_t r = 0; r < rows; ++r) mcol[static_cast<size_t>(r)] = means[static_cast<size_t>(r) % means.size()];
        const Tensor mean_t = from_vector(mcol, {rows, 1}, {dt});
        const Tensor std_t = from_vector(stds, {1, cols}, {dt});
        const Tensor x = normal(mean_t, std_t, &g);
        ASSERT_EQ(x.shape(), (Shape{rows, cols}));
        std::vector<double> me, sd;
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) {
                me.push_back(mcol[static_cast<size_t>(r)]);
                sd.push_back(stds[static_cast<size_t>(c)]);
            }
        const std::vector<double> z = standardise(values(x), me, sd, label("normal(mean[R,1], std[1,C])", dt));
        fit_continuous(z, dist(Kind::Normal, 0, 1), label("normal(mean[R,1], std[1,C]) standardised", dt));

        // normal(Tensor mean, double std) and normal(double mean, Tensor std).
        std::vector<double> mvec(static_cast<size_t>(kN)), svec(static_cast<size_t>(kN));
        for (size_t i = 0; i < mvec.size(); ++i) {
            mvec[i] = means[i % means.size()];
            svec[i] = stds[i % (stds.size() - 1)];
        }
        const Tensor t2 = normal(from_vector(mvec, {kN}, {dt}), 2.5, &g);
        EXPECT_EQ(t2.dtype(), dt);
        const std::vector<double> x2 = values(t2);
        fit_continuous(standardise(x2, mvec, std::vector<double>(mvec.size(), 2.5), "normal(mean, 2.5)"),
                       dist(Kind::Normal, 0, 1), label("normal(Tensor mean, 2.5) standardised", dt));
        const std::vector<double> x3 = values(normal(-7.0, from_vector(svec, {kN}, {dt}), &g));
        fit_continuous(standardise(x3, std::vector<double>(svec.size(), -7.0), svec, "normal(-7, std)"),
                       dist(Kind::Normal, 0, 1), label("normal(-7, Tensor std) standardised", dt));
    }
}

TEST(StatsContinuous, NormalKeepsTheParameterDtype) {
    // torch.normal(mean, std) returns the floating dtype of its tensor argument(s): a float32
    // mean with a Python-float std gives float32 (not a statistical check).
    Generator g(1551);
    const Tensor m32 = full({8}, 1.0, {DType::Float32});
    EXPECT_STREQ(dtype_name(normal(m32, 2.5, &g).dtype()), "float32") << "normal(Tensor float32 mean, double std)";
    EXPECT_STREQ(dtype_name(normal(2.5, m32, &g).dtype()), "float32") << "normal(double mean, Tensor float32 std)";
    EXPECT_STREQ(dtype_name(normal(m32, m32, &g).dtype()), "float32") << "normal(Tensor float32, Tensor float32)";
    const Tensor m16 = full({8}, 1.0, {DType::Float16});
    EXPECT_STREQ(dtype_name(normal(m16, 0.5, &g).dtype()), "float16") << "normal(Tensor float16 mean, double std)";
}

TEST(StatsContinuous, LogNormal) {
    for (DType dt : kFloatTypes) {
        Generator g(1601);
        Tensor t = Tensor::empty({kN}, {dt});
        log_normal_(t, 1.0, 0.5, &g);
        fit_continuous(values(t), dist(Kind::LogNormal, 1, 0.5), label("log_normal_(1, 0.5)", dt));
        // PyTorch's defaults (1, 2): excess kurtosis ~ 9e6, so the normal approximation of the
        // mean is unusable at p ~ 5e-9; KS only.
        log_normal_(t, 1.0, 2.0, &g);
        fit_continuous(values(t), dist(Kind::LogNormal, 1, 2), label("log_normal_(1, 2)", dt), false);
    }
}

TEST(StatsContinuous, Exponential) {
    for (DType dt : kFloatTypes) {
        Generator g(1701);
        Tensor t = Tensor::empty({kN}, {dt});
        exponential_(t, 1.5, &g);
        const std::vector<double> v = values(t);
        for (double x : v) ASSERT_TRUE(x >= 0.0 && std::isfinite(x)) << label("exponential_", dt) << " gave " << x;
        fit_continuous(v, dist(Kind::Exponential, 1.5), label("exponential_(1.5)", dt));
    }
}

TEST(StatsContinuous, Cauchy) {
    for (DType dt : kFloatTypes) {
        Generator g(1801);
        Tensor t = Tensor::empty({kN}, {dt});
        cauchy_(t, 0.5, 2.0, &g);
        const std::vector<double> v = values(t);
        for (double x : v) ASSERT_TRUE(std::isfinite(x)) << label("cauchy_", dt) << " gave " << x;
        fit_continuous(v, dist(Kind::Cauchy, 0.5, 2), label("cauchy_(0.5, 2)", dt), false);  // no mean
    }
}

TEST(StatsContinuous, LikeVariants) {
    for (DType dt : kFloatTypes) {
        Generator g(1901);
        const Tensor like = Tensor::empty({100, 1000}, {dt});
        expect_fit(ks(values(rand_like(like, &g)), dist(Kind::Uniform, 0, 1)), label("rand_like", dt));
        expect_fit(ks(values(randn_like(like, &g)), dist(Kind::Normal, 0, 1)), label("randn_like", dt));
    }
}

}  // namespace
