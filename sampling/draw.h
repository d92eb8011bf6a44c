// One draw: everything that decides a sampled tensor's values once the generator is given, the
// single function that draws it, and the theory its values follow. `noiselab sample`, the
// desktop app's sampler and the recipes all draw through here, so the same settings give the
// same bits and are held against the same theory everywhere. (The lessons' sampler visuals draw
// through the app's sampler too; their simulations call the random ops directly.)
#pragma once
#include <string>
#include <vector>

#include "sampling/distributions.h"
#include "tensor/engine.h"
#include "tensor/generator.h"
#include "tensor/stats.h"
#include "tensor/tensor.h"

namespace nl::sampling {

struct Draw {
    Dist dist = Dist::Normal;
    double params[2] = {0.0, 1.0};  // in the order of dist_def(dist).keys
    std::vector<double> weights;     // probs (multinomial) or logits (categorical)
    bool replacement = false;        // multinomial: may a category be drawn again
    Shape shape{64, 1, 28, 28};
    DType dtype = DType::Float32;
    Device device = Device::cpu();
    // Philox: Noise Lab's streams (every distribution, the same bits on every device). cuRAND's
    // engines draw uniform, normal, lognormal and poisson (tensor/engine.h's engine_draws).
    Engine engine = Engine::Philox;
};

// Draws the tensor from `gen`, advancing it, with the random ops of tensor/random.h. The caller
// validates first (each front end words its own messages); the ops still refuse what they cannot
// draw with their typed errors.
Tensor draw(const Draw& d, Generator& gen);

// The distribution each element follows; for multinomial without replacement only a row's first
// draw does (see theory_missing).
stats::Distribution theory(const Draw& d);
// Why theory(d) does not describe the sample at all ("" when it does): draws without
// replacement, whose draws after the first have other chances than probs.
std::string theory_missing(const Draw& d);
// Why a goodness-of-fit test would say nothing ("" when it would): theory_missing, or a sample
// with no randomness (std = 0, lambda = 0, temperature 0).
std::string untested_reason(const Draw& d);

}  // namespace nl::sampling
