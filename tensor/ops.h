// Non-random tensor ops with PyTorch's names and semantics: elementwise math and comparisons,
// reductions, softmax, matmul/linear, conv2d and friends, normalisations, indexing, joining.
// Every op accepts tensors on any one device: on CUDA it runs the backend's kernel where there is
// one and otherwise the CPU code on host copies (docs/GPU.md lists which); tensors on different
// devices (a 0-dim CPU tensor included, unlike PyTorch) are a DeviceError naming the op.
//
// Conventions shared by every op (PyTorch's):
// - Broadcasting follows NumPy's rules (broadcast_shapes); outputs are new contiguous tensors,
//   except permute(), which returns a view.
// - Binary ops promote dtypes as torch.result_type does: bool < integers < floating point;
//   int64 + float32 -> float32, uint8 + int32 -> int32, float16 + bfloat16 -> float32; a Scalar
//   (a C++ number) only lifts the category (int64 tensor * 2.5 -> float32, float16 tensor * 2.5 ->
//   float16, uint8 tensor + 300 -> uint8); a 0-dim tensor counts like a Scalar of its dtype.
//   Comparisons and logical ops return bool; true division of integers returns float32.
// - float16 / bfloat16 are computed in float32 and rounded once at the end; float32 elementwise
//   math runs in float32, float64 in float64, integers in int64 (wrapping like PyTorch's).
// - Reductions over floating-point data accumulate in double in a fixed order (sequential within
//   fixed blocks of 4096 elements, the block sums added in order), so results never depend on the
//   thread count. matmul/conv accumulate each output in its compute type over k in increasing
//   order, with no fused multiply-add: they equal the naive triple loop bit for bit.
// - Errors: ShapeError names both shapes, DTypeError names the dtype and the valid ones,
//   ValueError names the bad value and the valid range, DeviceError names the op and device.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "tensor/tensor.h"

namespace nl {

// ---- scalars and type promotion -----------------------------------------------------------------

// A number argument, as torch's Python scalars: remembers whether it was written as a bool, an
// integer or a floating-point number, because that decides the result dtype (int64 tensor * 2
// stays int64, int64 tensor * 2.0 is float32).
class Scalar {
public:
    enum class Kind : uint8_t { Bool, Int, Float };
    Scalar(bool v) : kind_(Kind::Bool), i_(v ? 1 : 0), d_(v ? 1.0 : 0.0) {}  // NOLINT: implicit
    template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    Scalar(T v) : kind_(Kind::Int), i_(static_cast<int64_t>(v)), d_(static_cast<double>(v)) {}  // NOLINT
    template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
    Scalar(T v) : kind_(Kind::Float), i_(0), d_(static_cast<double>(v)) {}  // NOLINT

    Kind kind() const { return kind_; }
    bool is_floating() const { return kind_ == Kind::Float; }
    double to_double() const { return d_; }
    // Floating values truncate toward zero, saturating at the int64 range (NaN gives 0).
    int64_t to_int() const;
    std::string str() const;  // "2", "2.5", "true"

private:
    Kind kind_;
    int64_t i_;
    double d_;
};

// torch.promote_types.
DType promote_types(DType a, DType b);
// torch.result_type of two operands (0-dim tensors and Scalars rank below dimensioned tensors).
DType result_type(const Tensor& a, const Tensor& b);
DType result_type(const Tensor& a, Scalar b);
// The dtype a Scalar has on its own: bool, int64 or float32 (torch's default dtype).
DType scalar_dtype(Scalar s);

// ---- elementwise: arithmetic ----------------------------------------------------------------------

Tensor add(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, Scalar b);
Tensor add(Scalar a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);  // bool - bool is a DTypeError, as in PyTorch
Tensor sub(const Tensor& a, Scalar b);
Tensor sub(Scalar a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, Scalar b);
Tensor mul(Scalar a, const Tensor& b);
// True division: integer and bool operands give float32 (7 / 2 = 3.5); x / 0 is inf or nan.
Tensor div(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, Scalar b);
Tensor div(Scalar a, const Tensor& b);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, Scalar b);
Tensor operator+(Scalar a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, Scalar b);
Tensor operator-(Scalar a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, Scalar b);
Tensor operator*(Scalar a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, Scalar b);
Tensor operator/(Scalar a, const Tensor& b);
Tensor operator-(const Tensor& a);

// ---- elementwise: unary math -----------------------------------------------------------------------

Tensor neg(const Tensor& t);  // not for bool
Tensor abs(const Tensor& t);  // not for bool
// Floating-point functions: integer and bool inputs give float32 (as torch.exp(int tensor)).
Tensor exp(const Tensor& t);
Tensor log(const Tensor& t);
Tensor sqrt(const Tensor& t);
Tensor sin(const Tensor& t);
Tensor cos(const Tensor& t);
Tensor tanh(const Tensor& t);
Tensor sigmoid(const Tensor& t);
// t ** exponent; dtype = result_type(t, exponent). Integer tensors with a negative integer exponent
// are a ValueError, as in PyTorch. Exponents 2, 3, 0.5, -1, -2 use x*x, x*x*x, sqrt, 1/x, 1/(x*x).
Tensor pow(const Tensor& t, Scalar exponent);
Tensor relu(const Tensor& t);  // keeps integer dtypes; not for bool
Tensor silu(const Tensor& t);  // floating point only: x * sigmoid(x)
// approximate: "none" (0.5 x (1 + erf(x / sqrt 2))) or "tanh" (the tanh approximation).
Tensor gelu(const Tensor& t, const std::string& approximate = "none");
// min(max(t, lo), hi) with either bound optional (at least one given); NaN stays NaN.
Tensor clamp(const Tensor& t, std::optional<Scalar> lo, std::optional<Scalar> hi = std::nullopt);

