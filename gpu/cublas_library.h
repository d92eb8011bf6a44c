// cuBLAS, loaded on first use (dlopen) instead of linked. Why: libcublas pulls in libcublasLt
// (about 540 MB), whose static initialisers cost about half a second of CPU in every process
// that links it -- every `noiselab` command and every test binary, GPU or not -- while only a
// matmul on a CUDA device needs it. With the library loaded lazily a CPU-only command starts in
// a fraction of that, and a machine without cuBLAS still runs everything but CUDA matmuls.
#pragma once
#include <cublas_v2.h>

#include <string>
#include <vector>

namespace nl::gpu {

// cublasGemmStridedBatchedEx with a cublasComputeType_t (the exported symbol; cublas_api.h adds
// an inline C++ overload taking a cudaDataType, so decltype cannot name it).
using CublasGemmStridedBatchedExFn = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int,
                                                        int, const void*, const void*, cudaDataType, int, long long,
                                                        const void*, cudaDataType, int, long long, const void*, void*,
                                                        cudaDataType, int, long long, int, cublasComputeType_t,
                                                        cublasGemmAlgo_t);

// The entry points Noise Lab calls (cublas_v2.h's names map to the _v2 symbols).
struct CublasLibrary {
    decltype(&cublasCreate_v2) create = nullptr;
    decltype(&cublasDestroy_v2) destroy = nullptr;
    decltype(&cublasSetStream_v2) set_stream = nullptr;
    CublasGemmStridedBatchedExFn gemm_strided_batched_ex = nullptr;
    decltype(&cublasGetStatusName) status_name = nullptr;
    decltype(&cublasGetStatusString) status_string = nullptr;
};

// The library, loaded once (thread-safe) from the first of cublas_library_candidates() that
// loads. Throws DeviceError naming every file tried and the loader's reason when none does, or
// the symbol a library lacks.
const CublasLibrary& cublas_library();

// Loads the library at `path` (a file name searched the usual way, or a full path); the handle
// stays open for the life of the process. Throws DeviceError as above.
CublasLibrary load_cublas_library(const std::string& path);

// What cublas_library() tries, in order: the soname of the cuBLAS the build was compiled
// against (libcublas.so.<major>), found through the program's run path and the loader cache,
// then the same file in the toolkit directory found when Noise Lab was configured.
std::vector<std::string> cublas_library_candidates();

}  // namespace nl::gpu
