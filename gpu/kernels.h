// Launchers of the kernels in random_kernels.cu and ops_kernels.cu, called by the host code of
// gpu/ (internal; plain C++ so that g++-compiled files can call them). Every launcher queues its
// work on `stream` of `device` (the caller has made `device` current) and checks the launch.
#pragma once
#include <cstdint>

#include "gpu/device.h"
#include "gpu/random_ops.h"
#include "tensor/backend.h"
#include "tensor/dtype.h"
#include "tensor/host_device.h"
#include "tensor/layer_formulas.h"
#include "tensor/random_request.h"

namespace nl::gpu::detail {

// Blocks for a grid-stride launch over `work_items` with `block` threads: enough to fill every
// multiprocessor of `device`, never more than the work needs (runtime.cpp).
int auto_grid(int device, uint64_t work_items, int block);
// The number of multiprocessors of `device` (asked once, then cached).
int multiprocessor_count(int device);
// cfg's shape, with its zeros filled in.
void resolve_launch(int device, uint64_t work_items, LaunchConfig& cfg);

// ---- random_kernels.cu ----------------------------------------------------------------------
void launch_random_fill(const RandomRequest& req, void* out, int device, StreamHandle stream, LaunchConfig cfg);
void launch_randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t philox_stream, int64_t* out,
                     int device, StreamHandle stream, LaunchConfig cfg);
// multinomial without replacement (race_kernels.cu): rows x cols float64 weights (cols < 2^31),
// out[rows * num_samples], as Backend::categorical_without_replacement describes.
void launch_race_draw(const double* weights, int64_t rows, int64_t cols, int64_t num_samples, uint64_t seed,
                      uint64_t offset, uint32_t philox_stream, int64_t* out, int device, StreamHandle stream);

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
// Whether a checked row can be drawn from: no bad column, and a positive weight (weights) or a
// finite maximum (logits). The kernels skip other rows; the host then runs the CPU op, which
// reports them.
NL_HOST_DEVICE bool row_drawable(const RowCheck& c, int64_t cols, RowMode mode) {
    return c.first_bad >= cols && (mode == RowMode::Logits ? c.argmax >= 0 : c.nonzero > 0);
}
// `in`: rows x cols contiguous of `dtype` (a floating dtype). `checks`: device array of rows.
void launch_row_check(const void* in, DType dtype, int64_t rows, int64_t cols, RowMode mode, RowCheck* checks,
                      StreamHandle stream);
// Draws with replacement (Note [Integer weights]); for Logits the weights are
// exp((l - max) / temperature) with max from `checks`. Needs scratch of rows*cols*16 bytes.
void launch_row_draw(const void* in, DType dtype, int64_t rows, int64_t cols, RowMode mode, double temperature,
                     const RowCheck* checks, uint64_t seed, uint64_t offset, uint32_t philox_stream,
                     int64_t num_samples, int64_t* out, void* scratch, StreamHandle stream);

// ---- ops_kernels.cu ---------------------------------------------------------------------------
// Any dtype -> any dtype on the device (n elements, contiguous) by tensor/dtype.h's convert_element,
// the CPU's Tensor::to(dtype): the same bits.
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

// ---- nn_kernels.cu: the layers of the models (cuda_ops.cpp) ------------------------------------
// A contiguous copy of a strided view: out[i] (row-major over size) = in[sum idx[d] * stride[d]],
// elements of elem_bytes (1, 2, 4 or 8).
struct StridedLayout {
    int ndim;
    int64_t size[kMaxDims];
    int64_t stride[kMaxDims];
};
void launch_strided_copy(const void* in, void* out, size_t elem_bytes, int64_t n, const StridedLayout& layout,
                         StreamHandle stream);
// out[i] = in[i] op s, or s op in[i] when scalar_first (op as launch_binary), contiguous, in the
// compute type (float for float32 and the 16-bit types, double for float64) with s cast to it.
void launch_binary_scalar(int op, const void* in, double s, bool scalar_first, void* out, DType dtype, int64_t n,
                          StreamHandle stream);
// silu, gelu (erf) and gelu (tanh) as ops.h writes them, in the compute type; contiguous.
enum class Activation : int { Silu = 0, Gelu = 1, GeluTanh = 2 };
void launch_activation(Activation act, const void* in, void* out, DType dtype, int64_t n, StreamHandle stream);
// clamp in the compute type: v < lo -> lo, v > hi -> hi (NaN passes); contiguous.
void launch_clamp(const void* in, void* out, DType dtype, int64_t n, bool has_lo, double lo, bool has_hi, double hi,
                  StreamHandle stream);
