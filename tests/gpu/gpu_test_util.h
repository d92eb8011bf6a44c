// Helpers shared by the GPU tests: skipping with the reason where no GPU is usable, the size of
// the parity runs, and byte-exact comparison of tensors with a readable first difference.
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "gpu/device.h"
#include "tensor/backend.h"
#include "tensor/tensor.h"

// Skips the test, naming why, where CUDA cannot be used (no driver, no GPU, disabled).
#define NL_REQUIRE_GPU()                                                                     \
    do {                                                                                     \
        if (!::nl::gpu::is_available())                                                      \
            GTEST_SKIP() << "no usable CUDA GPU: " << ::nl::cuda_unavailable_reason();       \
    } while (0)

namespace nl::gpu_test {

// Elements of the big parity runs: 2^24 + 3 (not a multiple of 4, so every tail path runs),
// unless NOISELAB_GPU_TEST_LOG2N sets the power (compute-sanitizer runs use a small one).
inline int64_t parity_n() {
    int log2n = 24;
    if (const char* e = std::getenv("NOISELAB_GPU_TEST_LOG2N")) log2n = std::atoi(e);
    if (log2n < 4 || log2n > 30) log2n = 24;
    return (int64_t(1) << log2n) + 3;
}

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

}  // namespace nl::gpu_test
