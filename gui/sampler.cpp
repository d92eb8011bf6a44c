// The sampler model: distribution table, validation, shapes, and the draw itself.
#include "gui/sampler.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <random>

#include "gui/text_util.h"
#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/number_list.h"
#include "tensor/number_text.h"
#include "tensor/random.h"

namespace nl::gui {

namespace {

// Parameters are typed by people: a bound keeps sliders usable and values finite in float32.
constexpr double kBig = 1e6;

// How the panel shows each distribution (its name, parameter keys and list of weights are
// sampling/'s): label, PyTorch call, tooltips, the controls' ranges and the defaults the panel
// starts from, which are chosen to show the shape well (log-normal std 0.5, Poisson lambda 4)
// where PyTorch's would not.
struct PanelParam {
    const char* tooltip;
    double min, max;
    bool min_open, max_open;
    double default_value;
    bool integer;
};
struct PanelDist {
    DistKind kind;
    const char* label;
    const char* torch_call;
    const char* tooltip;
    PanelParam params[2];
    bool discrete, floating_only;
};

const PanelDist kPanel[kDistCount] = {
    {DistKind::Normal, "Normal", "torch.randn",
     "Gaussian: mean + std * z. torch.randn / torch.normal / Tensor.normal_.",
     {{"Centre of the bell curve.", -kBig, kBig, false, false, 0.0, false},
      {"Standard deviation (spread); 0 gives a constant.", 0.0, kBig, false, false, 1.0, false}},
     false, true},
    {DistKind::Uniform, "Uniform", "torch.rand",
     "Every value in [low, high) equally likely. torch.rand / Tensor.uniform_.",
     {{"Smallest value (included).", -kBig, kBig, false, false, 0.0, false},
      {"Upper end (excluded); must be above low.", -kBig, kBig, false, false, 1.0, false}},
     false, true},
    {DistKind::LogNormal, "Log-normal", "Tensor.log_normal_",
     "exp of a normal(mean, std): positive and right-skewed. Tensor.log_normal_.",
     {{"Mean of the underlying normal (log scale).", -20.0, 20.0, false, false, 0.0, false},
      {"Std of the underlying normal (log scale); > 0.", 0.0, 5.0, true, false, 0.5, false}},
     false, true},
    {DistKind::Exponential, "Exponential", "Tensor.exponential_",
     "Waiting times with rate lambda (mean 1/lambda). Tensor.exponential_.",
     {{"Rate; > 0. The mean is 1/lambda.", 0.0, kBig, true, false, 1.0, false},
      {}},
     false, true},
    {DistKind::Cauchy, "Cauchy", "Tensor.cauchy_",
     "Heavy tails: no mean, no variance. Tensor.cauchy_.",
     {{"Centre of the distribution.", -kBig, kBig, false, false, 0.0, false},
      {"Half width at half maximum; > 0.", 0.0, kBig, true, false, 1.0, false}},
     false, true},
    {DistKind::RandInt, "Random integers", "torch.randint",
     "Integers uniform in [low, high), exactly unbiased. torch.randint.",
     {{"Smallest integer (included).", -1e9, 1e9, false, false, 0.0, true},
      {"Upper end (excluded); must be above low.", -1e9, 1e9, false, false, 10.0, true}},
     true, false},
    {DistKind::Bernoulli, "Bernoulli", "torch.bernoulli",
     "1 with probability p, else 0. torch.bernoulli.",
     {{"Probability of a 1, in [0, 1].", 0.0, 1.0, false, false, 0.5, false},
      {}},
     true, false},
    {DistKind::Geometric, "Geometric", "Tensor.geometric_",
     "Number of trials up to the first success (1, 2, ...). Tensor.geometric_.",
     {{"Success probability of each trial, in (0, 1).", 0.0, 1.0, true, true, 0.25, false},
      {}},
     true, false},
    {DistKind::Poisson, "Poisson", "torch.poisson",
     "Counts of events with rate lambda per cell. torch.poisson.",
     {{"Rate (mean count); >= 0.", 0.0, 1e4, false, false, 4.0, false},
      {}},
     true, true},
    {DistKind::RandPerm, "Random permutation", "torch.randperm",
     "0 .. n-1 in a random order, every value once: the shape is [n]. torch.randperm.",
     {{}, {}},
     true, false},
    {DistKind::Multinomial, "Multinomial (probs)", "torch.multinomial",
     "Category indices drawn by the weights probs (normalised to sum 1), with or without replacement. torch.multinomial.",
     {{}, {}},
     true, false},
    {DistKind::Categorical, "Categorical (logits, T)", "torch.multinomial",
     "Indices drawn from softmax(logits / T), as a language model samples its next token: T < 1 sharpens, T > 1 flattens, "
     "T = 0 is argmax. torch.multinomial(torch.softmax(logits / T, -1), n, replacement=True).",
     {{"T: divides the logits before the softmax; 0 is argmax (no randomness).", 0.0, kBig, false, false, 1.0, false},
      {}},
     true, false},
};

// The real limits (the panel's finite bounds once printed as -inf / inf, so a value beyond them
// was refused with a range that seemed to include it).
std::string range_text(const ParamInfo& p) {
    return std::string(p.min_open ? "(" : "[") + shortest_decimal(p.min) + ", " + shortest_decimal(p.max) + (p.max_open ? ")" : "]");
}

bool in_range(const ParamInfo& p, double v) {
    if (!std::isfinite(v)) return false;
    if (p.min_open ? !(v > p.min) : !(v >= p.min)) return false;
    if (p.max_open ? !(v < p.max) : !(v <= p.max)) return false;
    return true;
}

// Nearest valid value: open ends move inwards by a small relative step.
double clamp_param(const ParamInfo& p, double v) {
    if (std::isnan(v)) return p.default_value;
    const double eps = p.integer ? 1.0 : 1e-6;
    double lo = p.min_open ? p.min + eps : p.min;
    double hi = p.max_open ? p.max - eps : p.max;
    v = std::min(std::max(v, lo), hi);
    if (p.integer) v = std::round(v);
    return v;
}

}  // namespace

const DistInfo& dist_info(DistKind k) {
    static const std::vector<DistInfo> infos = [] {
        std::vector<DistInfo> out(kDistCount);
        for (const PanelDist& p : kPanel) {
            const sampling::DistDef& def = sampling::dist_def(p.kind);
            DistInfo& d = out.at(static_cast<size_t>(p.kind));
            // Indices only: the distributions that draw by a list return int64 category indices.
            d = {p.kind, def.name, p.label, p.torch_call, p.tooltip, def.param_count, {}, p.discrete,
                 p.floating_only, def.weights != nullptr, def.weights};
            for (int i = 0; i < 2; ++i) {
                const PanelParam& q = p.params[i];
                d.params[i] = {i < def.param_count ? def.keys[i] : "", q.tooltip ? q.tooltip : "", q.min, q.max,
                               q.min_open, q.max_open, q.default_value, q.integer};
            }
        }
        return out;
    }();
    return infos.at(static_cast<size_t>(k));
}

std::string all_dist_names() { return sampling::dist_names(); }

DistKind parse_dist(const std::string& name) {
    const std::string n = lower_ascii(name);
    DistKind k;
    if (sampling::find_dist(n, k)) return k;
    if (n == "log_normal" || n == "log-normal") return DistKind::LogNormal;
    if (n == "randn" || n == "gaussian") return DistKind::Normal;
    if (n == "rand") return DistKind::Uniform;
    if (n == "exp") return DistKind::Exponential;
    throw ValueError("unknown distribution '" + name + "'; valid: " + all_dist_names());
}

int param_index(DistKind k, const std::string& name) {
    const DistInfo& d = dist_info(k);
    for (int i = 0; i < d.param_count; ++i)
        if (name == d.params[i].name) return i;
    // Common synonyms, so `--rate 2` and `--from/--to` do what they say.
    if ((name == "rate") && d.param_count >= 1 && std::string(d.params[0].name) == "lambda") return 0;
    if (name == "from" && std::string(d.params[0].name) == "low") return 0;
    if (name == "to" && d.param_count > 1 && std::string(d.params[1].name) == "high") return 1;
    if (name == "scale" && d.param_count > 1 && std::string(d.params[1].name) == "sigma") return 1;
    return -1;
}

std::string engine_unavailable_reason(Engine engine, DistKind dist, Device device, const Shape& shape) {
    if (engine == Engine::Philox) return "";
    if (!engine_provider()) return "needs cuRAND, and this build has none (the CUDA toolkit was not found at build time)";
    if (!engine_draws(engine, dist_info(dist).name))
        return std::string("draws ") + kCurandDistributions + " values; " + dist_info(dist).name + " needs philox";
    // cuRAND's host API skips ahead (mrg32k3a) or seeds (mt19937) for seconds per call: the
    // window would freeze on every draw.
    if (device.is_cpu() && (engine == Engine::MRG32k3a || engine == Engine::MT19937))
        return "takes seconds per draw on the CPU (cuRAND's host generator); choose a CUDA device, or noiselab sample --engine";
    if (const std::string why = engine_shape_problem(engine, shape); !why.empty())
        return "draws points of at most " + std::to_string(kMaxQuasiDimensions) + " dimensions (the last size); this shape's is " +
               std::to_string(shape.back());
    return "";
}

bool SamplerSettings::operator==(const SamplerSettings& o) const {
    return dist == o.dist && params[0] == o.params[0] && params[1] == o.params[1] && shape == o.shape &&
           dtype == o.dtype && device == o.device && engine == o.engine && seed == o.seed &&
           generator == o.generator &&
           // The list and the replacement box count only where they change the draw.
           (!dist_info(dist).weights || weights == o.weights) && (dist != DistKind::Multinomial || replacement == o.replacement);
}

bool dtype_supported(DistKind k, DType d) { return dtype_unsupported_reason(k, d).empty(); }

std::string dtype_unsupported_reason(DistKind k, DType d) {
    const DistInfo& info = dist_info(k);
    if (info.floating_only && !is_floating(d))
        return std::string(info.label) + " samples need a floating dtype (float32, float16, bfloat16, float64)";
    if (k == DistKind::Geometric && d == DType::Bool) return "geometric counts do not fit in bool";
    if (k == DistKind::RandInt && d == DType::Bool) return "use Bernoulli for 0/1 values";
    if (k == DistKind::RandPerm && d == DType::Bool) return "a permutation of more than 2 values does not fit in bool";
    if (info.indices_only && d != DType::Int64) return std::string(info.name) + " returns int64 category indices";
    return "";
}

namespace {

// PyTorch's dtype for each: torch.randint, randperm and multinomial return int64, the others
// float32 (torch.bernoulli and the in-place ops keep their float tensor's dtype).
DType torch_default_dtype(DistKind k) { return sampling::dist_def(k).torch_dtype; }

// Why `w` cannot be drawn by distribution k ("" when it can): sampling/'s rules, and the app's
// limit on the list's length.
std::string list_problem(DistKind k, const std::vector<double>& w) {
    if (w.size() > kMaxWeights)
        return std::string(dist_info(k).weights ? dist_info(k).weights : "weights") + " has " + std::to_string(w.size()) +
               " values; at most " + std::to_string(kMaxWeights);
    return sampling::weights_problem(k, w);
}

std::vector<double> default_weights(DistKind k) {
    // Categorical: a language model's last layer in miniature, a few likely tokens and a tail.
    if (k == DistKind::Categorical) return {3.0, 2.0, 1.5, 1.0, 0.5, 0.0, -1.0, -2.0};
    return {0.1, 0.2, 0.3, 0.4};
}

}  // namespace

void set_distribution(SamplerSettings& s, DistKind k) {
    // A dtype the user chose stays; one that was the old distribution's PyTorch default follows
    // the new one (randint gives int64, as torch.randint does).
    const bool dtype_was_default = s.dtype == torch_default_dtype(s.dist);
    s.dist = k;
    const DistInfo& d = dist_info(k);
    for (int i = 0; i < 2; ++i) s.params[i] = i < d.param_count ? d.params[i].default_value : 0.0;
    if (dtype_was_default || !dtype_supported(k, s.dtype)) s.dtype = torch_default_dtype(k);
    s.weights = default_weights(k);
    s.replacement = true;
}

std::string weights_problem(const SamplerSettings& s) {
    return dist_info(s.dist).weights ? list_problem(s.dist, s.weights) : "";
}

void set_weights(SamplerSettings& s, const std::string& text) {
    const DistInfo& d = dist_info(s.dist);
    if (!d.weights)
        throw ValueError(std::string(d.name) + " draws by no list of weights; multinomial takes probs, categorical logits");
    const std::vector<double> w = nl::parse_number_list(text, d.weights, kMaxWeights, s.dist == DistKind::Categorical);
    if (const std::string why = list_problem(s.dist, w); !why.empty()) throw ValueError(why);
    s.weights = w;
}

void set_param(SamplerSettings& s, const std::string& name, double value) {
    const DistInfo& d = dist_info(s.dist);
    const int i = param_index(s.dist, name);
    if (i < 0) {
        std::string valid;
        for (int j = 0; j < d.param_count; ++j) valid += (j ? ", " : "") + std::string(d.params[j].name);
        throw ValueError("distribution " + std::string(d.name) + " has no parameter '" + name + "'; valid: " + valid);
    }
    const ParamInfo& p = d.params[i];
    if (!in_range(p, value))
        throw ValueError(std::string(d.name) + ": " + p.name + "=" + shortest_decimal(value) + " is out of range; valid: " +
                         range_text(p));
    if (p.integer && value != std::round(value))
        throw ValueError(std::string(d.name) + ": " + p.name + "=" + shortest_decimal(value) + " must be an integer");
    s.params[i] = value;
}

std::string enforce_valid(SamplerSettings& s) {
    std::string changed;
    auto note = [&](const std::string& what) { changed += (changed.empty() ? "" : "; ") + what; };
    const DistInfo& d = dist_info(s.dist);
    for (int i = 0; i < d.param_count; ++i) {
        const double v = clamp_param(d.params[i], s.params[i]);
        if (v != s.params[i] && !(std::isnan(v) && std::isnan(s.params[i]))) {
            note(std::string(d.params[i].name) + " must be in " + range_text(d.params[i]) + ", set to " + shortest_decimal(v));
            s.params[i] = v;
        }
    }
    // Bounded pairs: high must stay above low (as `noiselab sample` requires).
    // low + 1, not the nearest float above low: a width a float32 can tell apart from zero and a
    // field that shows the change.
    if (s.dist == DistKind::Uniform && !(s.params[1] > s.params[0])) {
        const double top = d.params[1].max;  // low at the top of its range: move low down instead
        if (s.params[0] + 1 <= top) {
            s.params[1] = s.params[0] + 1;
            note("high must be > low, set to " + shortest_decimal(s.params[1]));
        } else {
            s.params[1] = top;
            s.params[0] = top - 1;
            note("high must be > low, set to " + shortest_decimal(top) + " and low to " + shortest_decimal(top - 1));
        }
    }
    if (s.dist == DistKind::RandInt && s.params[1] <= s.params[0]) {
        note("high must be > low, set to " + shortest_decimal(s.params[0] + 1));
        s.params[1] = s.params[0] + 1;
    }
    if (const std::string why = weights_problem(s); !why.empty()) {
        s.weights = default_weights(s.dist);
        note(why + "; set to " + nl::join_numbers(s.weights, ", "));
    }
    if (s.dist == DistKind::RandPerm && s.shape.size() != 1 && !s.shape.empty()) {
        double n = 1;  // in double: any sizes typed, even ones whose product overflows int64
        for (int64_t v : s.shape) n *= static_cast<double>(std::max<int64_t>(v, 1));
        s.shape = {static_cast<int64_t>(std::min(n, static_cast<double>(kMaxDim)))};
        note("randperm takes a 1-D shape [n]; shape set to " + shape_str(s.shape));
    }
    if (s.shape.empty()) {
        s.shape = {1};
        note("rank must be 1 to 4");
    }
    if (s.shape.size() > static_cast<size_t>(kMaxRank)) {
        s.shape.resize(kMaxRank);
        note("rank must be 1 to 4");
    }
    for (int64_t& n : s.shape) {
        if (n < 1 || n > kMaxDim) {
            n = std::min<int64_t>(std::max<int64_t>(n, 1), kMaxDim);
            note("sizes must be in [1, " + std::to_string(kMaxDim) + "]");
        }
    }
    // Shrink the leading sizes, first to last, to the largest that fits the element budget.
    auto numel = [&] {
        double n = 1;
        for (int64_t v : s.shape) n *= static_cast<double>(v);
        return n;
    };
    if (numel() > static_cast<double>(kMaxElements)) {
        for (int64_t& v : s.shape) {
            const double rest = numel() / static_cast<double>(v);  // the other sizes' product
            if (numel() > static_cast<double>(kMaxElements))
                v = std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(kMaxElements) / rest));
        }
        note("at most " + std::to_string(kMaxElements) + " elements; shape set to " + shape_str(s.shape));
    }
    if (s.dist == DistKind::Multinomial && !s.replacement && shape_numel(s.shape) > sampling::positive_weights(s.weights)) {
        s.shape = {sampling::positive_weights(s.weights)};
        note("without replacement at most one draw per category with weight > 0; shape set to " + shape_str(s.shape));
    }
    if (const std::string why = engine_unavailable_reason(s.engine, s.dist, s.device, s.shape); !why.empty()) {
        note(std::string("engine ") + engine_name(s.engine) + " " + why + "; set to philox");
        s.engine = Engine::Philox;
    }
    if (!dtype_supported(s.dist, s.dtype)) {
        note(dtype_unsupported_reason(s.dist, s.dtype));
        s.dtype = torch_default_dtype(s.dist);
    }
    return changed;
}

