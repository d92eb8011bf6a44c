#include "tensor/backend.h"

#include <mutex>

#include "tensor/errors.h"
#include "tensor/tensor.h"

namespace nl {

namespace {
Backend* g_backends[2] = {nullptr, nullptr};
std::string& cuda_reason() {
    static std::string why = "this build has no CUDA support (the CUDA toolkit was not found at build time)";
    return why;
}
}  // namespace

Backend* cpu_backend_instance();  // cpu_backend.cpp
#if defined(NL_WITH_CUDA_BACKEND)
// gpu/cuda_backend.cpp (linked in whenever the CUDA backend is built): the backend, or nullptr
// after recording why CUDA is unusable (no driver, no GPU).
namespace gpu {
Backend* probe_cuda_backend();
}
#endif

Backend* find_backend(DeviceType type) {
    if (type == DeviceType::CPU) return cpu_backend_instance();
#if defined(NL_WITH_CUDA_BACKEND)
    static std::once_flag probed;
    std::call_once(probed, [] {
        if (!g_backends[static_cast<int>(DeviceType::CUDA)])
            g_backends[static_cast<int>(DeviceType::CUDA)] = gpu::probe_cuda_backend();
    });
#endif
    return g_backends[static_cast<int>(type)];
}

Backend& backend_for(Device device) {
    Backend* b = find_backend(device.type);
    if (!b) throw DeviceError("device " + device.str() + " is not available: " + cuda_reason());
    if (device.index < 0 || device.index >= b->device_count())
        throw DeviceError("device " + device.str() + " does not exist; " + std::to_string(b->device_count()) +
                          " CUDA device(s) found (valid: cuda:0 to cuda:" + std::to_string(b->device_count() - 1) + ")");
    return *b;
}

void register_backend(DeviceType type, Backend* backend) { g_backends[static_cast<int>(type)] = backend; }

std::string cuda_unavailable_reason() { return find_backend(DeviceType::CUDA) ? std::string() : cuda_reason(); }
void set_cuda_unavailable_reason(const std::string& why) { cuda_reason() = why; }

Tensor DeviceOps::binary(DeviceBinaryOp, const Tensor&, const Tensor&) { return Tensor(); }
Tensor DeviceOps::unary(DeviceUnaryOp, const Tensor&) { return Tensor(); }
Tensor DeviceOps::convert(const Tensor&, DType) { return Tensor(); }
Tensor DeviceOps::contiguous(const Tensor&) { return Tensor(); }
Tensor DeviceOps::sum(const Tensor&) { return Tensor(); }
Tensor DeviceOps::reduce_rows(DeviceReduceOp, const Tensor&, int64_t, int64_t, bool) { return Tensor(); }
bool DeviceOps::extreme_rows(bool, const Tensor&, int64_t, int64_t, Tensor&, Tensor&) { return false; }
Tensor DeviceOps::softmax(const Tensor&, int64_t, bool) { return Tensor(); }
Tensor DeviceOps::matmul(const Tensor&, const Tensor&) { return Tensor(); }
Tensor DeviceOps::index_select(const Tensor&, int64_t, const Tensor&) { return Tensor(); }
Tensor DeviceOps::binary_scalar(DeviceBinaryOp, const Tensor&, double, bool) { return Tensor(); }
Tensor DeviceOps::conv2d(const Tensor&, const Tensor&, const Tensor&, const DeviceConvOptions&, int64_t, int64_t,
                         const Tensor&) {
    return Tensor();
}
Tensor DeviceOps::group_norm(const Tensor&, int64_t, const Tensor&, const Tensor&, double, bool) { return Tensor(); }
Tensor DeviceOps::layer_norm(const Tensor&, int64_t, const Tensor&, const Tensor&, double) { return Tensor(); }
Tensor DeviceOps::batch_norm(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&, double) {
    return Tensor();
}
Tensor DeviceOps::gather(const Tensor&, int64_t, const Tensor&) { return Tensor(); }
Tensor DeviceOps::cumsum(const Tensor&, int64_t, int64_t, int64_t) { return Tensor(); }
Tensor DeviceOps::avg_pool2d(const Tensor&, const layer::PoolGeometry&) { return Tensor(); }
Tensor DeviceOps::conv_transpose2d(const Tensor&, const Tensor&, const Tensor&, const layer::ConvTransposeGeometry&) {
    return Tensor();
}
Tensor DeviceOps::upsample_nearest2d(const Tensor&, int64_t, int64_t, double, double) { return Tensor(); }
Tensor DeviceOps::cat(const std::vector<Tensor>&, int64_t, const std::vector<int64_t>&) { return Tensor(); }
Tensor DeviceOps::clamp(const Tensor&, bool, double, bool, double) { return Tensor(); }
Tensor DeviceOps::compare(DeviceCompareOp, const Tensor&, const Tensor&) { return Tensor(); }
Tensor DeviceOps::compare_scalar(DeviceCompareOp, const Tensor&, double) { return Tensor(); }
Tensor DeviceOps::where(const Tensor&, const Tensor&, const Tensor&) { return Tensor(); }
bool DeviceOps::histogram(const Tensor&, int, double, double, double, DeviceHistogram&) { return false; }
bool DeviceOps::moments(const Tensor&, DeviceMoments&) { return false; }

DeviceOps* device_ops_for(std::initializer_list<const Tensor*> tensors) {
    const Tensor* first = nullptr;
    for (const Tensor* t : tensors) {
        if (!t || !t->defined()) continue;
        if (t->device().is_cpu()) return nullptr;
        if (first && first->device() != t->device()) return nullptr;
        if (!first) first = t;
    }
    if (!first) return nullptr;
    Backend* b = find_backend(first->device().type);
    return b ? b->ops() : nullptr;
}

const char* random_kind_name(RandomKind k) {
    switch (k) {
        case RandomKind::Uniform: return "uniform";
        case RandomKind::Normal: return "normal";
        case RandomKind::RandInt: return "randint";
        case RandomKind::Bernoulli: return "bernoulli";
        case RandomKind::Exponential: return "exponential";
        case RandomKind::LogNormal: return "log_normal";
        case RandomKind::Cauchy: return "cauchy";
        case RandomKind::Geometric: return "geometric";
        case RandomKind::Poisson: return "poisson";
    }
    return "?";
}

}  // namespace nl
