// The statistics tests' shorthand for a distribution: dist(Kind::Normal, 0, 1) (b = 0 and no
// category probabilities unless given).
#pragma once
#include <utility>
#include <vector>

#include "tensor/stats.h"

namespace nl::stats_test {

inline stats::Distribution dist(stats::Distribution::Kind kind, double a, double b = 0.0, std::vector<double> probs = {}) {
    stats::Distribution d;
    d.kind = kind;
    d.a = a;
    d.b = b;
    d.probs = std::move(probs);
    return d;
}

}  // namespace nl::stats_test
