// Helpers shared by the ops_*.cpp files (not part of the public API): the per-op device dispatch,
// compute dtypes, strided/broadcast iteration, and the
// blocked GEMM kernel that matmul and the convolutions share.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"

namespace nl::ops_detail {

// ---- device dispatch ---------------------------------------------------------------------------------
// Every public op calls op_device first with all its (possibly undefined) tensor arguments: the
// device they share (CPU when none is defined), or DeviceError naming the op for mixed devices.
// On another device an op runs the backend's kernel where it has one (DeviceOps in
// tensor/backend.h: elementwise arithmetic and math, sum, softmax, matmul, index_select), else
// through_host: the CPU op on host copies and the result copied back, so every op works on every
// device with the CPU's exact bits, at the price of two copies (docs/GPU.md lists which op goes
// which way).
Device op_device(const char* op, std::initializer_list<const Tensor*> tensors);
// t on the CPU: t itself there, a copy from a device, undefined stays undefined.
Tensor host(const Tensor& t);
std::vector<Tensor> host(const std::vector<Tensor>& ts);
// How many times through_host has run in this process (all threads): tests check that a model's
// forward pass on a device whose backend has every kernel it needs never takes that path.
int64_t through_host_calls();
void count_through_host();
// cpu_op() (which reads host() copies of the arguments) with its result moved to dev.
template <class F>
Tensor through_host(Device dev, F&& cpu_op) {
    count_through_host();
    return cpu_op().to(dev);
}

// ---- dtype helpers -------------------------------------------------------------------------------------
// The dtype elementwise math runs in: float32 for float32/float16/bfloat16, float64, and int64 for
// integers and bool.
DType compute_dtype(DType d);
// "float32, float64" for error messages.
std::string dtype_list(std::initializer_list<DType> ds);
// Throws DTypeError "<op>: expected a floating-point tensor, got int64 (valid: float32, ...)".
void require_floating(const char* op, const Tensor& t);
// Converts to dtype, wrapping integers (int64 -> uint8 is modulo 256) instead of going through
// double as Tensor::to does; same storage when the dtype already matches.
Tensor convert(const Tensor& t, DType d);
// A 0-dim CPU tensor of dtype d holding s (integers set exactly).
Tensor scalar_tensor(Scalar s, DType d);
// A defined tensor must be given.
void require_defined(const char* op, const Tensor& t, const char* what);
// torch.result_type of a tensor and several Scalars (all of them wrapped numbers).
DType result_type_scalars(const Tensor& t, std::initializer_list<Scalar> scalars);

// A contiguous tensor with t's values: t itself when already contiguous, else a copy made with a
// strided loop split over the threads (faster than Tensor::contiguous for permuted views).
Tensor materialize(const Tensor& t);
// Wraps and checks a list of dims against rank: distinct, in range; empty means all dims.
std::vector<int64_t> normalize_dims(const char* op, const std::vector<int64_t>& dims, int64_t rank);

// ---- fused activations ------------------------------------------------------------------------------------
// silu of n values, as ops.h's silu gives them (its SIMD path for float: the same bits at every
// level); in and out may be the same array. The fused ops (group_norm_silu) apply it in place.
void silu_values(const float* in, int64_t n, float* out);
void silu_values(const double* in, int64_t n, double* out);

// ---- iteration -------------------------------------------------------------------------------------------
// Strides (in elements) that read t as if expanded to `shape` (0 along broadcast dims).
std::vector<int64_t> broadcast_strides(const Tensor& t, const Shape& shape);

// Merges adjacent dims that are contiguous for every operand and drops size-1 dims, so the common
// contiguous case becomes one long run. Modifies shape and every strides vector in place.
template <size_t N>
void collapse_dims(Shape& shape, std::array<std::vector<int64_t>, N>& strides) {
    Shape s;
    std::array<std::vector<int64_t>, N> st;
    for (size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] == 1) continue;
        if (!s.empty()) {
            bool merge = true;
            for (size_t k = 0; k < N; ++k)
                if (st[k].back() != strides[k][d] * shape[d]) merge = false;
            if (merge) {
                s.back() *= shape[d];
                for (size_t k = 0; k < N; ++k) st[k].back() = strides[k][d];
                continue;
            }
        }
        s.push_back(shape[d]);
        for (size_t k = 0; k < N; ++k) st[k].push_back(strides[k][d]);
    }
    shape = s;
    strides = st;
}

// Walks linear indices [begin, end) of `shape` in row-major order for N operands, calling
// body(pos, offsets, inner_strides, count) once per run along the innermost dim: element i of the
// run has linear index pos + i and operand k at offsets[k] + i * inner_strides[k].
template <size_t N, class Body>
void for_each_run(const Shape& shape, const std::array<std::vector<int64_t>, N>& strides, int64_t begin,
                  int64_t end, Body&& body) {
    if (begin >= end) return;  // also keeps empty shapes (a size-0 dim) away from the % below
    std::array<int64_t, N> off{}, inner{};
    const size_t r = shape.size();
    if (r == 0) {
        if (begin < end) body(begin, off, inner, int64_t{1});
        return;
    }
    std::vector<int64_t> idx(r);
    int64_t rem = begin;
    for (size_t d = r; d-- > 0;) {
        idx[d] = rem % shape[d];
        rem /= shape[d];
        for (size_t k = 0; k < N; ++k) off[k] += idx[d] * strides[k][d];
    }
    for (size_t k = 0; k < N; ++k) inner[k] = strides[k][r - 1];
    const int64_t last = shape[r - 1];
    int64_t pos = begin;
    while (pos < end) {
        const int64_t count = std::min(last - idx[r - 1], end - pos);
        body(pos, off, inner, count);
        pos += count;
        if (pos >= end) break;
        // Step to the start of the next run: reset the innermost dim and carry upwards.
        for (size_t k = 0; k < N; ++k) off[k] -= idx[r - 1] * inner[k];
        idx[r - 1] = 0;
        for (size_t d = r - 1; d-- > 0;) {
            ++idx[d];
            for (size_t k = 0; k < N; ++k) off[k] += strides[k][d];
            if (idx[d] < shape[d]) break;
            for (size_t k = 0; k < N; ++k) off[k] -= strides[k][d] * shape[d];
            idx[d] = 0;
        }
    }
}

// Elements per parallel chunk for elementwise loops: big enough that thread start-up (parallel.h
// starts threads per call) is amortised.
constexpr int64_t kElementwiseGrain = 1 << 16;

// ---- GEMM ------------------------------------------------------------------------------------------------
// C[M, N] = A[M, K] * B[K, N] for T in {float, double, int64_t}. A and B are read through arbitrary
// element strides (row, column); C has row stride ldc and unit column stride. Each C element is
// the sum over k = 0..K-1 in increasing order, starting from 0, in T with no fused multiply-add,
// so the result equals the naive triple loop whatever the blocking or the threads.
// parallel = false keeps the call on the calling thread (callers that parallelise outside).
template <class T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs, const T* B, int64_t b_rs,
          int64_t b_cs, T* C, int64_t ldc, bool parallel);

}  // namespace nl::ops_detail
