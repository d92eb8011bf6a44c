// Normalisations: group_norm, layer_norm and batch_norm (evaluation mode, running statistics).
// Statistics are two-pass in double (mean, then the mean squared deviation: the biased variance,
// as PyTorch's), each sum in backend.h's kNormLanes order so that the GPU's kernel gives the same
// bits, and y = (x - mean) * (1 / sqrt(var + eps)) * weight + bias is formed in double and rounded
// once to x's dtype.
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "tensor/backend.h"
#include "tensor/layer_formulas.h"
#include "tensor/ops.h"
#include "tensor/ops_internal.h"
#include "tensor/parallel.h"

namespace nl {
using namespace ops_detail;

namespace {

// Checks a floating-point parameter (when defined) holds n values; reads nothing, so it also
// serves device tensors before their kernel runs.
void check_param(const char* op, const Tensor& p, const char* what, int64_t n, const Shape& expected) {
    if (!p.defined()) return;
    require_floating(op, p);
    if (p.numel() != n || (!expected.empty() && p.shape() != expected))
        throw ShapeError(std::string(op) + ": " + what + " has shape " + shape_str(p.shape()) + ", expected " +
                         (expected.empty() ? "[" + std::to_string(n) + "]" : shape_str(expected)));
}

// A floating-point parameter vector as doubles (empty when undefined), checked to hold n values.
std::vector<double> param(const char* op, const Tensor& p, const char* what, int64_t n, const Shape& expected) {
    check_param(op, p, what, n, expected);
    return p.defined() ? p.to_vector() : std::vector<double>{};
}

// The sum of term(i) for i in [0, n), in double, in kNormLanes order (backend.h).
template <class Term>
double lane_sum(int64_t n, Term term) {
    // Only the first `active` lanes hold anything; the others are +0, and x + +0 is x (a lane never
    // holds -0: it starts at +0), so the pairs that would add a +0 lane are skipped - short rows
    // cost their length, not 256.
    int active = static_cast<int>(std::min<int64_t>(n, kNormLanes));
    double lanes[kNormLanes];
    for (int t = 0; t < active; ++t) lanes[t] = 0.0;
    // Element i goes to lane i % kNormLanes, in order: a block of kNormLanes elements at a time,
    // which the compiler vectorises (the same additions in the same order per lane).
    for (int64_t base = 0; base < n; base += kNormLanes) {
        const int64_t m = std::min<int64_t>(kNormLanes, n - base);
        for (int64_t t = 0; t < m; ++t) lanes[t] += term(base + t);
    }
    for (int stride = kNormLanes / 2; stride >= 1; stride /= 2) {
        for (int t = 0; t + stride < active; ++t) lanes[t] += lanes[t + stride];
        active = std::min(active, stride);
    }
    return active > 0 ? lanes[0] : 0.0;
}

// silu of a row of stored values, in place, as ops.h's silu computes it for T: float and double
// directly, the 16-bit types in float32 and rounded back.
template <class T>
void silu_row(T* q, int64_t len) {
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
        silu_values(q, len, q);
    } else {
        constexpr int64_t kChunk = 512;
        float buf[kChunk];
        for (int64_t i = 0; i < len; i += kChunk) {
            const int64_t c = std::min(kChunk, len - i);
            for (int64_t j = 0; j < c; ++j) buf[j] = convert_element<float>(q[i + j]);
            silu_values(buf, c, buf);
            for (int64_t j = 0; j < c; ++j) q[i + j] = convert_element<T>(buf[j]);
        }
    }
}

// Normalises rows of x (contiguous, [rows, len]). The affine parameters go by runs: element i of
// row r takes parameter first_channel(r) + i / run (group_norm: a channel's `spatial` values share
// one; layer_norm: run 1, one per element), walked run by run rather than divided per element.
// then_silu: silu of each stored output (group_norm_silu).
template <class T, class FirstChannel>
void normalize_rows(const T* x, T* y, int64_t rows, int64_t len, int64_t run, double eps, const std::vector<double>& w,
                    const std::vector<double>& b, FirstChannel first_channel, bool then_silu = false) {
    parallel_for(rows, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, len)), [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            const T* p = x + r * len;
            const double mean = lane_sum(len, [&](int64_t i) { return to_double<T>(p[i]); }) / static_cast<double>(len);
            const double m2 = lane_sum(len, [&](int64_t i) {
                const double d = to_double<T>(p[i]) - mean;
                return d * d;
            });
            const double rstd = 1.0 / std::sqrt(m2 / static_cast<double>(len) + eps);
            T* q = y + r * len;
            int64_t c = first_channel(r);
            for (int64_t i0 = 0; i0 < len; i0 += run, ++c) {
                const int64_t i1 = std::min(len, i0 + run);
                for (int64_t i = i0; i < i1; ++i) {
                    double v = (to_double<T>(p[i]) - mean) * rstd;
                    if (!w.empty()) v *= w[static_cast<size_t>(c)];
                    if (!b.empty()) v += b[static_cast<size_t>(c)];
                    q[i] = from_double<T>(v);
                }
            }
            if (then_silu) silu_row(q, len);
        }
    });
}

