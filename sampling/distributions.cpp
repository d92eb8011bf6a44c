// The distribution table (see distributions.h). Parameter names and defaults are PyTorch's:
// mean/std for normal_ and log_normal_ (whose defaults are 1 and 2), lambda for exponential_ and
// the Poisson rate, median/sigma for cauchy_.
#include "sampling/distributions.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tensor/number_list.h"
#include "tensor/number_text.h"

namespace nl::sampling {

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

const DistDef kDefs[kDistCount] = {
    {Dist::Normal, "normal", 2, {"mean", "std"}, {0.0, 1.0}, nullptr, DType::Float32},
    {Dist::Uniform, "uniform", 2, {"low", "high"}, {0.0, 1.0}, nullptr, DType::Float32},
    {Dist::LogNormal, "lognormal", 2, {"mean", "std"}, {1.0, 2.0}, nullptr, DType::Float32},
    {Dist::Exponential, "exponential", 1, {"lambda", ""}, {1.0, kNone}, nullptr, DType::Float32},
    {Dist::Cauchy, "cauchy", 2, {"median", "sigma"}, {0.0, 1.0}, nullptr, DType::Float32},
    {Dist::RandInt, "randint", 2, {"low", "high"}, {0.0, kNone}, nullptr, DType::Int64},
    {Dist::Bernoulli, "bernoulli", 1, {"p", ""}, {0.5, kNone}, nullptr, DType::Float32},
    {Dist::Geometric, "geometric", 1, {"p", ""}, {0.5, kNone}, nullptr, DType::Float32},
    {Dist::Poisson, "poisson", 1, {"lambda", ""}, {1.0, kNone}, nullptr, DType::Float32},
    {Dist::RandPerm, "randperm", 0, {"", ""}, {kNone, kNone}, nullptr, DType::Int64},
    {Dist::Multinomial, "multinomial", 0, {"", ""}, {kNone, kNone}, "probs", DType::Int64},
    {Dist::Categorical, "categorical", 1, {"temperature", ""}, {1.0, kNone}, "logits", DType::Int64},
};

}  // namespace

const DistDef& dist_def(Dist d) { return kDefs[static_cast<int>(d)]; }

const std::vector<Dist>& all_dists() {
    static const std::vector<Dist> dists = [] {
        std::vector<Dist> v;
        for (const DistDef& d : kDefs) v.push_back(d.dist);
        return v;
    }();
    return dists;
}

bool find_dist(const std::string& name, Dist& out) {
    for (const DistDef& d : kDefs)
        if (name == d.name) {
            out = d.dist;
            return true;
        }
    return false;
}

std::string dist_names(const char* separator) {
    std::string s;
    for (const DistDef& d : kDefs) s += (s.empty() ? "" : separator) + std::string(d.name);
    return s;
}

int key_index(Dist d, const std::string& key) {
    const DistDef& def = dist_def(d);
    for (int i = 0; i < def.param_count; ++i)
        if (key == def.keys[i]) return i;
    return -1;
}

std::string list_text(const std::vector<double>& w) {
    constexpr size_t kShown = 8;
    if (w.size() <= kShown) return join_numbers(w);
    return join_numbers({w.begin(), w.begin() + kShown}) + ",... (" + std::to_string(w.size()) + " values)";
}

std::string weights_problem(Dist d, const std::vector<double>& w) {
    const std::string what = dist_def(d).weights ? dist_def(d).weights : "weights";
    if (w.empty()) return what + " is empty; expected at least one value";
    if (d == Dist::Categorical) {
        bool any_finite = false;
        for (size_t i = 0; i < w.size(); ++i) {
            if (std::isnan(w[i]) || w[i] == std::numeric_limits<double>::infinity())
                return what + " value " + std::to_string(i + 1) + " (" + shortest_decimal(w[i]) +
                       ") is out of range: expected a finite number or -inf";
            any_finite = any_finite || std::isfinite(w[i]);
        }
        return any_finite ? "" : what + " " + list_text(w) + ": every logit is -inf; at least one must be finite";
    }
    double sum = 0.0;
    for (size_t i = 0; i < w.size(); ++i) {
        if (!(w[i] >= 0.0) || !std::isfinite(w[i]))
            return what + " value " + std::to_string(i + 1) + " (" + shortest_decimal(w[i]) +
                   ") is out of range: expected finite weights >= 0";
        sum += w[i];
    }
    if (!std::isfinite(sum)) return what + " " + list_text(w) + ": the weights sum to more than the largest double; scale them down";
    return sum > 0.0 ? "" : what + " " + list_text(w) + ": the weights sum to 0; expected a positive sum";
}

int64_t positive_weights(const std::vector<double>& w) {
    return std::count_if(w.begin(), w.end(), [](double v) { return v > 0.0; });
}

}  // namespace nl::sampling
