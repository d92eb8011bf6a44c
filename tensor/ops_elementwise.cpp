// Elementwise ops: arithmetic with broadcasting and type promotion, unary math, comparisons,
// logic, where, clamp, isnan/isinf/isfinite, and the C++ operators. Each op converts its operands to
// the compute dtype (ops_internal.h), runs one strided kernel split over the threads, and converts
// the result to the output dtype.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>

#include "tensor/ops.h"
#include "tensor/backend.h"
#include "tensor/detmath.h"
#include "tensor/ops_internal.h"
#include "tensor/parallel.h"
#include "tensor/simd/kernels.h"
#include "tensor/simd/simd.h"

namespace nl {
using namespace ops_detail;

namespace {

Shape broadcast_for(const char* op, const Shape& a, const Shape& b) {
    try {
        return broadcast_shapes(a, b);
    } catch (const ShapeError& e) {
        throw ShapeError(std::string(op) + ": " + e.what());
    }
}

// out[i] = f(a[i]) over a strided input; O is the output storage type. `run(x, cnt, o)` computes a
// contiguous run of cnt elements (map1 below: f on each; the float32 math: the SIMD kernels).
template <class A, class O, class F, class Run>
Tensor map1_runs(const Tensor& a, DType out_dtype, F f, Run run) {
    Tensor out = Tensor::empty(a.shape(), {out_dtype, Device::cpu()});
    const int64_t n = out.numel();
    if (n == 0) return out;
    Shape s = a.shape();
    std::array<std::vector<int64_t>, 1> st{a.strides()};
    collapse_dims(s, st);
    const A* pa = a.data<A>();
    O* po = out.data<O>();
    parallel_for(n, kElementwiseGrain, [&](int64_t b0, int64_t b1) {
        for_each_run<1>(s, st, b0, b1, [&](int64_t pos, const auto& off, const auto& in, int64_t cnt) {
            O* o = po + pos;
            const A* x = pa + off[0];
            if (in[0] == 1) {
                run(x, cnt, o);
            } else {
                for (int64_t i = 0; i < cnt; ++i) o[i] = f(x[i * in[0]]);
            }
        });
    });
    return out;
}
template <class A, class O, class F>
Tensor map1(const Tensor& a, DType out_dtype, F f) {
    return map1_runs<A, O>(a, out_dtype, f, [&](const A* x, int64_t cnt, O* o) {
        for (int64_t i = 0; i < cnt; ++i) o[i] = f(x[i]);
    });
}

// out[i] = f(a[i], b[i]) with a and b broadcast together.
template <class A, class B, class O, class F>
Tensor map2(const char* op, const Tensor& a, const Tensor& b, DType out_dtype, F f) {
    const Shape shape = broadcast_for(op, a.shape(), b.shape());
    Tensor out = Tensor::empty(shape, {out_dtype, Device::cpu()});
    const int64_t n = out.numel();
    if (n == 0) return out;
    Shape s = shape;
    std::array<std::vector<int64_t>, 2> st{broadcast_strides(a, shape), broadcast_strides(b, shape)};
    collapse_dims(s, st);
    const A* pa = a.data<A>();
    const B* pb = b.data<B>();
    O* po = out.data<O>();
    parallel_for(n, kElementwiseGrain, [&](int64_t b0, int64_t b1) {
        for_each_run<2>(s, st, b0, b1, [&](int64_t pos, const auto& off, const auto& in, int64_t cnt) {
            O* o = po + pos;
            const A* x = pa + off[0];
            const B* y = pb + off[1];
            if (in[0] == 1 && in[1] == 1) {
                for (int64_t i = 0; i < cnt; ++i) o[i] = f(x[i], y[i]);
            } else if (in[0] == 1 && in[1] == 0) {
                const B yv = *y;
                for (int64_t i = 0; i < cnt; ++i) o[i] = f(x[i], yv);
            } else if (in[0] == 0 && in[1] == 1) {
                const A xv = *x;
                for (int64_t i = 0; i < cnt; ++i) o[i] = f(xv, y[i]);
            } else {
                for (int64_t i = 0; i < cnt; ++i) o[i] = f(x[i * in[0]], y[i * in[1]]);
            }
        });
    });
    return out;
}

// out[i] = c[i] ? a[i] : b[i] (all broadcast together), T the storage type of a, b and out.
template <class T>
Tensor select3(const Tensor& c, const Tensor& a, const Tensor& b, DType out_dtype) {
    const Shape shape = broadcast_for("where", broadcast_for("where", c.shape(), a.shape()), b.shape());
    Tensor out = Tensor::empty(shape, {out_dtype, Device::cpu()});
    const int64_t n = out.numel();
    if (n == 0) return out;
    Shape s = shape;
    std::array<std::vector<int64_t>, 3> st{broadcast_strides(c, shape), broadcast_strides(a, shape),
                                           broadcast_strides(b, shape)};
    collapse_dims(s, st);
    const bool* pc = c.data<bool>();
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    T* po = out.data<T>();
    parallel_for(n, kElementwiseGrain, [&](int64_t b0, int64_t b1) {
        for_each_run<3>(s, st, b0, b1, [&](int64_t pos, const auto& off, const auto& in, int64_t cnt) {
            for (int64_t i = 0; i < cnt; ++i)
                po[pos + i] = pc[off[0] + i * in[0]] ? pa[off[1] + i * in[1]] : pb[off[2] + i * in[2]];
        });
    });
    return out;
}

// Calls f(C{}) with C the C++ type of a compute dtype (float, double or int64_t).
template <class F>
decltype(auto) dispatch_compute(DType cd, F&& f) {
    switch (cd) {
        case DType::Float32: return f(float{});
        case DType::Float64: return f(double{});
        default: return f(int64_t{});
    }
}

// ---- binary arithmetic -------------------------------------------------------------------------------

enum class Arith { Add, Sub, Mul, Div };

const char* arith_name(Arith op) {
    switch (op) {
        case Arith::Add: return "add";
        case Arith::Sub: return "sub";
        case Arith::Mul: return "mul";
        case Arith::Div: return "div";
    }
    return "?";
}

// Integer arithmetic wraps modulo 2^64 like PyTorch's (signed overflow is undefined in C++, so
// add/sub/mul go through uint64_t).
inline int64_t wrap_add(int64_t x, int64_t y) { return static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y)); }
inline int64_t wrap_sub(int64_t x, int64_t y) { return static_cast<int64_t>(static_cast<uint64_t>(x) - static_cast<uint64_t>(y)); }
inline int64_t wrap_mul(int64_t x, int64_t y) { return static_cast<int64_t>(static_cast<uint64_t>(x) * static_cast<uint64_t>(y)); }

