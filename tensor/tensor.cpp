#include "tensor/tensor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <limits>

#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/memory.h"
#include "tensor/ops_internal.h"

namespace nl {

// ---- shapes -------------------------------------------------------------------------------------
std::string shape_str(const Shape& s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(s[i]);
    }
    return out + "]";
}

int64_t shape_numel(const Shape& s) {
    int64_t n = 1;
    for (int64_t d : s) {
        if (d < 0)
            throw ShapeError("negative size " + std::to_string(d) + " in shape " + shape_str(s) +
                             "; sizes must be >= 0");
        if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
            throw ShapeError("shape " + shape_str(s) + " has more than 2^63 elements");
        n *= d;
    }
    return n;
}

void check_allocation(const Shape& s, DType dtype, Device device) {
    const int64_t n = shape_numel(s);
    const size_t esize = dtype_size(dtype);
    if (n > 0 && static_cast<uint64_t>(n) > std::numeric_limits<uint64_t>::max() / 2 / esize)
        throw MemoryError("shape " + shape_str(s) + " of " + dtype_name(dtype) +
                          " would need more than 2^63 bytes");
    const uint64_t bytes = static_cast<uint64_t>(n) * esize;
    // Asking the OS (or the driver) costs tens of microseconds; requests below 16 MiB cannot
    // meaningfully exhaust a machine, so only larger ones are checked against what is available.
    constexpr uint64_t kCheckAbove = uint64_t(16) << 20;
    if (bytes < kCheckAbove) return;
    const uint64_t avail = available_memory(device);
    if (bytes > avail)
        throw MemoryError("shape " + shape_str(s) + " of " + dtype_name(dtype) + " needs " +
                          format_bytes(bytes) + " but " + device.str() + " has " +
                          format_bytes(avail) + " available");
}

std::vector<int64_t> contiguous_strides(const Shape& shape) {
    std::vector<int64_t> st(shape.size());
    int64_t acc = 1;
    for (size_t i = shape.size(); i-- > 0;) {
        st[i] = acc;
        // A shape with a zero size has no elements, so shape_numel passes it, yet the other sizes'
        // product (the strides, zeros counted as 1) can still pass 2^63: (2^40, 0, 2^40, 2^40).
        if (i > 0 && __builtin_mul_overflow(acc, std::max<int64_t>(shape[i], 1), &acc))
            throw ShapeError("shape " + shape_str(shape) + ": its sizes (zeros counted as 1) multiply to more than 2^63, "
                             "so its strides do not fit in int64");
    }
    return st;
}