// ---- elementwise: comparisons and logic (bool results) ---------------------------------------------

Tensor eq(const Tensor& a, const Tensor& b);
Tensor eq(const Tensor& a, Scalar b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, Scalar b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, Scalar b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, Scalar b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, Scalar b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, Scalar b);
// Any dtypes; nonzero (NaN included) is true.
Tensor logical_and(const Tensor& a, const Tensor& b);
Tensor logical_or(const Tensor& a, const Tensor& b);
Tensor logical_not(const Tensor& t);
Tensor isnan(const Tensor& t);
Tensor isinf(const Tensor& t);
Tensor isfinite(const Tensor& t);
// cond ? a : b elementwise; cond must be bool; cond, a, b broadcast together.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
Tensor where(const Tensor& cond, const Tensor& a, Scalar b);
Tensor where(const Tensor& cond, Scalar a, const Tensor& b);
Tensor where(const Tensor& cond, Scalar a, Scalar b);

// ---- reductions -------------------------------------------------------------------------------------
// `dim` may be negative; `dims` lists distinct dims (empty = all). Results over all elements are
// 0-dim tensors. sum: integers and bool give int64. mean/var/std: floating point only. An empty
// reduction gives 0 for sum, nan for mean/var/std, and a ShapeError for min/max/argmin/argmax.

Tensor sum(const Tensor& t);
Tensor sum(const Tensor& t, int64_t dim, bool keepdim = false);
Tensor sum(const Tensor& t, const std::vector<int64_t>& dims, bool keepdim = false);
Tensor mean(const Tensor& t);
Tensor mean(const Tensor& t, int64_t dim, bool keepdim = false);
Tensor mean(const Tensor& t, const std::vector<int64_t>& dims, bool keepdim = false);
// unbiased = true divides by n - 1 (PyTorch's default correction = 1); n <= correction gives nan.
// Two passes in double: the mean, then the sum of squared deviations.
Tensor var(const Tensor& t, bool unbiased = true);
Tensor var(const Tensor& t, int64_t dim, bool unbiased = true, bool keepdim = false);
Tensor var(const Tensor& t, const std::vector<int64_t>& dims, bool unbiased = true, bool keepdim = false);
inline Tensor var(const Tensor& t, int dim, bool unbiased = true, bool keepdim = false) {
    return var(t, static_cast<int64_t>(dim), unbiased, keepdim);
}
Tensor std(const Tensor& t, bool unbiased = true);
Tensor std(const Tensor& t, int64_t dim, bool unbiased = true, bool keepdim = false);
Tensor std(const Tensor& t, const std::vector<int64_t>& dims, bool unbiased = true, bool keepdim = false);
inline Tensor std(const Tensor& t, int dim, bool unbiased = true, bool keepdim = false) {
    return std(t, static_cast<int64_t>(dim), unbiased, keepdim);
}

// (values, indices) of min/max along a dim, as torch.max(t, dim).
struct ValuesIndices {
    Tensor values;
    Tensor indices;  // int64
};
// NaN propagates (a NaN is the min and the max); ties pick the first index. Any dtype.
Tensor min(const Tensor& t);
Tensor max(const Tensor& t);
ValuesIndices min(const Tensor& t, int64_t dim, bool keepdim = false);
ValuesIndices max(const Tensor& t, int64_t dim, bool keepdim = false);
// Flat index (int64, 0-dim) over all elements, or indices along dim.
Tensor argmin(const Tensor& t);
Tensor argmax(const Tensor& t);
Tensor argmin(const Tensor& t, int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& t, int64_t dim, bool keepdim = false);
// Running sum along dim: integers and bool give int64; floating point accumulates in double.
Tensor cumsum(const Tensor& t, int64_t dim);

// Numerically stable (max subtracted), computed in double per row; floating point only.
Tensor softmax(const Tensor& t, int64_t dim = -1);
Tensor log_softmax(const Tensor& t, int64_t dim = -1);

// ---- linear algebra -----------------------------------------------------------------------------------

// torch.matmul: 1-D . 1-D (dot, 0-dim), 2-D x 2-D, 1-D/2-D mixes, and batched N-D with the batch
// dims broadcast. Both operands must have the same dtype (float or integer, not bool), as in
// PyTorch. A blocked kernel split over the CPU threads (parallel.h).
Tensor matmul(const Tensor& a, const Tensor& b);
// x[..., in] W[out, in]^T + b[out]; bias may be undefined (Tensor{}).
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor{});