// Exact matmul of dense row-major A [M, K] and B [K, N] into C [M, N] per batch (a_stride /
// b_stride elements between batches, 0 for a matrix shared by all): each output is the CPU's
// gemm sum (one chain over k from +0, products and sums rounded separately), so the bits are the
// CPU's for finite results (a NaN result is NaN, its payload the GPU's). Returns false (nothing
// launched) for sizes past its 32-bit indices. Whether CudaOps::matmul uses it or cuBLAS:
// NOISELAB_MATMUL_KERNEL=exact at start, or set_matmul_kernel (cuBLAS, faster on large matrices,
// stays the default until a GPU run has checked the exact kernel, written without one).
enum class MatmulKernel { Cublas, Exact };
void set_matmul_kernel(MatmulKernel k);
MatmulKernel matmul_kernel();
bool launch_matmul_exact(const void* a, const void* b, void* c, DType dtype, int64_t M, int64_t N, int64_t K,
                         int64_t batches, int64_t a_stride, int64_t b_stride, StreamHandle stream);
// Convolution of contiguous x [N, C, H, W] with weight [O, C/groups, kh, kw] (+ bias [O] or null)
// into y [N, O, Ho, Wo]; each output is the CPU's sum (ops_conv.cpp: k = (c, ki, kj) in increasing
// order from 0, no fma, then + bias), so finite results have the CPU's bits (a NaN result is NaN,
// its payload the GPU's). The direct kernel skips the padding's 0 * w terms (which differs from the
// CPU only for an infinite or NaN weight there), the tiled one adds them as the CPU does. Returns
// false (nothing launched) where a kernel window's weights do not fit in shared memory or an index
// does not fit the kernels' 32-bit plane arithmetic.
struct ConvGeometry {
    int64_t N, C, H, W, O, kh, kw, Ho, Wo, groups, sh, sw, ph, pw, dh, dw;
};
// add (conv2d_add): null, or the addend read at layer::addend_offset(as, ...), added to each output
// after its rounding to dtype.
bool launch_conv2d(const void* x, const void* w, const void* bias, void* y, DType dtype, const ConvGeometry& g,
                   const void* add, const layer::AddendStrides& as, StreamHandle stream);
// Which convolution kernel launch_conv2d uses where both apply: the direct one (one output pixel
// times 8 channels per thread; verified on the H100) or the register-tiled one (4 pixels times 8
// channels per thread, for stride 1, dilation 1, one group, kw in {1, 3, 5, 7}, kh <= 7 and
// outputs up to 512 wide; same bits by construction, written without a GPU and opt-in until a
// GPU run has checked it). NOISELAB_CONV_KERNEL=tiled picks the
// tiled one at start; tests switch with set_conv_kernel.
enum class ConvKernel { Direct, Tiled };
void set_conv_kernel(ConvKernel k);
ConvKernel conv_kernel();
// The kernel launch_conv2d runs for g now (Direct where the tiled one does not apply).
ConvKernel conv_kernel_for(const ConvGeometry& g, DType dtype);
// GroupNorm of contiguous x viewed as [N * groups, (C / groups) * spatial] rows; weight / bias
// [C] of x's dtype or null. Statistics in double per row (block reductions), as ops_norm.cpp.
// then_silu (group_norm_silu): silu of each stored output, as the silu kernel computes it.
void launch_group_norm(const void* x, const void* w, const void* b, void* y, DType dtype, int64_t N, int64_t C,
                       int64_t spatial, int64_t groups, double eps, bool then_silu, StreamHandle stream);
// Nearest upsampling of contiguous [planes, H, W] into [planes, Ho, Wo] by ops_conv.cpp's rule
// (same size: identity; 2x: dst >> 1; else floor(dst * inv) with inv = float(1 / scale)).
void launch_upsample_nearest2d(const void* x, void* y, size_t elem_bytes, int64_t planes, int64_t H, int64_t W,
                               int64_t Ho, int64_t Wo, float inv_h, float inv_w, StreamHandle stream);