int64_t wrap_dim(int64_t dim, int64_t rank) {
    const int64_t r = std::max<int64_t>(rank, 1);
    if (dim < -r || dim >= r)
        throw ShapeError("dimension " + std::to_string(dim) + " out of range: expected it in [" +
                         std::to_string(-r) + ", " + std::to_string(r - 1) + "]");
    return dim < 0 ? dim + r : dim;
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
    const size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (size_t i = 0; i < n; ++i) {
        const int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
        const int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
        if (da != db && da != 1 && db != 1)
            throw ShapeError("shapes " + shape_str(a) + " and " + shape_str(b) +
                             " cannot be broadcast together (size " + std::to_string(da) + " vs " +
                             std::to_string(db) + " at dimension " + std::to_string(i) + ")");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

// ---- storage ------------------------------------------------------------------------------------
Storage::Storage(size_t bytes, Device device) : bytes_(bytes), device_(device) {
    data_ = backend_for(device).allocate(bytes == 0 ? 1 : bytes, device.index);
}

Storage::~Storage() {
    if (Backend* b = find_backend(device_.type)) b->deallocate(data_, bytes_ == 0 ? 1 : bytes_, device_.index);
}

// ---- tensor -------------------------------------------------------------------------------------
Tensor Tensor::empty(const Shape& shape, TensorOptions opts) {
    check_allocation(shape, opts.dtype, opts.device);
    Tensor t;
    t.storage_ = std::make_shared<Storage>(static_cast<size_t>(shape_numel(shape)) * dtype_size(opts.dtype),
                                           opts.device);
    t.shape_ = shape;
    t.strides_ = contiguous_strides(shape);
    t.dtype_ = opts.dtype;
    return t;
}

Tensor make_view(const Tensor& t, Shape shape, std::vector<int64_t> strides, int64_t offset) {
    Tensor v;
    v.storage_ = t.storage_;
    v.shape_ = std::move(shape);
    v.strides_ = std::move(strides);
    v.offset_ = offset;
    v.dtype_ = t.dtype_;
    return v;
}

Device Tensor::device() const { return storage_ ? storage_->device() : Device::cpu(); }

int64_t Tensor::size(int64_t d) const { return shape_[wrap_dim(d, dim())]; }

int64_t Tensor::numel() const {
    int64_t n = 1;
    for (int64_t d : shape_) n *= d;
    return n;
}

bool Tensor::is_contiguous() const {
    int64_t expected = 1;
    for (size_t i = shape_.size(); i-- > 0;) {
        if (shape_[i] == 1) continue;
        if (strides_[i] != expected) return false;
        expected *= shape_[i];
    }
    return true;
}

void* Tensor::data_ptr() const {
    if (!storage_) throw ValueError("tensor is undefined (no storage)");
    return static_cast<char*>(storage_->data()) + offset_ * static_cast<int64_t>(element_size());
}

namespace {
Shape infer_shape(const Shape& shape, int64_t numel) {
    Shape out = shape;
    int64_t known = 1, infer = -1;
    for (size_t i = 0; i < out.size(); ++i) {
        if (out[i] == -1) {
            if (infer >= 0) throw ShapeError("only one dimension can be inferred (-1) in " + shape_str(shape));
            infer = static_cast<int64_t>(i);
        } else if (out[i] < 0) {
            throw ShapeError("invalid size " + std::to_string(out[i]) + " in shape " + shape_str(shape));
        } else {
            known *= out[i];
        }
    }
    if (infer >= 0) {
        if (known == 0 || numel % known != 0)
            throw ShapeError("shape " + shape_str(shape) + " is invalid for input of size " + std::to_string(numel));
        out[infer] = numel / known;
    } else if (known != numel) {
        throw ShapeError("shape " + shape_str(shape) + " is invalid for input of size " + std::to_string(numel));
    }
    return out;
}
}  // namespace

Tensor Tensor::view(const Shape& shape) const {
    if (!is_contiguous()) throw ShapeError("view() needs a contiguous tensor; use reshape()");
    Shape s = infer_shape(shape, numel());
    return make_view(*this, s, contiguous_strides(s), offset_);
}

Tensor Tensor::reshape(const Shape& shape) const {
    return is_contiguous() ? view(shape) : contiguous().view(shape);
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
    d = wrap_dim(d, dim());
    const int64_t n = shape_[d];
    if (start < 0) start += n;
    if (start < 0 || length < 0 || start + length > n)
        throw ShapeError("narrow(" + std::to_string(d) + ", " + std::to_string(start) + ", " +
                         std::to_string(length) + ") is out of range for size " + std::to_string(n));
    Shape s = shape_;
    s[d] = length;
    return make_view(*this, s, strides_, offset_ + start * strides_[d]);
}

Tensor Tensor::slice(int64_t d, int64_t start, int64_t end) const {
    d = wrap_dim(d, dim());
    const int64_t n = shape_[d];
    if (start < 0) start += n;
    if (end < 0) end += n;
    start = std::min(std::max<int64_t>(start, 0), n);
    end = std::min(std::max<int64_t>(end, start), n);
    return narrow(d, start, end - start);
}

Tensor Tensor::select(int64_t d, int64_t index) const {
    if (dim() == 0) throw ShapeError("select() cannot be applied to a 0-dim tensor");
    d = wrap_dim(d, dim());
    const int64_t n = shape_[d];
    if (index < -n || index >= n)
        throw ShapeError("index " + std::to_string(index) + " is out of bounds for dimension " +
                         std::to_string(d) + " with size " + std::to_string(n));
    if (index < 0) index += n;
    Shape s = shape_;
    std::vector<int64_t> st = strides_;
    s.erase(s.begin() + d);
    st.erase(st.begin() + d);
    return make_view(*this, s, st, offset_ + index * strides_[d]);
}

Tensor Tensor::unsqueeze(int64_t d) const {
    d = wrap_dim(d, dim() + 1);
    Shape s = shape_;
    std::vector<int64_t> st = strides_;
    const int64_t stride = d < dim() ? strides_[d] * shape_[d] : 1;
    s.insert(s.begin() + d, 1);
    st.insert(st.begin() + d, stride);
    return make_view(*this, s, st, offset_);
}

Tensor Tensor::squeeze(int64_t d) const {
    d = wrap_dim(d, dim());
    if (shape_[d] != 1) return *this;
    Shape s = shape_;
    std::vector<int64_t> st = strides_;
    s.erase(s.begin() + d);
    st.erase(st.begin() + d);
    return make_view(*this, s, st, offset_);
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
    d0 = wrap_dim(d0, dim());
    d1 = wrap_dim(d1, dim());
    Shape s = shape_;
    std::vector<int64_t> st = strides_;
    std::swap(s[d0], s[d1]);
    std::swap(st[d0], st[d1]);
    return make_view(*this, s, st, offset_);
}

Tensor Tensor::expand(const Shape& shape) const {
    if (shape.size() < shape_.size())
        throw ShapeError("expand: target " + shape_str(shape) + " has fewer dimensions than " + shape_str(shape_));
    const size_t lead = shape.size() - shape_.size();
    std::vector<int64_t> st(shape.size(), 0);
    Shape s = shape;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i < lead) {
            if (s[i] < 0) throw ShapeError("expand: size -1 not allowed in a new leading dimension");
            continue;
        }
        const int64_t have = shape_[i - lead];
        if (s[i] == -1) s[i] = have;
        if (have == s[i]) st[i] = strides_[i - lead];
        else if (have == 1) st[i] = 0;
        else throw ShapeError("expand: size " + std::to_string(have) + " cannot expand to " +
                              std::to_string(s[i]) + " at dimension " + std::to_string(i));
    }
    return make_view(*this, s, st, offset_);
}

