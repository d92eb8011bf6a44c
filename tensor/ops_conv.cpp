// conv2d (im2col + GEMM), conv_transpose2d (GEMM + col2im), upsample_nearest2d and avg_pool2d on
// NCHW tensors. Float16/bfloat16 run in float32 and are rounded once; float32 and float64 run in
// their own type. Work is split over images x groups when there are enough of them, else inside
// each GEMM.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "tensor/backend.h"
#include "tensor/layer_formulas.h"
#include "tensor/ops.h"
#include "tensor/ops_internal.h"
#include "tensor/parallel.h"

namespace nl {
using namespace ops_detail;

namespace {

std::string pair_str(Size2 s) { return "(" + std::to_string(s.h) + ", " + std::to_string(s.w) + ")"; }

void check_at_least(const char* op, const char* what, Size2 v, int64_t lo) {
    if (v.h < lo || v.w < lo)
        throw ValueError(std::string(op) + ": " + what + " must be >= " + std::to_string(lo) + ", got " + pair_str(v));
}

// x as [N, C, H, W]; `unbatched` when x was [C, H, W].
Tensor as_batched(const char* op, const Tensor& x, bool& unbatched) {
    unbatched = x.dim() == 3;
    if (x.dim() != 3 && x.dim() != 4)
        throw ShapeError(std::string(op) + ": expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got shape " +
                         shape_str(x.shape()));
    return unbatched ? x.unsqueeze(0) : x;
}

void check_same_float(const char* op, const Tensor& x, const Tensor& other, const char* what) {
    if (!other.defined()) return;
    if (other.dtype() != x.dtype())
        throw DTypeError(std::string(op) + ": " + what + " has dtype " + dtype_name(other.dtype()) + " but input has " +
                         dtype_name(x.dtype()) + " (they must match)");
}

template <class F>
decltype(auto) dispatch_cd(DType cd, F&& f) {
    if (cd == DType::Float64) return f(double{});
    return f(float{});
}

// Runs body(task) for task in [0, n): in parallel when there are at least as many tasks as threads
// (then each body runs its GEMMs single-threaded), else in order with multi-threaded GEMMs.
template <class Body>
void over_tasks(int64_t n, Body body) {
    if (n >= get_num_threads() && n > 1) {
        parallel_for(n, 1, [&](int64_t b0, int64_t b1) {
            for (int64_t t = b0; t < b1; ++t) body(t, false);
        });
    } else {
        for (int64_t t = 0; t < n; ++t) body(t, true);
    }
}

struct ConvGeom {
    int64_t N, C, H, W, O, kh, kw, Ho, Wo, groups;
    Size2 stride, padding, dilation;
};

// A scratch matrix of n values for one convolution task (im2col's columns, col2im's products):
// up to kKeptScratch bytes it is this thread's buffer, kept between calls (a fresh vector of a few
// hundred KiB is a fresh mapping from glibc, zeroed and page-faulted on every call); larger ones are
// allocated for the call alone, so that one huge convolution does not pin its memory for good.
// One at a time per thread and type: a second would share the kept buffer.
constexpr size_t kKeptScratch = size_t{8} << 20;
template <class T>
class ConvScratch {
public:
    explicit ConvScratch(int64_t n) {
        const size_t count = static_cast<size_t>(n);
        if (count * sizeof(T) <= kKeptScratch) {
            static thread_local std::vector<T> kept;
            if (kept.size() < count) kept.resize(count);
            data_ = kept.data();
        } else {
            own_.resize(count);
            data_ = own_.data();
        }
    }
    T* data() const { return data_; }

private:
    std::vector<T> own_;
    T* data_ = nullptr;
};

// The im2col matrix of one image's group xg ([Cg, H, W]): col[(c, ki, kj)][oh, ow] is the input
// under tap (ki, kj) of output (oh, ow), 0 in the padding. Every entry is written (no clearing
// first). The UNet's images are 20, 10 and 5 pixels wide, so the per-row work is what costs: a
// "same" convolution (stride 1, output as wide as the input) copies each tap's plane as one run,
// the input shifted by a constant, and then zeroes what falls in the padding.
template <class T>
void im2col(const ConvGeom& g, int64_t Cg, const T* xg, T* col) {
    const int64_t HoWo = g.Ho * g.Wo, sw = g.stride.w, plane = g.H * g.W;
    const bool same = g.stride.h == 1 && sw == 1 && g.Wo == g.W;
    for (int64_t c = 0; c < Cg; ++c)
        for (int64_t ki = 0; ki < g.kh; ++ki)
            for (int64_t kj = 0; kj < g.kw; ++kj) {
                T* dst = col + ((c * g.kh + ki) * g.kw + kj) * HoWo;
                // Output columns [lo, hi) read input columns iw = ow * sw + off inside [0, W).
                const int64_t off = kj * g.dilation.w - g.padding.w;
                const int64_t lo = std::min(g.Wo, off >= 0 ? int64_t{0} : (-off + sw - 1) / sw);
                const int64_t hi = std::max(lo, g.W - 1 - off < 0 ? int64_t{0} : std::min(g.Wo, (g.W - 1 - off) / sw + 1));
                if (same) {
                    // Output rows [r0, r1) read input rows oh + dy inside [0, H); then entry k of
                    // the plane is input entry k + shift, except in the columns outside [lo, hi).
                    const int64_t dy = ki * g.dilation.h - g.padding.h;
                    const int64_t r0 = std::min(g.Ho, std::max<int64_t>(0, -dy));
                    const int64_t r1 = std::max(r0, std::min(g.Ho, g.H - dy));
                    const int64_t shift = dy * g.W + off;
                    const int64_t k0 = std::max(r0 * g.Wo, -shift), k1 = std::min(r1 * g.Wo, plane - shift);
                    const T* src = xg + c * plane;
                    std::fill(dst, dst + r0 * g.Wo, T(0));
                    if (k0 < k1) std::copy(src + k0 + shift, src + k1 + shift, dst + k0);
                    std::fill(dst + r1 * g.Wo, dst + HoWo, T(0));
                    // Column by column: row by row, each row's one or two padding entries would be
                    // a memset call of their own.
                    const auto zero_column = [&](int64_t ow) {
                        for (int64_t oh = r0; oh < r1; ++oh) dst[oh * g.Wo + ow] = T(0);
                    };
                    for (int64_t ow = 0; ow < lo; ++ow) zero_column(ow);
                    for (int64_t ow = hi; ow < g.Wo; ++ow) zero_column(ow);
                    continue;
                }
                for (int64_t oh = 0; oh < g.Ho; ++oh) {
                    T* d = dst + oh * g.Wo;
                    const int64_t ih = oh * g.stride.h - g.padding.h + ki * g.dilation.h;
                    if (ih < 0 || ih >= g.H) {
                        std::fill(d, d + g.Wo, T(0));
                        continue;
                    }
                    const T* row = xg + (c * g.H + ih) * g.W;
                    std::fill(d, d + lo, T(0));
                    if (sw == 1) {
                        if (lo < hi) std::copy(row + lo + off, row + hi + off, d + lo);  // (lo + off >= 0 only then)
                    } else {
                        for (int64_t ow = lo; ow < hi; ++ow) d[ow] = row[ow * sw + off];
                    }
                    std::fill(d + hi, d + g.Wo, T(0));
                }
            }
}

// add (conv2d_add; null for conv2d) is read at addend_offset(as, ...) and added after the bias.
template <class T>
void conv2d_kernel(const ConvGeom& g, const T* x, const T* w, const T* bias, T* y, const T* add = nullptr,
                   const layer::AddendStrides& as = {}) {
    const int64_t Cg = g.C / g.groups, Og = g.O / g.groups;
    const int64_t kk = g.kh * g.kw, HW = g.H * g.W, HoWo = g.Ho * g.Wo, rows = Cg * kk;
    const bool direct = g.kh == 1 && g.kw == 1 && g.stride.h == 1 && g.stride.w == 1 && g.padding.h == 0 &&
                        g.padding.w == 0;
    over_tasks(g.N * g.groups, [&](int64_t task, bool parallel_gemm) {
        const int64_t n = task / g.groups, gi = task % g.groups;
        const T* xg = x + (n * g.C + gi * Cg) * HW;
        const T* B = xg;
        std::optional<ConvScratch<T>> col;
        if (!direct) {
            col.emplace(rows * HoWo);
            im2col(g, Cg, xg, col->data());
            B = col->data();
        }
        T* yg = y + (n * g.O + gi * Og) * HoWo;
        gemm<T>(Og, HoWo, rows, w + gi * Og * rows, rows, 1, B, HoWo, 1, yg, HoWo, parallel_gemm);
        if (bias)
            for (int64_t o = 0; o < Og; ++o) {
                const T b = bias[gi * Og + o];
                for (int64_t i = 0; i < HoWo; ++i) yg[o * HoWo + i] += b;
            }
        if (add)
            for (int64_t o = 0; o < Og; ++o) {
                T* yo = yg + o * HoWo;
                const T* ao = add + layer::addend_offset(as, n, gi * Og + o, 0, 0);
                for (int64_t oh = 0; oh < g.Ho; ++oh)
                    for (int64_t ow = 0; ow < g.Wo; ++ow) yo[oh * g.Wo + ow] += ao[oh * as.h + ow * as.w];
            }
    });
}

// y = conv_transpose(x): x [N, C(in), H, W], w [C, Og, kh, kw], y [N, O, Ho, Wo].
template <class T>
void conv_transpose2d_kernel(const ConvGeom& g, const T* x, const T* w, const T* bias, T* y) {
    const int64_t Cg = g.C / g.groups, Og = g.O / g.groups;
    const int64_t kk = g.kh * g.kw, HW = g.H * g.W, HoWo = g.Ho * g.Wo, rows = Og * kk;
    over_tasks(g.N * g.groups, [&](int64_t task, bool parallel_gemm) {
        const int64_t n = task / g.groups, gi = task % g.groups;
        const T* xg = x + (n * g.C + gi * Cg) * HW;
        const ConvScratch<T> scratch(rows * HW);
        T* const col = scratch.data();
        // col[Og*kh*kw, H*W] = W_g^T x_g, W_g = w[gi*Cg : (gi+1)*Cg] as [Cg, Og*kh*kw].
        gemm<T>(rows, HW, Cg, w + gi * Cg * rows, 1, rows, xg, HW, 1, col, HW, parallel_gemm);
        T* yg = y + (n * g.O + gi * Og) * HoWo;
        std::fill(yg, yg + Og * HoWo, T(0));
        for (int64_t o = 0; o < Og; ++o)
            for (int64_t ki = 0; ki < g.kh; ++ki)
                for (int64_t kj = 0; kj < g.kw; ++kj) {
                    const T* src = col + ((o * g.kh + ki) * g.kw + kj) * HW;
                    T* dst = yg + o * HoWo;
                    for (int64_t ih = 0; ih < g.H; ++ih) {
                        const int64_t oh = ih * g.stride.h - g.padding.h + ki * g.dilation.h;
                        if (oh < 0 || oh >= g.Ho) continue;
                        for (int64_t iw = 0; iw < g.W; ++iw) {
                            const int64_t ow = iw * g.stride.w - g.padding.w + kj * g.dilation.w;
                            if (ow >= 0 && ow < g.Wo) dst[oh * g.Wo + ow] += src[ih * g.W + iw];
                        }
                    }
                }
        if (bias)
            for (int64_t o = 0; o < Og; ++o) {
                const T b = bias[gi * Og + o];
                for (int64_t i = 0; i < HoWo; ++i) yg[o * HoWo + i] += b;
            }
    });
}

// Validates weight, bias, groups and the options shared by conv2d and conv_transpose2d.
void check_conv(const char* op, const Tensor& x4, const Tensor& weight, const Tensor& bias, int64_t out_channels,
                int64_t groups, Size2 stride, Size2 padding, Size2 dilation) {
    require_floating(op, x4);
    check_same_float(op, x4, weight, "weight");
    check_same_float(op, x4, bias, "bias");
    if (weight.dim() != 4)
        throw ShapeError(std::string(op) + ": weight must be 4-D, got shape " + shape_str(weight.shape()));
    // A kernel window without a tap has no output size (the dilated extent is dilation * (k - 1) + 1);
    // PyTorch refuses it too.
    if (weight.size(2) < 1 || weight.size(3) < 1)
        throw ShapeError(std::string(op) + ": weight shape " + shape_str(weight.shape()) + " has a " +
                         std::to_string(weight.size(2)) + " x " + std::to_string(weight.size(3)) +
                         " kernel window; each side must be at least 1");
    if (groups < 1) throw ValueError(std::string(op) + ": groups must be >= 1, got " + std::to_string(groups));
    check_at_least(op, "stride", stride, 1);
    check_at_least(op, "dilation", dilation, 1);
    check_at_least(op, "padding", padding, 0);
    if (bias.defined() && (bias.dim() != 1 || bias.size(0) != out_channels))
        throw ShapeError(std::string(op) + ": bias shape " + shape_str(bias.shape()) + " does not match the " +
                         std::to_string(out_channels) + " output channels of weight shape " +
                         shape_str(weight.shape()));
}

// Runs kernel on float32/float64 copies of the operands and returns the output in x's dtype.
template <class Kernel>
Tensor run_conv(const ConvGeom& g, const Tensor& x4, const Tensor& weight, const Tensor& bias, bool unbatched,
                Kernel kernel) {
    const DType cd = compute_dtype(x4.dtype());
    const Tensor xc = materialize(x4.to(cd)), wc = materialize(weight.to(cd));
    const Tensor bc = bias.defined() ? materialize(bias.to(cd)) : Tensor{};
    Tensor y = Tensor::empty({g.N, g.O, g.Ho, g.Wo}, {cd, Device::cpu()});
    if (y.numel() > 0)
        dispatch_cd(cd, [&](auto tag) {
            using T = decltype(tag);
            kernel(g, xc.data<T>(), wc.data<T>(), bc.defined() ? bc.data<T>() : static_cast<const T*>(nullptr),
                   y.data<T>());
            return 0;
        });
    if (unbatched) y = y.squeeze(0);
    return y.to(x4.dtype());
}

}  // namespace

namespace {

// addend (conv2d_add) must have x's dtype and broadcast to the output shape `out` (Tensor::expand's
// rule; not the other way round, which would make the result larger).
void check_addend(const char* op, const Tensor& x, const Tensor& addend, const Shape& out) {
    check_same_float(op, x, addend, "addend");
    try {
        (void)addend.expand(out);
    } catch (const ShapeError&) {
        throw ShapeError(std::string(op) + ": addend shape " + shape_str(addend.shape()) +
                         " does not broadcast to the output shape " + shape_str(out));
    }
}

// conv2d, and conv2d_add when addend is defined.
Tensor conv2d_with(const char* op, const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& addend,
                   Size2 stride, Size2 padding, Size2 dilation, int64_t groups) {
    const Device dev = op_device(op, {&x, &weight, &bias, &addend});
    require_defined(op, x, "input");
    require_defined(op, weight, "weight");
    bool unbatched;
    const Tensor x4 = as_batched(op, x, unbatched);
    check_conv(op, x4, weight, bias, weight.dim() == 4 ? weight.size(0) : 0, groups, stride, padding, dilation);
    ConvGeom g{x4.size(0), x4.size(1), x4.size(2), x4.size(3), weight.size(0), weight.size(2), weight.size(3),
               0, 0, groups, stride, padding, dilation};
    if (g.C % groups != 0 || g.O % groups != 0 || weight.size(1) * groups != g.C)
        throw ShapeError(std::string(op) + ": weight shape " + shape_str(weight.shape()) + " with groups=" +
                         std::to_string(groups) + " expects " + std::to_string(weight.size(1) * groups) +
                         " input channels (and out channels divisible by groups), input shape " +
                         shape_str(x.shape()) + " has " + std::to_string(g.C));
    const int64_t eh = dilation.h * (g.kh - 1) + 1, ew = dilation.w * (g.kw - 1) + 1;
    if (g.H + 2 * padding.h < eh || g.W + 2 * padding.w < ew)
        throw ShapeError(std::string(op) + ": padded input size " + pair_str({g.H + 2 * padding.h, g.W + 2 * padding.w}) +
                         " of input shape " + shape_str(x.shape()) + " is smaller than the dilated kernel " +
                         pair_str({eh, ew}) + " of weight shape " + shape_str(weight.shape()));
    g.Ho = (g.H + 2 * padding.h - eh) / stride.h + 1;
    g.Wo = (g.W + 2 * padding.w - ew) / stride.w + 1;
    const Shape out4{g.N, g.O, g.Ho, g.Wo};
    if (addend.defined()) check_addend(op, x, addend, unbatched ? Shape{g.O, g.Ho, g.Wo} : out4);
    // The addend as a view of the 4-D output's shape (stride 0 where it broadcasts).
    const Tensor add4 = addend.defined() ? addend.expand(out4) : Tensor{};
    if (!dev.is_cpu()) {
        // Checked above on the shapes alone: the device's kernel, else the CPU's code on host copies.
        if (DeviceOps* k = device_ops_for({&x, &weight, &bias, &addend})) {
            const DeviceConvOptions o{stride.h, stride.w, padding.h, padding.w, dilation.h, dilation.w, groups};
            if (Tensor y = k->conv2d(x4, weight, bias, o, g.Ho, g.Wo, add4); y.defined()) return unbatched ? y.squeeze(0) : y;
        }
        return through_host(dev, [&] {
            return conv2d_with(op, host(x), host(weight), host(bias), host(addend), stride, padding, dilation, groups);
        });
    }
    // 16-bit types round the convolution before the addition (in float32): the two ops as they are.
    if (addend.defined() && compute_dtype(x.dtype()) != x.dtype())
        return add(conv2d_with(op, x, weight, bias, Tensor{}, stride, padding, dilation, groups), addend);
    std::vector<int64_t> st(4, 0);
    if (add4.defined()) st = add4.strides();
    const layer::AddendStrides as{st[0], st[1], st[2], st[3]};
    return run_conv(g, x4, weight, bias, unbatched, [&](const ConvGeom& gg, const auto* px, const auto* pw, const auto* pb,
                                                        auto* py) {
        using T = std::remove_cv_t<std::remove_pointer_t<decltype(py)>>;
        conv2d_kernel(gg, px, pw, pb, py, add4.defined() ? add4.data<T>() : static_cast<const T*>(nullptr), as);
    });
}

}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Size2 stride, Size2 padding, Size2 dilation,
              int64_t groups) {
    return conv2d_with("conv2d", x, weight, bias, Tensor{}, stride, padding, dilation, groups);
}

