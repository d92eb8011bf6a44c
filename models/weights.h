// Model weights read from a safetensors file (tensor/io/safetensors.h validates the container);
// here each tensor a network needs is looked up by name and its shape and dtype checked, so a
// wrong, truncated or foreign file fails with an IOError naming the file and the tensor.
#pragma once
#include <map>
#include <string>

#include "tensor/tensor.h"

namespace nl::models {

// The directory holding the shipped weights: $NOISELAB_ASSETS if set, else the source tree's assets/.
std::string assets_dir();
// assets_dir() + "/" + file.
std::string asset_path(const std::string& file);

class Weights {
public:
    Weights() = default;
    // Loads and validates the container; IOError when missing, truncated or malformed.
    static Weights load(const std::string& path);
    // The tensor `name` (float32 unless dtype given) with exactly `shape`; IOError otherwise.
    const Tensor& get(const std::string& name, const Shape& shape, DType dtype = DType::Float32) const;
    // The tensor's shape (IOError when absent): used to read a network's widths from its file.
    const Shape& shape_of(const std::string& name) const;
    bool has(const std::string& name) const { return tensors_.count(name) != 0; }
    // A metadata value, or `fallback` when absent.
    std::string meta(const std::string& key, const std::string& fallback = "") const;
    const std::string& path() const { return path_; }
    // Every tensor moved to `device` (for the GPU forward passes).
    Weights to(Device device) const;

private:
    std::string path_;
    std::map<std::string, Tensor> tensors_;
    std::map<std::string, std::string> meta_;
};

}  // namespace nl::models
