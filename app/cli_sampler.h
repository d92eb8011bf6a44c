// What `noiselab sample` draws: the distributions as flags (parameters, defaults, valid ranges in
// words), a SampleSpec holding everything that determines the tensor, sampling it, converting it
// to and from the recipe embedded in PNGs, and the theoretical distribution the values follow.
// The draw, the theory and the recipe encoding are sampling/'s, which the desktop app uses too,
// so both draw the same bits and read each other's recipes.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sampling/distributions.h"
#include "sampling/draw.h"
#include "tensor/engine.h"
#include "tensor/generator.h"
#include "tensor/io/recipe.h"
#include "tensor/stats.h"
#include "tensor/tensor.h"

namespace nl::app {

// The distributions and their names, keys and PyTorch defaults are sampling/'s (shared with the
// app); this table adds what the command line shows: the valid ranges as words and a summary.
using Dist = sampling::Dist;

// One numeric parameter of a distribution, as a flag (--mean) and a recipe key ("mean").
struct ParamInfo {
    const char* key;
    double default_value;  // PyTorch's; NaN: required
    const char* valid;     // human-readable valid range, e.g. "a finite number >= 0"
};

struct DistInfo {
    Dist dist;
    const char* name;                // --dist value and recipe op
    std::vector<ParamInfo> params;   // numeric parameters, in flag order
    bool takes_probs = false;        // --probs (and --replacement)
    bool takes_logits = false;       // --logits
    DType default_dtype;
    const char* summary;             // one line for --help and docs
};

const std::vector<DistInfo>& all_dists();  // in sampling::all_dists()'s order
const DistInfo& dist_info(Dist d);
// ValueError naming the text and listing the valid names.
Dist parse_dist(const std::string& name);
std::string dist_names();  // "normal, uniform, lognormal, ..."

// Everything that determines a sampled tensor (and nothing else).
struct SampleSpec {
    Dist dist = Dist::Normal;
    std::map<std::string, double> params;  // every numeric parameter of the distribution
    std::vector<double> probs;             // multinomial weights
    std::vector<double> logits;            // categorical logits (finite or -inf)
    bool replacement = false;              // multinomial
    Shape shape{64, 1, 28, 28};
    DType dtype = DType::Float32;
    Device device = Device::cpu();
    uint64_t seed = kDefaultSeed;
    uint64_t offset = 0;  // Philox blocks already used on the stream
    uint32_t stream = 0;
    // Philox: Noise Lab's streams (every distribution, the same bits on every device). cuRAND's
    // engines draw uniform, normal, lognormal and poisson, reproducible per device.
    Engine engine = Engine::Philox;
};

// The draw the spec describes (its parameters in the table's order), for sampling/'s functions.
sampling::Draw to_draw(const SampleSpec& s);

// Checks the parameters against their valid ranges (ValueError / ShapeError / DTypeError naming
// the flag, the value and the range); sample() calls it first.
void validate(const SampleSpec& s);

struct SampleResult {
    Tensor tensor;
    Device device;                    // where it was sampled (CPU when CUDA was asked but is absent)
    std::vector<std::string> notes;   // e.g. "CUDA unavailable (...): sampled on the CPU"
    uint64_t next_offset = 0;         // the generator's offset after the op
};
// Samples the tensor. Values depend only on the spec (devices give identical bits).
SampleResult sample(const SampleSpec& s);

// The recipe of a sampled tensor (hash of `t` included); `device` is where it was sampled.
io::Recipe to_recipe(const SampleSpec& s, const Tensor& t, Device device);
// The spec a recipe describes; ValueError naming the field for unknown ops or parameters.
SampleSpec from_recipe(const io::Recipe& r);

// The distribution each element follows (for multinomial without replacement only the first
// draw of a row does; see theory_missing).
stats::Distribution theory(const SampleSpec& s);
// Why a goodness-of-fit test would be meaningless for this spec, or "" if it is meaningful.
std::string no_test_reason(const SampleSpec& s);
// Why theory(s) does not describe the sample at all ("" when it does): multinomial draws without
// replacement, whose draws after the first have other chances than probs (no overlay, no column).
std::string theory_missing(const SampleSpec& s);

// "normal(mean=0, std=1)" with the spec's parameters under their flag names; lists longer than
// 8 values show their first values and their length (sampling::describe, as the app titles it).
std::string describe_dist(const SampleSpec& s);
// The `noiselab sample` flags that reproduce the spec ("--dist normal --mean 0 ... --seed 1";
// sampling::sample_flags, as the app writes them).
std::string to_flags(const SampleSpec& s);

}  // namespace nl::app