// a and b are operands already in their final form (tensors, or 0-dim tensors made from Scalars
// in the compute dtype); out is the promoted dtype.
Tensor arith(Arith op, const Tensor& a, const Tensor& b, DType out) {
    const char* name = arith_name(op);
    if (op == Arith::Div && !is_floating(out)) out = DType::Float32;  // true division
    if (op == Arith::Sub && out == DType::Bool)
        throw DTypeError("sub: subtracting two bool tensors is not supported (as in PyTorch); use logical_xor "
                         "or convert to an integer dtype first");
    const DType cd = compute_dtype(out);
    const Tensor x = convert(a, cd), y = convert(b, cd);
    Tensor r = dispatch_compute(cd, [&](auto tag) {
        using C = decltype(tag);
        switch (op) {
            case Arith::Add:
                if constexpr (std::is_same_v<C, int64_t>) return map2<C, C, C>(name, x, y, cd, wrap_add);
                else return map2<C, C, C>(name, x, y, cd, [](C u, C v) { return u + v; });
            case Arith::Sub:
                if constexpr (std::is_same_v<C, int64_t>) return map2<C, C, C>(name, x, y, cd, wrap_sub);
                else return map2<C, C, C>(name, x, y, cd, [](C u, C v) { return u - v; });
            case Arith::Mul:
                if constexpr (std::is_same_v<C, int64_t>) return map2<C, C, C>(name, x, y, cd, wrap_mul);
                else return map2<C, C, C>(name, x, y, cd, [](C u, C v) { return u * v; });
            case Arith::Div:
                return map2<C, C, C>(name, x, y, cd, [](C u, C v) { return u / v; });
        }
        return Tensor{};
    });
    return convert(r, out);
}

DeviceBinaryOp device_binary_op(Arith op) {
    switch (op) {
        case Arith::Add: return DeviceBinaryOp::Add;
        case Arith::Sub: return DeviceBinaryOp::Sub;
        case Arith::Mul: return DeviceBinaryOp::Mul;
        case Arith::Div: return DeviceBinaryOp::Div;
    }
    return DeviceBinaryOp::Add;
}

// a op b with the device's kernel, else through the host. Operands of another dtype are converted
// on the device first, to the compute dtype as arith() converts them (float32 for the 16-bit
// results: converting to float16 first would round an int32 operand twice; int64 for integer and
// bool results, whose + - * wrap), and the result converted to the result dtype as arith() does.
Tensor arith_on_device(Device dev, Arith op, const Tensor& a, const Tensor& b, DType out) {
    if (op == Arith::Div && !is_floating(out)) out = DType::Float32;  // true division, as arith()
    const bool refused = op == Arith::Sub && out == DType::Bool;     // arith() raises its error
    if (DeviceOps* k = refused ? nullptr : device_ops_for({&a, &b})) {
        if (a.dtype() == out && b.dtype() == out)
            if (Tensor r = k->binary(device_binary_op(op), a, b); r.defined()) return r;
        const DType cd = compute_dtype(out);
        const Tensor x = a.to(cd), y = b.to(cd);  // on the device (DeviceOps::convert)
        if (Tensor r = k->binary(device_binary_op(op), x, y); r.defined()) return r.to(out);
    }
    return through_host(dev, [&] { return arith(op, host(a), host(b), out); });
}

Tensor arith_tt(Arith op, const Tensor& a, const Tensor& b) {
    const Device dev = op_device(arith_name(op), {&a, &b});
    require_defined(arith_name(op), a, "input");
    require_defined(arith_name(op), b, "other");
    if (!dev.is_cpu()) {
        broadcast_for(arith_name(op), a.shape(), b.shape());  // the CPU's shape error, before any kernel
        return arith_on_device(dev, op, a, b, result_type(a, b));
    }
    return arith(op, a, b, result_type(a, b));
}

