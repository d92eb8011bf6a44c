// The sampler's command-line flags (--dist, --shape, --mean, ..., --seed), registered on a CLI11
// app and turned into a SampleSpec. Shared by `noiselab sample` and the desktop app, which
// accepts the same flags to start from a given tensor.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "app/cli_sampler.h"

namespace nl::app {

// Raw flag text; parsed strictly by spec_from_flags so that messages name the flag and range.
struct SamplerFlags {
    std::string dist = "normal";
    std::string shape;  // empty: the distribution's default shape
    std::string mean, std, low, high, p, lambda, median, sigma, temperature;
    std::string probs, logits;
    bool replacement = false, no_replacement = false;
    std::string dtype, device = "cpu";
    std::string seed, offset = "0", stream = "0";
    std::string engine = "philox";
};

// Registers the flags in an option group "Sampler".
void add_sampler_flags(CLI::App& app, SamplerFlags& f);
// The spec the given flags describe: defaults for what was not given (see docs/CLI.md),
// ValueError / ShapeError / DTypeError for bad values or flags that do not apply.
SampleSpec spec_from_flags(const SamplerFlags& f, const CLI::App& app);
// The first flag given that sets the tensor (all of the above but --device, which only says
// where), as "--seed"; "" when none was. `noiselab sample --from` refuses them.
std::string first_sampler_flag_given(const CLI::App& app);
// The shape used when --shape is not given.
Shape default_shape(const SampleSpec& s);

}  // namespace nl::app
