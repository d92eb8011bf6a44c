// Type promotion (torch.promote_types / torch.result_type), Scalar, the per-op device dispatch and the
// small helpers every ops_*.cpp file shares.
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <ostream>
#include <type_traits>

#include "tensor/ops.h"
#include "tensor/ops_internal.h"
#include "tensor/parallel.h"

namespace nl {

int64_t Scalar::to_int() const {
    if (kind_ != Kind::Float) return i_;
    if (std::isnan(d_)) return 0;
    if (d_ >= 0x1p63) return std::numeric_limits<int64_t>::max();
    if (d_ < -0x1p63) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(d_);
}

std::string Scalar::str() const {
    switch (kind_) {
        case Kind::Bool: return i_ ? "true" : "false";
        case Kind::Int: return std::to_string(i_);
        case Kind::Float: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.17g", d_);
            return buf;
        }
    }
    return "?";
}

namespace {
// Rank within a category: bool < uint8 < int32 < int64; (float16 | bfloat16) < float32 < float64.
int int_rank(DType d) {
    switch (d) {
        case DType::Bool: return 0;
        case DType::UInt8: return 1;
        case DType::Int32: return 2;
        default: return 3;
    }
}
int float_rank(DType d) {
    switch (d) {
        case DType::Float16:
        case DType::BFloat16: return 1;
        case DType::Float32: return 2;
        default: return 3;
    }
}
}  // namespace

DType promote_types(DType a, DType b) {
    if (a == b) return a;
    const bool fa = is_floating(a), fb = is_floating(b);
    if (fa && fb) {
        // float16 with bfloat16: neither holds the other, float32 holds both.
        if (float_rank(a) == 1 && float_rank(b) == 1) return DType::Float32;
        return float_rank(a) >= float_rank(b) ? a : b;
    }
    if (fa) return a;
    if (fb) return b;
    return int_rank(a) >= int_rank(b) ? a : b;
}

DType scalar_dtype(Scalar s) {
    switch (s.kind()) {
        case Scalar::Kind::Bool: return DType::Bool;
        case Scalar::Kind::Int: return DType::Int64;
        case Scalar::Kind::Float: return DType::Float32;
    }
    return DType::Float32;
}

namespace {
// torch.result_type keeps three running results: dimensioned tensors, 0-dim tensors and wrapped
// numbers (Scalars); a lower class only matters when it is of a higher category.
struct ResultState {
    std::optional<DType> dim, zero, wrapped;
};
std::optional<DType> promote_opt(std::optional<DType> a, std::optional<DType> b) {
    if (!a) return b;
    if (!b) return a;
    return promote_types(*a, *b);
}
std::optional<DType> combine_categories(std::optional<DType> higher, std::optional<DType> lower) {
    if (higher && is_floating(*higher)) return higher;
    if ((higher && *higher == DType::Bool) || (lower && is_floating(*lower))) return promote_opt(higher, lower);
    return higher ? higher : lower;
}
void update(ResultState& s, const Tensor& t) {
    if (t.dim() > 0) s.dim = promote_opt(s.dim, t.dtype());
    else s.zero = promote_opt(s.zero, t.dtype());
}
DType finish(const ResultState& s) {
    return *combine_categories(s.dim, combine_categories(s.zero, s.wrapped));
}
}  // namespace

DType result_type(const Tensor& a, const Tensor& b) {
    ResultState s;
    update(s, a);
    update(s, b);
    return finish(s);
}

DType result_type(const Tensor& a, Scalar b) {
    ResultState s;
    update(s, a);
    s.wrapped = scalar_dtype(b);
    return finish(s);
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.str(); }

