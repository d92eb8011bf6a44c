// Reductions (sum, mean, var, std, min, max, argmin, argmax), cumsum, softmax and log_softmax.
// A reduction permutes the reduced dims to the end and copies to a contiguous [outer, inner] block,
// then reduces each row. Floating-point data accumulates in double over fixed blocks of
// kReduceBlock elements, the block sums added in order: the result never depends on the thread
// count, and the GPU's kernels (DeviceOps::reduce_rows / extreme_rows) run the same arithmetic
// (tensor/reduce_formulas.h) for the same bits.
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "tensor/ops.h"
#include "tensor/backend.h"
#include "tensor/ops_internal.h"
#include "tensor/parallel.h"
#include "tensor/reduce_formulas.h"

namespace nl {
using namespace ops_detail;

namespace {

using reduce::kReduceBlock;

// Which dims a reduction permutes last so that its rows are the groups of elements to reduce:
// t permuted by `perm` is [outer, inner] in row-major order.
struct Layout {
    std::vector<int64_t> perm;
    int64_t outer = 1, inner = 1;
    Shape out_shape;
};

Layout layout(const char* op, const Tensor& t, const std::vector<int64_t>& dims_in, bool keepdim) {
    const int64_t rank = t.dim();
    std::vector<int64_t> dims = normalize_dims(op, dims_in, rank);
    std::vector<bool> reduced(static_cast<size_t>(rank), false);
    for (int64_t d : dims) reduced[static_cast<size_t>(d)] = true;
    Layout l;
    for (int64_t d = 0; d < rank; ++d) {
        if (reduced[d]) {
            if (keepdim) l.out_shape.push_back(1);
        } else {
            l.perm.push_back(d);
            l.outer *= t.shape()[d];
            l.out_shape.push_back(t.shape()[d]);
        }
    }
    for (int64_t d = 0; d < rank; ++d)
        if (reduced[d]) {
            l.perm.push_back(d);
            l.inner *= t.shape()[d];
        }
    return l;
}

// t with the layout's dims permuted (a view: no data moves).
Tensor rows_view(const Tensor& t, const Layout& l) { return t.dim() == 0 ? t : permute(t, l.perm); }

// t as a contiguous [outer, inner] block whose rows are the groups of elements to reduce.
struct Rows {
    Tensor data;
    int64_t outer = 1, inner = 1;
    Shape out_shape;
};

Rows plan(const char* op, const Tensor& t, const std::vector<int64_t>& dims, bool keepdim) {
    const Layout l = layout(op, t, dims, keepdim);
    return {materialize(rows_view(t, l)), l.outer, l.inner, l.out_shape};
}

// The input's device (see op_device), after checking it is defined.
Device check(const char* op, const Tensor& t) {
    const Device dev = op_device(op, {&t});
    require_defined(op, t, "input");
    return dev;
}

// A row reduction by the device's kernel (reduced to the layout's output shape), or undefined.
Tensor reduce_on_device(DeviceReduceOp op, const Tensor& t, const Layout& l, bool unbiased) {
    DeviceOps* k = device_ops_for({&t});
    if (!k) return Tensor();
    const Tensor r = k->reduce_rows(op, rows_view(t, l), l.outer, l.inner, unbiased);
    return r.defined() ? r.reshape(l.out_shape) : r;
}

// Per-row double totals of block_fn(row, begin, end) over blocks of kReduceBlock, added in block
// order (reduce_formulas.h). Work items (row, block) run in parallel; the combination is
// sequential, so it is deterministic.
template <class F>
std::vector<double> row_totals(int64_t outer, int64_t inner, F block_fn) {
    const int64_t nblocks = reduce::blocks_of(inner);
    std::vector<double> partial(static_cast<size_t>(outer * nblocks));
    const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, std::min(inner, kReduceBlock)));
    parallel_for(outer * nblocks, grain, [&](int64_t b0, int64_t b1) {
        for (int64_t item = b0; item < b1; ++item) {
            const int64_t row = item / nblocks, blk = item % nblocks;
            const int64_t begin = blk * kReduceBlock, end = std::min(inner, begin + kReduceBlock);
            partial[static_cast<size_t>(item)] = block_fn(row, begin, end);
        }
    });
    std::vector<double> total(static_cast<size_t>(outer), 0.0);
    for (int64_t row = 0; row < outer; ++row)
        for (int64_t blk = 0; blk < nblocks; ++blk) total[row] += partial[static_cast<size_t>(row * nblocks + blk)];
    return total;
}

