// Device dispatch: tensor/ calls a Backend for memory and for the ops whose device code lives
// elsewhere (gpu/ registers the CUDA backend at start-up). Nothing here includes CUDA headers, so a
// build without CUDA is a complete CPU program.
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "tensor/device.h"
#include "tensor/random_request.h"

namespace nl {

class Tensor;

// Non-random ops (ops.h) that a device backend implements itself (gpu/ registers the CUDA ones).
// An op's entry point asks device_ops_for() its tensors' backend first and falls back to running
// through the host (tensor/ops_internal.h) when the answer is an undefined Tensor, which every
// method returns for arguments it has no kernel for. Arguments come already validated by the op;
// results follow ops.h's semantics (dtypes, shapes), values within the tolerances docs/GPU.md states.
enum class DeviceBinaryOp : uint8_t { Add, Sub, Mul, Div };
enum class DeviceUnaryOp : uint8_t { Neg, Abs, Relu, Exp, Log, Sqrt, Sin, Cos, Tanh, Sigmoid };
class DeviceOps {
public:
    virtual ~DeviceOps() = default;
    virtual Tensor binary(DeviceBinaryOp op, const Tensor& a, const Tensor& b);  // broadcasting, same dtype
    virtual Tensor unary(DeviceUnaryOp op, const Tensor& t);
    virtual Tensor sum(const Tensor& t);                                      // all elements, 0-dim
    virtual Tensor softmax(const Tensor& t, int64_t dim, bool log);
    virtual Tensor matmul(const Tensor& a, const Tensor& b);
    virtual Tensor index_select(const Tensor& t, int64_t dim, const Tensor& index);
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
