// Special functions behind the statistics (tensor/stats.h): the normal CDF and its inverse, the
// regularized incomplete gamma functions (chi-square and Poisson tails) and the Kolmogorov
// distribution. Double precision with libm: nothing random depends on these, so the platform's
// last bits do not matter here (unlike tensor/detmath.h).
#include <cmath>
#include <limits>
#include <string>

#include "tensor/errors.h"
#include "tensor/stats.h"

namespace nl::stats {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kSqrt2 = 1.41421356237309504880;
constexpr double kSqrt2Pi = 2.50662827463100050242;
constexpr double kEps = 1e-16;
constexpr int kMaxIterations = 10000000;  // the gamma series need ~10 sqrt(a) terms near x = a

// log of x^a e^-x / Gamma(a), the common factor of P(a, x) and Q(a, x). Written as
// -a (d - log1p d) + log(a / 2 pi) / 2 - stirlerr(a) with d = (x - a) / a for a >= 10, so its
// absolute error is ~eps |x - a| instead of eps a log x (1e-11 relative at a = 1e4).
double log_gamma_prefactor(double a, double x) {
    if (a < 10.0) return -x + a * std::log(x) - std::lgamma(a);
    const double d = (x - a) / a;
    const double ia = 1.0 / a, ia2 = ia * ia;
    // lgamma(a) - ((a - 1/2) log a - a + log(2 pi) / 2): Stirling's series, error < 1e-15 for a >= 10.
    const double stirlerr =
        ia * (1.0 / 12 - ia2 * (1.0 / 360 - ia2 * (1.0 / 1260 - ia2 * (1.0 / 1680 - ia2 / 1188))));
    return -a * (d - std::log1p(d)) + 0.5 * std::log(a / (2.0 * kPi)) - stirlerr;
}

double gamma_prefactor(double a, double x) { return std::exp(log_gamma_prefactor(a, x)); }

// P(a, x) by its power series; converges fast for x < a + 1.
double gamma_p_series(double a, double x) {
    double ap = a, term = 1.0 / a, sum = term;
    for (int i = 0; i < kMaxIterations; ++i) {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if (std::fabs(term) < std::fabs(sum) * kEps) break;
    }
    return sum * gamma_prefactor(a, x);
}

// Q(a, x) by its continued fraction (modified Lentz); converges fast for x > a + 1.
double gamma_q_fraction(double a, double x) {
    constexpr double kTiny = 1e-300;
    double b = x + 1.0 - a, c = 1.0 / kTiny, d = 1.0 / b, h = d;
    for (int i = 1; i < kMaxIterations; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (std::fabs(d) < kTiny) d = kTiny;
        c = b + an / c;
        if (std::fabs(c) < kTiny) c = kTiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1.0) < kEps) break;
    }
    return h * gamma_prefactor(a, x);
}

void check_gamma_args(double a, double x, const char* fn) {
    if (!(a > 0.0) || !std::isfinite(a))
        throw ValueError(std::string(fn) + ": a must be finite and > 0, got " + std::to_string(a));
    if (!(x >= 0.0))
        throw ValueError(std::string(fn) + ": x must be >= 0, got " + std::to_string(x));
}

}  // namespace

double normal_cdf(double x) { return 0.5 * std::erfc(-x / kSqrt2); }

double normal_quantile(double p) {
    if (!(p >= 0.0 && p <= 1.0))
        throw ValueError("normal_quantile: p must be in [0, 1], got " + std::to_string(p));
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    if (p > 0.5) return -normal_quantile(1.0 - p);
    if (p == 0.5) return 0.0;
    // Start: Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4), then Halley steps on
    // normal_cdf(x) = p, which triple the correct digits each time.
    const double t = std::sqrt(-2.0 * std::log(p));
    double x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                         (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
    for (int i = 0; i < 8; ++i) {
        const double pdf = std::exp(-0.5 * x * x) / kSqrt2Pi;
        if (!(pdf > 0.0)) break;
        const double u = (normal_cdf(x) - p) / pdf;
        const double step = u / (1.0 + 0.5 * x * u);
        x -= step;
        if (std::fabs(step) <= 1e-15 * std::fabs(x)) break;
    }
    return x;
}

double gamma_p(double a, double x) {
    check_gamma_args(a, x, "gamma_p");
    if (x == 0.0) return 0.0;
    if (std::isinf(x)) return 1.0;
    return x < a + 1.0 ? gamma_p_series(a, x) : 1.0 - gamma_q_fraction(a, x);
}

double gamma_q(double a, double x) {
    check_gamma_args(a, x, "gamma_q");
    if (x == 0.0) return 1.0;
    if (std::isinf(x)) return 0.0;
    return x < a + 1.0 ? 1.0 - gamma_p_series(a, x) : gamma_q_fraction(a, x);
}

double poisson_pmf(double k, double lambda) {
    if (!(lambda >= 0.0) || !std::isfinite(lambda))
        throw ValueError("poisson_pmf: lambda must be finite and >= 0, got " + std::to_string(lambda));
    if (!(k >= 0.0) || std::floor(k) != k || std::isinf(k)) return 0.0;
    if (lambda == 0.0) return k == 0.0 ? 1.0 : 0.0;
    // e^-lambda lambda^k / k! = prefactor(k + 1, lambda) / lambda.
    return std::exp(log_gamma_prefactor(k + 1.0, lambda) - std::log(lambda));
}

double chi_square_sf(double x, double dof) {
    if (!(dof > 0.0) || !std::isfinite(dof))
        throw ValueError("chi_square_sf: dof must be finite and > 0, got " + std::to_string(dof));
    if (std::isnan(x)) throw ValueError("chi_square_sf: x is NaN");
    if (x <= 0.0) return 1.0;
    return gamma_q(0.5 * dof, 0.5 * x);
}

double kolmogorov_sf(double x) {
    if (std::isnan(x)) throw ValueError("kolmogorov_sf: x is NaN");
    if (x <= 0.0) return 1.0;
    if (x < 1.18) {
        // Small x: the theta-function form of the CDF converges in a few terms where the
        // alternating series below would need many: cdf = sqrt(2 pi)/x sum exp(-(2k-1)^2 pi^2 / (8 x^2)).
        const double f = -kPi * kPi / (8.0 * x * x);
        double sum = 0.0;
        for (int k = 1; k < 50; ++k) {
            const double term = std::exp(f * (2 * k - 1) * (2 * k - 1));
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return 1.0 - kSqrt2Pi / x * sum;
    }
    // Large x: 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2), relative accuracy kept in the far tail.
    double sum = 0.0, sign = 1.0;
    for (int k = 1; k < 100; ++k) {
        const double term = std::exp(-2.0 * k * k * x * x);
        sum += sign * term;
        if (term < 1e-17 * sum) break;
        sign = -sign;
    }
    return 2.0 * sum;
}

}  // namespace nl::stats