// Concatenation of contiguous parts viewed as [outer, row]: part p fills output columns
// [col, col + row) of each output row of out_row elements. Up to kMaxCatParts per launch.
constexpr int kMaxCatParts = 8;
struct CatPart {
    const void* src;
    int64_t row, col;
};
struct CatLayout {
    int count;
    int64_t outer, out_row;
    CatPart parts[kMaxCatParts];
};
void launch_cat(const CatLayout& layout, void* out, size_t elem_bytes, StreamHandle stream);
// Comparisons into bool (op: DeviceCompareOp order) in the compute type of dtype (int64 for
// integers and bool): a and b at their broadcast strides (layout as launch_binary), or a
// contiguous `in` against the scalar s.
void launch_compare(int op, const void* a, const void* b, bool* out, DType dtype, int64_t n,
                    const BroadcastLayout& layout, StreamHandle stream);
void launch_compare_scalar(int op, const void* in, double s, bool* out, DType dtype, int64_t n, StreamHandle stream);
// out[i] = cond[i] ? a[i] : b[i], each read at its broadcast strides; elements of elem_bytes.
struct WhereLayout {
    int ndim;
    int64_t size[kMaxDims];
    int64_t stride_cond[kMaxDims];
    int64_t stride_a[kMaxDims];
    int64_t stride_b[kMaxDims];
};
void launch_where(const bool* cond, const void* a, const void* b, void* out, size_t elem_bytes, int64_t n,
                  const WhereLayout& layout, StreamHandle stream);

// ---- layer_kernels.cu: per-output formulas shared with the CPU (tensor/layer_formulas.h) --------
// avg_pool2d of contiguous [planes, g.H, g.W] into [planes, g.Ho, g.Wo].
void launch_avg_pool2d(const void* x, void* y, DType dtype, int64_t planes, const layer::PoolGeometry& g,
                       StreamHandle stream);
// batch_norm (running statistics) of contiguous x [N, C, spatial]; mean, var and (or null) w, b
// hold C values of x's dtype.
void launch_batch_norm(const void* x, const void* mean, const void* var, const void* w, const void* b, void* y,
                       DType dtype, int64_t N, int64_t C, int64_t spatial, double eps, StreamHandle stream);
// conv_transpose2d of contiguous x [N, g.C, g.H, g.W] with weight [g.C, g.O / groups, kh, kw] and
// bias [g.O] (or null), all of dtype, into y [N, g.O, g.Ho, g.Wo].
void launch_conv_transpose2d(const void* x, const void* w, const void* bias, void* y, DType dtype, int64_t N,
                             const layer::ConvTransposeGeometry& g, StreamHandle stream);

// ---- reduce_kernels.cu: reductions along dims with tensor/reduce_formulas.h's arithmetic ---------
// Rows of contiguous x [outer, inner] (a floating dtype) reduced into out [outer] of that dtype;
// partial holds outer * ceil(inner / kReduceBlock) doubles, mean outer doubles (Var / Std only).
void launch_reduce_rows(const void* x, DType dtype, DeviceReduceOp op, int64_t outer, int64_t inner, bool unbiased,
                        double* partial, double* mean, void* out, StreamHandle stream);
// Wrapping int64 sums of the rows of contiguous x [outer, inner].
void launch_int_row_sums(const int64_t* x, int64_t outer, int64_t inner, int64_t* out, StreamHandle stream);
// min / max of each row of contiguous x [outer, inner] (inner >= 1, any dtype): values [outer] of
// x's dtype and indices [outer]; block_best holds outer * ceil(inner / kReduceBlock) int64.
void launch_extreme_rows(bool is_max, const void* x, DType dtype, int64_t outer, int64_t inner, int64_t* block_best,
                         void* values, int64_t* indices, StreamHandle stream);

// ---- gather_kernels.cu -------------------------------------------------------------------------
// gather: out (index's shape, n elements) from t read through `stride` (elements), the coordinate
// along `dim` taken from index (int64, contiguous, already checked and wrapped into range).
struct GatherLayout {
    int ndim, dim;
    int64_t size[kMaxDims];    // index's shape
    int64_t stride[kMaxDims];  // t's strides
};
void launch_gather(const void* t, const int64_t* index, void* out, size_t elem_bytes, int64_t n,
                   const GatherLayout& layout, StreamHandle stream);
// cumsum along n of contiguous x [outer, n, inner]: floating dtypes in double, rounded per
// element; int64 wrapping.
void launch_cumsum(const void* x, void* out, DType dtype, int64_t outer, int64_t n, int64_t inner, StreamHandle stream);

}  // namespace nl::gpu::detail
