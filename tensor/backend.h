// Device dispatch: tensor/ calls a Backend for memory and for the ops whose device code lives
// elsewhere (gpu/ registers the CUDA backend at start-up). Nothing here includes CUDA headers, so a
// build without CUDA is a complete CPU program.
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "tensor/device.h"
#include "tensor/layer_formulas.h"
#include "tensor/random_request.h"

namespace nl {

class Tensor;

// Non-random ops (ops.h) that a device backend implements itself (gpu/ registers the CUDA ones).
// An op's entry point asks device_ops_for() its tensors' backend first and falls back to running
// through the host (tensor/ops_internal.h) when the answer is an undefined Tensor, which every
// method returns for arguments it has no kernel for. Arguments come already validated by the op;
// results follow ops.h's semantics (dtypes, shapes), values within the tolerances docs/GPU.md states.
enum class DeviceBinaryOp : uint8_t { Add, Sub, Mul, Div };
// New entries go at the end: the CUDA kernels switch on the number.
enum class DeviceUnaryOp : uint8_t { Neg, Abs, Relu, Exp, Log, Sqrt, Sin, Cos, Tanh, Sigmoid, Silu, Gelu, GeluTanh };
enum class DeviceCompareOp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
enum class DeviceReduceOp : uint8_t { Sum, Mean, Var, Std };
// conv2d's options (ops.h), already checked by the op (stride, dilation, groups >= 1, padding >= 0).
struct DeviceConvOptions {
    int64_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, dil_h = 1, dil_w = 1, groups = 1;
};
// stats::histogram's counts (tensor/stats.h) for an explicit range: counts[bins], the finite
// values below lo and above hi, and total = every finite value.
struct DeviceHistogram {
    std::vector<int64_t> counts;
    int64_t below = 0, above = 0, total = 0;
};
// What stats::moments needs from the data: counts of finite (n), NaN and +-inf values; min, max
// and mean (sum / n) of the finite ones; m2, m3, m4 = sums of (v - mean)^2, ^3, ^4 over them.
// min, max, mean and the sums are 0 when n == 0.
struct DeviceMoments {
    int64_t n = 0, nan_count = 0, inf_count = 0;
    double min = 0, max = 0, mean = 0, m2 = 0, m3 = 0, m4 = 0;
};
// The normalisations' statistics (ops_norm.cpp) are sums in double taken in a fixed order that a
// GPU block can follow: lane t of kNormLanes adds elements t, t + kNormLanes, ... in turn, then the
// lanes are halved pairwise (t += t + 128, then + 64, ..., + 1). The same order gives the same bits.
constexpr int kNormLanes = 256;
static_assert(kNormLanes > 0 && kNormLanes <= 1024 && (kNormLanes & (kNormLanes - 1)) == 0,
              "kNormLanes: a power of two that fits a CUDA block");

class DeviceOps {
public:
    virtual ~DeviceOps() = default;
    // Broadcasting, a and b of one dtype: floating, or int64 for Add / Sub / Mul (wrapping).
    virtual Tensor binary(DeviceBinaryOp op, const Tensor& a, const Tensor& b);
    // t op s (scalar_first: s op t) with s already in t's compute dtype (float for float32 and the
    // 16-bit types, double for float64), as the CPU computes a tensor-scalar op; floating t only.
    virtual Tensor binary_scalar(DeviceBinaryOp op, const Tensor& t, double s, bool scalar_first);
    virtual Tensor unary(DeviceUnaryOp op, const Tensor& t);
    // A contiguous copy of the view t on its device (Tensor::clone of a view: permutes,
    // transposes, flips' negative strides, repeats' stride 0), or undefined.
    virtual Tensor contiguous(const Tensor& t);
    // t (any dtype, any layout) as dtype `to` (!= t's), element by element by dtype.h's
    // convert_element, as Tensor::to(dtype) converts on the CPU: the same bits.
    virtual Tensor convert(const Tensor& t, DType to);
    virtual Tensor sum(const Tensor& t);                                      // all elements, 0-dim
    // Reductions along dims: `rows` (any layout) holds [outer, inner] in row-major order (the op's
    // input with the reduced dims permuted last); the result is [outer], each row reduced with
    // tensor/reduce_formulas.h as the CPU does (same bits). Sum, Mean, Var and Std of floating
    // rows keep their dtype (unbiased: Var / Std divide by inner - 1); Sum of integer or bool rows
    // is int64, wrapping.
    virtual Tensor reduce_rows(DeviceReduceOp op, const Tensor& rows, int64_t outer, int64_t inner, bool unbiased);
    // min / max of each such row (inner >= 1): values [outer] of rows' dtype and indices [outer]
    // int64, by reduce_formulas.h's rule (the first NaN, else the first index of the extreme).
    // false, leaving values and indices alone, where there is no kernel.
    virtual bool extreme_rows(bool is_max, const Tensor& rows, int64_t outer, int64_t inner, Tensor& values,
                              Tensor& indices);
    virtual Tensor softmax(const Tensor& t, int64_t dim, bool log);
    virtual Tensor matmul(const Tensor& a, const Tensor& b);
    // Indices already checked by the op (in [0, size of dim)); the kernel trusts them.
    virtual Tensor index_select(const Tensor& t, int64_t dim, const Tensor& index);
    // x [N, C, H, W], weight [O, C/groups, kh, kw], bias [O] or undefined, all of x's dtype; the
    // output [N, O, Ho, Wo] as ops.h's conv2d (Ho, Wo given by the op). addend (conv2d_add): undefined,
    // or a view of x's dtype with the output's shape (stride 0 where it broadcasts), added to each
    // output after it is rounded to the dtype.
    virtual Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const DeviceConvOptions& o,
                          int64_t Ho, int64_t Wo, const Tensor& addend);
    // x [N, C, *]; weight / bias [C] or undefined. The statistics must be summed as the CPU's
    // (ops_norm.cpp): in double over kNormLanes lanes, then the lanes halved pairwise. then_silu
    // (group_norm_silu): each output rounded to the dtype, then silu'd as ops.h's silu.
    virtual Tensor group_norm(const Tensor& x, int64_t num_groups, const Tensor& weight, const Tensor& bias,
                              double eps, bool then_silu);
    // The same statistics over the last `len` elements (layer_norm: rows of x's numel / len);
    // weight / bias hold len values or are undefined.
    virtual Tensor layer_norm(const Tensor& x, int64_t len, const Tensor& weight, const Tensor& bias, double eps);
    // x [N, C, *] in evaluation mode: per channel, layer::batch_norm_channel of the running mean /
    // var ([C]) and weight / bias ([C] or undefined), then layer::batch_norm_at per element.
    virtual Tensor batch_norm(const Tensor& x, const Tensor& mean, const Tensor& var, const Tensor& weight,
                              const Tensor& bias, double eps);
    // x [N, C, H, W] -> [N, C, g.Ho, g.Wo], each output layer::avg_pool2d_at of its plane.
    virtual Tensor avg_pool2d(const Tensor& x, const layer::PoolGeometry& g);
    // x [N, g.C, g.H, g.W], weight [g.C, g.O / groups, kh, kw], bias [g.O] or undefined, all of x's
    // dtype -> [N, g.O, g.Ho, g.Wo], each output layer::conv_transpose2d_at rounded to x's dtype.
    virtual Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                                    const layer::ConvTransposeGeometry& g);
    // gather along dim (t of >= 1 dims, any layout); index int64 on the device, of gather's shape
    // rules, its values already checked and wrapped into [0, size of dim).
    virtual Tensor gather(const Tensor& t, int64_t dim, const Tensor& index);
    // cumsum of t viewed as [outer, n, inner] around the dim (any layout): floating dtypes keep
    // theirs, integers and bool give int64 (wrapping), as ops_reduce.cpp's cumsum.
    virtual Tensor cumsum(const Tensor& t, int64_t outer, int64_t n, int64_t inner);
    // x [N, C, H, W] -> [N, C, Ho, Wo] by ops.h's nearest rule for these scale factors.
    virtual Tensor upsample_nearest2d(const Tensor& x, int64_t Ho, int64_t Wo, double scale_h, double scale_w);
    // Parts already checked (same dtype and rank, equal sizes except along dim; none a skipped
    // 1-D empty tensor); out_shape is their concatenation along dim.
    virtual Tensor cat(const std::vector<Tensor>& parts, int64_t dim, const std::vector<int64_t>& out_shape);
    // clamp with t's dtype as the result dtype (floating t); bounds in t's compute dtype.
    virtual Tensor clamp(const Tensor& t, bool has_lo, double lo, bool has_hi, double hi);
    // a op b -> bool with broadcasting (shapes already checked), a and b of one dtype, compared in
    // its compute dtype (int64 for integers and bool).
    virtual Tensor compare(DeviceCompareOp op, const Tensor& a, const Tensor& b);
    // t op s -> bool, s the scalar as the CPU stores it in t's dtype (an integer for integer t).
    virtual Tensor compare_scalar(DeviceCompareOp op, const Tensor& t, double s);
    // cond ? a : b with broadcasting (shapes already checked); cond bool, a and b of one dtype.
    virtual Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
    // Statistics reduced where t lives (any dtype and layout; values read as Tensor::to_vector
    // converts them). Both return false, leaving out unspecified, where there is no kernel.
    // histogram: bins in [1, 2^24], finite lo < hi with hi - lo finite, and scale = bins / (hi - lo)
    // (finite, > 0) as stats.cpp computes it; counts equal the CPU's exactly.
    virtual bool histogram(const Tensor& t, int bins, double lo, double hi, double scale, DeviceHistogram& out);
    // moments: exact counts, min and max; mean and sums within rounding of the CPU's.
    virtual bool moments(const Tensor& t, DeviceMoments& out);
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual const char* name() const = 0;
    virtual int device_count() const = 0;
    virtual size_t available_memory(int device_index) const = 0;
    virtual void* allocate(size_t bytes, int device_index) = 0;
    virtual void deallocate(void* p, size_t bytes, int device_index) = 0;
    virtual void copy_from_host(void* dst, const void* src, size_t bytes, int device_index) = 0;
    virtual void copy_to_host(void* dst, const void* src, size_t bytes, int device_index) = 0;
    virtual void copy_on_device(void* dst, const void* src, size_t bytes, int device_index) = 0;

    // Random ops (see random_request.h and docs/STREAMS.md); `out` has req.numel elements of
    // req.dtype, contiguous, on the device.
    virtual void random_fill(const RandomRequest& req, void* out, int device_index) = 0;
    // randperm(n): out[n] int64; keys from blocks [offset, offset + ceil(n/2)).
    virtual void randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out,
                          int device_index) = 0;
    // Categorical draws with replacement (random.cpp, Note [Integer weights]) from `rows` x `cols`
    // non-negative float64 weights on the device into out[rows * num_samples] int64; element
    // e = r*num_samples + s reads block offset + e/2. Returns false where the backend has no kernel
    // for it (the caller then draws on the CPU).
    virtual bool categorical(const double* /*weights*/, int64_t /*rows*/, int64_t /*cols*/, int64_t /*num_samples*/,
                             uint64_t /*seed*/, uint64_t /*offset*/, uint32_t /*stream*/, int64_t* /*out*/,
                             int /*device_index*/) {
        return false;
    }
    // Draws without replacement (random.cpp's exponential race) from `rows` x `cols` non-negative
    // float64 weights on the device into out[rows * num_samples] int64: per row, the num_samples
    // largest keys xf::race_key(w_j, word (e%4) of block offset + e/4), e = r*cols + j, in
    // descending order, ties by lower index. Returns false where the backend has no kernel.
    virtual bool categorical_without_replacement(const double* /*weights*/, int64_t /*rows*/, int64_t /*cols*/,
                                                 int64_t /*num_samples*/, uint64_t /*seed*/, uint64_t /*offset*/,
                                                 uint32_t /*stream*/, int64_t* /*out*/, int /*device_index*/) {
        return false;
    }
    // The device's own kernels for non-random ops, or nullptr (the CPU backend: ops.h runs them).
    virtual DeviceOps* ops() { return nullptr; }
};

// The DeviceOps of the device all defined tensors share, or nullptr when they are CPU tensors,
// sit on different devices, or the device has none.
DeviceOps* device_ops_for(std::initializer_list<const Tensor*> tensors);

// The backend for a device type, or nullptr when none is registered (no CUDA build, no driver).
Backend* find_backend(DeviceType type);
// The backend for a device, checking the index; throws DeviceError with the reason when absent.
Backend& backend_for(Device device);
void register_backend(DeviceType type, Backend* backend);
// Why CUDA is unavailable ("built without CUDA", "no CUDA driver (error 35)", ...) or "" if it is.
std::string cuda_unavailable_reason();
void set_cuda_unavailable_reason(const std::string& why);

}  // namespace nl
