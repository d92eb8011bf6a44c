// Indexing, joining and reshaping: index_select, t[index], gather, embedding, cat, stack, flip,
// permute, repeat, masked_fill. These move elements without arithmetic, so most work on raw bytes
// and support every dtype.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "tensor/ops.h"
#include "tensor/backend.h"
#include "tensor/ops_internal.h"
#include "tensor/parallel.h"

namespace nl {
using namespace ops_detail;

namespace {

void require_index_dtype(const char* op, const Tensor& index) {
    if (index.dtype() != DType::Int64 && index.dtype() != DType::Int32)
        throw DTypeError(std::string(op) + ": index must be an integer tensor, got " + dtype_name(index.dtype()) +
                         " (valid: int64, int32)");
}

// The index values as int64, each checked against size (negatives wrap when allowed).
std::vector<int64_t> checked_indices(const char* op, const Tensor& index, int64_t size, bool allow_negative,
                                     int64_t dim) {
    std::vector<int64_t> v = materialize(convert(index, DType::Int64)).to_int_vector();
    for (int64_t& i : v) {
        const int64_t lo = allow_negative ? -size : 0;
        if (i < lo || i >= size)
            throw ShapeError(std::string(op) + ": index " + std::to_string(i) + " is out of bounds for dimension " +
                             std::to_string(dim) + " with size " + std::to_string(size) + " (valid: [" +
                             std::to_string(lo) + ", " + std::to_string(size - 1) + "])");
        if (i < 0) i += size;
    }
    return v;
}

// out[o, j, :] = t[o, idx[j], :] over t viewed as contiguous [outer, n, inner] (bytes).
Tensor take_along(const Tensor& t, int64_t dim, const std::vector<int64_t>& idx, Shape out_shape) {
    const Tensor tc = materialize(t);
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < t.dim(); ++d) {
        if (d < dim) outer *= t.shape()[d];
        if (d > dim) inner *= t.shape()[d];
    }
    const int64_t n = t.shape()[dim], m = static_cast<int64_t>(idx.size());
    Tensor out = Tensor::empty(out_shape, {t.dtype(), Device::cpu()});
    const size_t row = static_cast<size_t>(inner) * t.element_size();
    const char* src = static_cast<const char*>(tc.data_ptr());
    char* dst = static_cast<char*>(out.data_ptr());
    if (out.numel() == 0) return out;
    parallel_for(outer * m, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, inner)),
                 [&](int64_t b0, int64_t b1) {
                     for (int64_t k = b0; k < b1; ++k) {
                         const int64_t o = k / m, j = k % m;
                         std::memcpy(dst + static_cast<size_t>(k) * row,
                                     src + static_cast<size_t>(o * n + idx[static_cast<size_t>(j)]) * row, row);
                     }
                 });
    return out;
}

}  // namespace

Tensor index_select(const Tensor& t, int64_t dim, const Tensor& index) {
    const char* op = "index_select";
    const Device dev = op_device(op, {&t, &index});
    require_defined(op, t, "input");
    require_defined(op, index, "index");
    require_index_dtype(op, index);
    if (t.dim() == 0) throw ShapeError("index_select: input must have at least 1 dimension, got a 0-dim tensor");
    if (index.dim() > 1)
        throw ShapeError("index_select: index must be 1-D or 0-dim, got shape " + shape_str(index.shape()));
    int64_t d;
    try {
        d = wrap_dim(dim, t.dim());
    } catch (const ShapeError& e) {
        throw ShapeError(std::string(op) + ": " + e.what());
    }
    // Checked on the host on every device: a device kernel trusts its indices.
    const std::vector<int64_t> idx = checked_indices(op, host(index), t.shape()[d], false, d);
    if (!dev.is_cpu())
        if (DeviceOps* k = device_ops_for({&t, &index}))
            if (Tensor r = k->index_select(t, d, index); r.defined()) return r;
    Shape s = t.shape();
    s[d] = static_cast<int64_t>(idx.size());
    if (!dev.is_cpu()) return through_host(dev, [&] { return take_along(host(t), d, idx, s); });
    return take_along(t, d, idx, s);
}