// t op s (scalar_first: s op t) with the device's kernel: t in the compute dtype (converted on the
// device when it is not the result dtype), the scalar as the CPU stores it there (the 16-bit types
// run in float32 with the scalar as a float, as arith does; an integer result in int64, the scalar
// uploaded as a 0-dim tensor). Undefined where there is no kernel (the op then runs through the host).
Tensor scalar_kernel(Arith op, const Tensor& t, Scalar s, bool scalar_first, DType out) {
    DeviceOps* k = device_ops_for({&t});
    if (!k) return Tensor();
    const DType cd = compute_dtype(out);
    if (!is_floating(out)) {
        if (op == Arith::Sub && out == DType::Bool) return Tensor();  // arith() raises its error
        const Tensor x = t.to(cd), v = scalar_tensor(s, cd).to(t.device());
        const Tensor r = scalar_first ? k->binary(device_binary_op(op), v, x) : k->binary(device_binary_op(op), x, v);
        return r.defined() ? r.to(out) : r;
    }
    // The scalar as the CPU stores it (scalar_tensor in the compute dtype).
    const double v = cd == DType::Float64 ? s.to_double() : static_cast<double>(static_cast<float>(s.to_double()));
    if (t.dtype() == out) return k->binary_scalar(device_binary_op(op), t, v, scalar_first);
    const Tensor r = k->binary_scalar(device_binary_op(op), t.to(cd), v, scalar_first);
    return r.defined() ? r.to(out) : r;
}

// Scalars enter in the compute dtype (PyTorch's "opmath": float16 * 0.1 multiplies by 0.1f).
Tensor arith_ts(Arith op, const Tensor& a, Scalar b) {
    const Device dev = op_device(arith_name(op), {&a});
    require_defined(arith_name(op), a, "input");
    DType out = result_type(a, b);
    if (op == Arith::Div && !is_floating(out)) out = DType::Float32;
    if (!dev.is_cpu()) {
        if (Tensor r = scalar_kernel(op, a, b, false, out); r.defined()) return r;
        return through_host(dev, [&] { return arith_ts(op, host(a), b); });
    }
    return arith(op, a, scalar_tensor(b, compute_dtype(out)), out);
}

Tensor arith_st(Arith op, Scalar a, const Tensor& b) {
    const Device dev = op_device(arith_name(op), {&b});
    require_defined(arith_name(op), b, "other");
    DType out = result_type(b, a);
    if (op == Arith::Div && !is_floating(out)) out = DType::Float32;
    if (!dev.is_cpu()) {
        if (Tensor r = scalar_kernel(op, b, a, true, out); r.defined()) return r;
        return through_host(dev, [&] { return arith_st(op, a, host(b)); });
    }
    return arith(op, scalar_tensor(a, compute_dtype(out)), b, out);
}

// ---- comparisons ---------------------------------------------------------------------------------------

enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge };

const char* cmp_name(Cmp c) {
    switch (c) {
        case Cmp::Eq: return "eq";
        case Cmp::Ne: return "ne";
        case Cmp::Lt: return "lt";
        case Cmp::Le: return "le";
        case Cmp::Gt: return "gt";
        case Cmp::Ge: return "ge";
    }
    return "?";
}

// Compares in the promoted dtype's compute type (exact for every promoted value).
Tensor compare(Cmp c, const Tensor& a, const Tensor& b, DType common) {
    const char* name = cmp_name(c);
    const DType cd = compute_dtype(common);
    const Tensor x = convert(convert(a, common), cd), y = convert(convert(b, common), cd);
    return dispatch_compute(cd, [&](auto tag) {
        using C = decltype(tag);
        switch (c) {
            case Cmp::Eq: return map2<C, C, bool>(name, x, y, DType::Bool, [](C u, C v) { return u == v; });
            case Cmp::Ne: return map2<C, C, bool>(name, x, y, DType::Bool, [](C u, C v) { return u != v; });
            case Cmp::Lt: return map2<C, C, bool>(name, x, y, DType::Bool, [](C u, C v) { return u < v; });
            case Cmp::Le: return map2<C, C, bool>(name, x, y, DType::Bool, [](C u, C v) { return u <= v; });
            case Cmp::Gt: return map2<C, C, bool>(name, x, y, DType::Bool, [](C u, C v) { return u > v; });
            case Cmp::Ge: return map2<C, C, bool>(name, x, y, DType::Bool, [](C u, C v) { return u >= v; });
        }
        return Tensor{};
    });
}

DeviceCompareOp device_compare_op(Cmp c) {
    switch (c) {
        case Cmp::Eq: return DeviceCompareOp::Eq;
        case Cmp::Ne: return DeviceCompareOp::Ne;
        case Cmp::Lt: return DeviceCompareOp::Lt;
        case Cmp::Le: return DeviceCompareOp::Le;
        case Cmp::Gt: return DeviceCompareOp::Gt;
        case Cmp::Ge: return DeviceCompareOp::Ge;
    }
    return DeviceCompareOp::Eq;
}

Tensor compare_tt(Cmp c, const Tensor& a, const Tensor& b) {
    const Device dev = op_device(cmp_name(c), {&a, &b});
    require_defined(cmp_name(c), a, "input");
    require_defined(cmp_name(c), b, "other");
    if (!dev.is_cpu()) {
        broadcast_for(cmp_name(c), a.shape(), b.shape());  // the CPU's shape error, before any kernel
        // Both sides in the common dtype (converted on the device, as compare() converts them),
        // compared by the kernel in its compute dtype.
        if (DeviceOps* k = device_ops_for({&a, &b})) {
            const DType common = result_type(a, b);
            if (Tensor r = k->compare(device_compare_op(c), a.to(common), b.to(common)); r.defined()) return r;
        }
        return through_host(dev, [&] { return compare_tt(c, host(a), host(b)); });
    }
    return compare(c, a, b, result_type(a, b));
}

