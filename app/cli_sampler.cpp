// The distributions of `noiselab sample` and how a SampleSpec becomes a tensor, a recipe and a
// theoretical distribution (see cli_sampler.h). Parameter names follow PyTorch's (mean/std for
// normal_ and log_normal_, lambda for exponential_ and the Poisson rate, median/sigma for cauchy_).
#include "app/cli_sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "app/cli_parse.h"
#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/hash.h"
#include "tensor/random.h"

namespace nl::app {

namespace {

constexpr double kRequired = std::numeric_limits<double>::quiet_NaN();

bool is_required(const ParamInfo& p) { return std::isnan(p.default_value); }

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

}  // namespace

const std::vector<DistInfo>& all_dists() {
    static const std::vector<DistInfo> dists = {
        {Dist::Uniform, "uniform", {{"low", 0.0, "a finite number < --high"}, {"high", 1.0, "a finite number > --low"}},
         false, false, DType::Float32, "continuous uniform on [low, high) (torch.Tensor.uniform_)"},
        {Dist::Normal, "normal", {{"mean", 0.0, "a finite number"}, {"std", 1.0, "a finite number >= 0"}},
         false, false, DType::Float32, "Gaussian (torch.normal)"},
        {Dist::RandInt, "randint", {{"low", 0.0, "an integer < --high"}, {"high", kRequired, "an integer > --low"}},
         false, false, DType::Int64, "integers uniform on [low, high), high exclusive (torch.randint)"},
        {Dist::RandPerm, "randperm", {}, false, false, DType::Int64,
         "a random permutation of 0..n-1; --shape is [n] (torch.randperm)"},
        {Dist::Bernoulli, "bernoulli", {{"p", 0.5, "a number in [0, 1]"}}, false, false, DType::Float32,
         "0/1 with P(1) = p (torch.bernoulli)"},
        {Dist::Multinomial, "multinomial", {}, true, false, DType::Int64,
         "category indices drawn from the weights --probs, shape-many draws, without replacement unless "
         "--replacement (torch.multinomial)"},
        {Dist::Exponential, "exponential", {{"lambda", 1.0, "a finite number > 0"}}, false, false, DType::Float32,
         "exponential with rate lambda (torch.Tensor.exponential_)"},
        {Dist::LogNormal, "lognormal", {{"mean", 1.0, "a finite number"}, {"std", 2.0, "a finite number > 0"}},
         false, false, DType::Float32, "exp of a normal(mean, std); PyTorch's defaults 1 and 2 (torch.Tensor.log_normal_)"},
        {Dist::Cauchy, "cauchy", {{"median", 0.0, "a finite number"}, {"sigma", 1.0, "a finite number > 0"}},
         false, false, DType::Float32, "Cauchy (torch.Tensor.cauchy_)"},
        {Dist::Geometric, "geometric", {{"p", 0.5, "a number in (0, 1)"}}, false, false, DType::Float32,
         "trials until the first success, support 1, 2, ... (torch.Tensor.geometric_)"},
        {Dist::Poisson, "poisson", {{"lambda", 1.0, "a finite number >= 0"}}, false, false, DType::Float32,
         "Poisson counts with rate lambda for every element (torch.poisson)"},
        {Dist::Categorical, "categorical", {{"temperature", 1.0, "a finite number >= 0 (0 = argmax)"}}, false, true,
         DType::Int64, "indices drawn from softmax(--logits / temperature); temperature 0 is argmax"},
    };
    return dists;
}

const DistInfo& dist_info(Dist d) {
    for (const DistInfo& i : all_dists())
        if (i.dist == d) return i;
    return all_dists().front();
}

std::string dist_names() {
    std::string s;
    for (const DistInfo& i : all_dists()) s += (s.empty() ? "" : ", ") + std::string(i.name);
    return s;
}

Dist parse_dist(const std::string& name) {
    for (const DistInfo& i : all_dists())
        if (name == i.name) return i.dist;
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
            double sum = 0.0;
            int64_t nonzero = 0;
            for (size_t i = 0; i < s.probs.size(); ++i) {
                if (!(s.probs[i] >= 0.0) || !std::isfinite(s.probs[i]))
                    throw ValueError("--probs value " + std::to_string(i + 1) + " (" + format_double(s.probs[i]) +
                                     ") is out of range: expected finite weights >= 0");
                sum += s.probs[i];
                nonzero += s.probs[i] > 0.0;
            }
            if (!(sum > 0.0)) throw ValueError("--probs " + join_doubles(s.probs) + ": the weights sum to 0; expected a positive sum");
            const int64_t n = shape_numel(s.shape);
            if (!s.replacement && n > nonzero)
                throw ValueError("--shape " + shape_str(s.shape) + " asks for " + std::to_string(n) +
                                 " draws without replacement, but --probs has only " + std::to_string(nonzero) +
                                 " categories with weight > 0; use --replacement or at most " + std::to_string(nonzero) + " draws");
            break;
        }
        case Dist::Categorical: {
            if (s.logits.empty()) throw ValueError("--logits is required for --dist categorical, e.g. --logits 2,1,0.5");
            check(s, "temperature", [](double v) { return v >= 0.0; });
            bool any_finite = false;
            for (size_t i = 0; i < s.logits.size(); ++i) {
                if (std::isnan(s.logits[i]) || s.logits[i] == std::numeric_limits<double>::infinity())
                    throw ValueError("--logits value " + std::to_string(i + 1) + " is out of range: expected a finite number or -inf");
                any_finite = any_finite || std::isfinite(s.logits[i]);
            }
            if (!any_finite) throw ValueError("--logits " + join_doubles(s.logits) + ": every logit is -inf; at least one must be finite");
            break;
        }
    }
    if ((s.dist == Dist::Multinomial || s.dist == Dist::Categorical) && s.dtype != DType::Int64)
        throw DTypeError(std::string("--dtype ") + dtype_name(s.dtype) + ": --dist " + info.name +
                         " returns int64 category indices; valid: int64");
}

