// The sampler model behind the Sampler panel: which distribution (with its parameters and their
// valid ranges), which shape, dtype, device, engine and seed, and how one sample is drawn and
// timed. Pure logic, no ImGui: the panel, the command-line flags, the --script option and saved
// sessions all change the same SamplerSettings and call the same functions.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sampling/command_line.h"
#include "sampling/distributions.h"
#include "sampling/draw.h"
#include "tensor/engine.h"
#include "tensor/generator.h"
#include "tensor/stats.h"
#include "tensor/tensor.h"

namespace nl::gui {

// The distributions are sampling/'s (one list for the app and the command line, in the panel's
// order); this file adds how the panel presents and bounds them.
using DistKind = sampling::Dist;
using sampling::kDistCount;

// One parameter of a distribution: its name on the command line and in the panel, its valid
// range, and whether the ends belong to it.
struct ParamInfo {
    const char* name;     // "mean", "std", "low", "high", "lambda", "p", "median", "sigma"
    const char* tooltip;  // what it does, shown over the control
    double min, max;      // valid range (+-inf where unbounded)
    bool min_open, max_open;  // true: the end itself is invalid (std > 0, p < 1)
    double default_value;
    bool integer;         // randint bounds
};

// The panel's view of a distribution: sampling/'s name, keys and list, with the panel's labels,
// tooltips, ranges and starting values.
struct DistInfo {
    DistKind kind;
    const char* name;        // as on the command line: "normal", "uniform", ...
    const char* label;       // for the panel: "Normal", "Log-normal", ...
    const char* torch_call;  // PyTorch spelling: "torch.randn", "Tensor.exponential_"
    const char* tooltip;
    int param_count;         // 0, 1 or 2
    ParamInfo params[2];
    bool discrete;
    bool floating_only;      // only float dtypes (continuous distributions and poisson)
    bool indices_only;       // int64 category indices only (multinomial, categorical)
    const char* weights;     // "probs" / "logits": the list the distribution draws by, else nullptr
};

const DistInfo& dist_info(DistKind k);
// Accepts the names of dist_info (and "lognormal"/"log_normal", "exp", "randn", "rand"); throws
// ValueError listing the valid names.
DistKind parse_dist(const std::string& name);
std::string all_dist_names();  // "normal, uniform, ..."
// Index of a parameter by name for this distribution, or -1.
int param_index(DistKind k, const std::string& name);

// How the sample's random stream is chosen (PyTorch: torch.manual_seed vs torch.Generator).
enum class GeneratorMode { Global, Local };
// Random engines (tensor/engine.h): Philox is Noise Lab's own stream and draws every
// distribution; cuRAND's engines draw uniform, normal, log-normal and Poisson values, reproducible
// per device, and need the CUDA build (cuRAND's host API runs them on the CPU too).
// "" when `engine` can draw `dist` on `device` in this build as a tensor of `shape`, else why not
// (no cuRAND, another distribution, seconds per draw on the CPU for mrg32k3a / mt19937, or Sobol
// points longer than 20,000 dimensions).
std::string engine_unavailable_reason(Engine engine, DistKind dist, Device device, const Shape& shape);

// What the panel draws: sampling/'s Draw (distribution, params, weights, replacement, shape,
// dtype, device, engine), and where its stream starts.
// Multinomial: `weights` are the category weights (finite, >= 0, positive sum); `replacement`
// whether a category may be drawn again. PyTorch's default, and the command line's, is
// replacement=False, which allows at most as many draws as there are categories with weight > 0;
// chosen in the panel, multinomial starts with replacement on, so that many draws can be held
// against probs. Categorical: `weights` are the logits (finite or -inf, at least one finite),
// params[0] the temperature.
struct SamplerSettings : sampling::Draw {
    SamplerSettings() {
        weights = {0.1, 0.2, 0.3, 0.4};
        replacement = true;
    }
    uint64_t seed = kDefaultSeed;  // PyTorch's default, as `noiselab sample`
    GeneratorMode generator = GeneratorMode::Global;

