// A draw in words: the title that names it ("normal(mean=0, std=1)") and the `noiselab sample`
// flags that draw it again. The command line prints them (`noiselab sample`, `noiselab info`),
// the app shows them (titles, the "command line" box, lesson records), so the two say the same.
#pragma once
#include <cstdint>
#include <string>

#include "sampling/draw.h"

namespace nl::sampling {

// "64,1,28,28": a shape as --shape takes it.
std::string shape_arg(const Shape& s);
// "normal(mean=0, std=1)", "multinomial(probs=0.1,0.2,0.7, replacement=false)",
// "randperm(n=1000)"; a list longer than 8 values shows its first values and its length.
std::string describe(const Draw& d);
// "--dist normal --mean 0 --std 1 --shape 64,1,28,28 --dtype float32 --device cpu --seed 7"
// (then --stream, --offset and --engine where they are not the defaults): the flags that draw
// the same tensor. Numbers are the shortest decimals that read back as the same doubles; lists
// are written as --probs=LIST / --logits=LIST so that a leading "-inf" stays a value.
std::string sample_flags(const Draw& d, uint64_t seed, uint64_t offset = 0, uint32_t stream = 0);

}  // namespace nl::sampling
