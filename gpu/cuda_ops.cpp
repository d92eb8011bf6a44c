// The CUDA DeviceOps (tensor/backend.h): elementwise arithmetic and math, sum, softmax and
// index_select with the kernels of ops_kernels.cu; the models' layers (conv2d, group_norm, silu /
// gelu, clamp, nearest upsampling, cat, tensor-scalar arithmetic) with nn_kernels.cu; matmul
// through cuBLAS (loaded on first use: gpu/cublas_library.h). Each returns an undefined Tensor
// for arguments it has no kernel for, so the caller falls back to its own path. Results follow
// tensor/ops.h (dtypes, shapes); the values match the CPU exactly for +, -, *, /, neg, abs, relu,
// sqrt, clamp, conv2d, upsampling, cat and index_select, and within the tolerances of docs/GPU.md
// for the rest (CUDA's math library, other summation orders, cuBLAS).
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <vector>

#include "gpu/allocator.h"
#include "gpu/cublas_library.h"
#include "gpu/cuda_check.h"
#include "gpu/device.h"
#include "gpu/kernels.h"
#include "gpu/op_profiler.h"
#include "gpu/stats_kernels.h"
#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/reduce_formulas.h"
#include "tensor/tensor.h"

namespace nl::gpu {

namespace {

bool floating(DType d) { return is_floating(d); }

// A contiguous copy on the same device by a strided-copy kernel (any strides: negative ones read
// backwards, 0 repeats), or undefined for views of more than kMaxDims dims after merging.
Tensor dense_or_none(const Tensor& t) {
    if (t.is_contiguous()) return t;
    // Merge dims that are contiguous with each other and drop size-1 dims, as the CPU's walk does.
    std::vector<int64_t> size, stride;
    for (int64_t d = 0; d < t.dim(); ++d) {
        const int64_t n = t.size(d), st = t.strides()[static_cast<size_t>(d)];
        if (n == 1) continue;
        if (!size.empty() && stride.back() == st * n) {
            size.back() *= n;
            stride.back() = st;
        } else {
            size.push_back(n);
            stride.push_back(st);
        }
    }
    if (static_cast<int>(size.size()) > detail::kMaxDims) return Tensor();
    Tensor out = Tensor::empty(t.shape(), {t.dtype(), t.device()});
    if (out.numel() == 0) return out;
    detail::StridedLayout L{};
    L.ndim = static_cast<int>(size.size());
    for (size_t d = 0; d < size.size(); ++d) {
        L.size[d] = size[d];
        L.stride[d] = stride[d];
    }
    const int dev = t.device().index;
    DeviceGuard guard(dev);
    detail::launch_strided_copy(t.data_ptr(), out.data_ptr(), t.element_size(), out.numel(), L, current_stream(dev));
    return out;
}

// t made contiguous on its device (through the host for views dense_or_none declines).
Tensor dense(const Tensor& t) {
    Tensor d = dense_or_none(t);
    return d.defined() ? d : t.contiguous();
}

// t's strides read as if expanded to `shape` (0 along broadcast and leading dims), into out.
void broadcast_strides_into(const Tensor& t, const Shape& shape, int64_t* out) {
    const size_t r = shape.size(), lead = r - static_cast<size_t>(t.dim());
    for (size_t d = 0; d < r; ++d)
        out[d] = d < lead || t.shape()[d - lead] == 1 ? 0 : t.strides()[d - lead];
}

// A defined tensor must have `dtype`; an undefined one (an absent weight or bias) passes.
bool absent_or(const Tensor& t, DType dtype) { return !t.defined() || t.dtype() == dtype; }
const void* data_or_null(const Tensor& t) { return t.defined() ? t.data_ptr() : nullptr; }

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
        const bool integer = a.dtype() == DType::Int64 && op != DeviceBinaryOp::Div;  // wrapping + - *
        if (a.dtype() != b.dtype() || !(floating(a.dtype()) || integer)) return Tensor();
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

    Tensor binary_scalar(DeviceBinaryOp op, const Tensor& t, double s, bool scalar_first) override {
        if (!floating(t.dtype())) return Tensor();
        const Tensor x = dense(t);
        Tensor out = Tensor::empty(t.shape(), {t.dtype(), t.device()});
        const int dev = t.device().index;
        DeviceGuard guard(dev);
        detail::launch_binary_scalar(static_cast<int>(op), x.data_ptr(), s, scalar_first, out.data_ptr(), t.dtype(),
                                     t.numel(), current_stream(dev));
        return out;
    }