void validate(const SamplerSettings& s) {
    const DistInfo& d = dist_info(s.dist);
    for (int i = 0; i < d.param_count; ++i)
        if (!in_range(d.params[i], s.params[i]))
            throw ValueError(std::string(d.name) + ": " + d.params[i].name + "=" + shortest_decimal(s.params[i]) +
                             " is out of range; valid: " + range_text(d.params[i]));
    if (s.dist == DistKind::Uniform && !(s.params[1] > s.params[0]))
        throw ValueError("uniform: high=" + shortest_decimal(s.params[1]) + " must be > low=" + shortest_decimal(s.params[0]));
    if (s.dist == DistKind::RandInt && s.params[1] <= s.params[0])
        throw ValueError("randint: high=" + shortest_decimal(s.params[1]) + " must be > low=" + shortest_decimal(s.params[0]));
    if (const std::string why = weights_problem(s); !why.empty()) throw ValueError(std::string(d.name) + ": " + why);
    if (s.dist == DistKind::RandPerm && s.shape.size() != 1)
        throw ShapeError("randperm: shape " + shape_str(s.shape) + " has rank " + std::to_string(s.shape.size()) +
                         "; randperm takes a 1-D shape [n]");
    if (s.dist == DistKind::Multinomial && !s.replacement && shape_numel(s.shape) > sampling::positive_weights(s.weights))
        throw ValueError("multinomial: " + std::to_string(shape_numel(s.shape)) + " draws without replacement, but only " +
                         std::to_string(sampling::positive_weights(s.weights)) +
                         " categories have weight > 0; turn replacement on or draw at most that many");
    if (s.shape.empty() || s.shape.size() > static_cast<size_t>(kMaxRank))
        throw ShapeError("shape " + shape_str(s.shape) + " has rank " + std::to_string(s.shape.size()) +
                         "; valid ranks: 1 to 4");
    for (int64_t n : s.shape)
        if (n < 1 || n > kMaxDim)
            throw ShapeError("shape " + shape_str(s.shape) + ": size " + std::to_string(n) + " is out of range; valid: [1, " +
                             std::to_string(kMaxDim) + "]");
    const int64_t n = shape_numel(s.shape);
    if (n > kMaxElements)
        throw ShapeError("shape " + shape_str(s.shape) + " has " + std::to_string(n) + " elements; the app draws at most " +
                         std::to_string(kMaxElements));
    const std::string why = dtype_unsupported_reason(s.dist, s.dtype);
    if (!why.empty()) throw DTypeError(std::string(d.name) + ": dtype " + dtype_name(s.dtype) + " is not supported: " + why);
    const std::string engine_why = engine_unavailable_reason(s.engine, s.dist, s.device, s.shape);
    if (!engine_why.empty()) throw ValueError(std::string("engine ") + engine_name(s.engine) + " " + engine_why);
    if (s.device.is_cuda()) {
        const std::string cuda_why = cuda_unavailable_reason();
        if (!cuda_why.empty()) throw DeviceError("device " + s.device.str() + " is not available: " + cuda_why);
    }
}