namespace {
// The distributions cuRAND's engines draw (tensor/engine.h's engine_draws), through its ops.
Tensor sample_with_engine(const SampleSpec& s, const TensorOptions& o, Generator& g) {
    Tensor t;
    switch (s.dist) {
        case Dist::Uniform:
            t = Tensor::empty(s.shape, o);
            return uniform_(t, param(s, "low"), param(s, "high"), s.engine, &g);
        case Dist::Normal:
            t = Tensor::empty(s.shape, o);
            return normal_(t, param(s, "mean"), param(s, "std"), s.engine, &g);
        case Dist::LogNormal:
            t = Tensor::empty(s.shape, o);
            return log_normal_(t, param(s, "mean"), param(s, "std"), s.engine, &g);
        case Dist::Poisson: return poisson(param(s, "lambda"), s.shape, o, s.engine, &g);
        default: break;
    }
    throw ValueError(std::string("--engine ") + engine_name(s.engine) + " does not draw --dist " + dist_info(s.dist).name);
}
}  // namespace

SampleResult sample(const SampleSpec& s) {
    validate(s);
    SampleResult r;
    r.device = resolve_device(s.device, s.engine, r.notes);
    Generator g(s.seed, s.stream);
    g.set_offset(s.offset);
    const TensorOptions o{s.dtype, r.device};
    const int64_t n = shape_numel(s.shape);
    // Allocation is checked (sizes, overflow, available memory) before anything is reserved.
    check_allocation(s.shape, s.dtype, r.device);
    Tensor t;
    if (s.engine != Engine::Philox) {
        t = sample_with_engine(s, o, g);
        r.tensor = t;
        r.next_offset = g.offset();
        return r;
    }
    switch (s.dist) {
        case Dist::Uniform:
            t = Tensor::empty(s.shape, o);
            uniform_(t, param(s, "low"), param(s, "high"), &g);
            break;
        case Dist::Normal: t = normal(param(s, "mean"), param(s, "std"), s.shape, o, &g); break;
        case Dist::RandInt:
            t = randint(static_cast<int64_t>(param(s, "low")), static_cast<int64_t>(param(s, "high")), s.shape, o, &g);
            break;
        case Dist::RandPerm: t = randperm(s.shape[0], o, &g); break;
        case Dist::Bernoulli: t = bernoulli(param(s, "p"), s.shape, o, &g); break;
        case Dist::Multinomial: {
            const Tensor probs = from_vector(s.probs, {static_cast<int64_t>(s.probs.size())}, DType::Float64).to(r.device);
            t = multinomial(probs, n, s.replacement, &g).reshape(s.shape);
            break;
        }
        case Dist::Exponential:
            t = Tensor::empty(s.shape, o);
            exponential_(t, param(s, "lambda"), &g);
            break;
        case Dist::LogNormal:
            t = Tensor::empty(s.shape, o);
            log_normal_(t, param(s, "mean"), param(s, "std"), &g);
            break;
        case Dist::Cauchy:
            t = Tensor::empty(s.shape, o);
            cauchy_(t, param(s, "median"), param(s, "sigma"), &g);
            break;
        case Dist::Geometric:
            t = Tensor::empty(s.shape, o);
            geometric_(t, param(s, "p"), &g);
            break;
        case Dist::Poisson: t = poisson(full(s.shape, param(s, "lambda"), o), &g); break;
        case Dist::Categorical: {
            const Tensor logits = from_vector(s.logits, {static_cast<int64_t>(s.logits.size())}, DType::Float64).to(r.device);
            t = sample_logits(logits, param(s, "temperature"), n, &g).reshape(s.shape);
            break;
        }
    }
    r.tensor = t;
    r.next_offset = g.offset();
    return r;
}