template <class T>
std::vector<double> float_row_sums(const Rows& r) {
    const T* p = r.data.data<T>();
    const int64_t inner = r.inner;
    return row_totals(r.outer, inner, [&](int64_t row, int64_t b, int64_t e) { return reduce::block_sum(p + row * inner, b, e); });
}

// A float tensor of dtype d and shape s from double values (rounded once).
Tensor from_doubles(const std::vector<double>& v, const Shape& s, DType d) {
    Tensor out = Tensor::empty(s, {d, Device::cpu()});
    dispatch_dtype(d, [&](auto tag) {
        using T = decltype(tag);
        T* o = out.data<T>();
        for (size_t i = 0; i < v.size(); ++i) o[i] = from_double<T>(v[i]);
    });
    return out;
}

Tensor sum_impl(const Tensor& t, const std::vector<int64_t>& dims, bool keepdim) {
    if (const Device dev = check("sum", t); !dev.is_cpu()) {
        if (dims.empty() && !keepdim)
            if (DeviceOps* k = device_ops_for({&t}))
                if (Tensor r = k->sum(t); r.defined()) return r;
        if (Tensor r = reduce_on_device(DeviceReduceOp::Sum, t, layout("sum", t, dims, keepdim), false); r.defined())
            return r;
        return through_host(dev, [&] { return sum_impl(host(t), dims, keepdim); });
    }
    Rows r = plan("sum", t, dims, keepdim);
    if (is_floating(t.dtype())) {
        return dispatch_dtype(t.dtype(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (std::is_floating_point_v<T> || std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>)
                return from_doubles(float_row_sums<T>(r), r.out_shape, t.dtype());
            else
                return Tensor{};
        });
    }
    // Integers and bool: int64 sum, wrapping (exact modulo 2^64, so the order does not matter).
    const Tensor x = convert(r.data, DType::Int64);
    const int64_t* p = x.data<int64_t>();
    Tensor out = Tensor::empty(r.out_shape, {DType::Int64, Device::cpu()});
    int64_t* o = out.data<int64_t>();
    const int64_t inner = r.inner;
    parallel_for(r.outer, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(inner, 1)),
                 [&](int64_t b0, int64_t b1) {
                     for (int64_t row = b0; row < b1; ++row) {
                         uint64_t s = 0;
                         for (int64_t i = 0; i < inner; ++i) s += static_cast<uint64_t>(p[row * inner + i]);
                         o[row] = static_cast<int64_t>(s);
                     }
                 });
    return out;
}

template <class F>
auto dispatch_float(DType d, F&& f) {
    switch (d) {
        case DType::Float64: return f(double{});
        case DType::Float16: return f(Half{});
        case DType::BFloat16: return f(BFloat16{});
        default: return f(float{});
    }
}

Tensor mean_impl(const Tensor& t, const std::vector<int64_t>& dims, bool keepdim) {
    const Device dev = check("mean", t);
    require_floating("mean", t);
    if (!dev.is_cpu()) {
        if (Tensor r = reduce_on_device(DeviceReduceOp::Mean, t, layout("mean", t, dims, keepdim), false); r.defined())
            return r;
        return through_host(dev, [&] { return mean_impl(host(t), dims, keepdim); });
    }
    Rows r = plan("mean", t, dims, keepdim);
    return dispatch_float(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        std::vector<double> s = float_row_sums<T>(r);
        for (double& v : s) v /= static_cast<double>(r.inner);  // 0 / 0 = nan for empty rows
        return from_doubles(s, r.out_shape, t.dtype());
    });
}

