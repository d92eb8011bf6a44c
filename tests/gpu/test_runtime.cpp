// The CUDA runtime layer without a GPU: typed DeviceErrors that name the statement, file, line and
// device; the no-driver / no-GPU fallback (one reason, CPU keeps working); allocator size classes;
// cuBLAS loaded on first use only.
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <curand.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>

#include "gpu/allocator.h"
#include "gpu/cublas_library.h"
#include "gpu/cuda_check.h"
#include "gpu/device.h"
#include "gpu/kernels.h"
#include "gpu_test_util.h"
#include "tensor/errors.h"
#include "tensor/random.h"

namespace nl {
namespace {

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const DeviceError& e) {
        return e.what();
    }
    return "(no DeviceError thrown)";
}

TEST(GpuErrors, CudaErrorNamesStatementFileLineAndDevice) {
    const int line = __LINE__ + 1;
    const std::string m = message_of([] { NL_CUDA_CHECK(cudaErrorMemoryAllocation); });
    EXPECT_NE(m.find("CUDA error 2 (cudaErrorMemoryAllocation: out of memory)"), std::string::npos) << m;
    EXPECT_NE(m.find("in cudaErrorMemoryAllocation at tests/gpu/test_runtime.cpp:" + std::to_string(line)),
              std::string::npos) << m;
    EXPECT_NE(m.find(" on cuda:"), std::string::npos) << m;
}

TEST(GpuErrors, LaunchCheckNamesTheKernel) {
    // A launch error is whatever cudaGetLastError holds: none after a good launch (without a
    // driver it holds the initialisation error, 35) ...
    if (gpu::is_available()) {
        EXPECT_NO_THROW(NL_CUDA_CHECK_LAUNCH("k_nothing"));
    } else {
        EXPECT_THROW(NL_CUDA_CHECK_LAUNCH("k_nothing"), DeviceError);
    }
    // ... and the message names the kernel.
    const std::string m = message_of([] { gpu::detail::throw_cuda(cudaErrorLaunchOutOfResources, "launch of kernel k_demo", __FILE__, 7); });
    EXPECT_NE(m.find("cudaErrorLaunchOutOfResources"), std::string::npos) << m;
    EXPECT_NE(m.find("launch of kernel k_demo at tests/gpu/test_runtime.cpp:7"), std::string::npos) << m;
}

TEST(GpuErrors, CurandAndCublasStatusesAreNamed) {
    const std::string r = message_of([] { NL_CURAND_CHECK(CURAND_STATUS_LENGTH_NOT_MULTIPLE); });
    EXPECT_NE(r.find("cuRAND error 105 (CURAND_STATUS_LENGTH_NOT_MULTIPLE"), std::string::npos) << r;
    EXPECT_NE(r.find("in CURAND_STATUS_LENGTH_NOT_MULTIPLE at tests/gpu/test_runtime.cpp:"), std::string::npos) << r;
    const std::string b = message_of([] { NL_CUBLAS_CHECK(CUBLAS_STATUS_INVALID_VALUE); });
    EXPECT_NE(b.find("cuBLAS error 7 (CUBLAS_STATUS_INVALID_VALUE"), std::string::npos) << b;
    EXPECT_NO_THROW(NL_CURAND_CHECK(CURAND_STATUS_SUCCESS));
    EXPECT_NO_THROW(NL_CUDA_CHECK(cudaSuccess));
}

TEST(GpuErrors, ErrorsAreDeviceErrorsAndNlErrors) {
    EXPECT_THROW(NL_CUDA_CHECK(cudaErrorInvalidValue), DeviceError);
    EXPECT_THROW(NL_CUDA_CHECK(cudaErrorInvalidValue), Error);
}

TEST(GpuErrors, ShortFileKeepsTheProjectPath) {
    EXPECT_STREQ(gpu::detail::short_file("/work/main/gpu/allocator.cpp"), "gpu/allocator.cpp");
    EXPECT_STREQ(gpu::detail::short_file("/a/tests/gpu/x.cpp"), "tests/gpu/x.cpp");
    EXPECT_STREQ(gpu::detail::short_file("plain.cpp"), "plain.cpp");
}