const std::vector<ShapePreset>& shape_presets() {
    static const std::vector<ShapePreset> presets = {
        {"[N]  65536 values", "A flat vector: best for the histogram.", {65536}},
        {"[B,D]  2048 x 2 points", "Rows of 2 values: drawn as a scatter plot.", {2048, 2}},
        {"[B,D]  64 x 256", "A batch of 64 vectors of 256 values, one row per strip.", {64, 256}},
        {"[N,C,H,W]  64 x 1 x 28 x 28", "64 single-channel 28x28 images (MNIST-sized).", {64, 1, 28, 28}},
        {"[N,C,H,W]  64 x 3 x 64 x 64", "64 RGB images of 64x64 pixels.", {64, 3, 64, 64}},
        {"[N,C,H,W]  1 x 3 x 256 x 256", "One large RGB image.", {1, 3, 256, 256}},
    };
    return presets;
}

Shape parse_shape(const std::string& text) {
    Shape out;
    std::string cur;
    auto flush = [&](bool final_part) {
        // Trim spaces and brackets around each part.
        size_t a = 0, b = cur.size();
        while (a < b && (std::isspace(static_cast<unsigned char>(cur[a])) || cur[a] == '[' || cur[a] == '(')) ++a;
        while (b > a && (std::isspace(static_cast<unsigned char>(cur[b - 1])) || cur[b - 1] == ']' || cur[b - 1] == ')')) --b;
        const std::string part = cur.substr(a, b - a);
        cur.clear();
        if (part.empty()) {
            if (final_part && !out.empty()) return;  // trailing comma
            throw ShapeError("shape '" + text + "' has an empty size; write sizes like 64,1,28,28");
        }
        for (char c : part)
            if (!std::isdigit(static_cast<unsigned char>(c)))
                throw ShapeError("shape '" + text + "': size '" + part + "' is not a positive integer");
        if (part.size() > 9) throw ShapeError("shape '" + text + "': size " + part + " is too large; valid: [1, " + std::to_string(kMaxDim) + "]");
        const int64_t v = std::stoll(part);
        if (v < 1 || v > kMaxDim)
            throw ShapeError("shape '" + text + "': size " + part + " is out of range; valid: [1, " + std::to_string(kMaxDim) + "]");
        out.push_back(v);
    };
    for (char c : text) {
        if (c == ',' || c == 'x' || c == 'X' || c == '*') flush(false);
        else cur += c;
    }
    flush(true);
    if (out.size() < static_cast<size_t>(kMinRank) || out.size() > static_cast<size_t>(kMaxRank))
        throw ShapeError("shape '" + text + "' has rank " + std::to_string(out.size()) + "; valid ranks: 1 to 4");
    return out;
}

