// Device-side helpers shared by the kernel files of gpu/ (CUDA only): grid-stride indices, the
// compute type of each storage dtype with its one-rounding load and store, and IEEE arithmetic
// whose NaN results have the CPU's bits.
//
// Why the NaN part: x86 (SSE/AVX, which the CPU ops compile to) returns a NaN operand quieted -
// the first operand's when both are NaN - and for an invalid operation (0 * inf, inf - inf, 0 / 0,
// sqrt(-1)) the "default NaN", negative with only the quiet bit set. NVIDIA GPUs return one
// canonical NaN (0x7fffffff) in all these cases, so NaN-carrying tensors came out with other bytes
// than the CPU's (seen on the H100). x86_nan() rebuilds the CPU's NaN from the operands.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "gpu/cuda_check.h"
#include "gpu/kernels.h"
#include "tensor/errors.h"
#include "tensor/half.h"

namespace nl::gpu::detail {

// ---- host side: launch shapes and dtype dispatch ----------------------------------------------

// The grid for n elements at `block` threads per block on the current device (auto_grid: enough
// blocks to fill it, no more than the work needs).
inline int grid_for(int64_t n, int block = 256) {
    int dev = 0;
    NL_CUDA_CHECK(cudaGetDevice(&dev));
    return auto_grid(dev, static_cast<uint64_t>(n), block);
}

// Calls f(T{}) with T the storage type of a floating dtype; DTypeError naming `what` otherwise.
template <class F>
void dispatch_floating(DType d, const char* what, F&& f) {
    switch (d) {
        case DType::Float32: f(float{}); return;
        case DType::Float64: f(double{}); return;
        case DType::Float16: f(Half{}); return;
        case DType::BFloat16: f(BFloat16{}); return;
        default:
            throw DTypeError(std::string(what) + " on the GPU: dtype " + dtype_name(d) +
                             " is not supported; valid dtypes: float32, float64, float16, bfloat16");
    }
}

// Calls f(E{}) with E an unsigned type of elem_bytes (copies move bits, whatever the dtype).
template <class F>
inline void dispatch_bytes(size_t elem_bytes, const char* what, F&& f) {
    switch (elem_bytes) {
        case 1: f(uint8_t{}); return;
        case 2: f(uint16_t{}); return;
        case 4: f(uint32_t{}); return;
        case 8: f(uint64_t{}); return;
        default:
            throw ValueError(std::string(what) + " on the GPU: element size " + std::to_string(elem_bytes) +
                             " is not 1, 2, 4 or 8");
    }
}

// ---- device side ---------------------------------------------------------------------------------

__device__ __forceinline__ uint64_t global_thread() {
    return static_cast<uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ uint64_t grid_threads() { return static_cast<uint64_t>(gridDim.x) * blockDim.x; }

// The compute type of a storage type (ops_internal.h's compute_dtype): float for float32 and the
// 16-bit types, double for float64.
template <class T> struct Compute { using type = float; };
template <> struct Compute<double> { using type = double; };
template <> struct Compute<int64_t> { using type = int64_t; };  // integer arithmetic (wrapping)

template <class T>
__device__ __forceinline__ typename Compute<T>::type load_c(const T* p) {
    if constexpr (std::is_same<T, double>::value || std::is_same<T, int64_t>::value) return *p;
    else return static_cast<float>(*p);
}
// One rounding into T (the 16-bit types from float, as the CPU's conversions).
template <class T, class C>
__device__ __forceinline__ T store_c(C v) {
    if constexpr (std::is_same<T, Half>::value || std::is_same<T, BFloat16>::value) return T(static_cast<float>(v));
    else return static_cast<T>(v);
}

// Whether the environment variable `name` holds `value` (the opt-in kernel switches).
inline bool env_equals(const char* name, const char* value) {
    const char* v = std::getenv(name);
    return v && std::string(v) == value;
}

// IEEE operations rounded to nearest, spelled out so that no fma contraction can apply.
__device__ __forceinline__ float add_rn(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double add_rn(double a, double b) { return __dadd_rn(a, b); }
__device__ __forceinline__ float sub_rn(float a, float b) { return __fsub_rn(a, b); }
__device__ __forceinline__ double sub_rn(double a, double b) { return __dsub_rn(a, b); }
__device__ __forceinline__ float mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ double mul_rn(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ float div_rn(float a, float b) { return __fdiv_rn(a, b); }
__device__ __forceinline__ double div_rn(double a, double b) { return __ddiv_rn(a, b); }

__device__ __forceinline__ float x86_nan(float a, float b) {
    if (a != a) return __int_as_float(__float_as_int(a) | 0x00400000);
    if (b != b) return __int_as_float(__float_as_int(b) | 0x00400000);
    return __int_as_float(static_cast<int>(0xFFC00000u));
}
__device__ __forceinline__ double x86_nan(double a, double b) {
    if (a != a) return __longlong_as_double(__double_as_longlong(a) | 0x0008000000000000ll);
    if (b != b) return __longlong_as_double(__double_as_longlong(b) | 0x0008000000000000ll);
    return __longlong_as_double(static_cast<long long>(0xFFF8000000000000ull));
}

// + - * / (op 0..3) rounded once to nearest, NaN results as on the CPU.
template <class C>
__device__ __forceinline__ C arith(int op, C x, C y) {
    C r;
    switch (op) {
        case 0: r = add_rn(x, y); break;
        case 1: r = sub_rn(x, y); break;
        case 2: r = mul_rn(x, y); break;
        default: r = div_rn(x, y); break;
    }
    return r != r ? x86_nan(x, y) : r;
}

// int64 + - * wrap modulo 2^64 as the CPU's (ops_elementwise.cpp: wrap_add ...); integer results
// never divide (true division runs in float).
template <>
__device__ __forceinline__ int64_t arith<int64_t>(int op, int64_t x, int64_t y) {
    const uint64_t a = static_cast<uint64_t>(x), b = static_cast<uint64_t>(y);
    switch (op) {
        case 0: return static_cast<int64_t>(a + b);
        case 1: return static_cast<int64_t>(a - b);
        default: return static_cast<int64_t>(a * b);
    }
}

// Sign-bit edits by bit operations: PTX's neg/abs on floats may return a canonical NaN for a NaN
// input (seen on the H100: abs(-NaN) and -NaN lost their payload's sign), where the CPU's -x and
// std::abs only flip or clear the sign bit.
__device__ __forceinline__ float flip_sign(float x) { return __int_as_float(__float_as_int(x) ^ INT32_MIN); }
__device__ __forceinline__ double flip_sign(double x) {
    return __longlong_as_double(__double_as_longlong(x) ^ static_cast<long long>(INT64_MIN));
}
__device__ __forceinline__ float clear_sign(float x) { return __int_as_float(__float_as_int(x) & INT32_MAX); }
__device__ __forceinline__ double clear_sign(double x) {
    return __longlong_as_double(__double_as_longlong(x) & INT64_MAX);
}

// ---- row reductions of the categorical kernels ----------------------------------------------------

// A value of any floating storage type as double (the 16-bit types exactly, through float).
template <class T>
__device__ __forceinline__ double load_double(const T* p) {
    if constexpr (std::is_same<T, Half>::value || std::is_same<T, BFloat16>::value) return static_cast<float>(*p);
    else return static_cast<double>(*p);
}

struct ArgMax {
    double v;
    int64_t i;
};
// The larger value; the first index among equal maxima.
struct ArgMaxOp {
    __device__ ArgMax operator()(const ArgMax& a, const ArgMax& b) const {
        if (a.v > b.v) return a;
        if (b.v > a.v) return b;
        return a.i < b.i ? a : b;
    }
};
struct MinOp {
    __device__ int64_t operator()(int64_t a, int64_t b) const { return a < b ? a : b; }
};

}  // namespace nl::gpu::detail
