// One output element of avg_pool2d, batch_norm and conv_transpose2d, written once for the CPU ops
// (ops_conv.cpp, ops_norm.cpp) and the CUDA kernels (gpu/layer_kernels.cu), so that the GPU gives
// the CPU's bits for every result that is not NaN (a NaN carries the GPU's payload): the same
// operations in the same order, each exactly rounded (detmath.h's dm::add, mul, div, sqrt: no
// fused multiply-add on either side). avg_pool2d and batch_norm on the CPU run through these very
// functions; the CPU's conv_transpose2d is a GEMM then col2im, whose per-output sum
// conv_transpose2d_at follows term for term: the stand-in kernels of tests/ops/test_device.cpp
// compute with these formulas, so CI checks them against the CPU ops bit for bit.
#pragma once
#include <cstdint>
#include <type_traits>

#include "tensor/detmath.h"
#include "tensor/half.h"
#include "tensor/host_device.h"

namespace nl::layer {

template <class T>
constexpr bool kIs16Bit = std::is_same<T, Half>::value || std::is_same<T, BFloat16>::value;

// A stored value as the CPU reads it into double (to_double: the 16-bit types through float).
template <class T>
NL_HOST_DEVICE double widen(T v) {
    if constexpr (kIs16Bit<T>) return static_cast<double>(static_cast<float>(v));
    else return static_cast<double>(v);
}
// A double stored into T as the CPU's from_double (the 16-bit types through float).
template <class T>
NL_HOST_DEVICE T narrow(double v) {
    if constexpr (kIs16Bit<T>) return T(static_cast<float>(v));
    else return static_cast<T>(v);
}
// The convolutions' compute type: double for float64, float for the rest (ops_conv.cpp converts
// 16-bit inputs to float32 first and rounds the float32 result once).
template <class T>
using ConvAcc = typename std::conditional<std::is_same<T, double>::value, double, float>::type;
template <class T>
NL_HOST_DEVICE ConvAcc<T> conv_load(T v) {
    if constexpr (kIs16Bit<T>) return static_cast<float>(v);
    else return static_cast<ConvAcc<T>>(v);
}

// A convolution's sum rounded once into T.
template <class T>
NL_HOST_DEVICE T conv_store(ConvAcc<T> v) {
    if constexpr (kIs16Bit<T>) return T(v);
    else return static_cast<T>(v);
}

// ---- conv2d_add -----------------------------------------------------------------------------------
// Where conv2d_add's addend holds the value added to output (n, o, oh, ow): its strides along the
// output's four dims, 0 where it broadcasts (ops.h). The CPU kernel, the CUDA kernels' epilogue
// and the stand-in kernels of the tests all read it through addend_offset.
struct AddendStrides {
    int64_t n = 0, o = 0, h = 0, w = 0;
};
NL_HOST_DEVICE int64_t addend_offset(const AddendStrides& s, int64_t n, int64_t o, int64_t oh, int64_t ow) {
    return n * s.n + o * s.o + oh * s.h + ow * s.w;
}

// ---- avg_pool2d ---------------------------------------------------------------------------------
struct PoolGeometry {
    int64_t H, W, Ho, Wo, kh, kw, sh, sw, ph, pw;
    bool count_include_pad;
};

// The mean of the window of output (oh, ow) over one [H, W] plane, as PyTorch's avg_pool2d: the
// window clipped to the padded input gives the count_include_pad divisor, clipped to the input the
// summed values (in double, row by row) and the other divisor; a window wholly in the padding is 0.
template <class T>
NL_HOST_DEVICE double avg_pool2d_at(const T* plane, const PoolGeometry& g, int64_t oh, int64_t ow) {
    int64_t h0 = oh * g.sh - g.ph, w0 = ow * g.sw - g.pw;
    int64_t h1 = h0 + g.kh < g.H + g.ph ? h0 + g.kh : g.H + g.ph;
    int64_t w1 = w0 + g.kw < g.W + g.pw ? w0 + g.kw : g.W + g.pw;
    const int64_t pool_size = (h1 - h0) * (w1 - w0);
    h0 = h0 > 0 ? h0 : 0;
    w0 = w0 > 0 ? w0 : 0;
    h1 = h1 < g.H ? h1 : g.H;
    w1 = w1 < g.W ? w1 : g.W;
    if (h0 >= h1 || w0 >= w1) return 0.0;
    double s = 0.0;
    for (int64_t i = h0; i < h1; ++i)
        for (int64_t j = w0; j < w1; ++j) s = dm::add(s, widen(plane[i * g.W + j]));
    const int64_t div = g.count_include_pad ? pool_size : (h1 - h0) * (w1 - w0);
    return dm::div(s, static_cast<double>(div));
}

// ---- batch_norm (evaluation: running statistics) ---------------------------------------------------
// y = (x - mean) * scale + shift with scale = (1 / sqrt(var + eps)) * weight and shift = bias
// (weight 1 and bias 0 when absent), all in double.
struct BatchNormChannel {
    double mean, scale, shift;
};
NL_HOST_DEVICE BatchNormChannel batch_norm_channel(double mean, double var, double eps, bool has_weight, double weight,
                                                  bool has_bias, double bias) {
    const double rstd = dm::div(1.0, dm::sqrt(dm::add(var, eps)));
    return {mean, dm::mul(rstd, has_weight ? weight : 1.0), has_bias ? bias : 0.0};
}
NL_HOST_DEVICE double batch_norm_at(double x, const BatchNormChannel& c) {
    return dm::add(dm::mul(dm::sub(x, c.mean), c.scale), c.shift);
}

// ---- conv_transpose2d ------------------------------------------------------------------------------
// x [C, H, W] of one image, weight [C, O / groups, kh, kw], output [O, Ho, Wo].
struct ConvTransposeGeometry {
    int64_t C, H, W, O, Ho, Wo, kh, kw, groups, sh, sw, ph, pw, dh, dw;
};

// Output (o, oh, ow) before its rounding to T: the CPU's GEMM gives, per kernel tap (ki, kj), the
// sum over the group's input channels c (increasing, from +0, products and sums rounded
// separately) of w[c, o, ki, kj] * x[c, ih, iw] at the one input position that tap maps onto
// (oh = ih * sh - ph + ki * dh); col2im adds those taps to +0 in (ki, kj) order; then + bias.
template <class T>
NL_HOST_DEVICE ConvAcc<T> conv_transpose2d_at(const T* x, const T* w, const T* bias, const ConvTransposeGeometry& g,
                                             int64_t o, int64_t oh, int64_t ow) {
    using Acc = ConvAcc<T>;
    const int64_t Cg = g.C / g.groups, Og = g.O / g.groups, gi = o / Og, og = o % Og;
    Acc acc = Acc(0);
    for (int64_t ki = 0; ki < g.kh; ++ki) {
        const int64_t th = oh + g.ph - ki * g.dh;
        if (th < 0 || th % g.sh != 0 || th / g.sh >= g.H) continue;
        const int64_t ih = th / g.sh;
        for (int64_t kj = 0; kj < g.kw; ++kj) {
            const int64_t tw = ow + g.pw - kj * g.dw;
            if (tw < 0 || tw % g.sw != 0 || tw / g.sw >= g.W) continue;
            const int64_t iw = tw / g.sw;
            Acc col = Acc(0);
            for (int64_t c = gi * Cg; c < (gi + 1) * Cg; ++c)
                col = dm::add(col, dm::mul(conv_load(w[((c * Og + og) * g.kh + ki) * g.kw + kj]),
                                           conv_load(x[(c * g.H + ih) * g.W + iw])));
            acc = dm::add(acc, col);
        }
    }
    if (bias) acc = dm::add(acc, conv_load(bias[o]));
    return acc;
}

}  // namespace nl::layer