template <class F>
void dispatch_floating(DType d, F&& f) {
    switch (d) {
        case DType::Float64: f(double{}); break;
        case DType::Float16: f(Half{}); break;
        case DType::BFloat16: f(BFloat16{}); break;
        default: f(float{}); break;
    }
}

void check_eps(const char* op, double eps) {
    if (!(eps >= 0.0) || !std::isfinite(eps))
        throw ValueError(std::string(op) + ": eps must be finite and >= 0, got " + std::to_string(eps));
}

}  // namespace

namespace {

// group_norm, and group_norm_silu when then_silu.
Tensor group_norm_with(const char* op, const Tensor& x, int64_t num_groups, const Tensor& weight, const Tensor& bias,
                       double eps, bool then_silu) {
    const Device dev = op_device(op, {&x, &weight, &bias});
    require_defined(op, x, "input");
    require_floating(op, x);
    check_eps(op, eps);
    if (x.dim() < 2) throw ShapeError(std::string(op) + ": expected input [N, C, *], got shape " + shape_str(x.shape()));
    const int64_t N = x.size(0), C = x.size(1);
    if (num_groups < 1 || C % num_groups != 0)
        throw ValueError(std::string(op) + ": num_groups must be >= 1 and divide the " + std::to_string(C) +
                         " channels of input shape " + shape_str(x.shape()) + ", got " + std::to_string(num_groups));
    if (!dev.is_cpu()) {
        check_param(op, weight, "weight", C, {C});
        check_param(op, bias, "bias", C, {C});
        if (DeviceOps* k = device_ops_for({&x, &weight, &bias}))
            if (Tensor y = k->group_norm(x, num_groups, weight, bias, eps, then_silu); y.defined()) return y;
        return through_host(dev, [&] {
            return group_norm_with(op, host(x), num_groups, host(weight), host(bias), eps, then_silu);
        });
    }
    const std::vector<double> w = param(op, weight, "weight", C, {C});
    const std::vector<double> b = param(op, bias, "bias", C, {C});
    const int64_t spatial = C == 0 || N == 0 ? 0 : x.numel() / (N * C);
    const int64_t cg = C / num_groups, len = cg * spatial;
    const Tensor xc = materialize(x);
    Tensor y = Tensor::empty(x.shape(), {x.dtype(), Device::cpu()});
    if (y.numel() == 0) return y;
    dispatch_floating(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        normalize_rows<T>(
            xc.data<T>(), y.data<T>(), N * num_groups, len, spatial, eps, w, b,
            [&](int64_t row) { return (row % num_groups) * cg; }, then_silu);
    });
    return y;
}

}  // namespace

Tensor group_norm(const Tensor& x, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps) {
    return group_norm_with("group_norm", x, num_groups, weight, bias, eps, false);
}