Tensor index(const Tensor& t, const Tensor& index) {
    const char* op = "index";
    const Device dev = op_device(op, {&t, &index});
    require_defined(op, t, "input");
    require_defined(op, index, "index");
    require_index_dtype(op, index);
    if (t.dim() == 0) throw ShapeError("index: cannot index a 0-dim tensor");
    const std::vector<int64_t> idx = checked_indices(op, host(index), t.shape()[0], true, 0);
    Shape s = index.shape();
    s.insert(s.end(), t.shape().begin() + 1, t.shape().end());
    Shape flat = t.shape();
    flat[0] = static_cast<int64_t>(idx.size());
    if (!dev.is_cpu()) {
        // The device's index_select with the wrapped indices (checked above, one upload).
        if (DeviceOps* k = device_ops_for({&t, &index})) {
            Tensor wrapped = Tensor::empty({static_cast<int64_t>(idx.size())}, {DType::Int64, Device::cpu()});
            std::copy(idx.begin(), idx.end(), wrapped.data<int64_t>());
            if (Tensor r = k->index_select(t, 0, wrapped.to(dev)); r.defined()) return r.view(s);
        }
        return through_host(dev, [&] { return take_along(host(t), 0, idx, flat).view(s); });
    }
    return take_along(t, 0, idx, flat).view(s);
}

Tensor embedding(const Tensor& indices, const Tensor& weight) {
    const char* op = "embedding";
    const Device dev = op_device(op, {&indices, &weight});
    require_defined(op, indices, "indices");
    require_defined(op, weight, "weight");
    require_index_dtype(op, indices);
    if (weight.dim() != 2)
        throw ShapeError("embedding: weight must be 2-D [num_embeddings, embedding_dim], got shape " +
                         shape_str(weight.shape()));
    // Checked on the host on every device: a device kernel trusts its indices.
    const std::vector<int64_t> idx = checked_indices(op, host(indices), weight.size(0), false, 0);
    Shape s = indices.shape();
    s.push_back(weight.size(1));
    if (!dev.is_cpu()) {
        // Rows of weight: the device's index_select over the flattened indices.
        if (DeviceOps* k = device_ops_for({&indices, &weight}))
            if (Tensor r = k->index_select(weight, 0, indices.reshape({indices.numel()})); r.defined()) return r.view(s);
        return through_host(dev, [&] { return embedding(host(indices), host(weight)); });
    }
    return take_along(weight, 0, idx, {static_cast<int64_t>(idx.size()), weight.size(1)}).view(s);
}

