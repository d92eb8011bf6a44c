// The sampler's flags (see cli_flags.h): registration on CLI11 and strict conversion to a spec.
#include "app/cli_flags.h"

#include <algorithm>
#include <cmath>

#include "app/cli_parse.h"
#include "tensor/errors.h"

namespace nl::app {

namespace {

struct NumFlag {
    const char* name;
    std::string SamplerFlags::*field;
    const char* help;
};

const NumFlag kNumFlags[] = {
    {"mean", &SamplerFlags::mean, "mean (normal: default 0; lognormal: of the underlying normal, default 1)"},
    {"std", &SamplerFlags::std, "standard deviation (normal: >= 0, default 1; lognormal: > 0, default 2)"},
    {"low", &SamplerFlags::low, "lower bound (uniform: default 0; randint: integer, default 0)"},
    {"high", &SamplerFlags::high, "upper bound, exclusive (uniform: default 1; randint: integer, required)"},
    {"p", &SamplerFlags::p, "probability (bernoulli: [0, 1]; geometric: (0, 1); default 0.5)"},
    {"lambda", &SamplerFlags::lambda, "rate (exponential: > 0; poisson: >= 0; default 1)"},
    {"median", &SamplerFlags::median, "cauchy median (default 0)"},
    {"sigma", &SamplerFlags::sigma, "cauchy scale, > 0 (default 1)"},
    {"temperature", &SamplerFlags::temperature, "categorical temperature, >= 0, 0 = argmax (default 1)"},
};

bool given(const CLI::App& app, const std::string& name) {
    const CLI::Option* o = app.get_option_no_throw("--" + name);
    return o && o->count() > 0;
}

}  // namespace

void add_sampler_flags(CLI::App& app, SamplerFlags& f) {
    const std::string g = "Sampler";
    app.add_option("--dist", f.dist, "distribution: " + dist_names() + " (default normal)")->group(g);
    app.add_option("--shape", f.shape,
                   "output shape, e.g. 64,1,28,28 (default 64,1,28,28; randperm: [n], default 100; multinomial: "
                   "the number of categories, or 1000 with --replacement; categorical: 1000)")
        ->group(g);
    for (const NumFlag& n : kNumFlags) app.add_option(std::string("--") + n.name, f.*(n.field), n.help)->group(g);
    app.add_option("--probs", f.probs, "multinomial weights >= 0, e.g. 0.1,0.2,0.7")->group(g);
    app.add_option("--logits", f.logits, "categorical logits (finite or -inf), e.g. 2,1,0.5; use --logits=-1,2 for a leading minus")
        ->group(g);
    app.add_flag("--replacement", f.replacement, "multinomial: draw with replacement")->group(g);
    app.add_flag("--no-replacement", f.no_replacement, "multinomial: draw without replacement (the default)")->group(g);
    app.add_option("--dtype", f.dtype, "element type: " + all_dtype_names() + " (default per distribution)")->group(g);
    app.add_option("--device", f.device, "cpu, cuda or cuda:N (default cpu; CUDA gives the same values)")->group(g);
    app.add_option("--seed", f.seed, "seed, 0 to 2^64-1, decimal or 0x hex (default 67280421310721, PyTorch's)")->group(g);
    app.add_option("--offset", f.offset, "Philox blocks to skip on the stream first, 0 to 2^64-1 (default 0)")->group(g);
    app.add_option("--stream", f.stream, "stream id, 0 to 4294967295 (default 0)")->group(g);
    app.add_option("--engine", f.engine,
                   "random engine: philox (default; every distribution, the same values on CPU and CUDA) or cuRAND's " +
                       all_engine_names().substr(std::string("philox, ").size()) +
                       " (uniform, normal, lognormal, poisson; reproducible per device)")
        ->group(g);
}

std::string first_sampler_flag_given(const CLI::App& app) {
    for (const char* n : {"dist", "shape", "probs", "logits", "replacement", "no-replacement", "dtype", "seed", "offset", "stream", "engine"})
        if (given(app, n)) return std::string("--") + n;
    for (const NumFlag& n : kNumFlags)
        if (given(app, n.name)) return std::string("--") + n.name;
    return "";
}

Shape default_shape(const SampleSpec& s) {
    switch (s.dist) {
        case Dist::RandPerm: return {100};
        case Dist::Multinomial:
            if (s.replacement) return {1000};
            return {std::max<int64_t>(1, static_cast<int64_t>(std::count_if(s.probs.begin(), s.probs.end(), [](double w) { return w > 0.0; })))};
        case Dist::Categorical: return {1000};
        default: return {64, 1, 28, 28};
    }
}

SampleSpec spec_from_flags(const SamplerFlags& f, const CLI::App& app) {
    SampleSpec s;
    s.dist = parse_dist(f.dist);
    const DistInfo& info = dist_info(s.dist);
    for (const NumFlag& n : kNumFlags) {
        if (!given(app, n.name)) continue;
        bool applies = false;
        for (const ParamInfo& p : info.params) applies = applies || std::string(p.key) == n.name;
        if (!applies) {
            std::string valid;
            for (const ParamInfo& p : info.params) valid += (valid.empty() ? "--" : ", --") + std::string(p.key);
            if (info.takes_probs) valid += (valid.empty() ? "" : ", ") + std::string("--probs, --replacement");
            if (info.takes_logits) valid += (valid.empty() ? "" : ", ") + std::string("--logits");
            throw ValueError(std::string("--") + n.name + " does not apply to --dist " + info.name +
                             (valid.empty() ? std::string(" (it takes no parameters)") : " (its parameters: " + valid + ")"));
        }
        s.params[n.name] = parse_double(f.*(n.field), std::string("--") + n.name);
    }
    for (const ParamInfo& p : info.params)
        if (!s.params.count(p.key) && !std::isnan(p.default_value)) s.params[p.key] = p.default_value;

    if (given(app, "probs")) {
        if (!info.takes_probs) throw ValueError(std::string("--probs does not apply to --dist ") + info.name + " (only multinomial)");
        s.probs = parse_double_list(f.probs, "--probs", 1u << 24);
    }
    if (given(app, "logits")) {
        if (!info.takes_logits) throw ValueError(std::string("--logits does not apply to --dist ") + info.name + " (only categorical)");
        s.logits = parse_double_list(f.logits, "--logits", 1u << 24, true);
    }
    if (f.replacement && f.no_replacement) throw ValueError("--replacement and --no-replacement contradict each other; give one");
    if ((f.replacement || f.no_replacement) && !info.takes_probs)
        throw ValueError(std::string(f.replacement ? "--replacement" : "--no-replacement") + " does not apply to --dist " +
                         info.name + " (only multinomial)");
    s.replacement = f.replacement;

    s.shape = given(app, "shape") ? parse_shape(f.shape) : default_shape(s);
    try {
        s.dtype = given(app, "dtype") ? parse_dtype(f.dtype) : info.default_dtype;
    } catch (const DTypeError& e) {
        throw DTypeError(std::string("--dtype: ") + e.what());
    }
    try {
        s.device = parse_device(f.device);
    } catch (const ValueError& e) {
        throw ValueError(std::string("--device: ") + e.what());
    }
    s.seed = given(app, "seed") ? parse_uint(f.seed, "--seed") : kDefaultSeed;
    s.offset = parse_uint(f.offset, "--offset");
    s.stream = static_cast<uint32_t>(parse_uint(f.stream, "--stream", UINT32_MAX));
    try {
        s.engine = parse_engine(f.engine);
    } catch (const ValueError& e) {
        throw ValueError(std::string("--engine: ") + e.what());
    }
    validate(s);
    return s;
}

}  // namespace nl::app