// ---- copies -------------------------------------------------------------------------------------
namespace {
// Calls f(linear_index, element_offset) for every element of a strided CPU layout, row-major.
template <class F>
void for_each_offset(const Shape& shape, const std::vector<int64_t>& strides, int64_t base, F&& f) {
    const int64_t n = shape_numel(shape);
    if (n == 0) return;
    const size_t r = shape.size();
    std::vector<int64_t> idx(r, 0);
    int64_t off = base;
    for (int64_t i = 0; i < n; ++i) {
        f(i, off);
        for (size_t d = r; d-- > 0;) {
            if (++idx[d] < shape[d]) {
                off += strides[d];
                break;
            }
            off -= strides[d] * (shape[d] - 1);
            idx[d] = 0;
        }
    }
}

// Visits every element of two same-shaped strided CPU layouts in row-major order, passing both
// element offsets (no per-element bookkeeping beyond one index vector).
template <class F>
void for_each_offset_pair(const Shape& shape, const std::vector<int64_t>& sa, int64_t a0,
                          const std::vector<int64_t>& sb, int64_t b0, F&& f) {
    const int64_t n = shape_numel(shape);
    if (n == 0) return;
    const size_t r = shape.size();
    std::vector<int64_t> idx(r, 0);
    int64_t oa = a0, ob = b0;
    for (int64_t i = 0; i < n; ++i) {
        f(oa, ob);
        for (size_t d = r; d-- > 0;) {
            if (++idx[d] < shape[d]) {
                oa += sa[d];
                ob += sb[d];
                break;
            }
            oa -= sa[d] * (shape[d] - 1);
            ob -= sb[d] * (shape[d] - 1);
            idx[d] = 0;
        }
    }
}

void convert_copy_cpu(const Tensor& src, Tensor& dst) {
    // dst contiguous-or-not, same shape as src (src may be an expanded view).
    const char* sbase = static_cast<const char*>(src.storage()->data());
    char* dbase = static_cast<char*>(dst.storage()->data());
    dispatch_dtype(src.dtype(), [&](auto stag) {
        using S = decltype(stag);
        dispatch_dtype(dst.dtype(), [&](auto dtag) {
            using D = decltype(dtag);
            const S* sp = reinterpret_cast<const S*>(sbase);
            D* dp = reinterpret_cast<D*>(dbase);
            for_each_offset_pair(dst.shape(), src.strides(), src.storage_offset(), dst.strides(),
                                 dst.storage_offset(),
                                 [&](int64_t so, int64_t dof) { dp[dof] = convert_element<D>(sp[so]); });
        });
    });
}
}  // namespace

