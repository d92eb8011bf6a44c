// Checking every CUDA, cuRAND and cuBLAS call and kernel launch in gpu/: a failure becomes an
// nl::DeviceError naming the statement, the file and line, the device, and the library's own
// error name and text, e.g.
//   CUDA error 2 (cudaErrorMemoryAllocation: out of memory) in cudaMalloc(&p, bytes)
//   at gpu/allocator.cpp:61 on cuda:0
// Internal to gpu/ (includes CUDA headers); public headers of gpu/ are plain C++.
#pragma once
#include <cuda_runtime_api.h>

#include <string>

namespace nl::gpu::detail {

// "gpu/allocator.cpp" from an absolute __FILE__ (the part from the last "gpu/" or "tests/" on).
const char* short_file(const char* path);
// The current device as "cuda:N" (or "cuda:?" when even that query fails).
std::string current_device_str();

[[noreturn]] void throw_cuda(cudaError_t e, const char* stmt, const char* file, int line);
[[noreturn]] void throw_curand(int status, const char* stmt, const char* file, int line);
[[noreturn]] void throw_cublas(int status, const char* stmt, const char* file, int line);

// The name of a cuRAND status ("CURAND_STATUS_LENGTH_NOT_MULTIPLE") and what it means.
const char* curand_status_name(int status);
const char* curand_status_text(int status);

}  // namespace nl::gpu::detail

#define NL_CUDA_CHECK(stmt)                                                              \
    do {                                                                                 \
        const cudaError_t nl_cuda_err_ = (stmt);                                         \
        if (nl_cuda_err_ != cudaSuccess)                                                 \
            ::nl::gpu::detail::throw_cuda(nl_cuda_err_, #stmt, __FILE__, __LINE__);      \
    } while (0)

// After a kernel launch: configuration errors (bad grid, too many resources) surface here;
// errors while the kernel runs surface at the next synchronising call (copy to host,
// synchronize()), or at once with CUDA_LAUNCH_BLOCKING=1.
#define NL_CUDA_CHECK_LAUNCH(kernel_name)                                                \
    do {                                                                                 \
        const cudaError_t nl_cuda_err_ = cudaGetLastError();                             \
        if (nl_cuda_err_ != cudaSuccess)                                                 \
            ::nl::gpu::detail::throw_cuda(nl_cuda_err_, "launch of kernel " kernel_name, \
                                          __FILE__, __LINE__);                           \
    } while (0)

#define NL_CURAND_CHECK(stmt)                                                            \
    do {                                                                                 \
        const int nl_curand_st_ = static_cast<int>(stmt);                                \
        if (nl_curand_st_ != 0)                                                          \
            ::nl::gpu::detail::throw_curand(nl_curand_st_, #stmt, __FILE__, __LINE__);   \
    } while (0)

#define NL_CUBLAS_CHECK(stmt)                                                            \
    do {                                                                                 \
        const int nl_cublas_st_ = static_cast<int>(stmt);                                \
        if (nl_cublas_st_ != 0)                                                          \
            ::nl::gpu::detail::throw_cublas(nl_cublas_st_, #stmt, __FILE__, __LINE__);   \
    } while (0)
