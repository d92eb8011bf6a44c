// Error reporting for CUDA / cuRAND / cuBLAS calls (cuda_check.h) and the launch-shape helpers
// shared by every kernel launcher (kernels.h).
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <curand.h>

#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "gpu/cublas_library.h"
#include "gpu/cuda_check.h"
#include "gpu/kernels.h"
#include "tensor/errors.h"

namespace nl::gpu::detail {

const char* short_file(const char* path) {
#if defined(NL_GPU_SOURCE_ROOT)
    // The project's own files: the path below the source root.
    const size_t root_len = std::strlen(NL_GPU_SOURCE_ROOT);
    if (std::strncmp(path, NL_GPU_SOURCE_ROOT, root_len) == 0) return path + root_len;
#endif
    // Elsewhere: from the first folder the project uses on.
    const char* best = nullptr;
    for (const char* marker : {"/gpu/", "/tests/", "/bench/"}) {
        const char* hit = std::strstr(path, marker);
        if (hit && (!best || hit < best)) best = hit;
    }
    return best ? best + 1 : path;
}

std::string current_device_str() {
    int d = -1;
    if (cudaGetDevice(&d) != cudaSuccess) {
        cudaGetLastError();
        return "cuda:?";
    }
    return "cuda:" + std::to_string(d);
}

namespace {
std::string where(const char* stmt, const char* file, int line) {
    return std::string(" in ") + stmt + " at " + short_file(file) + ":" + std::to_string(line) + " on " +
           current_device_str();
}
}  // namespace

void throw_cuda(cudaError_t e, const char* stmt, const char* file, int line) {
    // Take the error off the runtime's per-thread slot so that later, unrelated calls do not
    // report it again (sticky errors after a kernel fault stay, as CUDA defines).
    cudaGetLastError();
    throw DeviceError("CUDA error " + std::to_string(static_cast<int>(e)) + " (" + cudaGetErrorName(e) + ": " +
                      cudaGetErrorString(e) + ")" + where(stmt, file, line));
}

const char* curand_status_name(int s) {
    switch (s) {
        case CURAND_STATUS_SUCCESS: return "CURAND_STATUS_SUCCESS";
        case CURAND_STATUS_VERSION_MISMATCH: return "CURAND_STATUS_VERSION_MISMATCH";
        case CURAND_STATUS_NOT_INITIALIZED: return "CURAND_STATUS_NOT_INITIALIZED";
        case CURAND_STATUS_ALLOCATION_FAILED: return "CURAND_STATUS_ALLOCATION_FAILED";
        case CURAND_STATUS_TYPE_ERROR: return "CURAND_STATUS_TYPE_ERROR";
        case CURAND_STATUS_OUT_OF_RANGE: return "CURAND_STATUS_OUT_OF_RANGE";
        case CURAND_STATUS_LENGTH_NOT_MULTIPLE: return "CURAND_STATUS_LENGTH_NOT_MULTIPLE";
        case CURAND_STATUS_DOUBLE_PRECISION_REQUIRED: return "CURAND_STATUS_DOUBLE_PRECISION_REQUIRED";
        case CURAND_STATUS_LAUNCH_FAILURE: return "CURAND_STATUS_LAUNCH_FAILURE";
        case CURAND_STATUS_PREEXISTING_FAILURE: return "CURAND_STATUS_PREEXISTING_FAILURE";
        case CURAND_STATUS_INITIALIZATION_FAILED: return "CURAND_STATUS_INITIALIZATION_FAILED";
        case CURAND_STATUS_ARCH_MISMATCH: return "CURAND_STATUS_ARCH_MISMATCH";
        case CURAND_STATUS_INTERNAL_ERROR: return "CURAND_STATUS_INTERNAL_ERROR";
    }
    return "CURAND_STATUS_UNKNOWN";
}

const char* curand_status_text(int s) {
    switch (s) {
        case CURAND_STATUS_SUCCESS: return "no error";
        case CURAND_STATUS_VERSION_MISMATCH: return "header and library versions differ";
        case CURAND_STATUS_NOT_INITIALIZED: return "generator not initialized";
        case CURAND_STATUS_ALLOCATION_FAILED: return "memory allocation failed";
        case CURAND_STATUS_TYPE_ERROR: return "the generator type does not support this call";
        case CURAND_STATUS_OUT_OF_RANGE: return "argument out of range";
        case CURAND_STATUS_LENGTH_NOT_MULTIPLE: return "length is not a multiple of the dimension (or of 2 for normals)";
        case CURAND_STATUS_DOUBLE_PRECISION_REQUIRED: return "the GPU lacks the double precision the generator needs";
        case CURAND_STATUS_LAUNCH_FAILURE: return "kernel launch failure";
        case CURAND_STATUS_PREEXISTING_FAILURE: return "an earlier CUDA error was pending";
        case CURAND_STATUS_INITIALIZATION_FAILED: return "CUDA initialization failed (no driver or no GPU?)";
        case CURAND_STATUS_ARCH_MISMATCH: return "the GPU architecture does not support the feature";
        case CURAND_STATUS_INTERNAL_ERROR: return "internal library error";
    }
    return "unknown status";
}

void throw_curand(int status, const char* stmt, const char* file, int line) {
    throw DeviceError("cuRAND error " + std::to_string(status) + " (" + curand_status_name(status) + ": " +
                      curand_status_text(status) + ")" + where(stmt, file, line));
}

void throw_cublas(int status, const char* stmt, const char* file, int line) {
    // A status comes from a cuBLAS call, so the library is loaded by now.
    const auto st = static_cast<cublasStatus_t>(status);
    const CublasLibrary& lib = cublas_library();
    throw DeviceError("cuBLAS error " + std::to_string(status) + " (" + lib.status_name(st) + ": " +
                      lib.status_string(st) + ")" + where(stmt, file, line));
}

// ---- launch shapes ------------------------------------------------------------------------------
namespace {
struct Occupancy {
    int sms = 0;
    int threads_per_sm = 0;
};
Occupancy occupancy(int device) {
    static std::mutex m;
    static std::vector<Occupancy> cache;
    std::lock_guard<std::mutex> lock(m);
    if (device >= static_cast<int>(cache.size())) cache.resize(static_cast<size_t>(device) + 1);
    Occupancy& o = cache[static_cast<size_t>(device)];
    if (o.sms == 0) {
        NL_CUDA_CHECK(cudaDeviceGetAttribute(&o.sms, cudaDevAttrMultiProcessorCount, device));
        NL_CUDA_CHECK(cudaDeviceGetAttribute(&o.threads_per_sm, cudaDevAttrMaxThreadsPerMultiProcessor, device));
    }
    return o;
}
}  // namespace

int multiprocessor_count(int device) { return occupancy(device).sms; }

int auto_grid(int device, uint64_t work_items, int block) {
    const Occupancy o = occupancy(device);
    const uint64_t full = static_cast<uint64_t>(o.sms) * static_cast<uint64_t>(o.threads_per_sm / block);
    const uint64_t need = (work_items + static_cast<uint64_t>(block) - 1) / static_cast<uint64_t>(block);
    const uint64_t g = need < full ? need : full;
    return static_cast<int>(g < 1 ? 1 : g);
}

void resolve_launch(int device, uint64_t work_items, LaunchConfig& cfg) {
    if (cfg.block <= 0) cfg.block = 256;
    if (cfg.block > 1024 || cfg.block % 32 != 0)
        throw ValueError("launch block size must be a multiple of 32 in [32, 1024], got " + std::to_string(cfg.block));
    if (cfg.grid <= 0) cfg.grid = auto_grid(device, work_items, cfg.block);
}

}  // namespace nl::gpu::detail
