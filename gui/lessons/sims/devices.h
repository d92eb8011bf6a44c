// Lesson 9's experiment (compute only, no ImGui): the same random tensor made on the CPU and on
// the GPU from the same seed, compared bit for bit, with the time each took. Without a usable
// CUDA device (no CUDA build, no driver, no GPU) it still runs the CPU half and reports the reason
// tensor/backend.h gives (cuda_unavailable_reason()).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/dtype.h"
#include "tensor/tensor.h"

namespace nl::gui::sims {

enum class DeviceOp { Rand, Randn, Randint };
const char* device_op_name(DeviceOp op);  // "rand", "randn", "randint"

struct DeviceCompare {
    DeviceOp op = DeviceOp::Randn;
    Shape shape;
    DType dtype = DType::Float32;
    uint64_t seed = 0;
    double cpu_ms = 0;          // sampling on the CPU
    bool gpu_available = false;
    std::string gpu_missing;    // why not (empty when available)
    std::string gpu_error;      // an error the GPU run threw (empty when none)
    double gpu_ms = -1;         // sampling on the GPU and copying back to the host (-1: not run)
    int64_t numel = 0;
    int64_t differing = -1;     // elements whose bytes differ (-1: not compared)
    uint64_t cpu_hash = 0, gpu_hash = 0;  // tensor_hash of each result
    std::vector<double> preview;          // the CPU tensor's first values
    std::vector<double> histogram;        // 40 bins of the CPU tensor's first 65,536 values
    double hist_lo = 0, hist_hi = 0;      // the histogram's range (their min and max)
    bool equal() const { return differing == 0; }
};

// Why cuda:0 cannot be used here ("built without CUDA", "no CUDA device found", ...), or "" when it can.
std::string gpu_unavailable_reason();

// Samples op(shape, dtype) with a fresh generator seeded `seed` on the CPU and, when a CUDA device
// is available, on cuda:0; ValueError / DTypeError for arguments the op refuses (randint is
// int64 only: dtype is ignored for it).
DeviceCompare compare_devices(DeviceOp op, const Shape& shape, DType dtype, uint64_t seed);

// Elements of a and b (CPU tensors, same shape and dtype) whose bytes differ.
int64_t count_bit_differences(const Tensor& a, const Tensor& b);

}  // namespace nl::gui::sims
