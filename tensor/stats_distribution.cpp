// The theory side of tensor/stats.h: density / mass, CDF, survival function, moments, quantiles
// and the bulk of the support of every distribution Noise Lab samples (stats::Distribution).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "tensor/errors.h"
#include "tensor/stats.h"

namespace nl::stats {

namespace {

using Kind = Distribution::Kind;

constexpr double kPi = 3.14159265358979323846;
constexpr double kSqrt2Pi = 2.50662827463100050242;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTwoPow63 = 9223372036854775808.0;

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

bool is_integer(double x) { return std::isfinite(x) && std::floor(x) == x; }

[[noreturn]] void bad(const Distribution& d, const std::string& what) {
    throw ValueError(d.name() + ": " + what);
}

// Discrete uniform on [lo, lo + n): RandInt and Permutation (positions 0..n-1).
void int_uniform(const Distribution& d, double& lo, double& n) {
    if (d.kind == Kind::Permutation) {
        lo = 0.0;
        n = d.a;
    } else {
        lo = d.a;
        n = d.b - d.a;
    }
}

double categorical_sum(const Distribution& d) {
    return std::accumulate(d.probs.begin(), d.probs.end(), 0.0);
}

// Smallest integer k in [lo, hi] with pred(k) true, pred monotone (false... true); hi if none.
template <class Pred>
double first_true(double lo, double hi, Pred pred) {
    // Bounded: above 2^53 consecutive integers are not all doubles, and the loop must end anyway.
    for (int i = 0; i < 256 && lo < hi; ++i) {
        const double mid = std::floor(lo + (hi - lo) / 2.0);
        if (pred(mid)) hi = mid;
        else lo = mid + 1.0;
    }
    return lo;
}

// An integer above which an unbounded discrete d has less than `rest` of its mass.
double upper_bracket(const Distribution& d, double rest) {
    double hi = std::max(1.0, std::ceil(d.mean()));
    while (d.sf(hi) > rest && hi < 1e18) hi = hi * 2.0 + 16.0;
    return hi;
}

}  // namespace

void Distribution::validate() const {
    auto finite = [&](double v, const char* name) {
        if (!std::isfinite(v)) bad(*this, name + std::string(" must be finite, got ") + fmt(v));
    };
    switch (kind) {
        case Kind::Uniform:
            finite(a, "uniform low");
            finite(b, "uniform high");
            if (!(a < b)) bad(*this, "uniform needs low < high, got low=" + fmt(a) + ", high=" + fmt(b));
            break;
        case Kind::Normal:
        case Kind::LogNormal:
            finite(a, "mean");
            if (!(b > 0.0) || !std::isfinite(b)) bad(*this, "std must be finite and > 0, got std=" + fmt(b));
            break;
        case Kind::Exponential:
            if (!(a > 0.0) || !std::isfinite(a)) bad(*this, "exponential lambda must be finite and > 0, got " + fmt(a));
            break;
        case Kind::Cauchy:
            finite(a, "cauchy median");
            if (!(b > 0.0) || !std::isfinite(b)) bad(*this, "cauchy sigma must be finite and > 0, got " + fmt(b));
            break;
        case Kind::RandInt:
            if (!is_integer(a) || !is_integer(b) || !(a < b) || a < -kTwoPow63 || b > kTwoPow63)
                bad(*this, "randint needs integers low < high in [-2^63, 2^63], got low=" + fmt(a) + ", high=" + fmt(b));
            break;
        case Kind::Bernoulli:
            if (!(a >= 0.0 && a <= 1.0)) bad(*this, "bernoulli p must be in [0, 1], got " + fmt(a));
            break;
        case Kind::Geometric:
            if (!(a > 0.0 && a <= 1.0)) bad(*this, "geometric p must be in (0, 1], got " + fmt(a));
            break;
        case Kind::Poisson:
            if (!(a >= 0.0) || !std::isfinite(a)) bad(*this, "poisson lambda must be finite and >= 0, got " + fmt(a));
            break;
        case Kind::Categorical: {
            if (probs.empty()) bad(*this, "categorical needs at least one probability (probs is empty)");
            for (size_t i = 0; i < probs.size(); ++i)
                if (!(probs[i] >= 0.0) || !std::isfinite(probs[i]))
                    bad(*this, "categorical probs[" + std::to_string(i) + "] must be finite and >= 0, got " + fmt(probs[i]));
            if (!(categorical_sum(*this) > 0.0)) bad(*this, "categorical probabilities sum to 0");
            break;
        }
        case Kind::Permutation:
            if (!is_integer(a) || !(a >= 1.0) || a > kTwoPow63)
                bad(*this, "randperm n must be an integer in [1, 2^63], got " + fmt(a));
            break;
    }
}

bool Distribution::is_discrete() const {
    switch (kind) {
        case Kind::Uniform:
        case Kind::Normal:
        case Kind::LogNormal:
        case Kind::Exponential:
        case Kind::Cauchy:
            return false;
        default:
            return true;
    }
}

std::string Distribution::name() const {
    switch (kind) {
        case Kind::Uniform: return "uniform(low=" + fmt(a) + ", high=" + fmt(b) + ")";
        case Kind::Normal: return "normal(mean=" + fmt(a) + ", std=" + fmt(b) + ")";
        case Kind::LogNormal: return "log_normal(mean=" + fmt(a) + ", std=" + fmt(b) + ")";
        case Kind::Exponential: return "exponential(lambda=" + fmt(a) + ")";
        case Kind::Cauchy: return "cauchy(median=" + fmt(a) + ", sigma=" + fmt(b) + ")";
        case Kind::RandInt: return "randint(low=" + fmt(a) + ", high=" + fmt(b) + ")";
        case Kind::Bernoulli: return "bernoulli(p=" + fmt(a) + ")";
        case Kind::Geometric: return "geometric(p=" + fmt(a) + ")";
        case Kind::Poisson: return "poisson(lambda=" + fmt(a) + ")";
        case Kind::Categorical: return "categorical(categories=" + std::to_string(probs.size()) + ")";
        case Kind::Permutation: return "randperm(n=" + fmt(a) + ")";
    }
    return "unknown";
}

double Distribution::pdf(double x) const {
    validate();
    if (std::isnan(x)) return kNaN;
    switch (kind) {
        case Kind::Uniform: return (x >= a && x < b) ? 1.0 / (b - a) : 0.0;
        case Kind::Normal: {
            const double z = (x - a) / b;
            return std::exp(-0.5 * z * z) / (b * kSqrt2Pi);
        }
        case Kind::LogNormal: {
            if (!(x > 0.0)) return 0.0;
            const double z = (std::log(x) - a) / b;
            return std::exp(-0.5 * z * z) / (x * b * kSqrt2Pi);
        }
        case Kind::Exponential: return x < 0.0 ? 0.0 : a * std::exp(-a * x);
        case Kind::Cauchy: {
            const double z = (x - a) / b;
            return 1.0 / (kPi * b * (1.0 + z * z));
        }
        default: break;
    }
    if (!is_integer(x)) return 0.0;
    switch (kind) {
        case Kind::RandInt:
        case Kind::Permutation: {
            double lo, n;
            int_uniform(*this, lo, n);
            return (x >= lo && x < lo + n) ? 1.0 / n : 0.0;
        }
        case Kind::Bernoulli: return x == 0.0 ? 1.0 - a : (x == 1.0 ? a : 0.0);
        case Kind::Geometric:
            if (x < 1.0) return 0.0;
            if (a == 1.0) return x == 1.0 ? 1.0 : 0.0;
            return a * std::exp((x - 1.0) * std::log1p(-a));
        case Kind::Poisson: return poisson_pmf(x, a);
        case Kind::Categorical:
            return (x >= 0.0 && x < static_cast<double>(probs.size())) ? probs[static_cast<size_t>(x)] / categorical_sum(*this)
                                                                       : 0.0;
        default: return 0.0;
    }
}

double Distribution::cdf(double x) const {
    validate();
    if (std::isnan(x)) return kNaN;
    switch (kind) {
        case Kind::Uniform: return std::clamp((x - a) / (b - a), 0.0, 1.0);
        case Kind::Normal: return normal_cdf((x - a) / b);
        case Kind::LogNormal: return x > 0.0 ? normal_cdf((std::log(x) - a) / b) : 0.0;
        case Kind::Exponential: return x > 0.0 ? -std::expm1(-a * x) : 0.0;
        case Kind::Cauchy: {
            // atan of the reciprocal keeps the lower tail's relative accuracy.
            const double z = (x - a) / b;
            return z < 0.0 ? std::atan(-1.0 / z) / kPi : 1.0 - std::atan(1.0 / z) / kPi;
        }
        default: break;
    }
    const double k = std::floor(x);
    switch (kind) {
        case Kind::RandInt:
        case Kind::Permutation: {
            double lo, n;
            int_uniform(*this, lo, n);
            return std::clamp((k - lo + 1.0) / n, 0.0, 1.0);
        }
        case Kind::Bernoulli: return k < 0.0 ? 0.0 : (k < 1.0 ? 1.0 - a : 1.0);
        case Kind::Geometric: return k < 1.0 ? 0.0 : -std::expm1(k * std::log1p(-a));
        case Kind::Poisson:
            if (k < 0.0) return 0.0;
            if (a == 0.0 || std::isinf(k)) return 1.0;
            return gamma_q(k + 1.0, a);
        case Kind::Categorical: {
            if (k < 0.0) return 0.0;
            const size_t upto = static_cast<size_t>(std::min(k + 1.0, static_cast<double>(probs.size())));
            return std::min(1.0, std::accumulate(probs.begin(), probs.begin() + upto, 0.0) / categorical_sum(*this));
        }
        default: return kNaN;
    }
}

double Distribution::sf(double x) const {
    validate();
    if (std::isnan(x)) return kNaN;
    switch (kind) {
        case Kind::Uniform: return std::clamp((b - x) / (b - a), 0.0, 1.0);
        case Kind::Normal: return normal_cdf(-(x - a) / b);
        case Kind::LogNormal: return x > 0.0 ? normal_cdf(-(std::log(x) - a) / b) : 1.0;
        case Kind::Exponential: return x > 0.0 ? std::exp(-a * x) : 1.0;
        case Kind::Cauchy: {
            const double z = (x - a) / b;
            return z > 0.0 ? std::atan(1.0 / z) / kPi : 1.0 - std::atan(-1.0 / z) / kPi;
        }
        default: break;
    }
    const double k = std::floor(x);
    switch (kind) {
        case Kind::RandInt:
        case Kind::Permutation: {
            double lo, n;
            int_uniform(*this, lo, n);
            return std::clamp((lo + n - 1.0 - k) / n, 0.0, 1.0);
        }
        case Kind::Bernoulli: return k < 0.0 ? 1.0 : (k < 1.0 ? a : 0.0);
        case Kind::Geometric: return k < 1.0 ? 1.0 : std::exp(k * std::log1p(-a));
        case Kind::Poisson:
            if (k < 0.0) return 1.0;
            if (a == 0.0 || std::isinf(k)) return 0.0;
            return gamma_p(k + 1.0, a);
        case Kind::Categorical: {
            if (k < 0.0) return 1.0;
            const size_t from = static_cast<size_t>(std::min(k + 1.0, static_cast<double>(probs.size())));
            return std::min(1.0, std::accumulate(probs.begin() + from, probs.end(), 0.0) / categorical_sum(*this));
        }
        default: return kNaN;
    }
}

double Distribution::mean() const {
    validate();
    switch (kind) {
        case Kind::Uniform: return 0.5 * (a + b);
        case Kind::Normal: return a;
        case Kind::LogNormal: return std::exp(a + 0.5 * b * b);
        case Kind::Exponential: return 1.0 / a;
        case Kind::Cauchy: return kNaN;
        case Kind::RandInt: return 0.5 * (a + b) - 0.5;  // a + b first: exact even near 2^63
        case Kind::Permutation: return 0.5 * (a - 1.0);
        case Kind::Bernoulli: return a;
        case Kind::Geometric: return 1.0 / a;
        case Kind::Poisson: return a;
        case Kind::Categorical: {
            double m = 0.0;
            for (size_t i = 0; i < probs.size(); ++i) m += static_cast<double>(i) * probs[i];
            return m / categorical_sum(*this);
        }
    }
    return kNaN;
}

namespace {
// Central moment of order r of a categorical distribution.
double categorical_central(const Distribution& d, int r) {
    const double m = d.mean(), s = categorical_sum(d);
    double acc = 0.0;
    for (size_t i = 0; i < d.probs.size(); ++i) acc += std::pow(static_cast<double>(i) - m, r) * d.probs[i];
    return acc / s;
}
}  // namespace

double Distribution::variance() const {
    validate();
    switch (kind) {
        case Kind::Uniform: return (b - a) * (b - a) / 12.0;
        case Kind::Normal: return b * b;
        case Kind::LogNormal: return std::expm1(b * b) * std::exp(2.0 * a + b * b);
        case Kind::Exponential: return 1.0 / (a * a);
        case Kind::Cauchy: return kNaN;
        case Kind::RandInt:
        case Kind::Permutation: {
            double lo, n;
            int_uniform(*this, lo, n);
            return (n * n - 1.0) / 12.0;
        }
        case Kind::Bernoulli: return a * (1.0 - a);
        case Kind::Geometric: return (1.0 - a) / (a * a);
        case Kind::Poisson: return a;
        case Kind::Categorical: return categorical_central(*this, 2);
    }
    return kNaN;
}

double Distribution::skewness() const {
    validate();
    switch (kind) {
        case Kind::Uniform:
        case Kind::Normal:
            return 0.0;
        case Kind::LogNormal: {
            const double e = std::expm1(b * b);
            return (e + 3.0) * std::sqrt(e);
        }
        case Kind::Exponential: return 2.0;
        case Kind::Cauchy: return kNaN;
        case Kind::RandInt:
        case Kind::Permutation: return variance() > 0.0 ? 0.0 : kNaN;
        case Kind::Bernoulli: {
            const double v = a * (1.0 - a);
            return v > 0.0 ? (1.0 - 2.0 * a) / std::sqrt(v) : kNaN;
        }
        case Kind::Geometric: return a < 1.0 ? (2.0 - a) / std::sqrt(1.0 - a) : kNaN;
        case Kind::Poisson: return a > 0.0 ? 1.0 / std::sqrt(a) : kNaN;
        case Kind::Categorical: {
            const double v = variance();
            return v > 0.0 ? categorical_central(*this, 3) / std::pow(v, 1.5) : kNaN;
        }
    }
    return kNaN;
}

double Distribution::excess_kurtosis() const {
    validate();
    switch (kind) {
        case Kind::Uniform: return -1.2;
        case Kind::Normal: return 0.0;
        case Kind::LogNormal: {
            const double s2 = b * b;
            return std::exp(4.0 * s2) + 2.0 * std::exp(3.0 * s2) + 3.0 * std::exp(2.0 * s2) - 6.0;
        }
        case Kind::Exponential: return 6.0;
        case Kind::Cauchy: return kNaN;
        case Kind::RandInt:
        case Kind::Permutation: {
            double lo, n;
            int_uniform(*this, lo, n);
            return n > 1.0 ? -6.0 * (n * n + 1.0) / (5.0 * (n * n - 1.0)) : kNaN;
        }
        case Kind::Bernoulli: {
            const double v = a * (1.0 - a);
            return v > 0.0 ? (1.0 - 6.0 * v) / v : kNaN;
        }
        case Kind::Geometric: return a < 1.0 ? 6.0 + a * a / (1.0 - a) : kNaN;
        case Kind::Poisson: return a > 0.0 ? 1.0 / a : kNaN;
        case Kind::Categorical: {
            const double v = variance();
            return v > 0.0 ? categorical_central(*this, 4) / (v * v) - 3.0 : kNaN;
        }
    }
    return kNaN;
}

double Distribution::quantile(double p) const {
    validate();
    if (!(p >= 0.0 && p <= 1.0)) throw ValueError(name() + ".quantile: p must be in [0, 1], got " + fmt(p));
    switch (kind) {
        case Kind::Uniform: return p == 1.0 ? b : a + p * (b - a);
        case Kind::Normal: return a + b * normal_quantile(p);
        case Kind::LogNormal: return std::exp(a + b * normal_quantile(p));
        case Kind::Exponential: return p == 1.0 ? kInf : -std::log1p(-p) / a;
        case Kind::Cauchy:
            if (p == 0.0) return -kInf;
            if (p == 1.0) return kInf;
            // tan(pi (p - 1/2)) = -1 / tan(pi p): no cancellation in p - 1/2 for tiny p.
            return p < 0.5 ? a - b / std::tan(kPi * p) : a + b / std::tan(kPi * (1.0 - p));
        default: break;
    }
    // Discrete: the smallest k with cdf(k) >= p, p = 0 giving the lowest point of the support.
    switch (kind) {
        case Kind::RandInt:
        case Kind::Permutation: {
            double lo, n;
            int_uniform(*this, lo, n);
            if (p == 0.0) return lo;
            return first_true(lo, lo + n - 1.0, [&](double k) { return cdf(k) >= p; });
        }
        case Kind::Bernoulli:
            if (p == 0.0) return a == 1.0 ? 1.0 : 0.0;
            return p <= 1.0 - a ? 0.0 : 1.0;
        case Kind::Categorical: {
            const double top = static_cast<double>(probs.size()) - 1.0;
            if (p == 0.0) return first_true(0.0, top, [&](double k) { return cdf(k) > 0.0; });
            return first_true(0.0, top, [&](double k) { return cdf(k) >= p; });
        }
        case Kind::Geometric:
        case Kind::Poisson: {
            const double lo = kind == Kind::Geometric ? 1.0 : 0.0;
            if (p == 0.0) return lo;
            if (p == 1.0) return a == 0.0 || (kind == Kind::Geometric && a == 1.0) ? lo : kInf;
            // cdf(k) >= p  <=>  sf(k) <= 1 - p; the sf form keeps precision for p near 1.
            const double hi = upper_bracket(*this, 0.5 * (1.0 - p));
            return first_true(lo, hi, [&](double k) { return p <= 0.5 ? cdf(k) >= p : sf(k) <= 1.0 - p; });
        }
        default: return kNaN;
    }
}

void Distribution::discrete_range(double tail, int64_t& lo, int64_t& hi) const {
    validate();
    if (!is_discrete()) throw ValueError(name() + ".discrete_range: the distribution is continuous");
    if (!(tail >= 0.0 && tail < 1.0)) throw ValueError(name() + ".discrete_range: tail must be in [0, 1), got " + fmt(tail));
    const double half = std::max(0.5 * tail, 1e-300);
    double support_lo = 0.0, support_hi = 0.0;
    switch (kind) {
        case Kind::RandInt:
        case Kind::Permutation: {
            double l, n;
            int_uniform(*this, l, n);
            support_lo = l;
            support_hi = l + n - 1.0;
            break;
        }
        case Kind::Bernoulli: support_lo = 0.0; support_hi = 1.0; break;
        case Kind::Categorical: support_lo = 0.0; support_hi = static_cast<double>(probs.size()) - 1.0; break;
        case Kind::Geometric: support_lo = 1.0; support_hi = upper_bracket(*this, half); break;
        case Kind::Poisson: support_lo = 0.0; support_hi = upper_bracket(*this, half); break;
        default: break;
    }
    // lo: the largest k with P(X < k) <= half; hi: the smallest k with P(X > k) <= half.
    const double l = tail == 0.0 && kind != Kind::Geometric && kind != Kind::Poisson
                         ? support_lo
                         : first_true(support_lo, support_hi, [&](double k) { return cdf(k) > half; });
    const double h = tail == 0.0 && kind != Kind::Geometric && kind != Kind::Poisson
                         ? support_hi
                         : first_true(support_lo, support_hi, [&](double k) { return sf(k) <= half; });
    auto to_int = [](double v) {
        return v >= kTwoPow63 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(v);
    };
    lo = to_int(l);
    hi = to_int(h);
}

}  // namespace nl::stats