stats::Distribution to_stats_distribution(const SamplerSettings& s) { return sampling::theory(s); }

std::string theory_missing(const SamplerSettings& s) { return sampling::theory_missing(s); }

std::string untested_reason(const SamplerSettings& s) { return sampling::untested_reason(s); }

std::string describe(const SamplerSettings& s) { return sampling::describe(s); }

std::string torch_equivalent(const SamplerSettings& s) {
    std::string shape;
    for (size_t i = 0; i < s.shape.size(); ++i) shape += (i ? ", " : "") + std::to_string(s.shape[i]);
    if (s.shape.size() == 1) shape += ",";
    const std::string dev = s.device.is_cpu() ? "cpu" : s.device.str();
    const std::string dtype = std::string("torch.") + dtype_name(s.dtype);
    const bool local = s.generator == GeneratorMode::Local;
    std::string out = local ? "g = torch.Generator(\"" + dev + "\").manual_seed(" + std::to_string(s.seed) + ")\n"
                            : "torch.manual_seed(" + std::to_string(s.seed) + ")\n";
    const std::string gen = local ? ", generator=g" : "";
    const std::string opts = "dtype=" + dtype + ", device=\"" + dev + "\"";
    const double a = s.params[0], b = s.params[1];
    if (s.engine != Engine::Philox)
        out += std::string("# engine ") + engine_name(s.engine) +
               ": a cuRAND generator; PyTorch has no engine option (its CPU stream is mt19937, CUDA's Philox)\n";
    switch (s.dist) {
        case DistKind::Normal:
            out += "x = torch.randn((" + shape + "), " + opts + gen + ")";
            if (a != 0.0 || b != 1.0) out += " * " + shortest_decimal(b) + " + " + shortest_decimal(a);
            break;
        case DistKind::Uniform:
            out += "x = torch.empty((" + shape + "), " + opts + ").uniform_(" + shortest_decimal(a) + ", " + shortest_decimal(b) + gen + ")";
            break;
        case DistKind::LogNormal:
            out += "x = torch.empty((" + shape + "), " + opts + ").log_normal_(" + shortest_decimal(a) + ", " + shortest_decimal(b) + gen + ")";
            break;
        case DistKind::Exponential:
            out += "x = torch.empty((" + shape + "), " + opts + ").exponential_(" + shortest_decimal(a) + gen + ")";
            break;
        case DistKind::Cauchy:
            out += "x = torch.empty((" + shape + "), " + opts + ").cauchy_(" + shortest_decimal(a) + ", " + shortest_decimal(b) + gen + ")";
            break;
        case DistKind::RandInt:
            out += "x = torch.randint(" + shortest_decimal(a) + ", " + shortest_decimal(b) + ", (" + shape + "), " + opts + gen + ")";
            break;
        case DistKind::Bernoulli:
            out += "x = torch.bernoulli(torch.full((" + shape + "), " + shortest_decimal(a) + ", " + opts + ")" + gen + ")";
            break;
        case DistKind::Geometric:
            out += "x = torch.empty((" + shape + "), " + opts + ").geometric_(" + shortest_decimal(a) + gen + ")";
            break;
        case DistKind::Poisson:
            out += "x = torch.poisson(torch.full((" + shape + "), " + shortest_decimal(a) + ", " + opts + ")" + gen + ")";
            break;
        case DistKind::RandPerm:
            out += "x = torch.randperm(" + std::to_string(s.shape.empty() ? 0 : s.shape[0]) + ", " + opts + gen + ")";
            break;
        case DistKind::Multinomial:
        case DistKind::Categorical: {
            const int64_t n = shape_numel(s.shape);
            std::string list;
            for (size_t i = 0; i < s.weights.size(); ++i)
                list += (i ? ", " : "") + (std::isinf(s.weights[i]) ? std::string("float(\"-inf\")") : shortest_decimal(s.weights[i]));
            list = "[" + list + "]";
            const std::string reshape = s.shape.size() == 1 ? "" : ".reshape(" + shape + ")";
            std::string probs = "probs";
            if (s.dist == DistKind::Multinomial) {
                out += "probs = torch.tensor(" + list + ", dtype=torch.float64, device=\"" + dev + "\")\n";
            } else {
                out += "logits = torch.tensor(" + list + ", dtype=torch.float64, device=\"" + dev + "\")\n";
                if (a == 0.0) {  // argmax: softmax(logits / 0) is undefined
                    out += "x = logits.argmax().expand(" + std::to_string(n) + ")" + reshape;
                    break;
                }
                probs = "torch.softmax(logits / " + shortest_decimal(a) + ", dim=-1)";
            }
            out += "x = torch.multinomial(" + probs + ", " + std::to_string(n) + ", replacement=" +
                   (s.replacement || s.dist == DistKind::Categorical ? "True" : "False") + gen + ")" + reshape;
            break;
        }
    }
    return out;
}