    bool operator==(const SamplerSettings& o) const;
    bool operator!=(const SamplerSettings& o) const { return !(*this == o); }
};

// Sets `dist` and its default parameters, weights (and replacement) and a dtype it supports.
void set_distribution(SamplerSettings& s, DistKind k);
// Sets the weights of multinomial ("probs") or categorical ("logits") from a list such as
// "0.1, 0.2, 0.7" (at most kMaxWeights values); throws ValueError naming the bad value and what
// would be valid, also when the distribution takes no such list.
void set_weights(SamplerSettings& s, const std::string& text);
// "" when `weights` can be drawn by this distribution, else why not.
std::string weights_problem(const SamplerSettings& s);
// Recipes of `noiselab sample` may hold up to 2^24; the app opens up to 2^16 categories.
using sampling::kMaxWeights;
// Sets one parameter by name; throws ValueError naming the value and the valid range (also for
// an unknown name, listing this distribution's parameters).
void set_param(SamplerSettings& s, const std::string& name, double value);
// Clamps every parameter into its range and fixes cross-parameter rules (low < high), the shape
// (rank 1..4, sizes 1..kMaxDim) and an unsupported dtype; returns what it changed ("" if nothing),
// so the panel can say why a value jumped back.
std::string enforce_valid(SamplerSettings& s);
// Throws ValueError / DTypeError / ShapeError for settings that cannot be sampled (what
// enforce_valid would fix, and devices or engines that are not available).
void validate(const SamplerSettings& s);
bool dtype_supported(DistKind k, DType d);
std::string dtype_unsupported_reason(DistKind k, DType d);  // "" when supported

constexpr int kMinRank = 1, kMaxRank = 4;
constexpr int64_t kMaxDim = 1 << 24;
constexpr int64_t kMaxElements = int64_t(1) << 27;  // 128 Mi elements: keeps the app responsive

// Named shape presets for the shape editor.
struct ShapePreset {
    const char* label;    // "[N,C,H,W] 64 images 28x28"
    const char* tooltip;
    Shape shape;
};
const std::vector<ShapePreset>& shape_presets();
// "64,1,28,28" / "64x1x28x28" / "[64, 1, 28, 28]"; throws ShapeError naming the bad part.
Shape parse_shape(const std::string& text);
using sampling::shape_arg;  // "64,1,28,28"

// The theoretical distribution of the settings, for the histogram overlay and the tests.
stats::Distribution to_stats_distribution(const SamplerSettings& s);
// Why the sample cannot be tested against that theory ("" when it can): draws without
// replacement are not independent; std = 0, lambda = 0 and temperature 0 leave no randomness.
std::string untested_reason(const SamplerSettings& s);
// Why to_stats_distribution does not describe the sample at all ("" when it does): multinomial
// draws without replacement, whose draws after the first have other chances than probs.
std::string theory_missing(const SamplerSettings& s);
// "normal(mean=0, std=1)", "multinomial(probs=0.1,0.2,0.7, replacement=true)", "randperm(n=1000)"
std::string describe(const SamplerSettings& s);
// The PyTorch lines that draw the same distribution and shape, and the `noiselab sample` command
// that draws the same tensor (starting `offset` blocks into the stream) and writes its grid,
// histogram and statistics.
std::string torch_equivalent(const SamplerSettings& s);
std::string cli_equivalent(const SamplerSettings& s, uint64_t offset = 0);

// Draws one tensor with these settings from `gen` (advancing it), as the random ops of
// tensor/random.h do. Throws the typed errors of validate() and of the ops.
Tensor draw(const SamplerSettings& s, Generator& gen);

// The result of one timed draw.
struct SampleTiming {
    double ms = 0.0;           // wall time of the draw
    double gbytes_per_s = 0.0; // output bytes / time
    int64_t bytes = 0;
};
// "0.32 ms, 0.62 GB/s"; below 1 GB/s in MB/s ("0.06 ms, 190 MB/s"), where "0.00 GB/s" said nothing.
std::string timing_text(const SampleTiming& t);

// A remembered list of recent seeds, newest first, without duplicates.
class SeedHistory {
public:
    static constexpr size_t kMax = 8;
    void push(uint64_t seed);
    const std::deque<uint64_t>& seeds() const { return seeds_; }
    void clear() { seeds_.clear(); }

private:
    std::deque<uint64_t> seeds_;
};

// A fresh seed for the dice button: from the OS, kept below 2^53 so it survives JSON and
// spreadsheets exactly.
uint64_t fresh_seed();

}  // namespace nl::gui
