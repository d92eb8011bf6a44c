// The distributions Noise Lab draws and what both front ends must agree on about them: the name
// typed on the command line and written into recipes, the parameter keys in their order,
// PyTorch's defaults, the list of weights some of them draw by, and the dtype PyTorch returns.
// How a front end presents them (labels, tooltips, the panel's ranges, flag help) stays with it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/dtype.h"

namespace nl::sampling {

// In the app's order: continuous, then discrete, then index-valued.
enum class Dist {
    Normal, Uniform, LogNormal, Exponential, Cauchy, RandInt, Bernoulli, Geometric, Poisson,
    RandPerm,     // torch.randperm(n): the shape is [n]
    Multinomial,  // torch.multinomial(probs, n): indices drawn by the weights "probs"
    Categorical,  // torch.multinomial(softmax(logits / T), n, replacement=True): "logits"
};
constexpr int kDistCount = 12;

struct DistDef {
    Dist dist;
    const char* name;           // "normal", "lognormal", ...: command line, scripts, recipes
    int param_count;            // 0, 1 or 2
    const char* keys[2];        // parameter names, PyTorch's ("mean", "std", "lambda", ...)
    double torch_defaults[2];   // PyTorch's defaults; NaN where PyTorch has none (randint's high)
    const char* weights;        // "probs" / "logits": the list it draws by, else nullptr
    DType torch_dtype;          // what PyTorch returns by default (int64 for indices and randint)
};

const DistDef& dist_def(Dist d);
inline const char* dist_name(Dist d) { return dist_def(d).name; }
// Every distribution, in the order of the enum.
const std::vector<Dist>& all_dists();
// The distribution called `name` exactly; false when there is none.
bool find_dist(const std::string& name, Dist& out);
std::string dist_names(const char* separator = ", ");  // "normal, uniform, ..."
// Index of parameter `key` of d (exactly as in keys), or -1.
int key_index(Dist d, const std::string& key);

// Weight lists: the app's field opens at most this many categories; recipes of `noiselab
// sample` may hold up to kMaxRecipeWeights.
constexpr size_t kMaxWeights = size_t(1) << 16;
constexpr size_t kMaxRecipeWeights = size_t(1) << 24;
// "" when `w` can be drawn by d (which takes a list), else why not, naming the list by its name
// and the bad value by its position: probs are finite and >= 0 with a positive sum; logits are
// finite or -inf with at least one finite.
std::string weights_problem(Dist d, const std::vector<double>& w);
// A list as titles and messages quote it: its first 8 values, then how many there are
// ("0.1,0.2,... (1000 values)"); the whole list where it is shorter.
std::string list_text(const std::vector<double>& w);
// How many categories have weight > 0: the most draws without replacement can give.
int64_t positive_weights(const std::vector<double>& w);

}  // namespace nl::sampling
