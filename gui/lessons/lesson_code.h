// Small helpers for the PyTorch code the lessons show: numbers as Python literals, shapes as
// tuples, the seeding line, dtype names. Shared by every visual so the snippets read alike.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "gui/sampler.h"

namespace nl::gui::code {

std::string py_num(double v);                         // 0.5, 3, 1e-05 (round-trips, no trailing zeros)
std::string py_shape(const std::vector<int64_t>& s);  // "(64, 1, 28, 28)", "(10,)"
std::string py_dtype(DType d);                        // "torch.float32"
// "torch.manual_seed(S)\n" or "g = torch.Generator().manual_seed(S)\n" for the settings' mode.
std::string seed_line(const SamplerSettings& s);
std::string gen_arg(const SamplerSettings& s);        // "" or ", generator=g"

}  // namespace nl::gui::code