Tensor var_impl(const char* op, const Tensor& t, const std::vector<int64_t>& dims, bool unbiased, bool keepdim,
                bool take_sqrt) {
    const Device dev = check(op, t);
    require_floating(op, t);
    if (!dev.is_cpu()) {
        const DeviceReduceOp kind = take_sqrt ? DeviceReduceOp::Std : DeviceReduceOp::Var;
        if (Tensor r = reduce_on_device(kind, t, layout(op, t, dims, keepdim), unbiased); r.defined()) return r;
        return through_host(dev, [&] { return var_impl(op, host(t), dims, unbiased, keepdim, take_sqrt); });
    }
    Rows r = plan(op, t, dims, keepdim);
    return dispatch_float(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        std::vector<double> mean = float_row_sums<T>(r);
        for (double& v : mean) v /= static_cast<double>(r.inner);
        const T* p = r.data.data<T>();
        const int64_t inner = r.inner;
        std::vector<double> m2 = row_totals(r.outer, inner, [&](int64_t row, int64_t b, int64_t e) {
            return reduce::block_squares(p + row * inner, b, e, mean[static_cast<size_t>(row)]);
        });
        for (double& v : m2) v = reduce::variance(v, inner, unbiased, take_sqrt);
        return from_doubles(m2, r.out_shape, t.dtype());
    });
}

// ---- min / max / argmin / argmax ------------------------------------------------------------------------

// Index of the min (IsMax false) or max of row[0..n): the first NaN, else the first index of the
// extreme (PyTorch's rule), by blocks combined in order as the GPU does (reduce_formulas.h).
template <class T, bool IsMax>
int64_t extreme_index(const T* row, int64_t n) {
    int64_t best = reduce::block_extreme<IsMax>(row, 0, std::min(n, kReduceBlock));
    for (int64_t begin = kReduceBlock; begin < n; begin += kReduceBlock) {
        const int64_t i = reduce::block_extreme<IsMax>(row, begin, std::min(n, begin + kReduceBlock));
        if (reduce::replaces<IsMax>(row[best], row[i])) best = i;
    }
    return best;
}

// values (t's dtype) and indices (int64) of the extreme of each row.
template <bool IsMax>
ValuesIndices extreme(const char* op, const Tensor& t, const std::vector<int64_t>& dims, bool keepdim) {
    const Device dev = check(op, t);
    const Layout l = layout(op, t, dims, keepdim);
    if (l.inner == 0)
        throw ShapeError(std::string(op) + ": cannot reduce over an empty dimension (input shape " +
                         shape_str(t.shape()) + ")");
    if (!dev.is_cpu()) {
        ValuesIndices out;
        if (DeviceOps* k = device_ops_for({&t}))
            if (k->extreme_rows(IsMax, rows_view(t, l), l.outer, l.inner, out.values, out.indices))
                return {out.values.reshape(l.out_shape), out.indices.reshape(l.out_shape)};
        const ValuesIndices h = extreme<IsMax>(op, host(t), dims, keepdim);
        count_through_host();
        return {h.values.to(dev), h.indices.to(dev)};
    }
    Rows r{materialize(rows_view(t, l)), l.outer, l.inner, l.out_shape};
    ValuesIndices out{Tensor::empty(r.out_shape, {t.dtype(), Device::cpu()}),
                      Tensor::empty(r.out_shape, {DType::Int64, Device::cpu()})};
    dispatch_dtype(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = r.data.data<T>();
        T* v = out.values.data<T>();
        int64_t* ix = out.indices.data<int64_t>();
        const int64_t inner = r.inner;
        parallel_for(r.outer, std::max<int64_t>(1, kElementwiseGrain / inner), [&](int64_t b0, int64_t b1) {
            for (int64_t row = b0; row < b1; ++row) {
                const int64_t i = extreme_index<T, IsMax>(p + row * inner, inner);
                ix[row] = i;
                v[row] = p[row * inner + i];
            }
        });
    });
    return out;
}

}  // namespace

// ---- public -------------------------------------------------------------------------------------------------