// ---- convolution, pooling, resampling (NCHW, floating point) -------------------------------------------

// A (height, width) pair: 2 means (2, 2), {2, 1} means (2, 1).
struct Size2 {
    int64_t h = 0, w = 0;
    Size2(int64_t v) : h(v), w(v) {}  // NOLINT: implicit, as torch's int-or-tuple arguments
    Size2(int64_t h_, int64_t w_) : h(h_), w(w_) {}
};

// x[N, C, H, W] (or [C, H, W]), weight[O, C/groups, kh, kw], bias[O] or undefined.
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor{}, Size2 stride = 1,
              Size2 padding = 0, Size2 dilation = 1, int64_t groups = 1);
// conv2d(x, weight, bias, ...) + addend as one op, for a network's "conv, then add": addend has the
// convolution's dtype and broadcasts to its output (a residual [N, O, Ho, Wo], a per-image channel
// bias [N, O, 1, 1], ...). The same values as the two ops (each output rounded, then the addition),
// without the pass over memory and the launch of the addition; only where both an output and its
// addend are NaN may the NaN's payload be the other's. No PyTorch counterpart.
Tensor conv2d_add(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& addend, Size2 stride = 1,
                  Size2 padding = 0, Size2 dilation = 1, int64_t groups = 1);
// x[N, Cin, H, W], weight[Cin, Cout/groups, kh, kw]; output size per axis:
// (in - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1.
// The adjoint of conv2d with the same weight, stride, padding, dilation and groups.
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor{},
                        Size2 stride = 1, Size2 padding = 0, Size2 output_padding = 0,
                        int64_t groups = 1, Size2 dilation = 1);
// F.interpolate(x, scale_factor=..., mode="nearest") on [N, C, H, W] or [C, H, W]: output size
// floor(in * scale), source index min(floor(dst * (1/scale)), in - 1) in float32 as PyTorch.
// Any dtype.
Tensor upsample_nearest2d(const Tensor& x, double scale_h, double scale_w);
Tensor upsample_nearest2d(const Tensor& x, double scale);
// F.avg_pool2d; stride defaults to the kernel size. count_include_pad counts the zero padding in
// the divisor; ceil_mode rounds the output size up (windows must start inside the padded input).
Tensor avg_pool2d(const Tensor& x, Size2 kernel, std::optional<Size2> stride = std::nullopt,
                  Size2 padding = 0, bool ceil_mode = false, bool count_include_pad = true);

// ---- normalisation (statistics in double, biased variance) ------------------------------------------

// x[N, C, *]; weight/bias [C] or undefined.
Tensor group_norm(const Tensor& x, int64_t num_groups, const Tensor& weight = Tensor{},
                  const Tensor& bias = Tensor{}, double eps = 1e-5);
// silu(group_norm(x, ...)) as one op: the same values (silu of each rounded normalised value) with
// one pass over memory fewer; a UNet's "norm, then activation". No PyTorch counterpart.
Tensor group_norm_silu(const Tensor& x, int64_t num_groups, const Tensor& weight = Tensor{},
                       const Tensor& bias = Tensor{}, double eps = 1e-5);
// Normalises over the trailing dims given by normalized_shape; weight/bias of that shape.
Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight = Tensor{},
                  const Tensor& bias = Tensor{}, double eps = 1e-5);
// Evaluation mode (running statistics): x[N, C, *], running_mean/var [C].
Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight = Tensor{}, const Tensor& bias = Tensor{}, double eps = 1e-5);

// ---- indexing, joining, reshaping ------------------------------------------------------------------

// Index tensors are int64 or int32. Out-of-range indices are a ShapeError naming index and size.
// Entries of index (1-D or 0-dim) along dim; no negative indices (as torch.index_select).
Tensor index_select(const Tensor& t, int64_t dim, const Tensor& index);
// t[index] for an integer tensor index of any shape: result shape index.shape + t.shape[1:];
// negative indices count from the end.
Tensor index(const Tensor& t, const Tensor& index);
// torch.gather: out[i][j] = t[index[i][j]][j] (dim 0) etc.; index has t's rank and sizes no larger
// than t's outside dim.
Tensor gather(const Tensor& t, int64_t dim, const Tensor& index);
// F.embedding(indices, weight[V, D]) -> [*indices.shape, D].
Tensor embedding(const Tensor& indices, const Tensor& weight);
// Dtypes promote as in torch.cat; 1-D empty tensors are skipped (legacy PyTorch rule).
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);
Tensor flip(const Tensor& t, const std::vector<int64_t>& dims);
// A view with the dims reordered (dims is a permutation of 0..dim-1, negatives allowed).
Tensor permute(const Tensor& t, const std::vector<int64_t>& dims);
// Tile t: repeats has at least t.dim() entries (extra ones add leading dims).
Tensor repeat(const Tensor& t, const std::vector<int64_t>& repeats);
// A copy of t with value where mask (bool, broadcastable to t's shape) is true.
Tensor masked_fill(const Tensor& t, const Tensor& mask, Scalar value);

// Prints Tensor::str() (PyTorch's repr).
std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace nl