Tensor conv2d_add(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& addend, Size2 stride,
                  Size2 padding, Size2 dilation, int64_t groups) {
    require_defined("conv2d_add", addend, "addend");
    return conv2d_with("conv2d_add", x, weight, bias, addend, stride, padding, dilation, groups);
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Size2 stride, Size2 padding,
                        Size2 output_padding, int64_t groups, Size2 dilation) {
    const char* op = "conv_transpose2d";
    const Device dev = op_device(op, {&x, &weight, &bias});
    require_defined(op, x, "input");
    require_defined(op, weight, "weight");
    bool unbatched;
    const Tensor x4 = as_batched(op, x, unbatched);
    const int64_t out_channels = weight.dim() == 4 ? weight.size(1) * groups : 0;
    check_conv(op, x4, weight, bias, out_channels, groups, stride, padding, dilation);
    check_at_least(op, "output_padding", output_padding, 0);
    if (!(output_padding.h < stride.h || output_padding.h < dilation.h) ||
        !(output_padding.w < stride.w || output_padding.w < dilation.w))
        throw ValueError(std::string(op) + ": output_padding " + pair_str(output_padding) +
                         " must be smaller than either stride " + pair_str(stride) + " or dilation " +
                         pair_str(dilation));
    ConvGeom g{x4.size(0), x4.size(1), x4.size(2), x4.size(3), out_channels, weight.size(2), weight.size(3),
               0, 0, groups, stride, padding, dilation};
    if (g.C % groups != 0 || weight.size(0) != g.C)
        throw ShapeError(std::string(op) + ": weight shape " + shape_str(weight.shape()) + " expects " +
                         std::to_string(weight.size(0)) + " input channels (divisible by groups=" +
                         std::to_string(groups) + "), input shape " + shape_str(x.shape()) + " has " +
                         std::to_string(g.C));
    g.Ho = (g.H - 1) * stride.h - 2 * padding.h + dilation.h * (g.kh - 1) + output_padding.h + 1;
    g.Wo = (g.W - 1) * stride.w - 2 * padding.w + dilation.w * (g.kw - 1) + output_padding.w + 1;
    if (g.Ho <= 0 || g.Wo <= 0)
        throw ShapeError(std::string(op) + ": output size " + pair_str({g.Ho, g.Wo}) + " is not positive for input " +
                         shape_str(x.shape()) + " and weight " + shape_str(weight.shape()));
    if (!dev.is_cpu()) {
        const layer::ConvTransposeGeometry dg{g.C,      g.H,      g.W,       g.O,       g.Ho,      g.Wo,
                                              g.kh,     g.kw,     g.groups,  stride.h,  stride.w,  padding.h,
                                              padding.w, dilation.h, dilation.w};
        if (DeviceOps* k = device_ops_for({&x, &weight, &bias}))
            if (Tensor y = k->conv_transpose2d(x4, weight, bias, dg); y.defined()) return unbatched ? y.squeeze(0) : y;
        return through_host(dev, [&] {
            return conv_transpose2d(host(x), host(weight), host(bias), stride, padding, output_padding, groups, dilation);
        });
    }
    return run_conv(g, x4, weight, bias, unbatched,
                    [](const ConvGeom& gg, auto... p) { conv_transpose2d_kernel(gg, p...); });
}

