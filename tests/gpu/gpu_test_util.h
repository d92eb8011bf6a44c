// Helpers shared by the GPU tests: skipping with the reason where no GPU is usable, the size of
// the parity runs, byte-exact comparison of tensors with a readable first difference, the CUDA
// op table, seeded test data and the worst relative error against the CPU.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "gpu/device.h"
#include "tests/support/require_gpu.h"
#include "tensor/backend.h"
#include "tensor/generator.h"
#include "tensor/ops.h"
#include "tensor/random.h"
#include "tensor/tensor.h"

// Skips the test, naming why, where CUDA cannot be used (no driver, no GPU, disabled); fails it
// instead under NOISELAB_REQUIRE_GPU=1 (tests/support/require_gpu.h).
#define NL_REQUIRE_GPU() \
    NL_SKIP_UNLESS_GPU(::nl::gpu::is_available(), "no usable CUDA GPU: " + ::nl::cuda_unavailable_reason())

namespace nl::gpu_test {

// Elements of the big parity runs: 2^24 + 3 (not a multiple of 4, so every tail path runs),
// unless NOISELAB_GPU_TEST_LOG2N sets the power (compute-sanitizer runs use a small one).
inline int64_t parity_n() {
    int log2n = 24;
    if (const char* e = std::getenv("NOISELAB_GPU_TEST_LOG2N")) log2n = std::atoi(e);
    if (log2n < 4 || log2n > 30) log2n = 24;
    return (int64_t(1) << log2n) + 3;
}

// Whether this is a small-size run (NOISELAB_GPU_TEST_LOG2N set, as run_device_checks.sh does under
// compute-sanitizer, where every kernel runs tens of times slower): tests leave out their largest
// cases then.
inline bool small_sizes() { return std::getenv("NOISELAB_GPU_TEST_LOG2N") != nullptr; }

// Both tensors brought to the CPU; equal dtype, shape and bytes, or a message naming the first
// element that differs.
inline ::testing::AssertionResult same_bytes(const Tensor& a, const Tensor& b) {
    if (a.dtype() != b.dtype())
        return ::testing::AssertionFailure() << "dtypes differ: " << dtype_name(a.dtype()) << " vs " << dtype_name(b.dtype());
    if (a.shape() != b.shape())
        return ::testing::AssertionFailure() << "shapes differ: " << shape_str(a.shape()) << " vs " << shape_str(b.shape());
    const Tensor ca = a.cpu().contiguous(), cb = b.cpu().contiguous();
    const size_t es = ca.element_size();
    const auto* pa = static_cast<const unsigned char*>(ca.data_ptr());
    const auto* pb = static_cast<const unsigned char*>(cb.data_ptr());
    if (std::memcmp(pa, pb, ca.nbytes()) == 0) return ::testing::AssertionSuccess();
    int64_t first = -1, count = 0;
    for (int64_t i = 0; i < ca.numel(); ++i)
        if (std::memcmp(pa + i * es, pb + i * es, es) != 0) {
            if (first < 0) first = i;
            ++count;
        }
    const Tensor fa = ca.flatten(), fb = cb.flatten();
    return ::testing::AssertionFailure() << count << " of " << ca.numel() << " elements differ; first at " << first
                                         << ": " << fa.at({first}) << " vs " << fb.at({first});
}

// The CUDA backend's op table (null only when CUDA is unusable: call after NL_REQUIRE_GPU()).
inline DeviceOps* cuda_ops() { return backend_for(Device::cuda()).ops(); }

// randn values of shape s in dtype dt from Generator(seed), times `scale`: float64 draws rounded
// to dt, so every dtype sees the same numbers.
inline Tensor data(const Shape& s, DType dt, uint64_t seed, double scale = 1.0) {
    Generator g(seed);
    return (randn(s, {DType::Float64}, &g) * scale).to(dt);
}

// Same bits, or NaN where the other has NaN (a NaN's payload is the GPU's, docs/GPU.md).
inline bool same_values_nan_aware(const Tensor& cpu, const Tensor& dev) {
    const std::vector<double> c = cpu.to_vector(), g = dev.to_vector();
    if (c.size() != g.size()) return false;
    for (size_t i = 0; i < c.size(); ++i) {
        if (std::isnan(c[i]) || std::isnan(g[i])) {
            if (std::isnan(c[i]) != std::isnan(g[i])) return false;
        } else if (std::memcmp(&c[i], &g[i], sizeof(double)) != 0) {
            return false;
        }
    }
    return true;
}

// max |dev - cpu| / (|cpu| + floor) over all elements, NaN where both are NaN counting as equal.
inline double max_rel(const Tensor& cpu, const Tensor& dev, double floor) {
    EXPECT_EQ(cpu.shape(), dev.shape());
    EXPECT_EQ(cpu.dtype(), dev.dtype());
    const std::vector<double> c = cpu.to_vector(), g = dev.to_vector();
    double worst = 0;
    for (size_t i = 0; i < c.size(); ++i) {
        if (std::isnan(c[i]) && std::isnan(g[i])) continue;
        worst = std::max(worst, std::abs(g[i] - c[i]) / (std::abs(c[i]) + floor));
    }
    return worst;
}

}  // namespace nl::gpu_test
