// The CUDA DeviceOps (tensor/backend.h): elementwise arithmetic and math, sum, softmax,
// index_select with our kernels (ops_kernels.cu), matmul through cuBLAS (loaded on first use:
// gpu/cublas_library.h). Each returns an undefined Tensor for arguments it has no kernel for,
// so the caller falls back to its own path. Results
// follow tensor/ops.h (dtypes, shapes); the values match the CPU exactly for +, -, *, /, neg, abs,
// relu, sqrt and index_select, and within the tolerances of docs/GPU.md for the rest (CUDA's math
// library, other summation orders, cuBLAS).
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <memory>
#include <mutex>
#include <vector>

#include "gpu/allocator.h"
#include "gpu/cublas_library.h"
#include "gpu/cuda_check.h"
#include "gpu/device.h"
#include "gpu/kernels.h"
#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"

namespace nl::gpu {

namespace {

bool floating(DType d) { return is_floating(d); }

// A contiguous copy on the same device (Tensor::contiguous goes through the host for CUDA
// tensors; fine for the rare strided input).
Tensor dense(const Tensor& t) { return t.is_contiguous() ? t : t.contiguous(); }

class CublasHandles {
public:
    cublasHandle_t get(int device) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (device >= static_cast<int>(handles_.size())) handles_.resize(static_cast<size_t>(device) + 1, nullptr);
        cublasHandle_t& h = handles_[static_cast<size_t>(device)];
        if (!h) {
            DeviceGuard guard(device);
            const CublasLibrary& library = cublas_library();
            NL_CUBLAS_CHECK(library.create(&h));
            destroy_ = library.destroy;
        }
        return h;
    }
    // Uses the destroy pointer kept at creation, not cublas_library(), whose statics may already
    // be gone at exit; errors are ignored (the process is ending).
    ~CublasHandles() {
        for (cublasHandle_t h : handles_)
            if (h) destroy_(h);
    }

private:
    std::mutex mutex_;
    std::vector<cublasHandle_t> handles_;
    decltype(CublasLibrary::destroy) destroy_ = nullptr;  // set with the first handle
};

CublasHandles& cublas() {
    static CublasHandles h;
    return h;
}

class CudaOps final : public DeviceOps {
public:
    Tensor binary(DeviceBinaryOp op, const Tensor& a, const Tensor& b) override {
        if (a.dtype() != b.dtype() || !floating(a.dtype())) return Tensor();
        const Shape shape = broadcast_shapes(a.shape(), b.shape());
        if (static_cast<int>(shape.size()) > detail::kMaxDims) return Tensor();
        detail::BroadcastLayout L{};
        L.ndim = static_cast<int>(shape.size());
        const size_t r = shape.size();
        for (size_t d = 0; d < r; ++d) {
            L.size[d] = shape[d];
            auto stride_of = [&](const Tensor& t) -> int64_t {
                const size_t lead = r - static_cast<size_t>(t.dim());
                if (d < lead) return 0;
                const int64_t sz = t.shape()[d - lead];
                return sz == 1 ? 0 : t.strides()[d - lead];
            };
            L.stride_a[d] = stride_of(a);
            L.stride_b[d] = stride_of(b);
        }
        const int dev = a.device().index;
        Tensor out = Tensor::empty(shape, {a.dtype(), a.device()});
        DeviceGuard guard(dev);
        detail::launch_binary(static_cast<int>(op), a.data_ptr(), b.data_ptr(), out.data_ptr(), a.dtype(), out.numel(), L,
                              current_stream(dev));
        return out;
    }

    Tensor unary(DeviceUnaryOp op, const Tensor& t) override {
        if (!floating(t.dtype())) return Tensor();
        const Tensor x = dense(t);
        Tensor out = Tensor::empty(t.shape(), {t.dtype(), t.device()});
        DeviceGuard guard(t.device().index);
        detail::launch_unary(static_cast<int>(op), x.data_ptr(), out.data_ptr(), t.dtype(), t.numel(),
                             current_stream(t.device().index));
        return out;
    }

    Tensor sum(const Tensor& t) override {
        const Tensor x = dense(t);
        const DType out_dtype = floating(t.dtype()) ? t.dtype() : DType::Int64;
        Tensor out = Tensor::empty({}, {out_dtype, t.device()});
        const int dev = t.device().index;
        DeviceGuard guard(dev);
        DeviceBuffer scratch(detail::kSumBlocks * sizeof(double), dev);
        detail::launch_sum(x.data_ptr(), t.dtype(), t.numel(), out.data_ptr(), scratch.get(), current_stream(dev));
        return out;
    }

    Tensor softmax(const Tensor& t, int64_t dim, bool log) override {
        if (!floating(t.dtype()) || t.dim() == 0) return Tensor();
        dim = wrap_dim(dim, t.dim());
        const Tensor x = dense(t);
        int64_t outer = 1, inner = 1;
        for (int64_t d = 0; d < dim; ++d) outer *= t.size(d);
        for (int64_t d = dim + 1; d < t.dim(); ++d) inner *= t.size(d);
        Tensor out = Tensor::empty(t.shape(), {t.dtype(), t.device()});
        DeviceGuard guard(t.device().index);
        detail::launch_softmax(x.data_ptr(), out.data_ptr(), t.dtype(), outer, t.size(dim), inner, log,
                               current_stream(t.device().index));
        return out;
    }

