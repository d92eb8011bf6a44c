// Stand-in DeviceOps for the host-memory CUDA stand-in (host_memory_backend.h): every method
// counts its calls, records the arguments the dispatch gave it, and computes on host copies with
// the CPU ops, returning its result on the tensors' device, so values are the CPU's. avg_pool2d,
// batch_norm and conv_transpose2d compute instead as their CUDA kernels do, with the per-output
// formulas of tensor/layer_formulas.h and the geometry the op passed, so that comparing their
// results with the CPU op checks those formulas and that geometry. Like CudaOps
// they decline (undefined Tensor) what the real kernels decline: mixed or non-floating dtypes.
// Plug them in with HostMemoryCuda::kernels; tests then see which ops reach a kernel, with which
// arguments, and (ops_detail::through_host_calls) which still go through the host. Their own
// reads of device memory run in a KernelScope, so HostMemoryCuda::copies_to_host counts only
// the copies the code under test makes.
#pragma once
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tensor/backend.h"
#include "tensor/layer_formulas.h"
#include "tensor/reduce_formulas.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tests/support/host_memory_backend.h"

namespace nl::test {

class FakeDeviceOps final : public DeviceOps {
public:
    std::map<std::string, int> calls;
    std::vector<int64_t> dims;          // the dims softmax, index_select and cat were given (already wrapped)
    std::vector<bool> scalar_first;     // binary_scalar's flag, per call
    std::vector<double> scalars;        // binary_scalar's scalar, per call
    std::vector<DeviceConvOptions> conv_options;
    std::vector<Shape> shapes;          // conv2d / upsample: the 4-D input's shape; cat: out_shape
    std::vector<std::vector<int64_t>> addend_strides;  // conv2d_add: the addend view's strides, per call
    std::vector<DeviceUnaryOp> unary_ops;
    std::vector<int64_t> sizes;                            // layer_norm: the row length
    std::vector<DeviceReduceOp> reduce_ops;                // reduce_rows' op, per call
    std::vector<Shape> reduce_shapes;                      // reduce_rows and extreme_rows: {outer, inner}
    std::vector<layer::PoolGeometry> pools;                // avg_pool2d's geometry, per call
    std::vector<layer::ConvTransposeGeometry> transposed;  // conv_transpose2d's, per call

