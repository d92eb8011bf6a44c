// Helpers of tests/models: golden file paths, relative error, and skipping GPU tests without a GPU.
#pragma once
#include <cmath>
#include <cstdio>
#include <string>

#include "models/weights.h"
#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/io/safetensors.h"
#include "tensor/ops.h"

namespace nl::models::testing {

inline std::string golden(const std::string& file) { return std::string(NOISELAB_SOURCE_DIR) + "/tests/golden/models/" + file; }
inline std::string asset(const std::string& file) { return std::string(NOISELAB_SOURCE_DIR) + "/assets/" + file; }

// ||a - b|| / ||b|| in double.
inline double rel_error(const Tensor& a, const Tensor& b) {
    const auto va = a.cpu().to_vector(), vb = b.cpu().to_vector();
    if (va.size() != vb.size()) return INFINITY;
    double num = 0, den = 0;
    for (size_t i = 0; i < va.size(); ++i) {
        num += (va[i] - vb[i]) * (va[i] - vb[i]);
        den += vb[i] * vb[i];
    }
    return std::sqrt(num) / std::sqrt(den);
}

// Whether a shipped weight file exists (the GAN's may be absent: see docs/MODELS.md).
inline bool file_exists(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f) std::fclose(f);
    return f != nullptr;
}

inline bool have_cuda() { return cuda_unavailable_reason().empty(); }

}  // namespace nl::models::testing
