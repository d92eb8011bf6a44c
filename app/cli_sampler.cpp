// The distributions of `noiselab sample` and how a SampleSpec becomes a tensor, a recipe and a
// theoretical distribution (see cli_sampler.h): the flags' words and checks are here; the draw,
// the theory and the recipe encoding are sampling/'s, shared with the app.
#include "app/cli_sampler.h"

#include <cmath>

#include "app/cli_parse.h"
#include "sampling/command_line.h"
#include "sampling/recipe.h"
#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/hash.h"

namespace nl::app {

namespace {

double param(const SampleSpec& s, const char* key) {
    const auto it = s.params.find(key);
    if (it == s.params.end()) throw ValueError(std::string("--") + key + " is required for --dist " + dist_info(s.dist).name);
    return it->second;
}

std::string bad_range(const SampleSpec& s, const char* key, double v, const char* valid) {
    return std::string("--") + key + " " + format_double(v) + " is out of range for --dist " + dist_info(s.dist).name +
           ": expected " + valid;
}

// Checks one parameter against a predicate; the message uses the table's description.
template <class Pred>
void check(const SampleSpec& s, const char* key, Pred ok) {
    const double v = param(s, key);
    for (const ParamInfo& p : dist_info(s.dist).params)
        if (std::string(p.key) == key && !ok(v)) throw ValueError(bad_range(s, key, v, p.valid));
}

bool is_int64(double v) { return std::isfinite(v) && v == std::floor(v) && std::abs(v) < 9.2e18; }

// CUDA when asked for and present; otherwise the CPU (same bits) with a note saying why.
Device resolve_device(Device want, Engine engine, std::vector<std::string>& notes) {
    if (want.is_cpu()) return want;
    Backend* be = find_backend(DeviceType::CUDA);
    if (be && want.index < be->device_count()) return want;
    std::string why = cuda_unavailable_reason();
    if (why.empty()) why = be ? "no device " + want.str() : "no CUDA backend";
    notes.push_back("--device " + want.str() + ": CUDA is unavailable (" + why + "); sampled on the CPU instead, " +
                    (engine == Engine::Philox ? std::string("which gives the same values bit for bit")
                                              : std::string("with engine ") + engine_name(engine) +
                                                    "'s CPU values (its values depend on the device)"));
    return Device::cpu();
}

// What the command line adds to sampling/'s table: each parameter's valid range in words, and a
// summary line for --help and the docs.
struct FlagText {
    Dist dist;
    const char* valid[2];
    const char* summary;
};

const FlagText kFlagTexts[] = {
    {Dist::Normal, {"a finite number", "a finite number >= 0"}, "Gaussian (torch.normal)"},
    {Dist::Uniform, {"a finite number < --high", "a finite number > --low"},
     "continuous uniform on [low, high) (torch.Tensor.uniform_)"},
    {Dist::LogNormal, {"a finite number", "a finite number > 0"},
     "exp of a normal(mean, std); PyTorch's defaults 1 and 2 (torch.Tensor.log_normal_)"},
    {Dist::Exponential, {"a finite number > 0", ""}, "exponential with rate lambda (torch.Tensor.exponential_)"},
    {Dist::Cauchy, {"a finite number", "a finite number > 0"}, "Cauchy (torch.Tensor.cauchy_)"},
    {Dist::RandInt, {"an integer < --high", "an integer > --low"},
     "integers uniform on [low, high), high exclusive (torch.randint)"},
    {Dist::Bernoulli, {"a number in [0, 1]", ""}, "0/1 with P(1) = p (torch.bernoulli)"},
    {Dist::Geometric, {"a number in (0, 1)", ""}, "trials until the first success, support 1, 2, ... (torch.Tensor.geometric_)"},
    {Dist::Poisson, {"a finite number >= 0", ""}, "Poisson counts with rate lambda for every element (torch.poisson)"},
    {Dist::RandPerm, {"", ""}, "a random permutation of 0..n-1; --shape is [n] (torch.randperm)"},
    {Dist::Multinomial, {"", ""},
     "category indices drawn from the weights --probs, shape-many draws, without replacement unless "
     "--replacement (torch.multinomial)"},
    {Dist::Categorical, {"a finite number >= 0 (0 = argmax)", ""},
     "indices drawn from softmax(--logits / temperature); temperature 0 is argmax"},
};

}  // namespace

const std::vector<DistInfo>& all_dists() {
    static const std::vector<DistInfo> dists = [] {
        std::vector<DistInfo> out;
        for (Dist d : sampling::all_dists()) {
            const sampling::DistDef& def = sampling::dist_def(d);
            const FlagText* text = nullptr;
            for (const FlagText& t : kFlagTexts) text = t.dist == d ? &t : text;
            DistInfo info{d, def.name, {}, false, false, def.torch_dtype, text ? text->summary : ""};
            for (int i = 0; i < def.param_count; ++i)
                info.params.push_back({def.keys[i], def.torch_defaults[i], text ? text->valid[i] : ""});
            info.takes_probs = d == Dist::Multinomial;
            info.takes_logits = d == Dist::Categorical;
            out.push_back(info);
        }
        return out;
    }();
    return dists;
}

const DistInfo& dist_info(Dist d) { return all_dists().at(static_cast<size_t>(d)); }

std::string dist_names() { return sampling::dist_names(); }

Dist parse_dist(const std::string& name) {
    Dist d;
    if (sampling::find_dist(name, d)) return d;
    std::string shown = name.substr(0, 60);
    for (char& c : shown)
        if (c < 32 || c > 126) c = '?';
    throw ValueError("--dist '" + shown + "' is not a distribution; valid: " + dist_names());
}

void validate(const SampleSpec& s) {
    const DistInfo& info = dist_info(s.dist);
    if (!engine_draws(s.engine, info.name))
        throw ValueError(std::string("--engine ") + engine_name(s.engine) + " does not draw --dist " + info.name +
                         "; cuRAND's engines draw " + kCurandDistributions + ", and philox draws every distribution");
    for (const auto& [key, v] : s.params) {
        bool known = false;
        for (const ParamInfo& p : info.params) known = known || key == p.key;
        if (!known) throw ValueError("--" + key + " does not apply to --dist " + info.name);
        if (!std::isfinite(v)) throw ValueError(bad_range(s, key.c_str(), v, "a finite number"));
    }
    for (const ParamInfo& p : info.params)
        if (!s.params.count(p.key)) throw ValueError(std::string("--") + p.key + " is required for --dist " + info.name + ": " + p.valid);
    if (!info.takes_probs && !s.probs.empty()) throw ValueError(std::string("--probs does not apply to --dist ") + info.name);
    if (!info.takes_logits && !s.logits.empty()) throw ValueError(std::string("--logits does not apply to --dist ") + info.name);
    if (s.shape.empty()) throw ShapeError("--shape is empty; expected sizes like 64,1,28,28");
    shape_numel(s.shape);  // negative sizes, overflow

    switch (s.dist) {
        case Dist::Uniform: {
            const double lo = param(s, "low"), hi = param(s, "high");
            if (!(lo < hi) || !std::isfinite(hi - lo))
                throw ValueError("--low " + format_double(lo) + " --high " + format_double(hi) +
                                 ": expected finite low < high for --dist uniform");
            break;
        }
        case Dist::Normal: check(s, "std", [](double v) { return v >= 0.0; }); break;
        case Dist::LogNormal: check(s, "std", [](double v) { return v > 0.0; }); break;
        case Dist::RandInt: {
            const double lo = param(s, "low"), hi = param(s, "high");
            check(s, "low", is_int64);
            check(s, "high", is_int64);
            if (!(lo < hi))
                throw ValueError("--low " + format_double(lo) + " --high " + format_double(hi) +
                                 ": expected low < high for --dist randint (high is exclusive)");
            break;
        }
        case Dist::RandPerm:
            if (s.shape.size() != 1)
                throw ShapeError("--shape " + shape_str(s.shape) + ": --dist randperm takes a 1-D shape [n], e.g. --shape 100");
            break;
        case Dist::Bernoulli: check(s, "p", [](double v) { return v >= 0.0 && v <= 1.0; }); break;
        case Dist::Geometric: check(s, "p", [](double v) { return v > 0.0 && v < 1.0; }); break;
        case Dist::Exponential: check(s, "lambda", [](double v) { return v > 0.0; }); break;
        case Dist::Poisson: check(s, "lambda", [](double v) { return v >= 0.0; }); break;
        case Dist::Cauchy: check(s, "sigma", [](double v) { return v > 0.0; }); break;
        case Dist::Multinomial: {
            if (s.probs.empty()) throw ValueError("--probs is required for --dist multinomial, e.g. --probs 0.1,0.2,0.7");
            if (const std::string why = sampling::weights_problem(s.dist, s.probs); !why.empty()) throw ValueError("--" + why);
            const int64_t n = shape_numel(s.shape), nonzero = sampling::positive_weights(s.probs);
            if (!s.replacement && n > nonzero)
                throw ValueError("--shape " + shape_str(s.shape) + " asks for " + std::to_string(n) +
                                 " draws without replacement, but --probs has only " + std::to_string(nonzero) +
                                 " categories with weight > 0; use --replacement or at most " + std::to_string(nonzero) + " draws");
            break;
        }
        case Dist::Categorical:
            if (s.logits.empty()) throw ValueError("--logits is required for --dist categorical, e.g. --logits 2,1,0.5");
            check(s, "temperature", [](double v) { return v >= 0.0; });
            if (const std::string why = sampling::weights_problem(s.dist, s.logits); !why.empty()) throw ValueError("--" + why);
            break;
    }
    if ((s.dist == Dist::Multinomial || s.dist == Dist::Categorical) && s.dtype != DType::Int64)
        throw DTypeError(std::string("--dtype ") + dtype_name(s.dtype) + ": --dist " + info.name +
                         " returns int64 category indices; valid: int64");
}

sampling::Draw to_draw(const SampleSpec& s) {
    sampling::Draw d;
    d.dist = s.dist;
    const DistInfo& info = dist_info(s.dist);
    for (size_t i = 0; i < info.params.size(); ++i) d.params[i] = param(s, info.params[i].key);
    for (size_t i = info.params.size(); i < 2; ++i) d.params[i] = 0.0;
    d.weights = s.dist == Dist::Categorical ? s.logits : s.probs;
    d.replacement = s.replacement;
    d.shape = s.shape;
    d.dtype = s.dtype;
    d.device = s.device;
    d.engine = s.engine;
    return d;
}

SampleResult sample(const SampleSpec& s) {
    validate(s);
    SampleResult r;
    sampling::Draw d = to_draw(s);
    d.device = r.device = resolve_device(s.device, s.engine, r.notes);
    Generator g(s.seed, s.stream);
    g.set_offset(s.offset);
    // Allocation is checked (sizes, overflow, available memory) before anything is reserved.
    check_allocation(s.shape, s.dtype, r.device);
    r.tensor = sampling::draw(d, g);
    r.next_offset = g.offset();
    return r;
}

io::Recipe to_recipe(const SampleSpec& s, const Tensor& t, Device device) {
    io::Recipe r;
    sampling::write_draw(to_draw(s), r);
    r.device = device;
    r.seed = s.seed;
    r.offset = s.offset;
    r.stream = s.stream;
    r.stream_version = kStreamVersion;
    r.tensor_hash = hash_hex(tensor_hash(t));
    return r;
}

SampleSpec from_recipe(const io::Recipe& r) {
    const sampling::Draw d = sampling::read_draw(r);
    SampleSpec s;
    s.dist = d.dist;
    const DistInfo& info = dist_info(d.dist);
    for (size_t i = 0; i < info.params.size(); ++i) s.params[info.params[i].key] = d.params[i];
    (d.dist == Dist::Categorical ? s.logits : s.probs) = d.weights;
    s.replacement = d.replacement;
    s.engine = d.engine;
    s.shape = d.shape;
    s.dtype = d.dtype;
    s.device = d.device;
    s.seed = r.seed;
    s.offset = r.offset;
    s.stream = r.stream;
    // An older stream version changed only some ops (docs/STREAMS.md, History): sample it and let
    // the caller compare the recorded hash, which says whether this op's values are still the same.
    // Without a hash that cannot be told; a newer version is unknown to this build.
    if (r.stream_version > kStreamVersion || (r.stream_version < kStreamVersion && r.tensor_hash.empty()))
        throw ValueError("recipe field 'stream_version': the recipe was sampled with stream version " +
                         std::to_string(r.stream_version) + ", this build has version " + std::to_string(kStreamVersion) +
                         (r.stream_version > kStreamVersion ? "; it cannot reproduce the tensor (a newer build can)"
                                                            : " and the recipe records no hash to check a replay against"));
    return s;
}

stats::Distribution theory(const SampleSpec& s) { return sampling::theory(to_draw(s)); }

std::string theory_missing(const SampleSpec& s) { return sampling::theory_missing(to_draw(s)); }

std::string no_test_reason(const SampleSpec& s) { return sampling::untested_reason(to_draw(s)); }

std::string describe_dist(const SampleSpec& s) { return sampling::describe(to_draw(s)); }

std::string to_flags(const SampleSpec& s) { return sampling::sample_flags(to_draw(s), s.seed, s.offset, s.stream); }

}  // namespace nl::app