Tensor sum(const Tensor& t) { return sum_impl(t, {}, false); }
Tensor sum(const Tensor& t, int64_t dim, bool keepdim) { return sum_impl(t, {dim}, keepdim); }
Tensor sum(const Tensor& t, const std::vector<int64_t>& dims, bool keepdim) { return sum_impl(t, dims, keepdim); }
Tensor mean(const Tensor& t) { return mean_impl(t, {}, false); }
Tensor mean(const Tensor& t, int64_t dim, bool keepdim) { return mean_impl(t, {dim}, keepdim); }
Tensor mean(const Tensor& t, const std::vector<int64_t>& dims, bool keepdim) { return mean_impl(t, dims, keepdim); }

Tensor var(const Tensor& t, bool unbiased) { return var_impl("var", t, {}, unbiased, false, false); }
Tensor var(const Tensor& t, int64_t dim, bool unbiased, bool keepdim) {
    return var_impl("var", t, {dim}, unbiased, keepdim, false);
}
Tensor var(const Tensor& t, const std::vector<int64_t>& dims, bool unbiased, bool keepdim) {
    return var_impl("var", t, dims, unbiased, keepdim, false);
}
Tensor std(const Tensor& t, bool unbiased) { return var_impl("std", t, {}, unbiased, false, true); }
Tensor std(const Tensor& t, int64_t dim, bool unbiased, bool keepdim) {
    return var_impl("std", t, {dim}, unbiased, keepdim, true);
}
Tensor std(const Tensor& t, const std::vector<int64_t>& dims, bool unbiased, bool keepdim) {
    return var_impl("std", t, dims, unbiased, keepdim, true);
}

Tensor min(const Tensor& t) { return extreme<false>("min", t, {}, false).values; }
Tensor max(const Tensor& t) { return extreme<true>("max", t, {}, false).values; }
ValuesIndices min(const Tensor& t, int64_t dim, bool keepdim) { return extreme<false>("min", t, {dim}, keepdim); }
ValuesIndices max(const Tensor& t, int64_t dim, bool keepdim) { return extreme<true>("max", t, {dim}, keepdim); }
Tensor argmin(const Tensor& t) { return extreme<false>("argmin", t, {}, false).indices; }
Tensor argmax(const Tensor& t) { return extreme<true>("argmax", t, {}, false).indices; }
Tensor argmin(const Tensor& t, int64_t dim, bool keepdim) { return extreme<false>("argmin", t, {dim}, keepdim).indices; }
Tensor argmax(const Tensor& t, int64_t dim, bool keepdim) { return extreme<true>("argmax", t, {dim}, keepdim).indices; }

namespace {
// t as contiguous [outer, n, inner] around `dim` (a 0-dim tensor is [1, 1, 1]).
struct AroundDim {
    Tensor data;
    int64_t outer = 1, n = 1, inner = 1;
};
AroundDim around(const char* op, const Tensor& t, int64_t dim) {
    AroundDim a;
    int64_t d;
    try {
        d = wrap_dim(dim, t.dim());
    } catch (const ShapeError& e) {
        throw ShapeError(std::string(op) + ": " + e.what());
    }
    for (int64_t i = 0; i < t.dim(); ++i) {
        if (i < d) a.outer *= t.shape()[i];
        else if (i == d) a.n = t.shape()[i];
        else a.inner *= t.shape()[i];
    }
    if (t.device().is_cpu()) a.data = materialize(t);  // a device's kernel reads t itself
    return a;
}
}  // namespace