Tensor gather(const Tensor& t, int64_t dim, const Tensor& index) {
    const char* op = "gather";
    const Device dev = op_device(op, {&t, &index});
    require_defined(op, t, "input");
    require_defined(op, index, "index");
    require_index_dtype(op, index);
    if (index.dim() != t.dim())
        throw ShapeError("gather: index shape " + shape_str(index.shape()) + " must have as many dims as input shape " +
                         shape_str(t.shape()));
    int64_t d;
    try {
        d = wrap_dim(dim, t.dim());
    } catch (const ShapeError& e) {
        throw ShapeError(std::string(op) + ": " + e.what());
    }
    for (int64_t i = 0; i < t.dim(); ++i)
        if (i != d && index.shape()[i] > t.shape()[i])
            throw ShapeError("gather: index shape " + shape_str(index.shape()) + " is larger than input shape " +
                             shape_str(t.shape()) + " at dimension " + std::to_string(i));
    const int64_t size = t.dim() == 0 ? 1 : t.shape()[d];
    if (!dev.is_cpu()) {
        // The indices checked and wrapped on the host, as index_select's (a kernel trusts them),
        // then the device's gather.
        if (DeviceOps* k = t.dim() > 0 ? device_ops_for({&t, &index}) : nullptr) {
            const std::vector<int64_t> v = checked_indices(op, host(index), size, true, d);
            Tensor wrapped = Tensor::empty(index.shape(), {DType::Int64, Device::cpu()});
            std::copy(v.begin(), v.end(), wrapped.data<int64_t>());
            if (Tensor r = k->gather(t, d, wrapped.to(dev)); r.defined()) return r;
        }
        return through_host(dev, [&] { return gather(host(t), dim, host(index)); });
    }
    const int64_t dstride = t.dim() == 0 ? 0 : t.strides()[d];
    const Tensor idx = materialize(convert(index, DType::Int64));
    Tensor out = Tensor::empty(index.shape(), {t.dtype(), Device::cpu()});
    if (out.numel() == 0) return out;
    // Walk index's shape; t's stride along dim is replaced by the index value.
    Shape s = index.shape();
    std::vector<int64_t> tst = t.strides();
    if (t.dim() > 0) tst[d] = 0;
    std::array<std::vector<int64_t>, 1> st{tst};
    const int64_t* pi = idx.data<int64_t>();
    const size_t es = t.element_size();
    const char* src = static_cast<const char*>(t.data_ptr());
    char* dst = static_cast<char*>(out.data_ptr());
    for_each_run<1>(s, st, 0, out.numel(), [&](int64_t pos, const auto& off, const auto& in, int64_t n) {
        for (int64_t i = 0; i < n; ++i) {
            int64_t v = pi[pos + i];
            if (v < -size || v >= size)
                throw ShapeError("gather: index " + std::to_string(v) + " is out of bounds for dimension " +
                                 std::to_string(d) + " with size " + std::to_string(size) + " (valid: [" +
                                 std::to_string(-size) + ", " + std::to_string(size - 1) + "])");
            if (v < 0) v += size;
            std::memcpy(dst + static_cast<size_t>(pos + i) * es,
                        src + static_cast<ptrdiff_t>((off[0] + i * in[0] + v * dstride) * static_cast<int64_t>(es)), es);
        }
    });
    return out;
}

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
    const char* op = "cat";
    if (tensors.empty()) throw ValueError("cat: expected a non-empty list of tensors");
    for (const Tensor& t : tensors) op_device(op, {&t, &tensors.front()});
    const Device dev = tensors.front().defined() ? tensors.front().device() : Device::cpu();
    for (const Tensor& t : tensors) require_defined(op, t, "an input");
    DType dtype = tensors.front().dtype();
    for (const Tensor& t : tensors) dtype = promote_types(dtype, t.dtype());
    // Legacy rule: 1-D empty tensors are skipped whatever the other shapes.
    std::vector<const Tensor*> parts;
    for (const Tensor& t : tensors)
        if (!(t.dim() == 1 && t.numel() == 0)) parts.push_back(&t);
    if (parts.empty()) return Tensor::empty({0}, {dtype, dev});
    const Tensor& ref = *parts.front();
    if (ref.dim() == 0) throw ShapeError("cat: zero-dimensional tensors cannot be concatenated; use stack()");
    int64_t d;
    try {
        d = wrap_dim(dim, ref.dim());
    } catch (const ShapeError& e) {
        throw ShapeError(std::string(op) + ": " + e.what());
    }
    Shape out_shape = ref.shape();
    out_shape[d] = 0;
    for (const Tensor* t : parts) {
        bool ok = t->dim() == ref.dim();
        for (int64_t i = 0; ok && i < ref.dim(); ++i) ok = i == d || t->shape()[i] == ref.shape()[i];
        if (!ok)
            throw ShapeError("cat: shapes " + shape_str(ref.shape()) + " and " + shape_str(t->shape()) +
                             " must match except in dimension " + std::to_string(d));
        out_shape[d] += t->shape()[d];
    }
    if (!dev.is_cpu()) {
        // Checked above on the shapes alone. The device copies bytes, every part in the result
        // dtype (converted on the device where promotion asks for it, as convert() below).
        if (DeviceOps* k = device_ops_for({&ref})) {
            std::vector<Tensor> ps;
            for (const Tensor* t : parts) ps.push_back(t->to(dtype));
            if (Tensor r = k->cat(ps, d, out_shape); r.defined()) return r;
        }
        return through_host(dev, [&] { return cat(host(tensors), dim); });
    }
    Tensor out = Tensor::empty(out_shape, {dtype, Device::cpu()});
    if (out.numel() == 0) return out;
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < ref.dim(); ++i) {
        if (i < d) outer *= ref.shape()[i];
        if (i > d) inner *= ref.shape()[i];
    }
    const size_t es = dtype_size(dtype);
    const size_t out_row = static_cast<size_t>(out_shape[d] * inner) * es;
    char* dst = static_cast<char*>(out.data_ptr());
    size_t col = 0;
    for (const Tensor* t : parts) {
        const Tensor tc = materialize(convert(*t, dtype));
        const size_t row = static_cast<size_t>(t->shape()[d] * inner) * es;
        const char* src = static_cast<const char*>(tc.data_ptr());
        for (int64_t o = 0; o < outer; ++o)
            std::memcpy(dst + static_cast<size_t>(o) * out_row + col, src + static_cast<size_t>(o) * row, row);
        col += row;
    }
    return out;
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
    if (tensors.empty()) throw ValueError("stack: expected a non-empty list of tensors");
    const Tensor& ref = tensors.front();
    require_defined("stack", ref, "an input");
    int64_t d;
    try {
        d = wrap_dim(dim, ref.dim() + 1);
    } catch (const ShapeError& e) {
        throw ShapeError(std::string("stack: ") + e.what());
    }
    std::vector<Tensor> parts;
    for (const Tensor& t : tensors) {
        op_device("stack", {&t, &ref});  // cat below works on any device; views need no dispatch
        require_defined("stack", t, "an input");
        if (t.shape() != ref.shape())
            throw ShapeError("stack: expected every tensor to have the same shape, got " + shape_str(ref.shape()) +
                             " and " + shape_str(t.shape()));
        parts.push_back(t.unsqueeze(d));
    }
    return cat(parts, d);
}