    Tensor unary(DeviceUnaryOp op, const Tensor& t) override {
        if (!floating(t.dtype())) return Tensor();
        const Tensor x = dense(t);
        Tensor out = Tensor::empty(t.shape(), {t.dtype(), t.device()});
        const int dev = t.device().index;
        DeviceGuard guard(dev);
        switch (op) {
            case DeviceUnaryOp::Silu:
            case DeviceUnaryOp::Gelu:
            case DeviceUnaryOp::GeluTanh: {
                const detail::Activation act = op == DeviceUnaryOp::Silu   ? detail::Activation::Silu
                                               : op == DeviceUnaryOp::Gelu ? detail::Activation::Gelu
                                                                           : detail::Activation::GeluTanh;
                detail::launch_activation(act, x.data_ptr(), out.data_ptr(), t.dtype(), t.numel(), current_stream(dev));
                break;
            }
            default:
                detail::launch_unary(static_cast<int>(op), x.data_ptr(), out.data_ptr(), t.dtype(), t.numel(),
                                     current_stream(dev));
        }
        return out;
    }

    Tensor clamp(const Tensor& t, bool has_lo, double lo, bool has_hi, double hi) override {
        if (!floating(t.dtype())) return Tensor();
        const Tensor x = dense(t);
        Tensor out = Tensor::empty(t.shape(), {t.dtype(), t.device()});
        const int dev = t.device().index;
        DeviceGuard guard(dev);
        detail::launch_clamp(x.data_ptr(), out.data_ptr(), t.dtype(), t.numel(), has_lo, lo, has_hi, hi,
                             current_stream(dev));
        return out;
    }

    Tensor compare(DeviceCompareOp op, const Tensor& a, const Tensor& b) override {
        if (a.dtype() != b.dtype()) return Tensor();
        const Shape shape = broadcast_shapes(a.shape(), b.shape());
        if (static_cast<int>(shape.size()) > detail::kMaxDims) return Tensor();
        detail::BroadcastLayout L{};
        L.ndim = static_cast<int>(shape.size());
        for (size_t d = 0; d < shape.size(); ++d) L.size[d] = shape[d];
        broadcast_strides_into(a, shape, L.stride_a);
        broadcast_strides_into(b, shape, L.stride_b);
        Tensor out = Tensor::empty(shape, {DType::Bool, a.device()});
        const int dev = a.device().index;
        DeviceGuard guard(dev);
        detail::launch_compare(static_cast<int>(op), a.data_ptr(), b.data_ptr(), out.data<bool>(), a.dtype(), out.numel(), L,
                               current_stream(dev));
        return out;
    }

    Tensor compare_scalar(DeviceCompareOp op, const Tensor& t, double s) override {
        const Tensor x = dense(t);
        Tensor out = Tensor::empty(t.shape(), {DType::Bool, t.device()});
        const int dev = t.device().index;
        DeviceGuard guard(dev);
        detail::launch_compare_scalar(static_cast<int>(op), x.data_ptr(), s, out.data<bool>(), t.dtype(), t.numel(),
                                      current_stream(dev));
        return out;
    }

    Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) override {
        if (cond.dtype() != DType::Bool || a.dtype() != b.dtype()) return Tensor();
        const Shape shape = broadcast_shapes(broadcast_shapes(cond.shape(), a.shape()), b.shape());
        if (static_cast<int>(shape.size()) > detail::kMaxDims) return Tensor();
        detail::WhereLayout L{};
        L.ndim = static_cast<int>(shape.size());
        for (size_t d = 0; d < shape.size(); ++d) L.size[d] = shape[d];
        broadcast_strides_into(cond, shape, L.stride_cond);
        broadcast_strides_into(a, shape, L.stride_a);
        broadcast_strides_into(b, shape, L.stride_b);
        Tensor out = Tensor::empty(shape, {a.dtype(), a.device()});
        const int dev = a.device().index;
        DeviceGuard guard(dev);
        detail::launch_where(cond.data<bool>(), a.data_ptr(), b.data_ptr(), out.data_ptr(), a.element_size(), out.numel(),
                             L, current_stream(dev));
        return out;
    }

