// Tensor: a shape, strides (in elements), a dtype, a device, and shared storage, with PyTorch's
// semantics for views (reshape/view/narrow/select share storage) and copies (clone, contiguous, to).
// Ops live in their own headers: ops.h (arithmetic, reductions, softmax...), random.h (random ops).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "tensor/device.h"
#include "tensor/dtype.h"

namespace nl {

using Shape = std::vector<int64_t>;

std::string shape_str(const Shape& s);  // "[64, 1, 28, 28]"
// Product of sizes; throws ShapeError for negative sizes or an int64 overflow.
int64_t shape_numel(const Shape& s);
// Checks that a tensor of this shape and dtype can be allocated on `device`: sizes >= 0, no
// overflow, and at most the memory the device has available; throws ShapeError / MemoryError
// naming the shape and the bytes it would need. Called before every allocation.
void check_allocation(const Shape& s, DType dtype, Device device);

// A block of bytes on one device, freed by the device's backend when the last tensor lets go.
class Storage {
public:
    Storage(size_t bytes, Device device);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;
    void* data() const { return data_; }
    size_t bytes() const { return bytes_; }
    Device device() const { return device_; }

private:
    void* data_ = nullptr;
    size_t bytes_ = 0;
    Device device_;
};

struct TensorOptions {
    DType dtype = DType::Float32;
    Device device = Device::cpu();
    TensorOptions() = default;
    TensorOptions(DType d) : dtype(d) {}  // NOLINT: implicit, as torch's dtype= keyword
    TensorOptions(DType d, Device dev) : dtype(d), device(dev) {}
    TensorOptions(Device dev) : device(dev) {}  // NOLINT
};

class Tensor {
public:
    Tensor() = default;  // undefined tensor
    static Tensor empty(const Shape& shape, TensorOptions opts = {});

    bool defined() const { return storage_ != nullptr; }
    const Shape& shape() const { return shape_; }
    const Shape& sizes() const { return shape_; }
    const std::vector<int64_t>& strides() const { return strides_; }
    int64_t dim() const { return static_cast<int64_t>(shape_.size()); }
    int64_t size(int64_t d) const;  // negative d counts from the end
    int64_t numel() const;
    DType dtype() const { return dtype_; }
    Device device() const;
    size_t element_size() const { return dtype_size(dtype_); }
    size_t nbytes() const { return static_cast<size_t>(numel()) * element_size(); }
    int64_t storage_offset() const { return offset_; }
    const std::shared_ptr<Storage>& storage() const { return storage_; }
    bool is_contiguous() const;

    void* data_ptr() const;
    template <class T> T* data() const { return static_cast<T*>(data_ptr()); }

    // Views (share storage).
    Tensor view(const Shape& shape) const;      // contiguous only; one size may be -1
    Tensor reshape(const Shape& shape) const;   // a view when possible, else a copy
    Tensor flatten() const { return reshape({-1}); }
    Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
    Tensor slice(int64_t dim, int64_t start, int64_t end) const;  // [start, end), clamped
    Tensor select(int64_t dim, int64_t index) const;              // removes dim
    Tensor operator[](int64_t index) const { return select(0, index); }
    Tensor unsqueeze(int64_t dim) const;
    Tensor squeeze(int64_t dim) const;
    Tensor transpose(int64_t d0, int64_t d1) const;
    Tensor expand(const Shape& shape) const;  // broadcast view (stride 0)

    // Copies.
    Tensor contiguous() const;  // this when already contiguous
    Tensor clone() const;
    Tensor to(DType dtype) const;
    Tensor to(Device device) const;
    Tensor cpu() const { return to(Device::cpu()); }
    void copy_(const Tensor& src);  // same shape (src may broadcast), any dtype/device

    // Element access (CPU, any layout), as double; for tests, printing and small tensors.
    double item() const;  // one element
    double at(const std::vector<int64_t>& index) const;
    void set(const std::vector<int64_t>& index, double value);
    std::vector<double> to_vector() const;   // row-major, as double
    std::vector<int64_t> to_int_vector() const;

    std::string str() const;  // PyTorch's print format: tensor([...], dtype=...)

private:
    friend Tensor make_view(const Tensor&, Shape, std::vector<int64_t>, int64_t);
    std::shared_ptr<Storage> storage_;
    Shape shape_;
    std::vector<int64_t> strides_;
    int64_t offset_ = 0;
    DType dtype_ = DType::Float32;
};

// A tensor sharing t's storage with another shape, strides and offset (no checks).
Tensor make_view(const Tensor& t, Shape shape, std::vector<int64_t> strides, int64_t offset);
std::vector<int64_t> contiguous_strides(const Shape& shape);
// Resolves a negative dim against rank; throws ShapeError naming the valid range.
int64_t wrap_dim(int64_t dim, int64_t rank);
// Broadcast shape of two shapes (NumPy rules); throws ShapeError.
Shape broadcast_shapes(const Shape& a, const Shape& b);

// Factories, as torch.*
Tensor empty(const Shape& shape, TensorOptions opts = {});
Tensor zeros(const Shape& shape, TensorOptions opts = {});
Tensor ones(const Shape& shape, TensorOptions opts = {});
Tensor full(const Shape& shape, double value, TensorOptions opts = {});
Tensor arange(double start, double end, double step = 1.0, TensorOptions opts = {DType::Int64});
Tensor arange(int64_t end, TensorOptions opts = {DType::Int64});
Tensor empty_like(const Tensor& t);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, double value);
// A CPU tensor holding these values (converted to dtype), with the given shape.
Tensor from_vector(const std::vector<double>& values, const Shape& shape, TensorOptions opts = {});
Tensor tensor(std::initializer_list<double> values, TensorOptions opts = {});

}  // namespace nl
