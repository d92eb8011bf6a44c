// gpu/conversion_check.h: every float32 bit pattern converted both ways on the GPU.
#include <cuda_runtime_api.h>

#include "gpu/allocator.h"
#include "gpu/conversion_check.h"
#include "gpu/cuda_check.h"
#include "gpu/device.h"
#include "tensor/detmath.h"
#include "tensor/half.h"

namespace nl::gpu {
namespace {

__global__ void k_half_conversion_mismatches(unsigned long long* count, unsigned int* first) {
    const uint64_t stride = static_cast<uint64_t>(gridDim.x) * blockDim.x;
    unsigned long long local = 0;
    unsigned int local_first = 0xFFFFFFFFu;
    for (uint64_t i = static_cast<uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < (uint64_t(1) << 32); i += stride) {
        const float f = __uint_as_float(static_cast<unsigned int>(i));
        if (float_to_half_bits(f) != float_to_half_bits_portable(f)) {
            ++local;
            if (static_cast<unsigned int>(i) < local_first) local_first = static_cast<unsigned int>(i);
        }
    }
    if (local) {
        atomicAdd(count, local);
        atomicMin(first, local_first);
    }
}

// Inputs: bit patterns [lo, hi) and 0.
__global__ void k_radius_sqrt_mismatches(unsigned int lo, unsigned int hi, unsigned long long* count,
                                         unsigned int* first) {
    const unsigned int stride = gridDim.x * blockDim.x;
    unsigned long long local = 0;
    unsigned int local_first = 0xFFFFFFFFu;
    for (unsigned int b = lo + blockIdx.x * blockDim.x + threadIdx.x; b < hi; b += stride) {
        const float q = __uint_as_float(b);
        if (__float_as_uint(dm::sqrt_radius(q)) != __float_as_uint(__fsqrt_rn(q))) {
            ++local;
            local_first = b < local_first ? b : local_first;
        }
    }
    if (blockIdx.x == 0 && threadIdx.x == 0 && __float_as_uint(dm::sqrt_radius(0.0f)) != 0u) {
        ++local;
        local_first = 0;
    }
    if (local) {
        atomicAdd(count, local);
        atomicMin(first, local_first);
    }
}

// Calls launch(count, first, stream) with a zeroed counter and returns what the kernel found.
template <class Launch>
ConversionMismatch count_mismatches(int device, Launch launch) {
    DeviceGuard guard(device);
    const StreamHandle s = current_stream(device);
    DeviceBuffer buf(sizeof(unsigned long long) + sizeof(unsigned int), device);
    unsigned long long* count = buf.as<unsigned long long>();
    unsigned int* first = reinterpret_cast<unsigned int*>(count + 1);
    NL_CUDA_CHECK(cudaMemsetAsync(count, 0, sizeof(unsigned long long), s));
    NL_CUDA_CHECK(cudaMemsetAsync(first, 0xFF, sizeof(unsigned int), s));
    launch(count, first, s);
    unsigned long long host_count = 0;
    unsigned int host_first = 0;
    NL_CUDA_CHECK(cudaMemcpyAsync(&host_count, count, sizeof host_count, cudaMemcpyDeviceToHost, s));
    NL_CUDA_CHECK(cudaMemcpyAsync(&host_first, first, sizeof host_first, cudaMemcpyDeviceToHost, s));
    NL_CUDA_CHECK(cudaStreamSynchronize(s));
    return {host_count, host_first};
}

}  // namespace

ConversionMismatch check_radius_sqrt(int device) {
    return count_mismatches(device, [](unsigned long long* count, unsigned int* first, StreamHandle s) {
        k_radius_sqrt_mismatches<<<1024, 256, 0, s>>>(0x33800000u, 0x42800000u, count, first);  // [2^-24, 64)
        NL_CUDA_CHECK_LAUNCH("k_radius_sqrt_mismatches");
    });
}

ConversionMismatch check_half_conversion(int device) {
    return count_mismatches(device, [](unsigned long long* count, unsigned int* first, StreamHandle s) {
        k_half_conversion_mismatches<<<1024, 256, 0, s>>>(count, first);
        NL_CUDA_CHECK_LAUNCH("k_half_conversion_mismatches");
    });
}

}  // namespace nl::gpu