    Tensor conv2d(const Tensor& x0, const Tensor& w0, const Tensor& b0, const DeviceConvOptions& o, int64_t Ho,
                  int64_t Wo, const Tensor& add) override {
        const DType dt = x0.dtype();
        if (!floating(dt) || x0.dim() != 4 || w0.dim() != 4 || w0.dtype() != dt || !absent_or(b0, dt) ||
            !absent_or(add, dt) || (add.defined() && add.dim() != 4))
            return Tensor();
        const detail::ConvGeometry g{x0.size(0), x0.size(1), x0.size(2), x0.size(3), w0.size(0), w0.size(2), w0.size(3),
                                     Ho,         Wo,         o.groups,   o.stride_h, o.stride_w, o.pad_h,     o.pad_w,
                                     o.dil_h,    o.dil_w};
        const Tensor x = dense(x0), w = dense(w0), b = b0.defined() ? dense(b0) : b0;
        Tensor y = Tensor::empty({g.N, g.O, Ho, Wo}, {dt, x0.device()});
        const int dev = x0.device().index;
        DeviceGuard guard(dev);
        // The addend is read in place at its strides (a broadcast or a narrowed view needs no copy).
        layer::AddendStrides as;
        if (add.defined()) as = {add.strides()[0], add.strides()[1], add.strides()[2], add.strides()[3]};
        if (!detail::launch_conv2d(x.data_ptr(), w.data_ptr(), data_or_null(b), y.data_ptr(), dt, g, data_or_null(add), as,
                                   current_stream(dev)))
            return Tensor();
        return y;
    }

    Tensor group_norm(const Tensor& x0, int64_t num_groups, const Tensor& w0, const Tensor& b0, double eps,
                      bool then_silu) override {
        const DType dt = x0.dtype();
        if (!floating(dt) || x0.dim() < 2 || !absent_or(w0, dt) || !absent_or(b0, dt)) return Tensor();
        const int64_t N = x0.size(0), C = x0.size(1);
        const int64_t spatial = N == 0 || C == 0 ? 0 : x0.numel() / (N * C);
        const Tensor x = dense(x0), w = w0.defined() ? dense(w0) : w0, b = b0.defined() ? dense(b0) : b0;
        Tensor y = Tensor::empty(x0.shape(), {dt, x0.device()});
        const int dev = x0.device().index;
        DeviceGuard guard(dev);
        detail::launch_group_norm(x.data_ptr(), data_or_null(w), data_or_null(b), y.data_ptr(), dt, N, C, spatial,
                                  num_groups, eps, then_silu, current_stream(dev));
        return y;
    }

    Tensor reduce_rows(DeviceReduceOp op, const Tensor& rows, int64_t outer, int64_t inner, bool unbiased) override {
        const DType dt = rows.dtype();
        const int dev = rows.device().index;
        if (!floating(dt)) {
            if (op != DeviceReduceOp::Sum) return Tensor();
            const Tensor x = dt == DType::Int64 ? dense(rows) : convert(rows, DType::Int64);
            Tensor out = Tensor::empty({outer}, {DType::Int64, rows.device()});
            DeviceGuard guard(dev);
            detail::launch_int_row_sums(x.data<int64_t>(), outer, inner, out.data<int64_t>(), current_stream(dev));
            return out;
        }
        const Tensor x = dense(rows);
        const int64_t items = outer * reduce::blocks_of(inner);
        const bool two_pass = op == DeviceReduceOp::Var || op == DeviceReduceOp::Std;
        // Scratch from the caching allocator; freed after the launches are queued on the same stream.
        const Tensor partial = Tensor::empty({items}, {DType::Float64, rows.device()});
        const Tensor mean = two_pass ? Tensor::empty({outer}, {DType::Float64, rows.device()}) : Tensor();
        Tensor out = Tensor::empty({outer}, {dt, rows.device()});
        DeviceGuard guard(dev);
        detail::launch_reduce_rows(x.data_ptr(), dt, op, outer, inner, unbiased, partial.data<double>(),
                                   two_pass ? mean.data<double>() : nullptr, out.data_ptr(), current_stream(dev));
        return out;
    }

    bool extreme_rows(bool is_max, const Tensor& rows, int64_t outer, int64_t inner, Tensor& values,
                      Tensor& indices) override {
        const Tensor x = dense(rows);
        const Tensor best = Tensor::empty({outer * reduce::blocks_of(inner)}, {DType::Int64, rows.device()});
        Tensor v = Tensor::empty({outer}, {rows.dtype(), rows.device()});
        Tensor ix = Tensor::empty({outer}, {DType::Int64, rows.device()});
        const int dev = rows.device().index;
        DeviceGuard guard(dev);
        detail::launch_extreme_rows(is_max, x.data_ptr(), rows.dtype(), outer, inner, best.data<int64_t>(), v.data_ptr(),
                                    ix.data<int64_t>(), current_stream(dev));
        values = v;
        indices = ix;
        return true;
    }