Tensor compare_ts(Cmp c, const Tensor& a, Scalar b) {
    const Device dev = op_device(cmp_name(c), {&a});
    require_defined(cmp_name(c), a, "input");
    const DType common = result_type(a, b);
    // The scalar is first cast to the common dtype, as PyTorch compares in that dtype.
    const Tensor s = scalar_tensor(b, common);
    if (!dev.is_cpu()) {
        // On the device where the stored scalar is exact as a double (every floating value;
        // integers up to 2^53), a converted to the common dtype there first (as compare() does).
        if (DeviceOps* k = device_ops_for({&a})) {
            const double v = s.to_vector()[0];
            const bool exact = is_floating(common) || std::abs(v) < 0x1p53;
            if (exact)
                if (Tensor r = k->compare_scalar(device_compare_op(c), a.to(common), v); r.defined()) return r;
        }
        return through_host(dev, [&] { return compare_ts(c, host(a), b); });
    }
    return compare(c, a, s, common);
}

// ---- unary ---------------------------------------------------------------------------------------------

// The input's device (see op_device), after checking it is defined.
Device check_unary(const char* op, const Tensor& t) {
    const Device dev = op_device(op, {&t});
    require_defined(op, t, "input");
    return dev;
}

// The device kernel of a unary op (tensor/backend.h) by its name, if there is one.
bool device_unary_op(const std::string& op, DeviceUnaryOp& out) {
    static const std::pair<const char*, DeviceUnaryOp> kKernels[] = {
        {"neg", DeviceUnaryOp::Neg}, {"abs", DeviceUnaryOp::Abs},   {"relu", DeviceUnaryOp::Relu},
        {"exp", DeviceUnaryOp::Exp}, {"log", DeviceUnaryOp::Log},   {"sqrt", DeviceUnaryOp::Sqrt},
        {"sin", DeviceUnaryOp::Sin}, {"cos", DeviceUnaryOp::Cos},   {"tanh", DeviceUnaryOp::Tanh},
        {"sigmoid", DeviceUnaryOp::Sigmoid}, {"silu", DeviceUnaryOp::Silu}, {"gelu", DeviceUnaryOp::Gelu},
        {"gelu_tanh", DeviceUnaryOp::GeluTanh}};
    for (const auto& [name, kernel] : kKernels)
        if (op == name) return out = kernel, true;
    return false;
}

// The device kernel's result for op(t), or undefined when there is none for t.
Tensor unary_kernel(const char* op, const Tensor& t) {
    DeviceUnaryOp k;
    if (!device_unary_op(op, k)) return Tensor();
    DeviceOps* ops = device_ops_for({&t});
    return ops ? ops->unary(k, t) : Tensor();
}

// The SIMD kernels' float32 math (tensor/simd/elementwise_math.h: the scalar functions' bits at
// every level), or nullptr at the scalar level.
using MathF32 = void (*)(simd::MathOp, const float*, int64_t, float*);
MathF32 simd_math_f32() {
    const simd::Kernels* k = simd_level() == SimdLevel::Scalar ? nullptr : simd::kernels_for(simd_level());
    return k ? k->math_f32 : nullptr;
}

// A floating-point function: integer and bool inputs give float32; half types run in float32.
// `vec`: the op's vectorised float32 form (the same bits as f), if it has one.
template <class F>
Tensor float_unary(const char* op, const Tensor& t, F f, std::optional<simd::MathOp> vec = std::nullopt) {
    if (const Device dev = check_unary(op, t); !dev.is_cpu()) {
        DeviceUnaryOp kernel;
        if (DeviceOps* k = device_unary_op(op, kernel) ? device_ops_for({&t}) : nullptr) {
            // Integers and bool as float32 first (converted on the device), as below.
            const Tensor x = is_floating(t.dtype()) ? t : t.to(DType::Float32);
            if (Tensor r = k->unary(kernel, x); r.defined()) return r;
        }
        return through_host(dev, [&] { return float_unary(op, host(t), f, vec); });
    }
    const DType out = is_floating(t.dtype()) ? t.dtype() : DType::Float32;
    const DType cd = compute_dtype(out);
    const Tensor x = t.dtype() == cd ? t : t.to(cd);
    const auto ff = [&](float v) { return f(v); };
    Tensor r;
    if (cd == DType::Float64) {
        r = map1<double, double>(x, cd, [&](double v) { return f(v); });
    } else if (const MathF32 math = vec ? simd_math_f32() : nullptr) {
        r = map1_runs<float, float>(x, cd, ff, [&](const float* in, int64_t cnt, float* o) { math(*vec, in, cnt, o); });
    } else {
        r = map1<float, float>(x, cd, ff);
    }
    return r.to(out);
}

void reject_bool(const char* op, const Tensor& t, const char* hint) {
    if (t.dtype() == DType::Bool)
        throw DTypeError(std::string(op) + ": bool tensors are not supported" + hint +
                         " (valid: " + all_dtype_names().substr(0, all_dtype_names().rfind(", ")) + ")");
}

// An op defined for every numeric dtype that keeps the dtype (neg, abs, relu).
// On a device, integers run int_on_device (built from the int64 arithmetic, comparison and where
// kernels, which give fi's values), floats the op's own kernel.
template <class FI, class FF>
Tensor same_dtype_unary(const char* op, const Tensor& t, FI fi, FF ff, Tensor (*int_on_device)(const Tensor&)) {
    if (const Device dev = t.device(); !dev.is_cpu()) {
        if (!is_floating(t.dtype()) && device_ops_for({&t})) return int_on_device(t);
        if (Tensor r = unary_kernel(op, t); r.defined()) return r;
        return through_host(dev, [&] { return same_dtype_unary(op, host(t), fi, ff, int_on_device); });
    }
    const DType cd = compute_dtype(t.dtype());
    const Tensor x = convert(t, cd);
    Tensor r = dispatch_compute(cd, [&](auto tag) {
        using C = decltype(tag);
        if constexpr (std::is_same_v<C, int64_t>) return map1<C, C>(x, cd, fi);
        else return map1<C, C>(x, cd, [&](C v) { return ff(v); });
    });
    return convert(r, t.dtype());
}

