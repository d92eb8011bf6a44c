// Launchers of the kernels in random_kernels.cu and ops_kernels.cu, called by the host code of
// gpu/ (internal; plain C++ so that g++-compiled files can call them). Every launcher queues its
// work on `stream` of `device` (the caller has made `device` current) and checks the launch.
#pragma once
#include <cstdint>

#include "gpu/device.h"
#include "gpu/random_ops.h"
#include "tensor/dtype.h"
#include "tensor/random_request.h"

namespace nl::gpu::detail {

// Blocks for a grid-stride launch over `work_items` with `block` threads: enough to fill every
// multiprocessor of `device`, never more than the work needs (runtime.cpp).
int auto_grid(int device, uint64_t work_items, int block);
// cfg's shape, with its zeros filled in.
void resolve_launch(int device, uint64_t work_items, LaunchConfig& cfg);

// ---- random_kernels.cu ----------------------------------------------------------------------
void launch_random_fill(const RandomRequest& req, void* out, int device, StreamHandle stream, LaunchConfig cfg);
void launch_randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t philox_stream, int64_t* out,
                     int device, StreamHandle stream, LaunchConfig cfg);

// Per-row validation of categorical inputs: the first bad column (cols when none: NaN, inf or a
// negative weight; for logits NaN or +inf), the count of positive weights, and for logits the
// first column holding the row's maximum (-1 when every logit is -inf).
struct RowCheck {
    int64_t first_bad;
    int64_t nonzero;
    int64_t argmax;
    double max;
};
enum class RowMode : int { Weights = 0, Logits = 1 };
// `in`: rows x cols contiguous of `dtype` (a floating dtype). `checks`: device array of rows.
void launch_row_check(const void* in, DType dtype, int64_t rows, int64_t cols, RowMode mode, RowCheck* checks,
                      StreamHandle stream);
// Draws with replacement (Note [Integer weights]); for Logits the weights are
// exp((l - max) / temperature) with max from `checks`. Needs scratch of rows*cols*16 bytes.
void launch_row_draw(const void* in, DType dtype, int64_t rows, int64_t cols, RowMode mode, double temperature,
                     const RowCheck* checks, uint64_t seed, uint64_t offset, uint32_t philox_stream,
                     int64_t num_samples, int64_t* out, void* scratch, StreamHandle stream);

// ---- ops_kernels.cu ---------------------------------------------------------------------------
// float32 / float64 -> any dtype on the device (n elements, contiguous), rounding as the CPU does.
void launch_convert(const void* src, DType src_dtype, void* dst, DType dst_dtype, int64_t n, StreamHandle stream);
// uint32 words -> dst dtype (cuRAND raw bits and Poisson counts).
void launch_convert_u32(const uint32_t* src, void* dst, DType dst_dtype, int64_t n, StreamHandle stream);
// [rows, cols] -> [cols, rows] of 4- or 8-byte elements (cuRAND's dimension-major quasi points).
void launch_transpose(const void* src, void* dst, int64_t rows, int64_t cols, size_t elem_bytes, StreamHandle stream);

// The image-grid kernel of gl_interop.h: one thread per output pixel writes RGBA8 into a linear
// buffer (`rgba`, width*height*4 bytes) or, when rgba is null, into the surface object `surface`
// (a mapped GL texture's array).
struct GridKernelSpec {
    int64_t n, c, h, w, count;
    int columns, padding, scale, width, height;
    double lo, hi;
    uint8_t background[4];
    uint8_t nan_rgb[3];
    const uint8_t* lut;  // device memory, 3 * lut_size bytes
    int lut_size;
};
void launch_grid_rgba(const void* images, DType dtype, const GridKernelSpec& spec, uint8_t* rgba,
                      unsigned long long surface, StreamHandle stream);

// ---- non-random ops (cuda_ops.cpp) ----------------------------------------------------------------
// Elementwise ops over a broadcast layout: output element i (row-major over `size`) reads a and b
// at their strides (0 along broadcast dims). Floating dtypes; 16-bit ones computed in float32.
constexpr int kMaxDims = 8;
struct BroadcastLayout {
    int ndim;
    int64_t size[kMaxDims];
    int64_t stride_a[kMaxDims];
    int64_t stride_b[kMaxDims];
};
// op: 0 add, 1 sub, 2 mul, 3 div (DeviceBinaryOp order).
void launch_binary(int op, const void* a, const void* b, void* out, DType dtype, int64_t n, const BroadcastLayout& layout,
                   StreamHandle stream);
// op: DeviceUnaryOp order; contiguous input and output.
void launch_unary(int op, const void* in, void* out, DType dtype, int64_t n, StreamHandle stream);
// Sum of all n elements into *out (one element of dtype: floating dtypes accumulate in double and
// round once; integers and bool give an int64, wrapping). Deterministic: fixed per-block partials
// added in order. `scratch` holds kSumBlocks doubles / int64s.
constexpr int kSumBlocks = 1024;
void launch_sum(const void* in, DType dtype, int64_t n, void* out, void* scratch, StreamHandle stream);
// Softmax / log-softmax over lines of n elements (stride `inner`) of a contiguous tensor viewed as
// [outer, n, inner], in double per line.
void launch_softmax(const void* in, void* out, DType dtype, int64_t outer, int64_t n, int64_t inner, bool log,
                    StreamHandle stream);
// out[o, k, i] = in[o, index[k], i] for a contiguous [outer, n, inner] input of elem_bytes-sized
// elements; index (int64, device) holds k_count valid entries in [0, n).
void launch_index_select(const void* in, void* out, size_t elem_bytes, int64_t outer, int64_t n, int64_t inner,
                         const int64_t* index, int64_t k_count, StreamHandle stream);

}  // namespace nl::gpu::detail