    // dense() falls back to Tensor::contiguous for views past kMaxDims dims, which would come
    // back here: those decline (Tensor::clone then goes through the host).
    Tensor contiguous(const Tensor& t) override { return dense_or_none(t); }

    Tensor gather(const Tensor& t, int64_t dim, const Tensor& index) override {
        if (t.dim() > detail::kMaxDims || index.dtype() != DType::Int64) return Tensor();
        const Tensor idx = dense(index);
        detail::GatherLayout L{};
        L.ndim = static_cast<int>(t.dim());
        L.dim = static_cast<int>(dim);
        for (int64_t d = 0; d < t.dim(); ++d) {
            L.size[d] = index.size(d);
            L.stride[d] = t.strides()[static_cast<size_t>(d)];
        }
        Tensor out = Tensor::empty(index.shape(), {t.dtype(), t.device()});
        const int dev = t.device().index;
        DeviceGuard guard(dev);
        detail::launch_gather(t.data_ptr(), idx.data<int64_t>(), out.data_ptr(), t.element_size(), out.numel(), L,
                              current_stream(dev));
        return out;
    }

    Tensor cumsum(const Tensor& t, int64_t outer, int64_t n, int64_t inner) override {
        const DType out_dtype = floating(t.dtype()) ? t.dtype() : DType::Int64;
        const Tensor x = out_dtype == t.dtype() ? dense(t) : convert(t, DType::Int64);
        Tensor out = Tensor::empty(t.shape(), {out_dtype, t.device()});
        const int dev = t.device().index;
        DeviceGuard guard(dev);
        detail::launch_cumsum(x.data_ptr(), out.data_ptr(), out_dtype, outer, n, inner, current_stream(dev));
        return out;
    }

    Tensor convert(const Tensor& t, DType to) override {
        const Tensor x = dense(t);
        Tensor out = Tensor::empty(t.shape(), {to, t.device()});
        const int dev = t.device().index;
        DeviceGuard guard(dev);
        detail::launch_convert(x.data_ptr(), t.dtype(), out.data_ptr(), to, t.numel(), current_stream(dev));
        return out;
    }

    // layer_norm's rows are group_norm's with one group over `len` values each: the same kernel,
    // the same sums, and the affine parameter of value i is element i.
    Tensor layer_norm(const Tensor& x0, int64_t len, const Tensor& w0, const Tensor& b0, double eps) override {
        const DType dt = x0.dtype();
        if (!floating(dt) || len <= 0 || !absent_or(w0, dt) || !absent_or(b0, dt)) return Tensor();
        const Tensor x = dense(x0), w = w0.defined() ? dense(w0) : w0, b = b0.defined() ? dense(b0) : b0;
        Tensor y = Tensor::empty(x0.shape(), {dt, x0.device()});
        const int dev = x0.device().index;
        DeviceGuard guard(dev);
        detail::launch_group_norm(x.data_ptr(), data_or_null(w), data_or_null(b), y.data_ptr(), dt, x0.numel() / len, len,
                                  1, 1, eps, false, current_stream(dev));
        return y;
    }

    Tensor batch_norm(const Tensor& x0, const Tensor& m0, const Tensor& v0, const Tensor& w0, const Tensor& b0,
                      double eps) override {
        const DType dt = x0.dtype();
        if (!floating(dt) || x0.dim() < 2 || m0.dtype() != dt || v0.dtype() != dt || !absent_or(w0, dt) ||
            !absent_or(b0, dt))
            return Tensor();
        const int64_t N = x0.size(0), C = x0.size(1);
        const int64_t spatial = N == 0 || C == 0 ? 0 : x0.numel() / (N * C);
        const Tensor x = dense(x0), m = dense(m0), v = dense(v0);
        const Tensor w = w0.defined() ? dense(w0) : w0, b = b0.defined() ? dense(b0) : b0;
        Tensor y = Tensor::empty(x0.shape(), {dt, x0.device()});
        const int dev = x0.device().index;
        DeviceGuard guard(dev);
        detail::launch_batch_norm(x.data_ptr(), m.data_ptr(), v.data_ptr(), data_or_null(w), data_or_null(b), y.data_ptr(),
                                  dt, N, C, spatial, eps, current_stream(dev));
        return y;
    }