io::Recipe to_recipe(const SampleSpec& s, const Tensor& t, Device device) {
    io::Recipe r;
    r.op = dist_info(s.dist).name;
    for (const auto& [k, v] : s.params) r.params[k] = v;
    if (s.dist == Dist::Multinomial) {
        r.probs = s.probs;
        r.params["replacement"] = std::string(s.replacement ? "true" : "false");
    }
    // Logits may be negative or -inf, which the recipe's "probs" (weights >= 0) cannot hold: they
    // travel as text that reads back to the same doubles.
    if (s.dist == Dist::Categorical) r.params["logits"] = join_doubles(s.logits);
    // Only another engine is written: recipes of Noise Lab's own streams stay as they were.
    if (s.engine != Engine::Philox) r.params["engine"] = std::string(engine_name(s.engine));
    r.shape = s.shape;
    r.dtype = s.dtype;
    r.device = device;
    r.seed = s.seed;
    r.offset = s.offset;
    r.stream = s.stream;
    r.stream_version = kStreamVersion;
    r.tensor_hash = hash_hex(tensor_hash(t));
    return r;
}

SampleSpec from_recipe(const io::Recipe& r) {
    SampleSpec s;
    try {
        s.dist = parse_dist(r.op);
    } catch (const ValueError&) {
        throw ValueError("recipe field 'op': '" + r.op + "' is not a distribution this version samples; valid: " + dist_names());
    }
    const DistInfo& info = dist_info(s.dist);
    for (const auto& [key, value] : r.params) {
        const bool is_num = std::holds_alternative<double>(value);
        if (s.dist == Dist::Multinomial && key == "replacement" && !is_num) {
            const std::string& v = std::get<std::string>(value);
            if (v != "true" && v != "false") throw ValueError("recipe field 'params.replacement': expected \"true\" or \"false\", got '" + v + "'");
            s.replacement = v == "true";
            continue;
        }
        if (key == "engine" && !is_num) {
            try {
                s.engine = parse_engine(std::get<std::string>(value));
            } catch (const ValueError& e) {
                throw ValueError(std::string("recipe field 'params.engine': ") + e.what());
            }
            continue;
        }
        if (s.dist == Dist::Categorical && key == "logits" && !is_num) {
            s.logits = parse_double_list(std::get<std::string>(value), "recipe field 'params.logits'", 1u << 24, true);
            continue;
        }
        bool known = false;
        for (const ParamInfo& p : info.params) known = known || key == p.key;
        if (!known || !is_num)
            throw ValueError("recipe field 'params." + key + "': not a parameter of " + info.name + " in this version");
        s.params[key] = std::get<double>(value);
    }
    for (const ParamInfo& p : info.params)
        if (!s.params.count(p.key) && !is_required(p)) s.params[p.key] = p.default_value;
    s.probs = r.probs;
    s.shape = r.shape;
    s.dtype = r.dtype;
    s.device = r.device;
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

stats::Distribution theory(const SampleSpec& s) {
    using K = stats::Distribution::Kind;
    stats::Distribution d;
    auto p = [&](const char* key) { return param(s, key); };
    switch (s.dist) {
        case Dist::Uniform: d = {K::Uniform, p("low"), p("high"), {}}; break;
        case Dist::Normal: d = {K::Normal, p("mean"), p("std"), {}}; break;
        case Dist::RandInt: d = {K::RandInt, p("low"), p("high"), {}}; break;
        case Dist::RandPerm: d = {K::Permutation, static_cast<double>(s.shape[0]), 0.0, {}}; break;
        case Dist::Bernoulli: d = {K::Bernoulli, p("p"), 0.0, {}}; break;
        case Dist::Exponential: d = {K::Exponential, p("lambda"), 0.0, {}}; break;
        case Dist::LogNormal: d = {K::LogNormal, p("mean"), p("std"), {}}; break;
        case Dist::Cauchy: d = {K::Cauchy, p("median"), p("sigma"), {}}; break;
        case Dist::Geometric: d = {K::Geometric, p("p"), 0.0, {}}; break;
        case Dist::Poisson: d = {K::Poisson, p("lambda"), 0.0, {}}; break;
        case Dist::Multinomial: {
            double sum = 0.0;
            for (double w : s.probs) sum += w;
            d.kind = K::Categorical;
            for (double w : s.probs) d.probs.push_back(w / sum);
            break;
        }
        case Dist::Categorical: {
            const Tensor logits = from_vector(s.logits, {static_cast<int64_t>(s.logits.size())}, DType::Float64);
            d.kind = K::Categorical;
            d.probs = softmax_with_temperature(logits, p("temperature")).to_vector();
            break;
        }
    }
    return d;
}

std::string theory_missing(const SampleSpec& s) {
    if (s.dist == Dist::Multinomial && !s.replacement && shape_numel(s.shape) > 1)
        return "draws without replacement are not independent: each one's chances depend on those before";
    return "";
}

std::string no_test_reason(const SampleSpec& s) {
    if (const std::string why = theory_missing(s); !why.empty()) return why;
    if (s.dist == Dist::Poisson && param(s, "lambda") == 0.0) return "every value is 0 (lambda = 0)";
    if (s.dist == Dist::Normal && param(s, "std") == 0.0) return "every value is the mean (std = 0)";
    if (s.dist == Dist::Categorical && param(s, "temperature") == 0.0) return "temperature 0 is argmax: no randomness";
    return "";
}

std::string describe_dist(const SampleSpec& s) {
    const DistInfo& info = dist_info(s.dist);
    std::string out = std::string(info.name) + "(";
    bool first = true;
    auto add = [&](const std::string& kv) {
        out += (first ? "" : ", ") + kv;
        first = false;
    };
    for (const ParamInfo& p : info.params)
        if (s.params.count(p.key)) add(std::string(p.key) + "=" + format_double(s.params.at(p.key)));
    if (s.dist == Dist::RandPerm && !s.shape.empty()) add("n=" + std::to_string(s.shape[0]));
    if (info.takes_probs) {
        add("probs=" + join_doubles(s.probs));
        add(std::string("replacement=") + (s.replacement ? "true" : "false"));
    }
    if (info.takes_logits) add("logits=" + join_doubles(s.logits));
    return out + ")";
}

std::string to_flags(const SampleSpec& s) {
    const DistInfo& info = dist_info(s.dist);
    std::string f = std::string("--dist ") + info.name;
    for (const ParamInfo& p : info.params)
        if (s.params.count(p.key)) f += std::string(" --") + p.key + " " + format_double(s.params.at(p.key));
    if (info.takes_probs) f += " --probs " + join_doubles(s.probs) + (s.replacement ? " --replacement" : "");
    if (info.takes_logits) f += " --logits=" + join_doubles(s.logits);  // '=' keeps a leading '-' a value
    std::string shape;
    for (size_t i = 0; i < s.shape.size(); ++i) shape += (i ? "," : "") + std::to_string(s.shape[i]);
    f += " --shape " + shape + " --dtype " + dtype_name(s.dtype) + " --device " + s.device.str() +
         " --seed " + std::to_string(s.seed);
    if (s.stream) f += " --stream " + std::to_string(s.stream);
    if (s.offset) f += " --offset " + std::to_string(s.offset);
    if (s.engine != Engine::Philox) f += std::string(" --engine ") + engine_name(s.engine);
    return f;
}

}  // namespace nl::app