Tensor upsample_nearest2d(const Tensor& x, double scale_h, double scale_w) {
    const char* op = "upsample_nearest2d";
    const Device dev = op_device(op, {&x});
    require_defined(op, x, "input");
    if (!(scale_h > 0 && scale_w > 0 && std::isfinite(scale_h) && std::isfinite(scale_w)))
        throw ValueError(std::string(op) + ": scale factors must be finite and > 0, got (" + std::to_string(scale_h) +
                         ", " + std::to_string(scale_w) + ")");
    bool unbatched;
    const Tensor xb = as_batched(op, x, unbatched);
    const int64_t N = xb.size(0), C = xb.size(1), H = xb.size(2), W = xb.size(3);
    if (static_cast<double>(H) * scale_h >= 0x1p62 || static_cast<double>(W) * scale_w >= 0x1p62)
        throw ShapeError(std::string(op) + ": scale factors (" + std::to_string(scale_h) + ", " +
                         std::to_string(scale_w) + ") make the output of input shape " + shape_str(x.shape()) +
                         " too large");
    const int64_t Ho = static_cast<int64_t>(std::floor(static_cast<double>(H) * scale_h));
    const int64_t Wo = static_cast<int64_t>(std::floor(static_cast<double>(W) * scale_w));
    if (Ho <= 0 || Wo <= 0)
        throw ShapeError(std::string(op) + ": output size " + pair_str({Ho, Wo}) + " of input shape " +
                         shape_str(x.shape()) + " must be positive");
    if (!dev.is_cpu()) {
        if (DeviceOps* k = device_ops_for({&x}))
            if (Tensor y = k->upsample_nearest2d(xb, Ho, Wo, scale_h, scale_w); y.defined())
                return unbatched ? y.squeeze(0) : y;
        return through_host(dev, [&] { return upsample_nearest2d(host(x), scale_h, scale_w); });
    }
    const Tensor x4 = materialize(xb);
    // PyTorch's nearest_idx: exact for same size and 2x; else floor(dst * float(1/scale)).
    auto src_index = [](int64_t dst, int64_t in, int64_t out, double scale) {
        if (out == in) return dst;
        if (out == 2 * in) return dst >> 1;
        const float s = static_cast<float>(1.0 / scale);
        return std::min(static_cast<int64_t>(std::floor(static_cast<float>(dst) * s)), in - 1);
    };
    std::vector<int64_t> sh(static_cast<size_t>(Ho)), sw(static_cast<size_t>(Wo));
    for (int64_t i = 0; i < Ho; ++i) sh[i] = src_index(i, H, Ho, scale_h);
    for (int64_t j = 0; j < Wo; ++j) sw[j] = src_index(j, W, Wo, scale_w);
    Tensor y = Tensor::empty({N, C, Ho, Wo}, {x.dtype(), Device::cpu()});
    // Elements moved as unsigned integers of their size (every bit kept, NaN payloads included); an
    // output row whose source row is the previous one's (each row twice at 2x) is a copy of it.
    const auto copy_planes = [&](auto tag) {
        using E = decltype(tag);
        const E* src = static_cast<const E*>(x4.data_ptr());
        E* dst = static_cast<E*>(y.data_ptr());
        parallel_for(N * C, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, Ho * Wo)),
                     [&](int64_t b0, int64_t b1) {
                         for (int64_t plane = b0; plane < b1; ++plane)
                             for (int64_t i = 0; i < Ho; ++i) {
                                 E* drow = dst + (plane * Ho + i) * Wo;
                                 if (i > 0 && sh[i] == sh[i - 1]) {
                                     std::memcpy(drow, drow - Wo, sizeof(E) * static_cast<size_t>(Wo));
                                     continue;
                                 }
                                 const E* srow = src + (plane * H + sh[i]) * W;
                                 for (int64_t j = 0; j < Wo; ++j) drow[j] = srow[sw[j]];
                             }
                     });
    };
    switch (x.element_size()) {
        case 1: copy_planes(uint8_t{}); break;
        case 2: copy_planes(uint16_t{}); break;
        case 4: copy_planes(uint32_t{}); break;
        default: copy_planes(uint64_t{}); break;
    }
    return unbatched ? y.squeeze(0) : y;
}