    Tensor avg_pool2d(const Tensor& x0, const layer::PoolGeometry& g) override {
        if (!floating(x0.dtype()) || x0.dim() != 4) return Tensor();
        const Tensor x = dense(x0);
        Tensor y = Tensor::empty({x0.size(0), x0.size(1), g.Ho, g.Wo}, {x0.dtype(), x0.device()});
        const int dev = x0.device().index;
        DeviceGuard guard(dev);
        detail::launch_avg_pool2d(x.data_ptr(), y.data_ptr(), x0.dtype(), x0.size(0) * x0.size(1), g, current_stream(dev));
        return y;
    }

    Tensor conv_transpose2d(const Tensor& x0, const Tensor& w0, const Tensor& b0,
                            const layer::ConvTransposeGeometry& g) override {
        const DType dt = x0.dtype();
        if (!floating(dt) || x0.dim() != 4 || w0.dim() != 4 || w0.dtype() != dt || !absent_or(b0, dt)) return Tensor();
        const Tensor x = dense(x0), w = dense(w0), b = b0.defined() ? dense(b0) : b0;
        Tensor y = Tensor::empty({x0.size(0), g.O, g.Ho, g.Wo}, {dt, x0.device()});
        const int dev = x0.device().index;
        DeviceGuard guard(dev);
        detail::launch_conv_transpose2d(x.data_ptr(), w.data_ptr(), data_or_null(b), y.data_ptr(), dt, x0.size(0), g,
                                        current_stream(dev));
        return y;
    }

    Tensor upsample_nearest2d(const Tensor& x0, int64_t Ho, int64_t Wo, double scale_h, double scale_w) override {
        if (x0.dim() != 4) return Tensor();
        const Tensor x = dense(x0);
        const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
        Tensor y = Tensor::empty({N, C, Ho, Wo}, {x.dtype(), x.device()});
        const int dev = x.device().index;
        DeviceGuard guard(dev);
        // ops_conv.cpp's factor: float(1 / scale), the division in double.
        detail::launch_upsample_nearest2d(x.data_ptr(), y.data_ptr(), x.element_size(), N * C, H, W, Ho, Wo,
                                          static_cast<float>(1.0 / scale_h), static_cast<float>(1.0 / scale_w),
                                          current_stream(dev));
        return y;
    }