    Tensor index_select(const Tensor& t, int64_t dim, const Tensor& index) override {
        if (index.dim() > 1 || (index.dtype() != DType::Int64 && index.dtype() != DType::Int32) || t.dim() == 0)
            return Tensor();
        dim = wrap_dim(dim, t.dim());
        // Indices are checked on the host (they are few); a bad one sends the call back to the
        // caller's own path, which raises its usual error.
        const std::vector<int64_t> idx = index.cpu().to_int_vector();
        const int64_t n = t.size(dim);
        for (int64_t v : idx)
            if (v < 0 || v >= n) return Tensor();
        const Tensor x = dense(t);
        int64_t outer = 1, inner = 1;
        for (int64_t d = 0; d < dim; ++d) outer *= t.size(d);
        for (int64_t d = dim + 1; d < t.dim(); ++d) inner *= t.size(d);
        Shape shape = t.shape();
        shape[static_cast<size_t>(dim)] = static_cast<int64_t>(idx.size());
        Tensor out = Tensor::empty(shape, {t.dtype(), t.device()});
        const int dev = t.device().index;
        Tensor didx = Tensor::empty({static_cast<int64_t>(idx.size())}, {DType::Int64, t.device()});
        if (!idx.empty()) backend_for(t.device()).copy_from_host(didx.data_ptr(), idx.data(), idx.size() * 8, dev);
        DeviceGuard guard(dev);
        detail::launch_index_select(x.data_ptr(), out.data_ptr(), t.element_size(), outer, n, inner, didx.data<int64_t>(),
                                    static_cast<int64_t>(idx.size()), current_stream(dev));
        return out;
    }

    Tensor matmul(const Tensor& a0, const Tensor& b0) override {
        if (a0.dtype() != b0.dtype() || !floating(a0.dtype()) || a0.dim() == 0 || b0.dim() == 0) return Tensor();
        // 1-D operands as torch.matmul: [K] -> [1, K] on the left, [K, 1] on the right, squeezed after.
        const Tensor a = a0.dim() == 1 ? a0.unsqueeze(0) : a0;
        const Tensor b = b0.dim() == 1 ? b0.unsqueeze(1) : b0;
        const int64_t M = a.size(-2), K = a.size(-1), N = b.size(-1);
        if (b.size(-2) != K) return Tensor();  // the caller reports the shape error
        Shape batch_a(a.shape().begin(), a.shape().end() - 2), batch_b(b.shape().begin(), b.shape().end() - 2);
        int64_t ba = 1, bb = 1;
        for (int64_t s : batch_a) ba *= s;
        for (int64_t s : batch_b) bb *= s;
        Shape batch;
        if (batch_a == batch_b) batch = batch_a;
        else if (bb == 1 && batch_b.size() <= batch_a.size()) batch = batch_a;
        else if (ba == 1 && batch_a.size() <= batch_b.size()) batch = batch_b;
        else return Tensor();  // general batch broadcasting: not on the GPU yet
        const int64_t batches = shape_numel(batch);  // 0 when either side's batch is empty
        if (M > INT32_MAX || N > INT32_MAX || K > INT32_MAX || batches > INT32_MAX) return Tensor();
        const Tensor x = dense(a), y = dense(b);
        Shape out_shape = batch;
        out_shape.push_back(M);
        out_shape.push_back(N);
        auto squeezed = [&](Tensor t) {  // undo the 1-D operands' unsqueeze
            if (a0.dim() == 1) t = t.squeeze(-2);
            if (b0.dim() == 1) t = t.squeeze(-1);
            return t;
        };
        Tensor out = Tensor::empty(out_shape, {a.dtype(), a.device()});
        if (out.numel() == 0) return squeezed(out);  // nothing to compute (an empty batch, M or N)
        const int dev = a.device().index;
        DeviceGuard guard(dev);
        cublasHandle_t h = cublas().get(dev);
        NL_CUBLAS_CHECK(cublas_library().set_stream(h, current_stream(dev)));
        if (M > 0 && N > 0) {
            if (K == 0) {
                NL_CUDA_CHECK(cudaMemsetAsync(out.data_ptr(), 0, out.nbytes(), current_stream(dev)));
            } else {
                cudaDataType_t type = CUDA_R_32F;
                cublasComputeType_t compute = CUBLAS_COMPUTE_32F;  // no TF32: full float32 products
                if (a.dtype() == DType::Float64) {
                    type = CUDA_R_64F;
                    compute = CUBLAS_COMPUTE_64F;
                } else if (a.dtype() == DType::Float16) {
                    type = CUDA_R_16F;
                } else if (a.dtype() == DType::BFloat16) {
                    type = CUDA_R_16BF;
                }
                const double one64 = 1.0, zero64 = 0.0;
                const float one32 = 1.0f, zero32 = 0.0f;
                const void* alpha = compute == CUBLAS_COMPUTE_64F ? static_cast<const void*>(&one64) : &one32;
                const void* beta = compute == CUBLAS_COMPUTE_64F ? static_cast<const void*>(&zero64) : &zero32;
                // Row-major C = A B is column-major C^T = B^T A^T: swap the operands.
                NL_CUBLAS_CHECK(cublas_library().gemm_strided_batched_ex(
                    h, CUBLAS_OP_N, CUBLAS_OP_N, static_cast<int>(N), static_cast<int>(M), static_cast<int>(K), alpha,
                    y.data_ptr(), type, static_cast<int>(N), bb == 1 ? 0 : K * N, x.data_ptr(), type, static_cast<int>(K),
                    ba == 1 ? 0 : M * K, beta, out.data_ptr(), type, static_cast<int>(N), M * N,
                    static_cast<int>(batches), compute, CUBLAS_GEMM_DEFAULT));
            }
        }
        return squeezed(out);
    }
};

}  // namespace

DeviceOps* cuda_device_ops() {
    static CudaOps ops;
    return &ops;
}

}  // namespace nl::gpu
