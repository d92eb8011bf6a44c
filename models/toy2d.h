// The five 2-D toy data sets of the toy diffusion model (the same distributions as
// models/train/common.py toy2d(), drawn here from nl::Generator streams), and their names.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/generator.h"
#include "tensor/tensor.h"

namespace nl::models {

// Index = the dataset id the toy denoiser is conditioned on.
const std::vector<std::string>& toy_names();  // moons, swiss_roll, eight_gaussians, checkerboard, spiral
// The index of a name ("8gaussians" and "swiss-roll" are accepted too); ValueError listing the valid ones.
int toy_index(const std::string& name);
// n points [n, 2] float32 of data set `index`.
Tensor toy_data(int index, int64_t n, Generator& gen);

}  // namespace nl::models