Tensor flip(const Tensor& t, const std::vector<int64_t>& dims) {
    const Device dev = op_device("flip", {&t});
    require_defined("flip", t, "input");
    if (dims.empty()) return t.clone();
    const std::vector<int64_t> ds = normalize_dims("flip", dims, t.dim());
    std::vector<int64_t> st = t.strides();
    int64_t offset = t.storage_offset();
    for (int64_t d : ds) {
        if (t.shape()[d] == 0) continue;
        offset += (t.shape()[d] - 1) * st[d];
        st[d] = -st[d];
    }
    const Tensor v = make_view(t, t.shape(), st, offset);
    // On a device the device copies the view (Tensor::clone: DeviceOps::contiguous, negative
    // strides read backwards).
    if (!dev.is_cpu()) return v.clone();
    Tensor out = materialize(v);
    return out.storage() == t.storage() ? t.clone() : out;  // never alias the input
}

Tensor permute(const Tensor& t, const std::vector<int64_t>& dims) {
    // A view: no data is touched, so it is the same on every device.
    require_defined("permute", t, "input");
    if (static_cast<int64_t>(dims.size()) != t.dim())
        throw ShapeError("permute: got " + std::to_string(dims.size()) + " dims for a tensor of shape " +
                         shape_str(t.shape()) + " (need " + std::to_string(t.dim()) + ")");
    if (t.dim() == 0) return make_view(t, {}, {}, t.storage_offset());
    const std::vector<int64_t> ds = normalize_dims("permute", dims, t.dim());
    Shape s;
    std::vector<int64_t> st;
    for (int64_t d : ds) {
        s.push_back(t.shape()[d]);
        st.push_back(t.strides()[d]);
    }
    return make_view(t, s, st, t.storage_offset());
}