void Tensor::copy_(const Tensor& src) {
    Tensor s = src.shape() == shape_ ? src : src.expand(shape_);
    if (device().is_cpu() && s.device().is_cpu()) {
        convert_copy_cpu(s, *this);
        return;
    }
    // Across devices: bring both to a contiguous CPU form of the target dtype, then move bytes.
    Tensor host = s.device().is_cpu() ? s : s.contiguous().to(Device::cpu());
    Tensor host_conv = Tensor::empty(shape_, {dtype_, Device::cpu()});
    convert_copy_cpu(host, host_conv);
    Backend& be = backend_for(device());
    if (is_contiguous()) {
        be.copy_from_host(data_ptr(), host_conv.data_ptr(), nbytes(), device().index);
        return;
    }
    // A strided view on a device: round-trip its whole storage through the host (slow, but
    // correct; the device ops cover the hot paths).
    const int64_t slots = static_cast<int64_t>(storage_->bytes() / element_size());
    Tensor mirror = Tensor::empty({slots}, {dtype_, Device::cpu()});
    be.copy_to_host(mirror.data_ptr(), storage_->data(), storage_->bytes(), device().index);
    Tensor view = make_view(mirror, shape_, strides_, offset_);
    convert_copy_cpu(host_conv, view);
    be.copy_from_host(storage_->data(), mirror.data_ptr(), storage_->bytes(), device().index);
}

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }

Tensor Tensor::clone() const {
    if (!device().is_cpu() && !is_contiguous()) {
        // A view on a device: the device's strided copy, else through the host (cpu() compacts the
        // view, see to(Device)), counted as ops' trips are.
        if (DeviceOps* k = device_ops_for({this}))
            if (Tensor r = k->contiguous(*this); r.defined()) return r;
        ops_detail::count_through_host();
        return cpu().to(device());
    }
    Tensor out = Tensor::empty(shape_, {dtype_, device()});
    if (device().is_cpu()) {
        if (is_contiguous()) std::memcpy(out.data_ptr(), data_ptr(), nbytes());
        else convert_copy_cpu(*this, out);
    } else {
        backend_for(device()).copy_on_device(out.data_ptr(), data_ptr(), nbytes(), device().index);
    }
    return out;
}

Tensor Tensor::to(DType dtype) const {
    if (dtype == dtype_) return *this;
    if (!device().is_cpu()) {
        if (DeviceOps* k = device_ops_for({this}))
            if (Tensor r = k->convert(*this, dtype); r.defined()) return r;
        return cpu().to(dtype).to(device());
    }
    Tensor out = Tensor::empty(shape_, {dtype, Device::cpu()});
    convert_copy_cpu(*this, out);
    return out;
}

Tensor Tensor::to(Device dev) const {
    if (dev == device()) return *this;
    if (!device().is_cpu() && !is_contiguous()) {
        // A strided view on a device (a transpose, a permute): bring its whole storage to the
        // host, view it there and compact it. (contiguous() would come back here through clone.)
        Backend& be = backend_for(device());
        const int64_t slots = static_cast<int64_t>(storage_->bytes() / element_size());
        Tensor mirror = Tensor::empty({slots}, {dtype_, Device::cpu()});
        be.copy_to_host(mirror.data_ptr(), storage_->data(), storage_->bytes(), device().index);
        const Tensor host = make_view(mirror, shape_, strides_, offset_).contiguous();
        return dev.is_cpu() ? host : host.to(dev);
    }
    Tensor src = contiguous();
    Tensor out = Tensor::empty(shape_, {dtype_, dev});
    if (src.device().is_cpu()) {
        backend_for(dev).copy_from_host(out.data_ptr(), src.data_ptr(), nbytes(), dev.index);
    } else if (dev.is_cpu()) {
        backend_for(src.device()).copy_to_host(out.data_ptr(), src.data_ptr(), nbytes(), src.device().index);
    } else {
        return src.cpu().to(dev);
    }
    return out;
}

// ---- element access -----------------------------------------------------------------------------
std::vector<double> Tensor::to_vector() const {
    Tensor c = device().is_cpu() ? *this : cpu();
    std::vector<double> out;
    out.reserve(static_cast<size_t>(c.numel()));
    const char* base = static_cast<const char*>(c.storage()->data());
    dispatch_dtype(dtype_, [&](auto tag) {
        using T = decltype(tag);
        for_each_offset(c.shape(), c.strides(), c.storage_offset(), [&](int64_t, int64_t o) {
            out.push_back(to_double<T>(reinterpret_cast<const T*>(base)[o]));
        });
    });
    return out;
}

std::vector<int64_t> Tensor::to_int_vector() const {
    if (dtype_ == DType::Int64) {
        Tensor c = (device().is_cpu() ? *this : cpu()).contiguous();
        const int64_t* p = c.data<int64_t>();
        return std::vector<int64_t>(p, p + c.numel());
    }
    std::vector<double> v = to_vector();
    return std::vector<int64_t>(v.begin(), v.end());
}

double Tensor::item() const {
    if (numel() != 1)
        throw ShapeError("item() needs a tensor with one element, this one has " + std::to_string(numel()));
    return to_vector()[0];
}