// Bool results of a predicate on floating-point values; integers give `int_result` everywhere.
template <class F>
Tensor float_predicate(const char* op, const Tensor& t, bool int_result, F f, Tensor (*on_device)(const Tensor&)) {
    if (const Device dev = check_unary(op, t); !dev.is_cpu()) {
        // Integers: the constant from a comparison of t with itself (no upload); floats: on_device.
        if (device_ops_for({&t})) return is_floating(t.dtype()) ? on_device(t) : int_result ? eq(t, t) : ne(t, t);
        return through_host(dev, [&] { return float_predicate(op, host(t), int_result, f, on_device); });
    }
    if (!is_floating(t.dtype())) return full(t.shape(), int_result ? 1.0 : 0.0, {DType::Bool});
    const DType cd = compute_dtype(t.dtype());
    const Tensor x = t.to(cd);
    return dispatch_compute(cd, [&](auto tag) {
        using C = decltype(tag);
        if constexpr (std::is_same_v<C, int64_t>) return Tensor{};
        else return map1<C, bool>(x, DType::Bool, [&](C v) { return f(v); });
    });
}

// x ** e for integers by squaring (wraps like PyTorch's integer pow); e >= 0.
int64_t int_pow(int64_t x, int64_t e) {
    uint64_t result = 1, base = static_cast<uint64_t>(x);
    while (e > 0) {
        if (e & 1) result *= base;
        base *= base;
        e >>= 1;
    }
    return static_cast<int64_t>(result);
}

}  // namespace

// ---- public: arithmetic -----------------------------------------------------------------------------------