    Tensor cat(const std::vector<Tensor>& parts, int64_t dim, const std::vector<int64_t>& out_shape) override {
        if (parts.empty()) return Tensor();
        const DType dt = parts.front().dtype();
        for (const Tensor& p : parts)
            if (p.dtype() != dt || p.dim() != static_cast<int64_t>(out_shape.size())) return Tensor();
        const Device device = parts.front().device();
        Tensor out = Tensor::empty(out_shape, {dt, device});
        if (out.numel() == 0) return out;
        int64_t outer = 1, inner = 1;
        for (size_t i = 0; i < out_shape.size(); ++i) {
            if (static_cast<int64_t>(i) < dim) outer *= out_shape[i];
            if (static_cast<int64_t>(i) > dim) inner *= out_shape[i];
        }
        const int dev = device.index;
        std::vector<Tensor> keep;  // dense copies of strided parts live until their launch is queued
        detail::CatLayout L{};
        L.outer = outer;
        L.out_row = out_shape[static_cast<size_t>(dim)] * inner;
        int64_t col = 0;
        DeviceGuard guard(dev);
        for (size_t i = 0; i < parts.size(); ++i) {
            keep.push_back(dense(parts[i]));
            const int64_t row = parts[i].size(dim) * inner;
            L.parts[L.count++] = {keep.back().data_ptr(), row, col};
            col += row;
            if (L.count == detail::kMaxCatParts || i + 1 == parts.size()) {
                detail::launch_cat(L, out.data_ptr(), out.element_size(), current_stream(dev));
                L.count = 0;
            }
        }
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
        // The op has checked the indices (tensor/backend.h; it reads them on the host to do so):
        // int64 ones are used where they lie; int32 ones are rare: widened on the host, and checked
        // again there since that costs nothing more.
        const int64_t n = t.size(dim);
        const int dev = t.device().index;
        Tensor didx;
        if (index.dtype() == DType::Int64) {
            didx = dense(index.reshape({index.numel()}));
        } else {
            const std::vector<int64_t> idx = index.cpu().to_int_vector();
            for (int64_t v : idx)
                if (v < 0 || v >= n) return Tensor();
            didx = Tensor::empty({static_cast<int64_t>(idx.size())}, {DType::Int64, t.device()});
            if (!idx.empty()) backend_for(t.device()).copy_from_host(didx.data_ptr(), idx.data(), idx.size() * 8, dev);
        }
        const int64_t k_count = didx.numel();
        const Tensor x = dense(t);
        int64_t outer = 1, inner = 1;
        for (int64_t d = 0; d < dim; ++d) outer *= t.size(d);
        for (int64_t d = dim + 1; d < t.dim(); ++d) inner *= t.size(d);
        Shape shape = t.shape();
        shape[static_cast<size_t>(dim)] = k_count;
        Tensor out = Tensor::empty(shape, {t.dtype(), t.device()});
        DeviceGuard guard(dev);
        detail::launch_index_select(x.data_ptr(), out.data_ptr(), t.element_size(), outer, n, inner, didx.data<int64_t>(),
                                    k_count, current_stream(dev));
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
        const Tensor x = dense(a);
        // linear's weight^T: a 2-D right operand that is the transpose of a dense matrix goes to
        // cuBLAS as it is, with a transpose flag, instead of through a copy kernel (not for the
        // exact kernel, which reads dense operands). The kernel setting is read once: a change from
        // another thread must not hand the exact kernel the transposed view.
        const bool exact = detail::matmul_kernel() == detail::MatmulKernel::Exact;
        const bool b_transposed = b.dim() == 2 && !b.is_contiguous() && b.strides()[0] == 1 && b.strides()[1] == K && !exact;
        const Tensor y = b_transposed ? b : dense(b);
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
        if (exact) {
            // Exact asked for: a shape the kernel refuses goes through the host (exact too), not cuBLAS.
            if (!detail::launch_matmul_exact(x.data_ptr(), y.data_ptr(), out.data_ptr(), a.dtype(), M, N, K, batches,
                                             ba == 1 ? 0 : M * K, bb == 1 ? 0 : K * N, current_stream(dev)))
                return Tensor();
            return squeezed(out);
        }
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
                // Row-major C = A B is column-major C^T = B^T A^T: swap the operands. A dense B [K, N]
                // is column-major B^T (ld N); a transposed view of a dense [N, K] is column-major
                // B (K x N, ld K), which cuBLAS transposes (batch stride 0: it is 2-D).
                NL_CUBLAS_CHECK(cublas_library().gemm_strided_batched_ex(
                    h, b_transposed ? CUBLAS_OP_T : CUBLAS_OP_N, CUBLAS_OP_N, static_cast<int>(N), static_cast<int>(M),
                    static_cast<int>(K), alpha, y.data_ptr(), type, static_cast<int>(b_transposed ? K : N),
                    bb == 1 ? 0 : K * N, x.data_ptr(), type, static_cast<int>(K),
                    ba == 1 ? 0 : M * K, beta, out.data_ptr(), type, static_cast<int>(N), M * N,
                    static_cast<int>(batches), compute, CUBLAS_GEMM_DEFAULT));
            }
        }
        return squeezed(out);
    }

    // stats_kernels.cu on a dense copy made on the device (strided views included).
    bool histogram(const Tensor& t, int bins, double lo, double hi, double scale, DeviceHistogram& out) override {
        if (bins < 1 || !(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(hi - lo) ||
            !std::isfinite(scale) || !(scale > 0.0))
            return false;
        if (t.numel() == 0) {  // nothing to count (an empty view need not be "contiguous", H100 run)
            out.counts.assign(static_cast<size_t>(bins), 0);
            out.below = out.above = out.total = 0;
            return true;
        }
        const Tensor x = dense(t);
        if (!x.device().is_cuda() || !x.is_contiguous()) return false;
        histogram_counts(x, bins, lo, hi, scale, out);
        return true;
    }
    bool moments(const Tensor& t, DeviceMoments& out) override {
        const Tensor x = dense(t);
        if (!x.device().is_cuda() || !x.is_contiguous()) return false;
        moment_sums(x, out);
        return true;
    }
};

}  // namespace

DeviceOps* cuda_device_ops() {
    static CudaOps ops;
    static DeviceOps* const profiled = profiled_ops(&ops);
    return op_profiling() ? profiled : &ops;  // NOISELAB_PROFILE_OPS=1: every op timed
}

}  // namespace nl::gpu