namespace ops_detail {

DType result_type_scalars(const Tensor& t, std::initializer_list<Scalar> scalars) {
    ResultState s;
    update(s, t);
    for (const Scalar& v : scalars) s.wrapped = promote_opt(s.wrapped, scalar_dtype(v));
    return finish(s);
}

Device op_device(const char* op, std::initializer_list<const Tensor*> tensors) {
    const Tensor* first = nullptr;
    for (const Tensor* t : tensors) {
        if (!t->defined()) continue;
        if (first && first->device() != t->device())
            throw DeviceError(std::string(op) + ": expected all tensors on the same device, got " +
                              first->device().str() + " and " + t->device().str());
        if (!first) first = t;
    }
    return first ? first->device() : Device::cpu();
}

namespace {
std::atomic<int64_t> g_through_host_calls{0};
}  // namespace
int64_t through_host_calls() { return g_through_host_calls.load(std::memory_order_relaxed); }
void count_through_host() { g_through_host_calls.fetch_add(1, std::memory_order_relaxed); }

Tensor host(const Tensor& t) { return t.defined() && !t.device().is_cpu() ? t.cpu() : t; }

std::vector<Tensor> host(const std::vector<Tensor>& ts) {
    std::vector<Tensor> out;
    out.reserve(ts.size());
    for (const Tensor& t : ts) out.push_back(host(t));
    return out;
}

void require_defined(const char* op, const Tensor& t, const char* what) {
    if (!t.defined()) throw ValueError(std::string(op) + ": " + what + " is an undefined tensor");
}

DType compute_dtype(DType d) {
    switch (d) {
        case DType::Float32:
        case DType::Float16:
        case DType::BFloat16: return DType::Float32;
        case DType::Float64: return DType::Float64;
        default: return DType::Int64;
    }
}

std::string dtype_list(std::initializer_list<DType> ds) {
    std::string s;
    for (DType d : ds) {
        if (!s.empty()) s += ", ";
        s += dtype_name(d);
    }
    return s;
}

void require_floating(const char* op, const Tensor& t) {
    if (!is_floating(t.dtype()))
        throw DTypeError(std::string(op) + ": expected a floating-point tensor, got " + dtype_name(t.dtype()) +
                         " (valid: " +
                         dtype_list({DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) + ")");
}

std::vector<int64_t> broadcast_strides(const Tensor& t, const Shape& shape) {
    std::vector<int64_t> st(shape.size(), 0);
    const size_t lead = shape.size() - t.shape().size();
    for (size_t d = 0; d < t.shape().size(); ++d)
        st[lead + d] = (t.shape()[d] == 1 && shape[lead + d] != 1) ? 0 : t.strides()[d];
    return st;
}

namespace {
template <class T>
constexpr bool is_int_like = std::is_integral_v<T>;  // bool included
}  // namespace

Tensor convert(const Tensor& t, DType d) {
    if (t.dtype() == d) return t;
    const bool int_to_int = (is_integral(t.dtype()) || t.dtype() == DType::Bool) &&
                            (is_integral(d) || d == DType::Bool);
    if (!int_to_int) return t.to(d);
    Tensor out = Tensor::empty(t.shape(), {d, Device::cpu()});
    Shape shape = t.shape();
    std::array<std::vector<int64_t>, 1> st{t.strides()};
    collapse_dims(shape, st);
    const char* src = static_cast<const char*>(t.data_ptr());
    char* dst = static_cast<char*>(out.data_ptr());
    dispatch_dtype(t.dtype(), [&](auto stag) {
        using S = decltype(stag);
        dispatch_dtype(d, [&](auto dtag) {
            using D = decltype(dtag);
            if constexpr (is_int_like<S> && is_int_like<D>) {
                const S* s = reinterpret_cast<const S*>(src);
                D* o = reinterpret_cast<D*>(dst);
                for_each_run<1>(shape, st, 0, t.numel(), [&](int64_t pos, auto off, auto inner, int64_t n) {
                    for (int64_t i = 0; i < n; ++i) {
                        const S v = s[off[0] + i * inner[0]];
                        // Through float (exact for "is it zero" of any integer): clang 14 checks
                        // this line for S = Half too, where `v != 0` does not compile.
                        if constexpr (std::is_same_v<D, bool>) o[pos + i] = static_cast<float>(v) != 0.0f;
                        else o[pos + i] = static_cast<D>(v);  // modular for unsigned/narrower types
                    }
                });
            }
        });
    });
    return out;
}

namespace {
template <class W>
void copy_strided(const Tensor& t, Tensor& out) {
    Shape shape = t.shape();
    std::array<std::vector<int64_t>, 1> st{t.strides()};
    collapse_dims(shape, st);
    const W* src = static_cast<const W*>(t.data_ptr());
    W* dst = static_cast<W*>(out.data_ptr());
    parallel_for(t.numel(), kElementwiseGrain * 4, [&](int64_t b0, int64_t b1) {
        for_each_run<1>(shape, st, b0, b1, [&](int64_t pos, const auto& off, const auto& in, int64_t n) {
            const W* s = src + off[0];
            W* d = dst + pos;
            if (in[0] == 1) std::memcpy(d, s, static_cast<size_t>(n) * sizeof(W));
            else for (int64_t i = 0; i < n; ++i) d[i] = s[i * in[0]];
        });
    });
}
}  // namespace

Tensor materialize(const Tensor& t) {
    if (t.is_contiguous()) return t;
    Tensor out = Tensor::empty(t.shape(), {t.dtype(), Device::cpu()});
    if (out.numel() == 0) return out;
    switch (t.element_size()) {
        case 1: copy_strided<uint8_t>(t, out); break;
        case 2: copy_strided<uint16_t>(t, out); break;
        case 4: copy_strided<uint32_t>(t, out); break;
        default: copy_strided<uint64_t>(t, out); break;
    }
    return out;
}

std::vector<int64_t> normalize_dims(const char* op, const std::vector<int64_t>& dims, int64_t rank) {
    std::vector<int64_t> out;
    if (dims.empty()) {
        for (int64_t d = 0; d < rank; ++d) out.push_back(d);
        return out;
    }
    std::vector<bool> seen(static_cast<size_t>(std::max<int64_t>(rank, 1)), false);
    for (int64_t d : dims) {
        int64_t w;
        try {
            w = wrap_dim(d, rank);
        } catch (const ShapeError& e) {
            throw ShapeError(std::string(op) + ": " + e.what());
        }
        if (seen[static_cast<size_t>(w)])
            throw ShapeError(std::string(op) + ": dim " + std::to_string(d) + " appears more than once in the dims");
        seen[static_cast<size_t>(w)] = true;
        if (rank > 0) out.push_back(w);  // a 0-dim tensor accepts dim 0 / -1 and has nothing to reduce
    }
    return out;
}

Tensor scalar_tensor(Scalar s, DType d) {
    Tensor t = Tensor::empty({}, {d, Device::cpu()});
    dispatch_dtype(d, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, bool>) *t.data<T>() = s.to_double() != 0.0;
        else if constexpr (std::is_integral_v<T>) {
            // A floating value into an integer dtype truncates, as torch casts; out of range or
            // NaN has no defined result, so it is refused.
            const double v = s.to_double();
            if (s.is_floating() && !(v > static_cast<double>(std::numeric_limits<T>::min()) - 1.0 &&
                                     v < static_cast<double>(std::numeric_limits<T>::max()) + 1.0))
                throw ValueError("value " + s.str() + " cannot be stored in a " + dtype_name(d) +
                                 " tensor (valid: [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
                                 std::to_string(std::numeric_limits<T>::max()) + "])");
            *t.data<T>() = static_cast<T>(s.to_int());
        } else {
            *t.data<T>() = from_double<T>(s.to_double());
        }
    });
    return t;
}

}  // namespace ops_detail
}  // namespace nl
