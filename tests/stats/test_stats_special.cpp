// Special functions of tensor/stats.h against reference values (computed with mpmath at 40
// digits, or closed forms): normal CDF and quantile, chi-square tail to 1e-43, incomplete gamma,
// the Kolmogorov distribution and its classic critical values.
#include <gtest/gtest.h>

#include <cmath>

#include "tensor/errors.h"
#include "tensor/stats.h"

namespace {

using namespace nl::stats;

// |a - b| <= rel * |b|: the accuracy that matters for p-values is relative.
void expect_rel(double a, double b, double rel) {
    EXPECT_LE(std::fabs(a - b), rel * std::fabs(b)) << "got " << a << ", want " << b;
}

TEST(StatsSpecial, NormalCdfKnownValues) {
    expect_rel(normal_cdf(1.96), 0.97500210485177956379, 1e-15);
    expect_rel(normal_cdf(0.0), 0.5, 1e-16);
    expect_rel(normal_cdf(-8.0), 6.2209605742717841235e-16, 1e-13);
    expect_rel(normal_cdf(-30.0), 4.9067139271481870595e-198, 1e-12);
    EXPECT_EQ(normal_cdf(INFINITY), 1.0);
}

TEST(StatsSpecial, NormalQuantileInvertsTheCdf) {
    expect_rel(normal_quantile(0.975), 1.9599639845400542355, 1e-14);
    expect_rel(normal_quantile(1e-10), -6.3613409024040562047, 1e-14);
    expect_rel(normal_quantile(1e-300), -37.047096299361199237, 1e-13);
    EXPECT_EQ(normal_quantile(0.5), 0.0);
    EXPECT_TRUE(std::isinf(normal_quantile(0.0)) && normal_quantile(0.0) < 0);
    EXPECT_TRUE(std::isinf(normal_quantile(1.0)) && normal_quantile(1.0) > 0);
    for (double x = -9.0; x <= 9.0; x += 0.37) {
        const double p = normal_cdf(x);
        if (p < 1.0 - 1e-6) expect_rel(normal_quantile(p), x, 1e-11);
    }
    EXPECT_THROW(normal_quantile(1.5), nl::ValueError);
    EXPECT_THROW(normal_quantile(NAN), nl::ValueError);
}

TEST(StatsSpecial, ChiSquareCriticalValuesFromTables) {
    // x with P(X > x) = alpha; a correct sf returns alpha there.
    expect_rel(chi_square_sf(3.8414588206941258654, 1), 0.05, 1e-12);
    expect_rel(chi_square_sf(18.307038053275146693, 10), 0.05, 1e-12);
    expect_rel(chi_square_sf(15.086272469388990062, 5), 0.01, 1e-12);
    expect_rel(chi_square_sf(149.44925277903871112, 100), 0.001, 1e-12);
    expect_rel(chi_square_sf(101.69675350152078288, 30), 1e-9, 1e-11);
}

TEST(StatsSpecial, ChiSquareFarTails) {
    expect_rel(chi_square_sf(50, 1), 1.5374597944280348502e-12, 1e-12);  // erfc(5)
    expect_rel(chi_square_sf(60, 3), 5.878230727906912341e-13, 1e-12);
    expect_rel(chi_square_sf(100, 10), 5.4497019829205293351e-17, 1e-12);
    expect_rel(chi_square_sf(200, 100), 1.1784500720979422446e-8, 1e-12);
    expect_rel(chi_square_sf(400, 200), 1.8438936497115741514e-15, 1e-11);
    expect_rel(chi_square_sf(3000, 2000), 2.2046986113889961422e-43, 1e-10);
    expect_rel(chi_square_sf(1e-3, 1), 0.97477287936996038828, 1e-13);
    expect_rel(chi_square_sf(0.5, 7), 0.99944648139042496549, 1e-13);
    // Closed forms for even dof: exp(-x/2) sum_{k < dof/2} (x/2)^k / k!.
    for (double x : {0.5, 7.0, 33.0, 95.0}) {
        expect_rel(chi_square_sf(x, 2), std::exp(-x / 2), 1e-13);
        expect_rel(chi_square_sf(x, 4), std::exp(-x / 2) * (1 + x / 2), 1e-13);
    }
    EXPECT_EQ(chi_square_sf(0.0, 3), 1.0);
    EXPECT_THROW(chi_square_sf(1.0, 0.0), nl::ValueError);
}

TEST(StatsSpecial, IncompleteGamma) {
    expect_rel(gamma_p(3, 2), 0.32332358381693654053, 1e-14);
    expect_rel(gamma_q(3, 2), 1.0 - 0.32332358381693654053, 1e-14);
    // Large a, both tails computed directly.
    expect_rel(gamma_p(1e4, 9500), 1.8624546517951550857e-7, 1e-10);
    expect_rel(gamma_q(1e4, 10500), 4.2758724550596472693e-7, 1e-10);
    EXPECT_EQ(gamma_p(2, 0), 0.0);
    EXPECT_EQ(gamma_q(2, 0), 1.0);
    EXPECT_THROW(gamma_p(-1, 1), nl::ValueError);
}

TEST(StatsSpecial, KolmogorovDistribution) {
    expect_rel(kolmogorov_sf(0.3), 0.99999069419866543338, 1e-13);
    expect_rel(kolmogorov_sf(0.5), 0.96394524366487509439, 1e-13);
    expect_rel(kolmogorov_sf(1.0), 0.2699996716773545212, 1e-13);
    expect_rel(kolmogorov_sf(1.1), 0.17771819260640118377, 1e-13);
    expect_rel(kolmogorov_sf(1.2), 0.11224966667072498483, 1e-13);
    expect_rel(kolmogorov_sf(1.3580986393225505), 0.05, 1e-13);  // the 5% critical value
    expect_rel(kolmogorov_sf(1.6276), 0.010001537333060772365, 1e-13);
    expect_rel(kolmogorov_sf(3.0), 3.0459959489425256872e-8, 1e-13);
    expect_rel(kolmogorov_sf(5.0), 3.857499695927835566e-22, 1e-13);
    EXPECT_EQ(kolmogorov_sf(0.0), 1.0);
    // Both series agree where they meet.
    expect_rel(kolmogorov_sf(1.1799999), kolmogorov_sf(1.1800001), 1e-6);
}

}  // namespace
