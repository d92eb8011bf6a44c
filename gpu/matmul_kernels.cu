// The exact matmul (kernels.h: launch_matmul_exact): every output is the CPU's sum
// (tensor/ops_linalg.cpp's gemm: one chain over k = 0, 1, ... starting from +0, each product and
// each sum rounded on its own, no fma), so a CUDA matmul gives the CPU's bits where cuBLAS sums
// in its own order. Blocks of 64 x 64 outputs, 256 threads of 4 x 4 outputs each; A and B pass
// through shared memory 16 values of k at a time. Products past K are never added (a padded 0 * w
// would turn an infinite w into NaN); rows and columns past M and N are computed and dropped.
#include <algorithm>
#include <atomic>
#include <cstdint>

#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "gpu/kernels.h"
#include "tensor/errors.h"

namespace nl::gpu::detail {

namespace {

constexpr int kTile = 64;     // outputs per block side
constexpr int kStep = 16;     // k per shared-memory stage
constexpr int kThreads = 256;  // 16 x 16 threads, 4 x 4 outputs each

// C[b] = A[b] B[b] for b = blockIdx.z, blockIdx.z + gridDim.z, ...; A [M, K], B [K, N], C [M, N]
// row-major and dense; a_stride / b_stride step between batches (0: one matrix for every batch).
template <class T>
__global__ void __launch_bounds__(kThreads) k_matmul_exact(const T* __restrict__ A, const T* __restrict__ B,
                                                           T* __restrict__ Cout, int M, int N, int K, int64_t batches,
                                                           int64_t a_stride, int64_t b_stride) {
    using C = typename Compute<T>::type;
    __shared__ C sa[kStep][kTile + 1];  // sa[k][row]; the pad spreads the staging writes over the banks
    __shared__ C sb[kStep][kTile];  // sb[k][col]
    const int tx = static_cast<int>(threadIdx.x % 16), ty = static_cast<int>(threadIdx.x / 16);
    const int m0 = static_cast<int>(blockIdx.y) * kTile, n0 = static_cast<int>(blockIdx.x) * kTile;
    for (int64_t batch = blockIdx.z; batch < batches; batch += gridDim.z) {
        const T* a = A + batch * a_stride;
        const T* b = B + batch * b_stride;
        C acc[4][4];
#pragma unroll
        for (int i = 0; i < 4; ++i)
#pragma unroll
            for (int j = 0; j < 4; ++j) acc[i][j] = C(0);
        for (int k0 = 0; k0 < K; k0 += kStep) {
            const int kn = min(kStep, K - k0);
            __syncthreads();  // the previous stage is read by every thread
            for (int e = static_cast<int>(threadIdx.x); e < kStep * kTile; e += kThreads) {
                const int ka = e % kStep, r = e / kStep;  // A: 16 neighbouring k of one row
                sa[ka][r] = (m0 + r < M && ka < kn) ? load_c(a + static_cast<int64_t>(m0 + r) * K + k0 + ka) : C(0);
                const int kb = e / kTile, c = e % kTile;  // B: 64 neighbouring columns of one k
                sb[kb][c] = (n0 + c < N && kb < kn) ? load_c(b + static_cast<int64_t>(k0 + kb) * N + n0 + c) : C(0);
            }
            __syncthreads();
            for (int k = 0; k < kn; ++k) {
                C av[4], bv[4];
#pragma unroll
                for (int i = 0; i < 4; ++i) av[i] = sa[k][ty + 16 * i];
#pragma unroll
                for (int j = 0; j < 4; ++j) bv[j] = sb[k][tx + 16 * j];
#pragma unroll
                for (int i = 0; i < 4; ++i)
#pragma unroll
                    for (int j = 0; j < 4; ++j) acc[i][j] = add_rn(acc[i][j], mul_rn(av[i], bv[j]));
            }
        }
        T* out = Cout + batch * static_cast<int64_t>(M) * N;
#pragma unroll
        for (int i = 0; i < 4; ++i) {
            const int r = m0 + ty + 16 * i;
            if (r >= M) continue;
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const int c = n0 + tx + 16 * j;
                if (c < N) out[static_cast<int64_t>(r) * N + c] = store_c<T>(acc[i][j]);
            }
        }
    }
}

// Atomic: a test or the app may switch kernels while another thread multiplies.
std::atomic<MatmulKernel>& chosen_matmul_kernel() {
    static std::atomic<MatmulKernel> k{env_equals("NOISELAB_MATMUL_KERNEL", "exact") ? MatmulKernel::Exact
                                                                                     : MatmulKernel::Cublas};
    return k;
}

}  // namespace

void set_matmul_kernel(MatmulKernel k) { chosen_matmul_kernel().store(k); }
MatmulKernel matmul_kernel() { return chosen_matmul_kernel().load(); }

bool launch_matmul_exact(const void* a, const void* b, void* c, DType dtype, int64_t M, int64_t N, int64_t K,
                         int64_t batches, int64_t a_stride, int64_t b_stride, StreamHandle stream) {
    if (M <= 0 || N <= 0 || batches <= 0) return true;  // nothing to compute
    const int64_t lim = INT32_MAX - kTile;  // row and column indices of a tile's last thread stay in int
    if (M > lim || N > lim || K > lim || (M + kTile - 1) / kTile > 65535) return false;
    const dim3 grid(static_cast<unsigned>((N + kTile - 1) / kTile), static_cast<unsigned>((M + kTile - 1) / kTile),
                    static_cast<unsigned>(std::min<int64_t>(batches, 65535)));
    dispatch_floating(dtype, "matmul", [&](auto tag) {
        using T = decltype(tag);
        k_matmul_exact<T><<<grid, kThreads, 0, stream>>>(static_cast<const T*>(a), static_cast<const T*>(b),
                                                         static_cast<T*>(c), static_cast<int>(M), static_cast<int>(N),
                                                         static_cast<int>(K), batches, a_stride, b_stride);
    });
    NL_CUDA_CHECK_LAUNCH("k_matmul_exact");
    return true;
}

}  // namespace nl::gpu::detail
