// Weights: named-tensor lookup with shape/dtype validation over tensor/io/safetensors.
#include "models/weights.h"

#include <cstdlib>

#include "tensor/errors.h"
#include "tensor/io/safetensors.h"

namespace nl::models {

std::string assets_dir() {
    if (const char* env = std::getenv("NOISELAB_ASSETS"); env && *env) return env;
    return NOISELAB_ASSETS_DIR;
}

std::string asset_path(const std::string& file) { return assets_dir() + "/" + file; }

Weights Weights::load(const std::string& path) {
    io::Safetensors st = io::load_safetensors(path);
    Weights w;
    w.path_ = path;
    w.tensors_ = std::move(st.tensors);
    w.meta_ = std::move(st.metadata);
    return w;
}

const Shape& Weights::shape_of(const std::string& name) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end())
        throw IOError(path_ + ": tensor '" + name + "' is missing (not a weight file for this model?)");
    return it->second.shape();
}

const Tensor& Weights::get(const std::string& name, const Shape& shape, DType dtype) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end())
        throw IOError(path_ + ": tensor '" + name + "' is missing (not a weight file for this model?)");
    const Tensor& t = it->second;
    if (t.shape() != shape)
        throw IOError(path_ + ": tensor '" + name + "' has shape " + shape_str(t.shape()) + ", expected " +
                      shape_str(shape));
    if (t.dtype() != dtype)
        throw IOError(path_ + ": tensor '" + name + "' has dtype " + dtype_name(t.dtype()) + ", expected " +
                      dtype_name(dtype));
    return t;
}

std::string Weights::meta(const std::string& key, const std::string& fallback) const {
    auto it = meta_.find(key);
    return it == meta_.end() ? fallback : it->second;
}

Weights Weights::to(Device device) const {
    Weights w = *this;
    for (auto& [name, t] : w.tensors_) t = t.to(device);
    return w;
}

}  // namespace nl::models