namespace {
int64_t element_offset(const Tensor& t, const std::vector<int64_t>& index) {
    if (static_cast<int64_t>(index.size()) != t.dim())
        throw ShapeError("index has " + std::to_string(index.size()) + " entries for a tensor of rank " +
                         std::to_string(t.dim()));
    int64_t off = t.storage_offset();
    for (size_t d = 0; d < index.size(); ++d) {
        if (index[d] < 0 || index[d] >= t.shape()[d])
            throw ShapeError("index " + std::to_string(index[d]) + " is out of bounds for dimension " +
                             std::to_string(d) + " with size " + std::to_string(t.shape()[d]));
        off += index[d] * t.strides()[d];
    }
    return off;
}
}  // namespace

double Tensor::at(const std::vector<int64_t>& index) const {
    if (!device().is_cpu()) return cpu().at(index);
    const int64_t off = element_offset(*this, index);
    const char* base = static_cast<const char*>(storage_->data());
    return dispatch_dtype(dtype_, [&](auto tag) {
        using T = decltype(tag);
        return to_double<T>(reinterpret_cast<const T*>(base)[off]);
    });
}

void Tensor::set(const std::vector<int64_t>& index, double value) {
    if (!device().is_cpu()) throw DeviceError("set() works on CPU tensors; this one is on " + device().str());
    const int64_t off = element_offset(*this, index);
    char* base = static_cast<char*>(storage_->data());
    dispatch_dtype(dtype_, [&](auto tag) {
        using T = decltype(tag);
        reinterpret_cast<T*>(base)[off] = from_double<T>(value);
    });
}

// ---- factories ----------------------------------------------------------------------------------
Tensor empty(const Shape& shape, TensorOptions opts) { return Tensor::empty(shape, opts); }

Tensor full(const Shape& shape, double value, TensorOptions opts) {
    Tensor host = Tensor::empty(shape, {opts.dtype, Device::cpu()});
    char* base = static_cast<char*>(host.data_ptr());
    const int64_t n = host.numel();
    dispatch_dtype(opts.dtype, [&](auto tag) {
        using T = decltype(tag);
        const T v = from_double<T>(value);
        T* p = reinterpret_cast<T*>(base);
        for (int64_t i = 0; i < n; ++i) p[i] = v;
    });
    return host.to(opts.device);
}
Tensor zeros(const Shape& shape, TensorOptions opts) { return full(shape, 0.0, opts); }
Tensor ones(const Shape& shape, TensorOptions opts) { return full(shape, 1.0, opts); }

Tensor arange(double start, double end, double step, TensorOptions opts) {
    if (step == 0.0) throw ValueError("arange: step must be nonzero");
    if (!(std::isfinite(start) && std::isfinite(end) && std::isfinite(step)))
        throw ValueError("arange: start, end and step must be finite");
    const double count = std::ceil((end - start) / step);
    if (count > 1e15) throw ShapeError("arange: " + std::to_string(count) + " elements is too many");
    const int64_t n = count > 0 ? static_cast<int64_t>(count) : 0;
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[i] = start + static_cast<double>(i) * step;
    return from_vector(v, {n}, opts);
}
Tensor arange(int64_t end, TensorOptions opts) { return arange(0.0, static_cast<double>(end), 1.0, opts); }

Tensor empty_like(const Tensor& t) { return empty(t.shape(), {t.dtype(), t.device()}); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), {t.dtype(), t.device()}); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), {t.dtype(), t.device()}); }
Tensor full_like(const Tensor& t, double value) { return full(t.shape(), value, {t.dtype(), t.device()}); }

Tensor from_vector(const std::vector<double>& values, const Shape& shape, TensorOptions opts) {
    if (shape_numel(shape) != static_cast<int64_t>(values.size()))
        throw ShapeError("from_vector: " + std::to_string(values.size()) + " values do not fill shape " +
                         shape_str(shape));
    Tensor host = Tensor::empty(shape, {opts.dtype, Device::cpu()});
    char* base = static_cast<char*>(host.data_ptr());
    dispatch_dtype(opts.dtype, [&](auto tag) {
        using T = decltype(tag);
        T* p = reinterpret_cast<T*>(base);
        for (size_t i = 0; i < values.size(); ++i) p[i] = from_double<T>(values[i]);
    });
    return host.to(opts.device);
}

Tensor tensor(std::initializer_list<double> values, TensorOptions opts) {
    return from_vector(std::vector<double>(values), {static_cast<int64_t>(values.size())}, opts);
}

}  // namespace nl