Tensor group_norm_silu(const Tensor& x, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps) {
    return group_norm_with("group_norm_silu", x, num_groups, weight, bias, eps, true);
}

Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps) {
    const char* op = "layer_norm";
    const Device dev = op_device(op, {&x, &weight, &bias});
    require_defined(op, x, "input");
    require_floating(op, x);
    check_eps(op, eps);
    const size_t k = normalized_shape.size();
    bool ok = k >= 1 && k <= x.shape().size();
    for (size_t i = 0; ok && i < k; ++i) ok = x.shape()[x.shape().size() - k + i] == normalized_shape[i];
    if (!ok)
        throw ShapeError(std::string(op) + ": input shape " + shape_str(x.shape()) + " does not end in normalized_shape " +
                         shape_str(normalized_shape));
    const int64_t len = shape_numel(normalized_shape);
    if (!dev.is_cpu()) {
        check_param(op, weight, "weight", len, normalized_shape);
        check_param(op, bias, "bias", len, normalized_shape);
        if (DeviceOps* k = device_ops_for({&x, &weight, &bias}))
            if (Tensor y = k->layer_norm(x, len, weight, bias, eps); y.defined()) return y;
        return through_host(dev, [&] { return layer_norm(host(x), normalized_shape, host(weight), host(bias), eps); });
    }
    const std::vector<double> w = param(op, weight, "weight", len, normalized_shape);
    const std::vector<double> b = param(op, bias, "bias", len, normalized_shape);
    const Tensor xc = materialize(x);
    Tensor y = Tensor::empty(x.shape(), {x.dtype(), Device::cpu()});
    if (y.numel() == 0) return y;
    dispatch_floating(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        normalize_rows<T>(xc.data<T>(), y.data<T>(), x.numel() / len, len, 1, eps, w, b, [](int64_t) { return int64_t{0}; });
    });
    return y;
}

Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                  const Tensor& bias, double eps) {
    const char* op = "batch_norm";
    const Device dev = op_device(op, {&x, &running_mean, &running_var, &weight, &bias});
    require_defined(op, x, "input");
    require_defined(op, running_mean, "running_mean");
    require_defined(op, running_var, "running_var");
    require_floating(op, x);
    check_eps(op, eps);
    if (x.dim() < 2) throw ShapeError(std::string(op) + ": expected input [N, C, *], got shape " + shape_str(x.shape()));
    const int64_t N = x.size(0), C = x.size(1);
    if (!dev.is_cpu()) {
        check_param(op, running_mean, "running_mean", C, {C});
        check_param(op, running_var, "running_var", C, {C});
        check_param(op, weight, "weight", C, {C});
        check_param(op, bias, "bias", C, {C});
        if (DeviceOps* k = device_ops_for({&x, &running_mean, &running_var, &weight, &bias}))
            if (Tensor y = k->batch_norm(x, running_mean, running_var, weight, bias, eps); y.defined()) return y;
        return through_host(dev, [&] {
            return batch_norm(host(x), host(running_mean), host(running_var), host(weight), host(bias), eps);
        });
    }
    const std::vector<double> rm = param(op, running_mean, "running_mean", C, {C});
    const std::vector<double> rv = param(op, running_var, "running_var", C, {C});
    const std::vector<double> w = param(op, weight, "weight", C, {C});
    const std::vector<double> b = param(op, bias, "bias", C, {C});
    const int64_t spatial = C == 0 || N == 0 ? 0 : x.numel() / (N * C);
    std::vector<layer::BatchNormChannel> channel(static_cast<size_t>(C));
    for (int64_t c = 0; c < C; ++c)
        channel[c] = layer::batch_norm_channel(rm[c], rv[c], eps, !w.empty(), w.empty() ? 0.0 : w[c], !b.empty(),
                                               b.empty() ? 0.0 : b[c]);
    const Tensor xc = materialize(x);
    Tensor y = Tensor::empty(x.shape(), {x.dtype(), Device::cpu()});
    if (y.numel() == 0) return y;
    dispatch_floating(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = xc.data<T>();
        T* q = y.data<T>();
        parallel_for(N * C, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, spatial)),
                     [&](int64_t b0, int64_t b1) {
                         for (int64_t plane = b0; plane < b1; ++plane) {
                             const layer::BatchNormChannel& ch = channel[static_cast<size_t>(plane % C)];
                             for (int64_t i = plane * spatial; i < (plane + 1) * spatial; ++i)
                                 q[i] = layer::narrow<T>(layer::batch_norm_at(layer::widen(p[i]), ch));
                         }
                     });
    });
    return y;
}

}  // namespace nl