Tensor repeat(const Tensor& t, const std::vector<int64_t>& repeats) {
    const Device dev = op_device("repeat", {&t});
    require_defined("repeat", t, "input");
    const size_t r = repeats.size();
    if (static_cast<int64_t>(r) < t.dim())
        throw ShapeError("repeat: got " + std::to_string(r) + " repeats for a tensor of shape " + shape_str(t.shape()) +
                         "; need at least one per dimension (" + std::to_string(t.dim()) + ")");
    for (int64_t v : repeats)
        if (v < 0) throw ValueError("repeat: repeats must be >= 0, got " + std::to_string(v));
    Shape xs(r - static_cast<size_t>(t.dim()), 1);
    xs.insert(xs.end(), t.shape().begin(), t.shape().end());
    const Tensor x = (dev.is_cpu() ? materialize(t) : t.contiguous()).view(xs);
    // View x as [rep0, xs0, rep1, xs1, ...] with stride 0 over the repeats, then copy.
    Shape vs, out;
    std::vector<int64_t> st;
    for (size_t d = 0; d < r; ++d) {
        vs.push_back(repeats[d]);
        st.push_back(0);
        vs.push_back(xs[d]);
        st.push_back(x.strides()[d]);
        out.push_back(repeats[d] * xs[d]);
    }
    shape_numel(out);  // throws on overflow before allocating
    const Tensor v = make_view(x, vs, st, x.storage_offset());
    Tensor c = dev.is_cpu() ? materialize(v) : v.clone();  // on a device: Tensor::clone's copy
    if (c.storage() == t.storage()) c = c.clone();
    return c.view(out);
}

Tensor masked_fill(const Tensor& t, const Tensor& mask, Scalar value) {
    const char* op = "masked_fill";
    const Device dev = op_device(op, {&t, &mask});
    require_defined(op, t, "input");
    require_defined(op, mask, "mask");
    if (mask.dtype() != DType::Bool)
        throw DTypeError(std::string("masked_fill: mask must be bool, got ") + dtype_name(mask.dtype()) +
                         " (valid: bool)");
    Shape b;
    try {
        b = broadcast_shapes(t.shape(), mask.shape());
    } catch (const ShapeError&) {
        b.clear();
    }
    if (b != t.shape())
        throw ShapeError("masked_fill: mask shape " + shape_str(mask.shape()) + " cannot be broadcast to input shape " +
                         shape_str(t.shape()));
    if (!is_floating(t.dtype()) && value.is_floating() && !std::isfinite(value.to_double()))
        throw ValueError("masked_fill: value " + value.str() + " cannot be stored in a " + dtype_name(t.dtype()) +
                         " tensor");
    if (t.numel() == 0) return t.clone();
    Tensor v;
    try {
        v = scalar_tensor(value, t.dtype());
    } catch (const ValueError& e) {
        throw ValueError(std::string(op) + ": " + e.what());
    }
    if (!dev.is_cpu()) {
        // where(mask, value, t) on the device: the value stored in t's dtype as below, one upload.
        if (DeviceOps* k = device_ops_for({&t, &mask}))
            if (Tensor r = k->where(mask, v.to(dev), t); r.defined()) return r;
        return through_host(dev, [&] { return masked_fill(host(t), host(mask), value); });
    }
    Tensor out = materialize(t);
    if (out.storage() == t.storage()) out = t.clone();
    Shape s = t.shape();
    std::array<std::vector<int64_t>, 1> st{broadcast_strides(mask, t.shape())};
    const bool* pm = mask.data<bool>();
    const size_t es = t.element_size();
    const char* pv = static_cast<const char*>(v.data_ptr());
    char* po = static_cast<char*>(out.data_ptr());
    for_each_run<1>(s, st, 0, out.numel(), [&](int64_t pos, const auto& off, const auto& in, int64_t n) {
        for (int64_t i = 0; i < n; ++i)
            if (pm[off[0] + i * in[0]]) std::memcpy(po + static_cast<size_t>(pos + i) * es, pv, es);
    });
    return out;
}

}  // namespace nl