    Tensor binary(DeviceBinaryOp op, const Tensor& a, const Tensor& b) override {
        const HostMemoryCuda::KernelScope scope;
        const bool integer = a.dtype() == DType::Int64 && op != DeviceBinaryOp::Div;
        if (a.dtype() != b.dtype() || !(is_floating(a.dtype()) || integer)) return Tensor();
        ++calls["binary"];
        return apply(op, a.cpu(), b.cpu()).to(a.device());
    }
    Tensor binary_scalar(DeviceBinaryOp op, const Tensor& t, double s, bool first) override {
        const HostMemoryCuda::KernelScope scope;
        if (!is_floating(t.dtype())) return Tensor();
        ++calls["binary_scalar"];
        scalar_first.push_back(first);
        scalars.push_back(s);
        // s is already in t's compute dtype: the CPU op with it gives the CPU's bits.
        const Tensor x = t.cpu();
        switch (op) {
            case DeviceBinaryOp::Add: return (first ? add(Scalar(s), x) : add(x, Scalar(s))).to(t.device());
            case DeviceBinaryOp::Sub: return (first ? sub(Scalar(s), x) : sub(x, Scalar(s))).to(t.device());
            case DeviceBinaryOp::Mul: return (first ? mul(Scalar(s), x) : mul(x, Scalar(s))).to(t.device());
            case DeviceBinaryOp::Div: return (first ? div(Scalar(s), x) : div(x, Scalar(s))).to(t.device());
        }
        return Tensor();
    }
    Tensor unary(DeviceUnaryOp op, const Tensor& t) override {
        const HostMemoryCuda::KernelScope scope;
        if (!is_floating(t.dtype())) return Tensor();
        const Tensor x = t.cpu();
        Tensor r;
        switch (op) {
            case DeviceUnaryOp::Neg: r = neg(x); break;
            case DeviceUnaryOp::Exp: r = exp(x); break;
            case DeviceUnaryOp::Relu: r = relu(x); break;
            case DeviceUnaryOp::Sin: r = sin(x); break;
            case DeviceUnaryOp::Cos: r = cos(x); break;
            case DeviceUnaryOp::Sqrt: r = nl::sqrt(x); break;
            case DeviceUnaryOp::Tanh: r = nl::tanh(x); break;
            case DeviceUnaryOp::Abs: r = nl::abs(x); break;
            case DeviceUnaryOp::Sigmoid: r = sigmoid(x); break;
            case DeviceUnaryOp::Silu: r = silu(x); break;
            case DeviceUnaryOp::Gelu: r = gelu(x); break;
            case DeviceUnaryOp::GeluTanh: r = gelu(x, "tanh"); break;
            default: return Tensor();  // declined (log, ...): the tests check the fallback
        }
        ++calls["unary"];
        unary_ops.push_back(op);
        return r.to(t.device());
    }
    // The reductions compute as their CUDA kernels do: blocks of reduce_formulas.h, then the rows.
    Tensor reduce_rows(DeviceReduceOp op, const Tensor& rows, int64_t outer, int64_t inner, bool unbiased) override {
        const HostMemoryCuda::KernelScope scope;
        if (!is_floating(rows.dtype()) && op != DeviceReduceOp::Sum) return Tensor();
        ++calls["reduce_rows"];
        reduce_ops.push_back(op);
        reduce_shapes.push_back({outer, inner});
        if (!is_floating(rows.dtype())) return nl::sum(rows.cpu().reshape({outer, inner}), 1).to(rows.device());
        const Tensor x = rows.cpu().contiguous();
        Tensor out = Tensor::empty({outer}, {rows.dtype(), Device::cpu()});
        const int64_t nblocks = reduce::blocks_of(inner);
        with_floating(rows.dtype(), [&](auto tag) {
            using T = decltype(tag);
            for (int64_t row = 0; row < outer; ++row) {
                const T* r = x.data<T>() + row * inner;
                auto total = [&](const double* mean) {
                    double t = 0.0;
                    for (int64_t b = 0; b < nblocks; ++b) {
                        const int64_t begin = b * reduce::kReduceBlock, end = std::min(inner, begin + reduce::kReduceBlock);
                        t += mean ? reduce::block_squares(r, begin, end, *mean) : reduce::block_sum(r, begin, end);
                    }
                    return t;
                };
                double v = total(nullptr);
                if (op != DeviceReduceOp::Sum) v /= static_cast<double>(inner);
                if (op == DeviceReduceOp::Var || op == DeviceReduceOp::Std)
                    v = reduce::variance(total(&v), inner, unbiased, op == DeviceReduceOp::Std);
                out.data<T>()[row] = from_double<T>(v);
            }
        });
        return out.to(rows.device());
    }
    bool extreme_rows(bool is_max, const Tensor& rows, int64_t outer, int64_t inner, Tensor& values,
                      Tensor& indices) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["extreme_rows"];
        reduce_shapes.push_back({outer, inner});
        const Tensor x = rows.cpu().contiguous();
        Tensor v = Tensor::empty({outer}, {rows.dtype(), Device::cpu()}), ix = Tensor::empty({outer}, {DType::Int64});
        dispatch_dtype(rows.dtype(), [&](auto tag) {
            using T = decltype(tag);
            for (int64_t row = 0; row < outer; ++row) {
                const T* r = x.data<T>() + row * inner;
                int64_t best = -1;
                for (int64_t begin = 0; begin < inner; begin += reduce::kReduceBlock) {
                    const int64_t end = std::min(inner, begin + reduce::kReduceBlock);
                    const int64_t i = is_max ? reduce::block_extreme<true>(r, begin, end) : reduce::block_extreme<false>(r, begin, end);
                    if (best < 0 || (is_max ? reduce::replaces<true>(r[best], r[i]) : reduce::replaces<false>(r[best], r[i])))
                        best = i;
                }
                v.data<T>()[row] = r[best];
                ix.data<int64_t>()[row] = best;
            }
        });
        values = v.to(rows.device());
        indices = ix.to(rows.device());
        return true;
    }
    Tensor gather(const Tensor& t, int64_t dim, const Tensor& index) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["gather"];
        return nl::gather(t.cpu(), dim, index.cpu()).to(t.device());
    }
    // As the kernel: a chain in double per line (integers: int64, wrapping).
    Tensor cumsum(const Tensor& t, int64_t outer, int64_t n, int64_t inner) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["cumsum"];
        const bool floating = is_floating(t.dtype());
        const Tensor x = floating ? t.cpu().contiguous() : t.cpu().to(DType::Int64).contiguous();
        Tensor out = Tensor::empty(t.shape(), {x.dtype(), Device::cpu()});
        dispatch_dtype(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            for (int64_t line = 0; line < outer * inner; ++line) {
                const int64_t base = line / inner * n * inner + line % inner;
                double acc = 0.0;
                uint64_t iacc = 0;
                for (int64_t k = 0; k < n; ++k) {
                    const int64_t at = base + k * inner;
                    if constexpr (std::is_same_v<T, int64_t>) {
                        iacc += static_cast<uint64_t>(x.data<T>()[at]);
                        out.data<T>()[at] = static_cast<int64_t>(iacc);
                    } else {
                        acc += to_double<T>(x.data<T>()[at]);
                        out.data<T>()[at] = from_double<T>(acc);
                    }
                }
            }
        });
        return out.to(t.device());
    }
    Tensor contiguous(const Tensor& t) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["contiguous"];
        return t.cpu().to(t.device());  // cpu() compacts the view
    }
    Tensor convert(const Tensor& t, DType to) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["convert"];
        return t.cpu().to(to).to(t.device());
    }
    Tensor sum(const Tensor& t) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["sum"];
        return nl::sum(t.cpu()).to(t.device());
    }
    Tensor softmax(const Tensor& t, int64_t dim, bool log) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["softmax"];
        dims.push_back(dim);
        return (log ? log_softmax(t.cpu(), dim) : nl::softmax(t.cpu(), dim)).to(t.device());
    }
    Tensor matmul(const Tensor& a, const Tensor& b) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["matmul"];
        return nl::matmul(a.cpu(), b.cpu()).to(a.device());
    }
    Tensor index_select(const Tensor& t, int64_t dim, const Tensor& index) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["index_select"];
        dims.push_back(dim);
        return nl::index_select(t.cpu(), dim, index.cpu()).to(t.device());
    }
    Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& b, const DeviceConvOptions& o, int64_t Ho,
                  int64_t Wo, const Tensor& add) override {
        const HostMemoryCuda::KernelScope scope;
        if (x.dim() != 4 || w.dtype() != x.dtype() || (b.defined() && b.dtype() != x.dtype()) ||
            (add.defined() && (add.dtype() != x.dtype() || add.dim() != 4)))
            return Tensor();
        ++calls[add.defined() ? "conv2d_add" : "conv2d"];
        conv_options.push_back(o);
        shapes.push_back(x.shape());
        if (add.defined()) addend_strides.push_back(add.strides());
        Tensor y = nl::conv2d(x.cpu(), w.cpu(), b.defined() ? b.cpu() : b, {o.stride_h, o.stride_w},
                              {o.pad_h, o.pad_w}, {o.dil_h, o.dil_w}, o.groups);
        if (y.size(2) != Ho || y.size(3) != Wo) return Tensor();  // a wrong size fails the caller's test
        // The kernels' epilogue: each output stored, then its addend added (the view has the output's shape).
        if (add.defined()) {
            if (add.shape() != y.shape()) return Tensor();
            y = nl::add(y, add.cpu());
        }
        return y.to(x.device());
    }
    Tensor group_norm(const Tensor& x, int64_t groups, const Tensor& w, const Tensor& b, double eps,
                      bool then_silu) override {
        const HostMemoryCuda::KernelScope scope;
        if ((w.defined() && w.dtype() != x.dtype()) || (b.defined() && b.dtype() != x.dtype())) return Tensor();
        ++calls[then_silu ? "group_norm_silu" : "group_norm"];
        const Tensor y = nl::group_norm(x.cpu(), groups, w.defined() ? w.cpu() : w, b.defined() ? b.cpu() : b, eps);
        return (then_silu ? nl::silu(y) : y).to(x.device());
    }
    Tensor layer_norm(const Tensor& x, int64_t len, const Tensor& w, const Tensor& b, double eps) override {
        const HostMemoryCuda::KernelScope scope;
        if ((w.defined() && w.dtype() != x.dtype()) || (b.defined() && b.dtype() != x.dtype())) return Tensor();
        ++calls["layer_norm"];
        sizes.push_back(len);
        const Tensor rows = x.cpu().reshape({-1, len});
        const Tensor wl = w.defined() ? w.cpu().reshape({len}) : w, bl = b.defined() ? b.cpu().reshape({len}) : b;
        return nl::layer_norm(rows, {len}, wl, bl, eps).reshape(x.shape()).to(x.device());
    }
    Tensor batch_norm(const Tensor& x, const Tensor& mean, const Tensor& var, const Tensor& w, const Tensor& b,
                      double eps) override {
        const HostMemoryCuda::KernelScope scope;
        for (const Tensor* p : {&mean, &var, &w, &b})
            if (p->defined() && p->dtype() != x.dtype()) return Tensor();
        ++calls["batch_norm"];
        const Tensor xc = x.cpu().contiguous();
        Tensor y = Tensor::empty(x.shape(), {x.dtype(), Device::cpu()});
        const int64_t C = x.size(1), spatial = x.numel() == 0 ? 0 : x.numel() / (x.size(0) * C);
        with_floating(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const std::vector<double> m = mean.to_vector(), v = var.to_vector();
            const std::vector<double> wv = w.defined() ? w.to_vector() : std::vector<double>(C, 0.0);
            const std::vector<double> bv = b.defined() ? b.to_vector() : std::vector<double>(C, 0.0);
            for (int64_t i = 0; i < x.numel(); ++i) {
                const size_t c = static_cast<size_t>((i / spatial) % C);
                const layer::BatchNormChannel ch =
                    layer::batch_norm_channel(m[c], v[c], eps, w.defined(), wv[c], b.defined(), bv[c]);
                y.data<T>()[i] = layer::narrow<T>(layer::batch_norm_at(layer::widen(xc.data<T>()[i]), ch));
            }
        });
        return y.to(x.device());
    }
    Tensor avg_pool2d(const Tensor& x, const layer::PoolGeometry& g) override {
        const HostMemoryCuda::KernelScope scope;
        if (x.dim() != 4) return Tensor();
        ++calls["avg_pool2d"];
        shapes.push_back(x.shape());
        pools.push_back(g);
        const Tensor xc = x.cpu().contiguous();
        const int64_t planes = x.size(0) * x.size(1);
        Tensor y = Tensor::empty({x.size(0), x.size(1), g.Ho, g.Wo}, {x.dtype(), Device::cpu()});
        with_floating(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            for (int64_t p = 0; p < planes; ++p)
                for (int64_t i = 0; i < g.Ho * g.Wo; ++i)
                    y.data<T>()[p * g.Ho * g.Wo + i] =
                        layer::narrow<T>(layer::avg_pool2d_at(xc.data<T>() + p * g.H * g.W, g, i / g.Wo, i % g.Wo));
        });
        return y.to(x.device());
    }
    Tensor conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor& b,
                            const layer::ConvTransposeGeometry& g) override {
        const HostMemoryCuda::KernelScope scope;
        if (x.dim() != 4 || w.dtype() != x.dtype() || (b.defined() && b.dtype() != x.dtype())) return Tensor();
        ++calls["conv_transpose2d"];
        shapes.push_back(x.shape());
        transposed.push_back(g);
        const Tensor xc = x.cpu().contiguous(), wc = w.cpu().contiguous(), bc = b.defined() ? b.cpu().contiguous() : b;
        const int64_t N = x.size(0), per_image = g.O * g.Ho * g.Wo;
        Tensor y = Tensor::empty({N, g.O, g.Ho, g.Wo}, {x.dtype(), Device::cpu()});
        with_floating(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* bias = bc.defined() ? bc.data<T>() : nullptr;
            for (int64_t n = 0; n < N; ++n)
                for (int64_t i = 0; i < per_image; ++i) {
                    const int64_t o = i / (g.Ho * g.Wo), oh = i / g.Wo % g.Ho, ow = i % g.Wo;
                    y.data<T>()[n * per_image + i] = layer::conv_store<T>(layer::conv_transpose2d_at(
                        xc.data<T>() + n * g.C * g.H * g.W, wc.data<T>(), bias, g, o, oh, ow));
                }
        });
        return y.to(x.device());
    }
    Tensor upsample_nearest2d(const Tensor& x, int64_t Ho, int64_t Wo, double sh, double sw) override {
        const HostMemoryCuda::KernelScope scope;
        if (x.dim() != 4) return Tensor();
        ++calls["upsample_nearest2d"];
        shapes.push_back(x.shape());
        const Tensor y = nl::upsample_nearest2d(x.cpu(), sh, sw);
        if (y.size(2) != Ho || y.size(3) != Wo) return Tensor();
        return y.to(x.device());
    }
    Tensor cat(const std::vector<Tensor>& parts, int64_t dim, const std::vector<int64_t>& out_shape) override {
        const HostMemoryCuda::KernelScope scope;
        for (const Tensor& p : parts)
            if (p.dtype() != parts.front().dtype()) return Tensor();
        ++calls["cat"];
        dims.push_back(dim);
        shapes.push_back(out_shape);
        std::vector<Tensor> host;
        for (const Tensor& p : parts) host.push_back(p.cpu());
        return nl::cat(host, dim).to(parts.front().device());
    }
    Tensor clamp(const Tensor& t, bool has_lo, double lo, bool has_hi, double hi) override {
        const HostMemoryCuda::KernelScope scope;
        if (!is_floating(t.dtype())) return Tensor();
        ++calls["clamp"];
        return nl::clamp(t.cpu(), has_lo ? std::optional<Scalar>(lo) : std::nullopt,
                         has_hi ? std::optional<Scalar>(hi) : std::nullopt)
            .to(t.device());
    }

    Tensor compare(DeviceCompareOp op, const Tensor& a, const Tensor& b) override {
        const HostMemoryCuda::KernelScope scope;
        if (a.dtype() != b.dtype()) return Tensor();
        ++calls["compare"];
        return compare_cpu(op, a.cpu(), b.cpu()).to(a.device());
    }
    Tensor compare_scalar(DeviceCompareOp op, const Tensor& t, double s) override {
        const HostMemoryCuda::KernelScope scope;
        ++calls["compare_scalar"];
        scalars.push_back(s);
        // s as a 0-dim tensor of t's dtype (exact: the op sends only exact values): the CPU then
        // compares in that dtype's compute dtype.
        return compare_cpu(op, t.cpu(), full({}, s, {t.dtype()})).to(t.device());
    }
    Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) override {
        const HostMemoryCuda::KernelScope scope;
        if (cond.dtype() != DType::Bool || a.dtype() != b.dtype()) return Tensor();
        ++calls["where"];
        return nl::where(cond.cpu(), a.cpu(), b.cpu()).to(a.device());
    }

private:
    template <class F>
    static void with_floating(DType d, F&& f) {
        switch (d) {
            case DType::Float64: f(double{}); break;
            case DType::Float16: f(Half{}); break;
            case DType::BFloat16: f(BFloat16{}); break;
            default: f(float{}); break;
        }
    }
    static Tensor compare_cpu(DeviceCompareOp op, const Tensor& x, const Tensor& y) {
        switch (op) {
            case DeviceCompareOp::Eq: return eq(x, y);
            case DeviceCompareOp::Ne: return ne(x, y);
            case DeviceCompareOp::Lt: return lt(x, y);
            case DeviceCompareOp::Le: return le(x, y);
            case DeviceCompareOp::Gt: return gt(x, y);
            case DeviceCompareOp::Ge: return ge(x, y);
        }
        return Tensor();
    }
    static Tensor apply(DeviceBinaryOp op, const Tensor& x, const Tensor& y) {
        switch (op) {
            case DeviceBinaryOp::Add: return add(x, y);
            case DeviceBinaryOp::Sub: return sub(x, y);
            case DeviceBinaryOp::Mul: return mul(x, y);
            case DeviceBinaryOp::Div: return div(x, y);
        }
        return Tensor();
    }
};

}  // namespace nl::test
