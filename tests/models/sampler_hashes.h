// The end-to-end sampler hashes of tests/golden/models/sampler_hashes.txt (C++-generated goldens;
// regenerate with NOISELAB_REGENERATE_GOLDEN=1 ./models_tests --gtest_filter='SamplerGolden.*'),
// computed on a device and read from the file; shared by the CPU test (every key) and the GPU
// test (the keys whose every op gives the CPU's bits there).
#pragma once
#include <map>
#include <string>

#include "tensor/device.h"

namespace nl::models::testing {

// Which samplers to run: all of them, or those whose ops are all exact on a GPU (the digits
// diffusion samplers and the VAE decoders; the toy model's sin / cos and the GAN's and the
// character model's tanh are CUDA's math library there).
enum class SamplerSet { All, ExactOnGpu };

// key -> 16 hex digits, with the models and the samplers' tensors on `device`.
std::map<std::string, std::string> sampler_hashes(Device device, SamplerSet set);
// The golden file's keys and hashes.
std::map<std::string, std::string> golden_sampler_hashes();
std::string sampler_hashes_path();

}  // namespace nl::models::testing