TEST(GpuFallback, WithoutAGpuTheReasonIsKnownAndTheCpuWorks) {
    if (gpu::is_available()) GTEST_SKIP() << "a GPU is usable here: " << gpu::describe_devices();
    const std::string why = cuda_unavailable_reason();
    ASSERT_FALSE(why.empty());
    // The reason names the CUDA call and its error (35, cudaErrorInsufficientDriver, with no
    // driver) or the environment switch.
    EXPECT_TRUE(why.find("cudaGetDeviceCount") != std::string::npos || why.find("NOISELAB_DISABLE_CUDA") != std::string::npos)
        << why;
    EXPECT_EQ(gpu::device_count(), 0);
    EXPECT_EQ(find_backend(DeviceType::CUDA), nullptr);
    EXPECT_NE(gpu::describe_devices().find(why), std::string::npos);
    const std::string m = message_of([] { Tensor::empty({4}, Device::cuda()); });
    EXPECT_NE(m.find("cuda:0 is not available"), std::string::npos) << m;
    EXPECT_NE(m.find(why), std::string::npos) << m;
    EXPECT_THROW(randn({4}, {Device::cuda()}), DeviceError);
    EXPECT_THROW(gpu::set_device(0), DeviceError);
    // The CPU is unaffected.
    const Tensor t = randn({1000});
    EXPECT_EQ(t.numel(), 1000);
}

TEST(GpuFallback, NoDriverIsReportedAsError35) {
    if (gpu::is_available()) GTEST_SKIP() << "a GPU is usable here";
    int n = -1;
    const cudaError_t e = cudaGetDeviceCount(&n);
    cudaGetLastError();
    if (e != cudaErrorInsufficientDriver) GTEST_SKIP() << "this machine fails differently: " << cudaGetErrorName(e);
    EXPECT_NE(cuda_unavailable_reason().find("error 35, cudaErrorInsufficientDriver"), std::string::npos)
        << cuda_unavailable_reason();
}

TEST(GpuAllocator, SizeClasses) {
    using A = gpu::CachingAllocator;
    EXPECT_EQ(A::round_size(0), 512u);
    EXPECT_EQ(A::round_size(1), 512u);
    EXPECT_EQ(A::round_size(512), 512u);
    EXPECT_EQ(A::round_size(513), 1024u);
    EXPECT_EQ(A::round_size((1u << 20) - 1), size_t(1) << 20);
    EXPECT_EQ(A::round_size(1u << 20), size_t(2) << 20);
    EXPECT_EQ(A::round_size((size_t(3) << 20) + 1), size_t(4) << 20);
}

TEST(GpuLaunch, BadBlockSizesAreValueErrors) {
    gpu::LaunchConfig c;
    c.grid = 4;
    c.block = 48;
    EXPECT_THROW(gpu::detail::resolve_launch(0, 100, c), ValueError);
    c.block = 2048;
    EXPECT_THROW(gpu::detail::resolve_launch(0, 100, c), ValueError);
    c.block = 128;
    EXPECT_NO_THROW(gpu::detail::resolve_launch(0, 100, c));
    EXPECT_EQ(c.grid, 4);
}

}  // namespace
}  // namespace nl

// ---- cuBLAS, loaded on first use (gpu/cublas_library.h) ------------------------------------------

namespace {
bool cublas_is_mapped() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line))
        if (line.find("libcublas") != std::string::npos) return true;
    return false;
}
}  // namespace

TEST(CublasLibrary, NotLoadedUntilFirstUseThenEverySymbolIsBound) {
    // Each test runs in its own process (ctest), so nothing has asked for cuBLAS yet: a program
    // that never multiplies on a CUDA device does not pay libcublasLt's start-up.
    EXPECT_FALSE(cublas_is_mapped()) << "libcublas is linked or loaded at start-up";
    const nl::gpu::CublasLibrary& lib = nl::gpu::cublas_library();
    EXPECT_TRUE(lib.create && lib.destroy && lib.set_stream && lib.gemm_strided_batched_ex && lib.status_name &&
                lib.status_string);
    EXPECT_TRUE(cublas_is_mapped());
    EXPECT_STREQ(lib.status_name(CUBLAS_STATUS_NOT_INITIALIZED), "CUBLAS_STATUS_NOT_INITIALIZED");
    EXPECT_EQ(&nl::gpu::cublas_library(), &lib) << "loaded once";
    EXPECT_EQ(nl::gpu::cublas_library_candidates().front(), "libcublas.so." + std::to_string(CUBLAS_VER_MAJOR));
}

TEST(CublasLibrary, MissingLibraryOrSymbolIsADeviceErrorNamingIt) {
    try {
        nl::gpu::load_cublas_library("/nonexistent/libcublas.so.99");
        FAIL() << "loaded a file that does not exist";
    } catch (const nl::DeviceError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot load cuBLAS from /nonexistent/libcublas.so.99"), std::string::npos)
            << e.what();
    }
    try {
        nl::gpu::load_cublas_library("libm.so.6");  // loads, but is not cuBLAS
        FAIL() << "accepted libm as cuBLAS";
    } catch (const nl::DeviceError& e) {
        EXPECT_NE(std::string(e.what()).find("libm.so.6 has no symbol cublasCreate_v2"), std::string::npos) << e.what();
    }
}