Tensor cumsum(const Tensor& t, int64_t dim) {
    const Device dev = check("cumsum", t);
    AroundDim a = around("cumsum", t, dim);
    if (!dev.is_cpu()) {
        if (DeviceOps* k = device_ops_for({&t}))
            if (Tensor r = k->cumsum(t, a.outer, a.n, a.inner); r.defined()) return r;
        return through_host(dev, [&] { return cumsum(host(t), dim); });
    }
    const int64_t outer = a.outer, n = a.n, inner = a.inner;
    if (!is_floating(t.dtype())) {
        const Tensor x = convert(a.data, DType::Int64);
        Tensor out = Tensor::empty(t.shape(), {DType::Int64, Device::cpu()});
        const int64_t* p = x.data<int64_t>();
        int64_t* o = out.data<int64_t>();
        for (int64_t r = 0; r < outer; ++r)
            for (int64_t i = 0; i < inner; ++i) {
                uint64_t acc = 0;
                for (int64_t k = 0; k < n; ++k) {
                    const int64_t at = (r * n + k) * inner + i;
                    acc += static_cast<uint64_t>(p[at]);
                    o[at] = static_cast<int64_t>(acc);
                }
            }
        return out;
    }
    Tensor out = Tensor::empty(t.shape(), {t.dtype(), Device::cpu()});
    dispatch_float(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = a.data.data<T>();
        T* o = out.data<T>();
        parallel_for(outer, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, n * inner)),
                     [&](int64_t b0, int64_t b1) {
                         std::vector<double> acc(static_cast<size_t>(inner));
                         for (int64_t r = b0; r < b1; ++r) {
                             std::fill(acc.begin(), acc.end(), 0.0);
                             for (int64_t k = 0; k < n; ++k)
                                 for (int64_t i = 0; i < inner; ++i) {
                                     const int64_t at = (r * n + k) * inner + i;
                                     acc[i] += to_double<T>(p[at]);
                                     o[at] = from_double<T>(acc[i]);
                                 }
                         }
                     });
        return 0;
    });
    return out;
}

namespace {
Tensor softmax_impl(const char* op, const Tensor& t, int64_t dim, bool log) {
    if (const Device dev = check(op, t); !dev.is_cpu()) {
        require_floating(op, t);
        DeviceOps* k = device_ops_for({&t});
        if (k && t.dim() >= 1 && dim >= -t.dim() && dim < t.dim())
            if (Tensor r = k->softmax(t, dim < 0 ? dim + t.dim() : dim, log); r.defined()) return r;
        return through_host(dev, [&] { return softmax_impl(op, host(t), dim, log); });
    }
    require_floating(op, t);
    AroundDim a = around(op, t, dim);
    const int64_t n = a.n, inner = a.inner;
    Tensor out = Tensor::empty(t.shape(), {t.dtype(), Device::cpu()});
    dispatch_float(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = a.data.data<T>();
        T* o = out.data<T>();
        // One line = the n elements (stride inner) that share (outer, inner) coordinates.
        parallel_for(a.outer * inner, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, 8 * n)),
                     [&](int64_t b0, int64_t b1) {
                         std::vector<double> e(static_cast<size_t>(n));  // exp(x - max), reused
                         for (int64_t line = b0; line < b1; ++line) {
                             const int64_t base = (line / inner) * n * inner + line % inner;
                             double mx = -std::numeric_limits<double>::infinity();
                             for (int64_t k = 0; k < n; ++k) {
                                 const double v = to_double<T>(p[base + k * inner]);
                                 if (v > mx || std::isnan(v)) mx = v;
                                 if (std::isnan(mx)) break;
                             }
                             double s = 0.0;
                             for (int64_t k = 0; k < n; ++k) {
                                 e[k] = std::exp(to_double<T>(p[base + k * inner]) - mx);
                                 s += e[k];
                             }
                             if (log) {
                                 const double ls = std::log(s);
                                 for (int64_t k = 0; k < n; ++k)
                                     o[base + k * inner] = from_double<T>(to_double<T>(p[base + k * inner]) - mx - ls);
                             } else {
                                 for (int64_t k = 0; k < n; ++k) o[base + k * inner] = from_double<T>(e[k] / s);
                             }
                         }
                     });
        return 0;
    });
    return out;
}
}  // namespace

Tensor softmax(const Tensor& t, int64_t dim) { return softmax_impl("softmax", t, dim, false); }
Tensor log_softmax(const Tensor& t, int64_t dim) { return softmax_impl("log_softmax", t, dim, true); }

}  // namespace nl
