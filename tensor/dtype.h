// Element types, with PyTorch's names ("float32", "int64", ...) and aliases ("float", "long").
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <string_view>

#include "tensor/half.h"
#include "tensor/host_device.h"

namespace nl {

enum class DType : uint8_t { Float32, Float16, BFloat16, Float64, Int64, Int32, UInt8, Bool };

constexpr DType kAllDTypes[] = {DType::Float32, DType::Float16, DType::BFloat16, DType::Float64,
                                DType::Int64,   DType::Int32,   DType::UInt8,    DType::Bool};

size_t dtype_size(DType d);
const char* dtype_name(DType d);  // "float32", ...
bool is_floating(DType d);
bool is_integral(DType d);  // integer types, bool excluded
// Parses PyTorch names and aliases; throws DTypeError listing the valid names.
DType parse_dtype(std::string_view name);
std::string all_dtype_names();  // "float32, float16, ..." for error messages

// Compile-time map from DType to the C++ storage type.
template <DType D> struct DTypeCpp;
template <> struct DTypeCpp<DType::Float32> { using type = float; };
template <> struct DTypeCpp<DType::Float16> { using type = Half; };
template <> struct DTypeCpp<DType::BFloat16> { using type = BFloat16; };
template <> struct DTypeCpp<DType::Float64> { using type = double; };
template <> struct DTypeCpp<DType::Int64> { using type = int64_t; };
template <> struct DTypeCpp<DType::Int32> { using type = int32_t; };
template <> struct DTypeCpp<DType::UInt8> { using type = uint8_t; };
template <> struct DTypeCpp<DType::Bool> { using type = bool; };

// Calls f(T{}) with T the storage type of d: dispatch_dtype(d, [&](auto tag) { using T = decltype(tag); ... }).
template <class F>
decltype(auto) dispatch_dtype(DType d, F&& f) {
    switch (d) {
        case DType::Float32: return f(float{});
        case DType::Float16: return f(Half{});
        case DType::BFloat16: return f(BFloat16{});
        case DType::Float64: return f(double{});
        case DType::Int64: return f(int64_t{});
        case DType::Int32: return f(int32_t{});
        case DType::UInt8: return f(uint8_t{});
        case DType::Bool: return f(bool{});
    }
    return f(float{});
}

// float <-> double where a NaN keeps its sign and payload, quieted (the payload's low bits dropped
// when narrowing): what x86's cvtss2sd / cvtsd2ss give, which the host compiles the casts to. The
// GPU's conversion instructions return their canonical NaN instead, so device code spells the NaN
// case out, and both devices convert a NaN to the same bits.
NL_HOST_DEVICE double widen_float(float f) {
#if defined(__CUDA_ARCH__)
    if (f != f) {
        const uint64_t b = f32_bits(f);
        return __longlong_as_double(static_cast<long long>((b & 0x80000000u) << 32 | 0x7FF8000000000000ull |
                                                           (b & 0x007FFFFFu) << 29));
    }
#endif
    return static_cast<double>(f);
}
NL_HOST_DEVICE float narrow_double(double d) {
#if defined(__CUDA_ARCH__)
    if (d != d) {
        const uint64_t b = static_cast<uint64_t>(__double_as_longlong(d));
        return f32_from_bits(static_cast<uint32_t>(b >> 32 & 0x80000000u) | 0x7FC00000u |
                             static_cast<uint32_t>(b >> 29 & 0x007FFFFFu));
    }
#endif
    return static_cast<float>(d);
}

// Conversions through double (every dtype's values are exact in double, except int64 > 2^53).
// Host and device code share them (the CUDA conversion kernel runs these very functions), so
// their limits are spelled out here rather than taken from std::numeric_limits (host-only).
template <class T> NL_HOST_DEVICE double to_double(T v) {
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return widen_float(static_cast<float>(v));
    else if constexpr (std::is_same_v<T, float>) return widen_float(v);
    else return static_cast<double>(v);
}
// The integer dtypes' ranges.
template <class T> struct IntegerRange;
template <> struct IntegerRange<uint8_t> { static constexpr uint8_t lo = 0, hi = 255; };
template <> struct IntegerRange<int32_t> { static constexpr int32_t lo = INT32_MIN, hi = INT32_MAX; };
template <> struct IntegerRange<int64_t> { static constexpr int64_t lo = INT64_MIN, hi = INT64_MAX; };
// Floating values into integer types: NaN gives 0 and out-of-range values saturate (a plain
// cast is undefined behaviour there, and differs between x86 and CUDA).
template <class T> NL_HOST_DEVICE T from_double(double v) {
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
        return T(narrow_double(v));
    } else if constexpr (std::is_same_v<T, float>) {
        return narrow_double(v);
    } else if constexpr (std::is_same_v<T, bool>) {
        return v != 0.0;
    } else if constexpr (std::is_integral_v<T>) {
        if (!(v == v)) return T(0);
        if (v <= static_cast<double>(IntegerRange<T>::lo)) return IntegerRange<T>::lo;
        if (v >= static_cast<double>(IntegerRange<T>::hi)) return IntegerRange<T>::hi;
        return static_cast<T>(v);
    } else {
        return static_cast<T>(v);
    }
}
// One element from S to D with PyTorch's casting: integers wrap modulo 2^bits between integer
// types, floating values saturate into integer types (NaN -> 0), everything else through double.
// Tensor::to(dtype) runs it on the CPU and in the CUDA conversion kernel.
template <class D, class S> NL_HOST_DEVICE D convert_element(S v) {
    if constexpr (std::is_same_v<S, D>) return v;
    else if constexpr (std::is_integral_v<S> && std::is_integral_v<D> && !std::is_same_v<D, bool>)
        return static_cast<D>(static_cast<int64_t>(v));
    else return from_double<D>(to_double<S>(v));
}

}  // namespace nl
