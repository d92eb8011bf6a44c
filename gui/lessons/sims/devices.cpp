// Lesson 9's experiment: one seed, two devices, the bytes compared (devices.h).
#include "gui/lessons/sims/devices.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/generator.h"
#include "tensor/hash.h"
#include "tensor/random.h"

namespace nl::gui::sims {

namespace {

Tensor sample(DeviceOp op, const Shape& shape, DType dtype, uint64_t seed, Device dev) {
    Generator g(seed);  // a local generator: the same state whichever device runs it
    switch (op) {
        case DeviceOp::Rand: return rand(shape, {dtype, dev}, &g);
        case DeviceOp::Randn: return randn(shape, {dtype, dev}, &g);
        case DeviceOp::Randint: return randint(0, 10, shape, {DType::Int64, dev}, &g);
    }
    throw ValueError("devices: unknown op");
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

const char* device_op_name(DeviceOp op) {
    switch (op) {
        case DeviceOp::Rand: return "rand";
        case DeviceOp::Randn: return "randn";
        case DeviceOp::Randint: return "randint";
    }
    return "?";
}

int64_t count_bit_differences(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape() || a.dtype() != b.dtype())
        throw ShapeError("devices: cannot compare " + shape_str(a.shape()) + " " + dtype_name(a.dtype()) + " with " +
                         shape_str(b.shape()) + " " + dtype_name(b.dtype()));
    const Tensor ca = a.cpu().contiguous(), cb = b.cpu().contiguous();
    const size_t es = ca.element_size();
    const auto* pa = static_cast<const unsigned char*>(ca.data_ptr());
    const auto* pb = static_cast<const unsigned char*>(cb.data_ptr());
    int64_t d = 0;
    for (int64_t i = 0; i < ca.numel(); ++i) d += std::memcmp(pa + i * es, pb + i * es, es) != 0;
    return d;
}

std::string gpu_unavailable_reason() {
    const std::string why = cuda_unavailable_reason();
    if (!why.empty()) return why;
    const Backend* be = find_backend(DeviceType::CUDA);
    return be && be->device_count() > 0 ? std::string() : "no CUDA device found";
}

DeviceCompare compare_devices(DeviceOp op, const Shape& shape, DType dtype, uint64_t seed) {
    DeviceCompare r;
    r.op = op;
    r.shape = shape;
    r.dtype = op == DeviceOp::Randint ? DType::Int64 : dtype;
    r.seed = seed;
    auto t0 = std::chrono::steady_clock::now();
    const Tensor cpu = sample(op, shape, r.dtype, seed, Device::cpu());
    r.cpu_ms = ms_since(t0);
    r.numel = cpu.numel();
    r.cpu_hash = tensor_hash(cpu);
    const std::vector<double> all = cpu.numel() <= 65536 ? cpu.to_vector() : cpu.flatten().narrow(0, 0, 65536).to_vector();
    r.preview.assign(all.begin(), all.begin() + std::min<size_t>(all.size(), 16));
    if (!all.empty()) {
        r.hist_lo = *std::min_element(all.begin(), all.end());
        r.hist_hi = *std::max_element(all.begin(), all.end());
        r.histogram.assign(40, 0.0);
        const double span = r.hist_hi > r.hist_lo ? r.hist_hi - r.hist_lo : 1.0;
        for (double v : all) r.histogram[std::min<size_t>(39, static_cast<size_t>((v - r.hist_lo) / span * 40))] += 1;
    }

    r.gpu_missing = gpu_unavailable_reason();
    r.gpu_available = r.gpu_missing.empty();
    if (!r.gpu_available) return r;
    try {
        sample(op, {1}, r.dtype, seed, Device::cuda(0)).cpu();  // warm-up: context, kernels
        t0 = std::chrono::steady_clock::now();
        const Tensor gpu = sample(op, shape, r.dtype, seed, Device::cuda(0)).cpu();  // .cpu() waits
        r.gpu_ms = ms_since(t0);
        r.gpu_hash = tensor_hash(gpu);
        r.differing = count_bit_differences(cpu, gpu);
    } catch (const Error& e) {
        r.gpu_error = e.what();
    }
    return r;
}

}  // namespace nl::gui::sims