Tensor add(const Tensor& a, const Tensor& b) { return arith_tt(Arith::Add, a, b); }
Tensor add(const Tensor& a, Scalar b) { return arith_ts(Arith::Add, a, b); }
Tensor add(Scalar a, const Tensor& b) { return arith_st(Arith::Add, a, b); }
Tensor sub(const Tensor& a, const Tensor& b) { return arith_tt(Arith::Sub, a, b); }
Tensor sub(const Tensor& a, Scalar b) { return arith_ts(Arith::Sub, a, b); }
Tensor sub(Scalar a, const Tensor& b) { return arith_st(Arith::Sub, a, b); }
Tensor mul(const Tensor& a, const Tensor& b) { return arith_tt(Arith::Mul, a, b); }
Tensor mul(const Tensor& a, Scalar b) { return arith_ts(Arith::Mul, a, b); }
Tensor mul(Scalar a, const Tensor& b) { return arith_st(Arith::Mul, a, b); }
Tensor div(const Tensor& a, const Tensor& b) { return arith_tt(Arith::Div, a, b); }
Tensor div(const Tensor& a, Scalar b) { return arith_ts(Arith::Div, a, b); }
Tensor div(Scalar a, const Tensor& b) { return arith_st(Arith::Div, a, b); }

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator+(const Tensor& a, Scalar b) { return add(a, b); }
Tensor operator+(Scalar a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator-(const Tensor& a, Scalar b) { return sub(a, b); }
Tensor operator-(Scalar a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator*(const Tensor& a, Scalar b) { return mul(a, b); }
Tensor operator*(Scalar a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator/(const Tensor& a, Scalar b) { return div(a, b); }
Tensor operator/(Scalar a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }

// ---- public: unary -------------------------------------------------------------------------------------

Tensor neg(const Tensor& t) {
    check_unary("neg", t);
    reject_bool("neg", t, "; use logical_not()");
    return same_dtype_unary(
        "neg", t, [](int64_t v) { return wrap_sub(0, v); }, [](auto v) { return -v; },
        [](const Tensor& x) { return sub(0, x); });
}

Tensor abs(const Tensor& t) {
    check_unary("abs", t);
    reject_bool("abs", t, "");
    return same_dtype_unary(
        "abs", t, [](int64_t v) { return v < 0 ? wrap_sub(0, v) : v; }, [](auto v) { return std::abs(v); },
        [](const Tensor& x) { return where(lt(x, 0), sub(0, x), x); });
}

Tensor relu(const Tensor& t) {
    check_unary("relu", t);
    reject_bool("relu", t, "");
    // NaN stays NaN (v > 0 is false for NaN, so test the other way round).
    return same_dtype_unary(
        "relu", t, [](int64_t v) { return v > 0 ? v : int64_t{0}; },
        [](auto v) { return v < 0 ? decltype(v){0} : v; }, [](const Tensor& x) { return where(gt(x, 0), x, 0); });
}

// exp, sigmoid and silu use detmath.h's exp_elementwise (float: within 0.6 ulp; double: 1 ulp;
// built from exactly rounded operations) rather than libm's, so that the GPU's kernels compute
// the same bits (docs/GPU.md).
Tensor exp(const Tensor& t) {
    return float_unary("exp", t, [](auto v) { return dm::exp_elementwise(v); }, simd::MathOp::Exp);
}
Tensor log(const Tensor& t) { return float_unary("log", t, [](auto v) { return std::log(v); }); }
Tensor sqrt(const Tensor& t) { return float_unary("sqrt", t, [](auto v) { return std::sqrt(v); }); }
// sin, cos and tanh of floats likewise (detmath.h's *_f32, within 0.51 ulp; sin / cos for |x| below
// 2^19); float64 keeps libm's.
Tensor sin(const Tensor& t) {
    return float_unary("sin", t, [](auto v) { return dm::sin_elementwise(v); }, simd::MathOp::Sin);
}
Tensor cos(const Tensor& t) {
    return float_unary("cos", t, [](auto v) { return dm::cos_elementwise(v); }, simd::MathOp::Cos);
}
Tensor tanh(const Tensor& t) {
    return float_unary("tanh", t, [](auto v) { return dm::tanh_elementwise(v); }, simd::MathOp::Tanh);
}
Tensor sigmoid(const Tensor& t) {
    return float_unary("sigmoid", t, [](auto v) {
        using C = decltype(v);
        // NaN: what 1 + exp(-x) gives on x86, -x quieted (the GPU kernel and the SIMD path build
        // the same). Written out: GCC may fold 1 + (-x) into 1 - x, whose NaN keeps x's sign.
        if (v != v) return dm::from_bits(dm::bits(-v) | dm::bits(C(std::numeric_limits<C>::quiet_NaN())));
        return C(1) / (C(1) + dm::exp_elementwise(-v));
    }, simd::MathOp::Sigmoid);
}

namespace {
template <class C>
C silu_value(C v) {
    return v / (C(1) + dm::exp_elementwise(-v));
}
}  // namespace

Tensor silu(const Tensor& t) {
    check_unary("silu", t);
    require_floating("silu", t);
    return float_unary("silu", t, [](auto v) { return silu_value(v); }, simd::MathOp::Silu);
}

namespace ops_detail {
void silu_values(const float* in, int64_t n, float* out) {
    const MathF32 math = simd_math_f32();
    if (!math) {
        for (int64_t i = 0; i < n; ++i) out[i] = silu_value(in[i]);
        return;
    }
    // The SIMD kernels want distinct arrays: in place goes through a buffer, a chunk at a time.
    constexpr int64_t kChunk = 1024;
    alignas(64) float buf[kChunk];
    for (int64_t i = 0; i < n; i += kChunk) {
        const int64_t c = std::min(kChunk, n - i);
        std::copy(in + i, in + i + c, buf);
        math(simd::MathOp::Silu, buf, c, out + i);
    }
}
void silu_values(const double* in, int64_t n, double* out) {
    for (int64_t i = 0; i < n; ++i) out[i] = silu_value(in[i]);
}
}  // namespace ops_detail

Tensor gelu(const Tensor& t, const std::string& approximate) {
    check_unary("gelu", t);
    require_floating("gelu", t);
    if (approximate == "none")
        return float_unary("gelu", t, [](auto v) {
            using C = decltype(v);
            return v * C(0.5) * (C(1) + std::erf(v * C(M_SQRT1_2)));
        });
    if (approximate == "tanh")  // "gelu_tanh" names its device kernel (unary_kernel)
        return float_unary("gelu_tanh", t, [](auto v) {
            using C = decltype(v);
            const C beta = C(M_SQRT2 * M_2_SQRTPI * 0.5), kappa = C(0.044715);
            const C inner = beta * (v + kappa * v * v * v);
            return C(0.5) * v * (C(1) + std::tanh(inner));
        });
    throw ValueError("gelu: approximate must be 'none' or 'tanh', got '" + approximate + "'");
}

// pow's fast-path exponents on the device, built from the kernels that do the CPU's operations in
// the compute dtype (x * x, (x * x) * x, sqrt, 1 / x, 1 / (x * x)); undefined for other exponents
// (std::pow and CUDA's pow differ in the last bit) and integer results.
Tensor pow_on_device(const Tensor& t, double e, DType cd) {
    if (cd == DType::Int64) return Tensor();
    DeviceOps* k = device_ops_for({&t});
    if (!k) return Tensor();
    const Tensor x = t.to(cd);
    auto square = [&] { return k->binary(DeviceBinaryOp::Mul, x, x); };
    Tensor r;
    if (e == 2.0) r = square();
    else if (e == 3.0) r = (r = square()).defined() ? k->binary(DeviceBinaryOp::Mul, r, x) : r;
    else if (e == 0.5) r = k->unary(DeviceUnaryOp::Sqrt, x);
    else if (e == -1.0) r = k->binary_scalar(DeviceBinaryOp::Div, x, 1.0, true);
    else if (e == -2.0) r = (r = square()).defined() ? k->binary_scalar(DeviceBinaryOp::Div, r, 1.0, true) : r;
    return r;
}

Tensor pow(const Tensor& t, Scalar exponent) {
    const Device dev = check_unary("pow", t);
    const DType out = result_type(t, exponent);
    const DType cd = compute_dtype(out);
    if (!dev.is_cpu()) {
        if (Tensor r = pow_on_device(t, exponent.to_double(), cd); r.defined()) return r.to(out);
        return through_host(dev, [&] { return pow(host(t), exponent); });
    }
    if (cd == DType::Int64) {
        const int64_t e = exponent.to_int();
        if (e < 0)
            throw ValueError("pow: integers to negative integer powers are not allowed (exponent " +
                             exponent.str() + " with a " + dtype_name(t.dtype()) + " tensor)");
        const Tensor x = convert(t, cd);
        return convert(map1<int64_t, int64_t>(x, cd, [e](int64_t v) { return int_pow(v, e); }), out);
    }
    const Tensor x = t.to(cd);
    const double e = exponent.to_double();
    Tensor r = dispatch_compute(cd, [&](auto tag) {
        using C = decltype(tag);
        if constexpr (std::is_same_v<C, int64_t>) {
            return Tensor{};
        } else {
            const C ec = static_cast<C>(e);
            // PyTorch's fast paths, which also make these exponents exact where they can be.
            if (e == 2.0) return map1<C, C>(x, cd, [](C v) { return v * v; });
            if (e == 3.0) return map1<C, C>(x, cd, [](C v) { return v * v * v; });
            if (e == 0.5) return map1<C, C>(x, cd, [](C v) { return std::sqrt(v); });
            if (e == -1.0) return map1<C, C>(x, cd, [](C v) { return C(1) / v; });
            if (e == -2.0) return map1<C, C>(x, cd, [](C v) { return C(1) / (v * v); });
            return map1<C, C>(x, cd, [ec](C v) { return std::pow(v, ec); });
        }
    });
    return r.to(out);
}

Tensor clamp(const Tensor& t, std::optional<Scalar> lo, std::optional<Scalar> hi) {
    const Device dev = check_unary("clamp", t);
    if (!lo && !hi) throw ValueError("clamp: at least one of min and max must be given");
    reject_bool("clamp", t, "");
    DType out = t.dtype();
    if (lo && hi) out = result_type_scalars(t, {*lo, *hi});
    else out = result_type(t, lo ? *lo : *hi);
    if (!dev.is_cpu()) {
        if (DeviceOps* k = device_ops_for({&t})) {
            if (is_floating(out)) {
                // The kernel compares in the result's compute dtype with the bounds cast to it,
                // t converted to the result dtype on the device first, as below.
                if (Tensor r = k->clamp(t.to(out), lo.has_value(), lo ? lo->to_double() : 0.0, hi.has_value(),
                                        hi ? hi->to_double() : 0.0);
                    r.defined())
                    return r;
            } else {
                // Integers in int64 as below, each bound by a comparison and where (NaN cannot occur).
                Tensor x = t.to(DType::Int64);
                if (lo) x = where(lt(x, *lo), *lo, x);
                if (hi) x = where(gt(x, *hi), *hi, x);
                return x.to(out);
            }
        }
        return through_host(dev, [&] { return clamp(host(t), lo, hi); });
    }
    const DType cd = compute_dtype(out);
    const Tensor x = convert(t, cd);
    Tensor r = dispatch_compute(cd, [&](auto tag) {
        using C = decltype(tag);
        auto as_c = [](const Scalar& s) {
            if constexpr (std::is_same_v<C, int64_t>) return s.to_int();
            else return static_cast<C>(s.to_double());
        };
        const bool has_lo = lo.has_value(), has_hi = hi.has_value();
        const C l = has_lo ? as_c(*lo) : C{}, h = has_hi ? as_c(*hi) : C{};
        // Comparisons are false for NaN, so NaN inputs pass through unchanged.
        return map1<C, C>(x, cd, [=](C v) {
            if (has_lo && v < l) v = l;
            if (has_hi && v > h) v = h;
            return v;
        });
    });
    return convert(r, out);
}

// ---- public: comparisons and logic -------------------------------------------------------------------

Tensor eq(const Tensor& a, const Tensor& b) { return compare_tt(Cmp::Eq, a, b); }
Tensor eq(const Tensor& a, Scalar b) { return compare_ts(Cmp::Eq, a, b); }
Tensor ne(const Tensor& a, const Tensor& b) { return compare_tt(Cmp::Ne, a, b); }
Tensor ne(const Tensor& a, Scalar b) { return compare_ts(Cmp::Ne, a, b); }
Tensor lt(const Tensor& a, const Tensor& b) { return compare_tt(Cmp::Lt, a, b); }
Tensor lt(const Tensor& a, Scalar b) { return compare_ts(Cmp::Lt, a, b); }
Tensor le(const Tensor& a, const Tensor& b) { return compare_tt(Cmp::Le, a, b); }
Tensor le(const Tensor& a, Scalar b) { return compare_ts(Cmp::Le, a, b); }
Tensor gt(const Tensor& a, const Tensor& b) { return compare_tt(Cmp::Gt, a, b); }
Tensor gt(const Tensor& a, Scalar b) { return compare_ts(Cmp::Gt, a, b); }
Tensor ge(const Tensor& a, const Tensor& b) { return compare_tt(Cmp::Ge, a, b); }
Tensor ge(const Tensor& a, Scalar b) { return compare_ts(Cmp::Ge, a, b); }

namespace {
// Truth values of any dtype as a bool tensor (nonzero, NaN included, is true).
Tensor truth(const Tensor& t) {
    if (t.dtype() == DType::Bool) return t;
    return dispatch_dtype(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>)
            return map1<T, bool>(t, DType::Bool, [](T v) { return static_cast<float>(v) != 0.0f; });
        else
            return map1<T, bool>(t, DType::Bool, [](T v) { return v != T(0); });
    });
}
}  // namespace

// On a device the logic runs on the comparison and where kernels: a value is true when it is
// not 0 (NaN is true, -0 false: truth() below), and a and b is where(a, b, false), a or b
// where(a, true, b), with the op's own broadcasting check first.
Tensor logical_and(const Tensor& a, const Tensor& b) {
    const Device dev = op_device("logical_and", {&a, &b});
    require_defined("logical_and", a, "input");
    require_defined("logical_and", b, "other");
    if (!dev.is_cpu()) {
        broadcast_for("logical_and", a.shape(), b.shape());
        if (device_ops_for({&a, &b})) return where(ne(a, false), ne(b, false), false);
        return through_host(dev, [&] { return logical_and(host(a), host(b)); });
    }
    return map2<bool, bool, bool>("logical_and", truth(a), truth(b), DType::Bool, [](bool u, bool v) { return u && v; });
}

Tensor logical_or(const Tensor& a, const Tensor& b) {
    const Device dev = op_device("logical_or", {&a, &b});
    require_defined("logical_or", a, "input");
    require_defined("logical_or", b, "other");
    if (!dev.is_cpu()) {
        broadcast_for("logical_or", a.shape(), b.shape());
        if (device_ops_for({&a, &b})) return where(ne(a, false), true, ne(b, false));
        return through_host(dev, [&] { return logical_or(host(a), host(b)); });
    }
    return map2<bool, bool, bool>("logical_or", truth(a), truth(b), DType::Bool, [](bool u, bool v) { return u || v; });
}

Tensor logical_not(const Tensor& t) {
    if (const Device dev = check_unary("logical_not", t); !dev.is_cpu()) {
        if (device_ops_for({&t})) return eq(t, false);
        return through_host(dev, [&] { return logical_not(host(t)); });
    }
    return map1<bool, bool>(truth(t), DType::Bool, [](bool v) { return !v; });
}

// On a device, from the comparison kernels: NaN is the one value unequal to itself, and |x| is
// infinite or not (NaN compares false) exactly as the predicates say.
Tensor isnan(const Tensor& t) {
    return float_predicate("isnan", t, false, [](auto v) { return std::isnan(v); },
                           [](const Tensor& x) { return ne(x, x); });
}
Tensor isinf(const Tensor& t) {
    return float_predicate("isinf", t, false, [](auto v) { return std::isinf(v); },
                           [](const Tensor& x) { return eq(abs(x), INFINITY); });
}
Tensor isfinite(const Tensor& t) {
    return float_predicate("isfinite", t, true, [](auto v) { return std::isfinite(v); },
                           [](const Tensor& x) { return lt(abs(x), INFINITY); });
}

namespace {
Tensor where_impl(const Tensor& cond, const Tensor& a, const Tensor& b, DType out) {
    if (cond.dtype() != DType::Bool)
        throw DTypeError(std::string("where: expected a bool condition, got ") + dtype_name(cond.dtype()) +
                         " (valid: bool; compare with ne(cond, 0) first)");
    const Tensor x = convert(a, out), y = convert(b, out);
    return dispatch_dtype(out, [&](auto tag) {
        using T = decltype(tag);
        return select3<T>(cond, x, y, out);
    });
}
// The tensors' device (see op_device), after checking they are defined.
Device check_where(const Tensor& cond, const Tensor* a, const Tensor* b) {
    const Tensor none;
    const Device dev = op_device("where", {&cond, a ? a : &none, b ? b : &none});
    require_defined("where", cond, "condition");
    if (a) require_defined("where", *a, "input");
    if (b) require_defined("where", *b, "other");
    return dev;
}
}  // namespace

namespace {
// where on the device: a bool condition and shapes that broadcast (else the host path raises the
// CPU's error), both sides converted to the result dtype on the device (where_impl's convert),
// then the kernel picks bytes. Scalars arrive as 0-dim tensors of the result dtype.
Tensor where_on_device(Device dev, const Tensor& cond, const Tensor& a, const Tensor& b, DType out) {
    if (cond.dtype() == DType::Bool) {
        broadcast_for("where", broadcast_for("where", cond.shape(), a.shape()), b.shape());
        if (DeviceOps* k = device_ops_for({&cond}))
            if (Tensor r = k->where(cond, a.to(dev).to(out), b.to(dev).to(out)); r.defined()) return r;
    }
    return through_host(dev, [&] { return where_impl(host(cond), host(a), host(b), out); });
}
}  // namespace

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
    const Device dev = check_where(cond, &a, &b);
    if (!dev.is_cpu()) return where_on_device(dev, cond, a, b, result_type(a, b));
    return where_impl(cond, a, b, result_type(a, b));
}
Tensor where(const Tensor& cond, const Tensor& a, Scalar b) {
    const Device dev = check_where(cond, &a, nullptr);
    const DType out = result_type(a, b);
    if (!dev.is_cpu()) return where_on_device(dev, cond, a, scalar_tensor(b, out), out);
    return where_impl(cond, a, scalar_tensor(b, out), out);
}
Tensor where(const Tensor& cond, Scalar a, const Tensor& b) {
    const Device dev = check_where(cond, nullptr, &b);
    const DType out = result_type(b, a);
    if (!dev.is_cpu()) return where_on_device(dev, cond, scalar_tensor(a, out), b, out);
    return where_impl(cond, scalar_tensor(a, out), b, out);
}
Tensor where(const Tensor& cond, Scalar a, Scalar b) {
    const Device dev = check_where(cond, nullptr, nullptr);
    const DType out = promote_types(scalar_dtype(a), scalar_dtype(b));
    if (!dev.is_cpu()) return where_on_device(dev, cond, scalar_tensor(a, out), scalar_tensor(b, out), out);
    return where_impl(cond, scalar_tensor(a, out), scalar_tensor(b, out), out);
}

}  // namespace nl