Tensor upsample_nearest2d(const Tensor& x, double scale) { return upsample_nearest2d(x, scale, scale); }

namespace {
// PyTorch's pooling_output_shape with dilation 1.
int64_t pool_out(int64_t in, int64_t k, int64_t pad, int64_t stride, bool ceil_mode) {
    const int64_t num = in + 2 * pad - (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
    int64_t out = (num >= 0 ? num / stride : -((-num + stride - 1) / stride)) + 1;  // floor division
    if (ceil_mode && (out - 1) * stride >= in + pad) --out;
    return out;
}
}  // namespace

Tensor avg_pool2d(const Tensor& x, Size2 kernel, std::optional<Size2> stride_opt, Size2 padding, bool ceil_mode,
                  bool count_include_pad) {
    const char* op = "avg_pool2d";
    const Device dev = op_device(op, {&x});
    require_defined(op, x, "input");
    require_floating(op, x);
    bool unbatched;
    const Tensor x4 = as_batched(op, x, unbatched);
    const Size2 stride = stride_opt ? *stride_opt : kernel;
    check_at_least(op, "kernel_size", kernel, 1);
    check_at_least(op, "stride", stride, 1);
    check_at_least(op, "padding", padding, 0);
    if (padding.h > kernel.h / 2 || padding.w > kernel.w / 2)
        throw ValueError(std::string(op) + ": padding " + pair_str(padding) + " must be at most half of kernel_size " +
                         pair_str(kernel));
    const int64_t N = x4.size(0), C = x4.size(1), H = x4.size(2), W = x4.size(3);
    const int64_t Ho = pool_out(H, kernel.h, padding.h, stride.h, ceil_mode);
    const int64_t Wo = pool_out(W, kernel.w, padding.w, stride.w, ceil_mode);
    if (Ho <= 0 || Wo <= 0)
        throw ShapeError(std::string(op) + ": output size " + pair_str({Ho, Wo}) + " is too small for input shape " +
                         shape_str(x.shape()) + " and kernel_size " + pair_str(kernel));
    const layer::PoolGeometry g{H, W, Ho, Wo, kernel.h, kernel.w, stride.h, stride.w, padding.h, padding.w,
                                count_include_pad};
    if (!dev.is_cpu()) {
        if (DeviceOps* k = device_ops_for({&x}))
            if (Tensor y = k->avg_pool2d(x4, g); y.defined()) return unbatched ? y.squeeze(0) : y;
        return through_host(dev, [&] {
            return avg_pool2d(host(x), kernel, stride_opt, padding, ceil_mode, count_include_pad);
        });
    }
    const Tensor xc = materialize(x4);
    Tensor y = Tensor::empty({N, C, Ho, Wo}, {x.dtype(), Device::cpu()});
    dispatch_dtype(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* src = xc.data<T>();
        T* dst = y.data<T>();
        parallel_for(N * C, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, Ho * Wo * kernel.h * kernel.w)),
                     [&](int64_t b0, int64_t b1) {
                         for (int64_t plane = b0; plane < b1; ++plane)
                             for (int64_t oh = 0; oh < Ho; ++oh)
                                 for (int64_t ow = 0; ow < Wo; ++ow)
                                     dst[(plane * Ho + oh) * Wo + ow] =
                                         layer::narrow<T>(layer::avg_pool2d_at(src + plane * H * W, g, oh, ow));
                     });
        return 0;
    });
    return unbatched ? y.squeeze(0) : y;
}

}  // namespace nl
