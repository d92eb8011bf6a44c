// Reductions (sum, mean, var, std, min, max, argmin, argmax), cumsum, softmax and log_softmax.
// A reduction permutes the reduced dims to the end and copies to a contiguous [outer, inner] block,
// then reduces each row. Floating-point data accumulates in double over fixed blocks of kBlock
// elements, the block sums added in order: the result never depends on the thread count.
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "tensor/ops.h"
#include "tensor/backend.h"
#include "tensor/ops_internal.h"
#include "tensor/parallel.h"

namespace nl {
using namespace ops_detail;

namespace {

constexpr int64_t kBlock = 4096;

// t as a contiguous [outer, inner] block whose rows are the groups of elements to reduce.
struct Rows {
    Tensor data;
    int64_t outer = 1, inner = 1;
    Shape out_shape;
};

Rows plan(const char* op, const Tensor& t, const std::vector<int64_t>& dims_in, bool keepdim) {
    const int64_t rank = t.dim();
    std::vector<int64_t> dims = normalize_dims(op, dims_in, rank);
    std::vector<bool> reduced(static_cast<size_t>(rank), false);
    for (int64_t d : dims) reduced[static_cast<size_t>(d)] = true;
    Rows r;
    std::vector<int64_t> perm;
    for (int64_t d = 0; d < rank; ++d) {
        if (reduced[d]) {
            if (keepdim) r.out_shape.push_back(1);
        } else {
            perm.push_back(d);
            r.outer *= t.shape()[d];
            r.out_shape.push_back(t.shape()[d]);
        }
    }
    for (int64_t d = 0; d < rank; ++d)
        if (reduced[d]) {
            perm.push_back(d);
            r.inner *= t.shape()[d];
        }
    r.data = materialize(rank == 0 ? t : permute(t, perm));
    return r;
}

// The input's device (see op_device), after checking it is defined.
Device check(const char* op, const Tensor& t) {
    const Device dev = op_device(op, {&t});
    require_defined(op, t, "input");
    return dev;
}

// Per-row double totals of block_fn(row, begin, end) over blocks of kBlock, added in block order.
// Work items (row, block) run in parallel; the combination is sequential, so it is deterministic.
template <class F>
std::vector<double> row_totals(int64_t outer, int64_t inner, F block_fn) {
    const int64_t nblocks = inner == 0 ? 0 : (inner + kBlock - 1) / kBlock;
    std::vector<double> partial(static_cast<size_t>(outer * nblocks));
    const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, std::min(inner, kBlock)));
    parallel_for(outer * nblocks, grain, [&](int64_t b0, int64_t b1) {
        for (int64_t item = b0; item < b1; ++item) {
            const int64_t row = item / nblocks, blk = item % nblocks;
            const int64_t begin = blk * kBlock, end = std::min(inner, begin + kBlock);
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
    return row_totals(r.outer, inner, [&](int64_t row, int64_t b, int64_t e) {
        const T* q = p + row * inner;
        double s = 0.0;
        for (int64_t i = b; i < e; ++i) s += to_double<T>(q[i]);
        return s;
    });
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
    if (const Device dev = check("mean", t); !dev.is_cpu())
        return through_host(dev, [&] { return mean_impl(host(t), dims, keepdim); });
    require_floating("mean", t);
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
    if (const Device dev = check(op, t); !dev.is_cpu())
        return through_host(dev, [&] { return var_impl(op, host(t), dims, unbiased, keepdim, take_sqrt); });
    require_floating(op, t);
    Rows r = plan(op, t, dims, keepdim);
    return dispatch_float(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        std::vector<double> mean = float_row_sums<T>(r);
        for (double& v : mean) v /= static_cast<double>(r.inner);
        const T* p = r.data.data<T>();
        const int64_t inner = r.inner;
        std::vector<double> m2 = row_totals(r.outer, inner, [&](int64_t row, int64_t b, int64_t e) {
            const T* q = p + row * inner;
            const double mu = mean[static_cast<size_t>(row)];
            double s = 0.0;
            for (int64_t i = b; i < e; ++i) {
                const double d = to_double<T>(q[i]) - mu;
                s += d * d;
            }
            return s;
        });
        // PyTorch divides by max(0, n - correction): n <= correction gives 0/0 or x/0.
        const double denom = std::max(0.0, static_cast<double>(inner) - (unbiased ? 1.0 : 0.0));
        for (double& v : m2) {
            v = v / denom;
            if (take_sqrt) v = std::sqrt(v);
        }
        return from_doubles(m2, r.out_shape, t.dtype());
    });
}

// ---- min / max / argmin / argmax ------------------------------------------------------------------------

template <class T>
using cmp_t = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;

// Index of the min (IsMax false) or max of p[0..n) with stride 1: first index among ties; a NaN
// wins (the first NaN), as in PyTorch.
template <class T, bool IsMax>
int64_t extreme_index(const T* p, int64_t n) {
    using V = cmp_t<T>;
    V best = static_cast<V>(p[0]);
    int64_t idx = 0;
    if constexpr (std::is_floating_point_v<V>) {
        if (std::isnan(best)) return 0;
    }
    for (int64_t i = 1; i < n; ++i) {
        const V v = static_cast<V>(p[i]);
        if constexpr (std::is_floating_point_v<V>) {
            if (std::isnan(v)) return i;
        }
        if (IsMax ? v > best : v < best) {
            best = v;
            idx = i;
        }
    }
    return idx;
}

// values (t's dtype) and indices (int64) of the extreme of each row.
template <bool IsMax>
ValuesIndices extreme(const char* op, const Tensor& t, const std::vector<int64_t>& dims, bool keepdim) {
    if (const Device dev = check(op, t); !dev.is_cpu()) {
        const ValuesIndices h = extreme<IsMax>(op, host(t), dims, keepdim);
        return {h.values.to(dev), h.indices.to(dev)};
    }
    Rows r = plan(op, t, dims, keepdim);
    if (r.inner == 0)
        throw ShapeError(std::string(op) + ": cannot reduce over an empty dimension (input shape " +
                         shape_str(t.shape()) + ")");
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
    a.data = materialize(t);
    return a;
}
}  // namespace

Tensor cumsum(const Tensor& t, int64_t dim) {
    if (const Device dev = check("cumsum", t); !dev.is_cpu())
        return through_host(dev, [&] { return cumsum(host(t), dim); });
    AroundDim a = around("cumsum", t, dim);
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
