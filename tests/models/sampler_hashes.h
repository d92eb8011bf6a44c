// The end-to-end sampler hashes of tests/golden/models/sampler_hashes.txt (C++-generated goldens;
// regenerate with NOISELAB_REGENERATE_GOLDEN=1 ./models_tests --gtest_filter='SamplerGolden.*'),
// computed on a device and read from the file; shared by the CPU test, the stand-in device test
// and the GPU test (every op the samplers run gives the CPU's bits there).
#pragma once
#include <map>
#include <string>

#include "tensor/device.h"

namespace nl::models::testing {

// key -> 16 hex digits, with the models and the samplers' tensors on `device`.
std::map<std::string, std::string> sampler_hashes(Device device);
// The golden file's keys and hashes.
std::map<std::string, std::string> golden_sampler_hashes();
std::string sampler_hashes_path();

}  // namespace nl::models::testing