std::string cli_equivalent(const SamplerSettings& s, uint64_t offset) {
    return "noiselab sample " + sampling::sample_flags(s, s.seed, offset) + " --out grid.png --hist histogram.png --stats";
}

Tensor draw(const SamplerSettings& s, Generator& gen) {
    validate(s);
    return sampling::draw(s, gen);
}

std::string timing_text(const SampleTiming& t) {
    char buf[64];
    const double mb = t.gbytes_per_s * 1000.0;
    if (t.gbytes_per_s >= 1.0) std::snprintf(buf, sizeof buf, "%.2f ms, %.2f GB/s", t.ms, t.gbytes_per_s);
    else if (mb >= 10.0) std::snprintf(buf, sizeof buf, "%.2f ms, %.0f MB/s", t.ms, mb);
    else std::snprintf(buf, sizeof buf, "%.2f ms, %.2f MB/s", t.ms, mb);
    return buf;
}

void SeedHistory::push(uint64_t seed) {
    seeds_.erase(std::remove(seeds_.begin(), seeds_.end(), seed), seeds_.end());
    seeds_.push_front(seed);
    while (seeds_.size() > kMax) seeds_.pop_back();
}

uint64_t fresh_seed() {
    std::random_device rd;
    const uint64_t v = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    return v & ((uint64_t(1) << 53) - 1);
}

}  // namespace nl::gui
