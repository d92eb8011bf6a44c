// The order test of a permutation (tensor/stats.h, permutation_order_test): position band x value
// band counts against independence.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tensor/errors.h"
#include "tensor/stats.h"

namespace nl::stats {

TestResult permutation_order_test(const std::vector<double>& values, int64_t n) {
    const int64_t m = static_cast<int64_t>(values.size());
    if (m < 20) throw ValueError("the order test needs at least 20 values of the permutation, got " + std::to_string(m));
    if (n < m) throw ValueError("permutation_order_test: n = " + std::to_string(n) + " is below the " + std::to_string(m) + " values");
    TestResult r;
    r.test = "order";
    r.n = m;
    const int k = static_cast<int>(std::min<double>(10.0, std::floor(std::sqrt(static_cast<double>(m) / 5.0))));
    r.dof = static_cast<int64_t>(k - 1) * (k - 1);
    // Distinct integers in [0, n): anything else is not (part of) a permutation. (NaN first: it
    // has no place in a sort.)
    std::vector<double> sorted = values;
    if (std::any_of(sorted.begin(), sorted.end(), [](double v) { return std::isnan(v); })) {
        r.statistic = std::numeric_limits<double>::infinity();
        r.p_value = 0.0;
        return r;
    }
    std::sort(sorted.begin(), sorted.end());
    for (int64_t i = 0; i < m; ++i) {
        const double v = sorted[static_cast<size_t>(i)];
        const bool bad = !(v >= 0.0 && v < static_cast<double>(n)) || v != std::floor(v) ||
                         (i > 0 && v == sorted[static_cast<size_t>(i - 1)]);
        if (bad) {
            r.statistic = std::numeric_limits<double>::infinity();
            r.p_value = 0.0;
            return r;
        }
    }
    std::vector<double> table(static_cast<size_t>(k) * k, 0.0), rows(k, 0.0), cols(k, 0.0);
    for (int64_t pos = 0; pos < m; ++pos) {
        // Integer band arithmetic in double is exact: pos * k < 2^53 and v * k < 2^53 for n < 2^49.
        const auto row = static_cast<size_t>(std::floor(static_cast<double>(pos) * k / static_cast<double>(m)));
        const auto col = static_cast<size_t>(std::floor(values[static_cast<size_t>(pos)] * k / static_cast<double>(n)));
        table[row * k + col] += 1.0;
        rows[row] += 1.0;
        cols[col] += 1.0;
    }
    double x2 = 0.0;
    for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j) {
            const double e = rows[i] * cols[j] / static_cast<double>(m);
            if (e > 0.0) x2 += (table[static_cast<size_t>(i) * k + j] - e) * (table[static_cast<size_t>(i) * k + j] - e) / e;
        }
    r.statistic = x2;
    r.p_value = chi_square_sf(x2, static_cast<double>(r.dof));
    return r;
}

}  // namespace nl::stats
