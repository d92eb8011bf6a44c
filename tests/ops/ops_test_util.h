// Helpers for the ops tests: deterministic pseudo-random tensors (independent of the library's
// random streams, so these tests only exercise ops), value comparisons, and error-message checks.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"

namespace nl::test {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

// splitmix64: a small, fixed generator for test inputs.
struct TestRng {
    uint64_t s;
    explicit TestRng(uint64_t seed) : s(seed) {}
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53; }
    int64_t integer(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo)); }
};

inline Tensor random_tensor(const Shape& shape, uint64_t seed, DType dtype = DType::Float32, double lo = -1.0,
                            double hi = 1.0) {
    TestRng rng(seed);
    std::vector<double> v(static_cast<size_t>(shape_numel(shape)));
    for (double& x : v) x = rng.uniform(lo, hi);
    return from_vector(v, shape, {dtype});
}

inline void expect_values(const Tensor& t, const Shape& shape, const std::vector<double>& expected,
                          double tol = 0.0) {
    ASSERT_EQ(t.shape(), shape) << "got shape " << shape_str(t.shape());
    const std::vector<double> v = t.to_vector();
    ASSERT_EQ(v.size(), expected.size());
    for (size_t i = 0; i < v.size(); ++i) {
        if (std::isnan(expected[i])) {
            EXPECT_TRUE(std::isnan(v[i])) << "element " << i << " = " << v[i] << ", expected nan";
        } else if (tol == 0.0) {
            EXPECT_EQ(v[i], expected[i]) << "element " << i;
        } else {
            EXPECT_NEAR(v[i], expected[i], tol * std::max(1.0, std::fabs(expected[i]))) << "element " << i;
        }
    }
}

// True when every element of a and b is bitwise equal in value (NaN == NaN).
inline bool same_values(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
    const std::vector<double> x = a.to_vector(), y = b.to_vector();
    for (size_t i = 0; i < x.size(); ++i)
        if (!(x[i] == y[i] || (std::isnan(x[i]) && std::isnan(y[i])))) return false;
    return true;
}

// Runs f, expects exception E whose message contains every one of parts.
template <class E>
void expect_error(const std::function<void()>& f, const std::vector<std::string>& parts) {
    try {
        f();
        ADD_FAILURE() << "expected an exception";
    } catch (const E& e) {
        const std::string msg = e.what();
        for (const std::string& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "wrong exception type: " << e.what();
    }
}

}  // namespace nl::test
