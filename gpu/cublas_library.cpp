// cuBLAS loaded with dlopen on first use: see cublas_library.h for why.
#include "gpu/cublas_library.h"

#include <dlfcn.h>

#include <mutex>
#include <type_traits>

#include "tensor/errors.h"

#ifndef NL_CUDA_LIBRARY_DIR
#define NL_CUDA_LIBRARY_DIR ""
#endif

namespace nl::gpu {

// The header's signature is the exported one (unevaluated: nothing is linked).
static_assert(std::is_same_v<decltype(static_cast<CublasGemmStridedBatchedExFn>(&cublasGemmStridedBatchedEx)),
                             CublasGemmStridedBatchedExFn>);

namespace {

template <class F>
void bind(void* handle, const std::string& path, const char* symbol, F& out) {
    dlerror();  // clear a stale message
    void* p = dlsym(handle, symbol);
    if (!p) {
        const char* why = dlerror();
        throw DeviceError(path + " has no symbol " + symbol + (why ? std::string(" (") + why + ")" : std::string()) +
                          ": is it the cuBLAS " + std::to_string(CUBLAS_VER_MAJOR) + " this build was compiled against?");
    }
    out = reinterpret_cast<F>(p);
}

}  // namespace

std::vector<std::string> cublas_library_candidates() {
    const std::string soname = "libcublas.so." + std::to_string(CUBLAS_VER_MAJOR);
    std::vector<std::string> out = {soname};
    const std::string dir = NL_CUDA_LIBRARY_DIR;
    if (!dir.empty()) out.push_back(dir + "/" + soname);
    return out;
}

CublasLibrary load_cublas_library(const std::string& path) {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        throw DeviceError("cannot load cuBLAS from " + path + (why ? std::string(": ") + why : std::string()));
    }
    CublasLibrary lib;
    bind(handle, path, "cublasCreate_v2", lib.create);
    bind(handle, path, "cublasDestroy_v2", lib.destroy);
    bind(handle, path, "cublasSetStream_v2", lib.set_stream);
    bind(handle, path, "cublasGemmStridedBatchedEx", lib.gemm_strided_batched_ex);
    bind(handle, path, "cublasGetStatusName", lib.status_name);
    bind(handle, path, "cublasGetStatusString", lib.status_string);
    return lib;  // never dlclose'd: handles and kernels live until exit
}

const CublasLibrary& cublas_library() {
    static std::mutex mutex;
    static CublasLibrary lib;
    static bool loaded = false;
    std::lock_guard<std::mutex> lock(mutex);
    if (loaded) return lib;
    std::string reasons;
    for (const std::string& path : cublas_library_candidates()) {
        try {
            lib = load_cublas_library(path);
            loaded = true;
            return lib;
        } catch (const DeviceError& e) {
            reasons += std::string(reasons.empty() ? "" : "; ") + e.what();
        }
    }
    // Not cached: a later call tries again (nothing changes, but nothing is lost either).
    throw DeviceError("matmul on a CUDA device needs cuBLAS " + std::to_string(CUBLAS_VER_MAJOR) +
                      ", which could not be loaded (" + reasons + "). Install the CUDA toolkit's cuBLAS or use the CPU");
}

}  // namespace nl::gpu
