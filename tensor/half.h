// float16 (IEEE binary16) and bfloat16 storage types with round-to-nearest-even conversion from
// float32, written with bit manipulation so host and device round identically.
#pragma once
#include <cstdint>
#include <cstring>

#include "tensor/host_device.h"
#if defined(__CUDACC__)
#include <cuda_fp16.h>
#endif

namespace nl {

NL_HOST_DEVICE uint32_t f32_bits(float x) {
#if defined(__CUDA_ARCH__)
    return __float_as_uint(x);
#else
    uint32_t b;
    std::memcpy(&b, &x, 4);
    return b;
#endif
}
NL_HOST_DEVICE float f32_from_bits(uint32_t b) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(b);
#else
    float x;
    std::memcpy(&x, &b, 4);
    return x;
#endif
}

// float32 -> binary16, round to nearest even; overflow gives inf, NaN stays NaN. The definition,
// in integer operations (the GPU checks its conversion instruction against it for all 2^32 inputs:
// gpu/conversion_check.h).
NL_HOST_DEVICE uint16_t float_to_half_bits_portable(float f) {
    const uint32_t x = f32_bits(f);
    const uint32_t sign = (x >> 16) & 0x8000u;
    const uint32_t absx = x & 0x7FFFFFFFu;
    if (absx > 0x7F800000u) return static_cast<uint16_t>(sign | 0x7E00u);  // NaN
    if (absx >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u); // rounds to >= 65520
    if (absx < 0x38800000u) {  // below 2^-14: subnormal half (or zero)
        if (absx < 0x33000000u) return static_cast<uint16_t>(sign);       // < 2^-25: rounds to 0
        const uint32_t exp = absx >> 23;
        const uint32_t mant = (absx & 0x7FFFFFu) | 0x800000u;
        const uint32_t shift = 126u - exp;  // 14..24 for exp 102..112 (value = mant*2^(exp-150))
        const uint32_t q = mant >> (shift);
        const uint32_t rem = mant & ((1u << shift) - 1u);
        const uint32_t half = 1u << (shift - 1u);
        uint32_t r = q;
        if (rem > half || (rem == half && (q & 1u))) ++r;
        return static_cast<uint16_t>(sign | r);
    }
    // normal: rebias exponent 127 -> 15 and round 13 dropped mantissa bits
    uint32_t h = ((absx - 0x38000000u) >> 13);
    const uint32_t rem = absx & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;
    return static_cast<uint16_t>(sign | h);
}

NL_HOST_DEVICE uint16_t float_to_half_bits(float f) {
#if defined(__CUDA_ARCH__)
    // The GPU's conversion instruction rounds to nearest even too, with the same overflow to inf
    // and subnormal results: one instruction instead of about fifteen (the integer version made
    // float16 randn 35% slower than float32 on an H100). NaN keeps the portable bits (the
    // instruction's NaN is another pattern).
    if ((f32_bits(f) & 0x7FFFFFFFu) > 0x7F800000u) return float_to_half_bits_portable(f);
    return __half_as_ushort(__float2half_rn(f));
#else
    return float_to_half_bits_portable(f);
#endif
}

NL_HOST_DEVICE float half_bits_to_float(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1Fu;
    uint32_t mant = h & 0x3FFu;
    if (exp == 0x1Fu) return f32_from_bits(sign | 0x7F800000u | (mant << 13));
    if (exp == 0) {
        if (mant == 0) return f32_from_bits(sign);
        // subnormal: value = mant * 2^-24, exact in float
        int e = -1;
        do {
            mant <<= 1;
            ++e;
        } while ((mant & 0x400u) == 0);
        return f32_from_bits(sign | ((112u - static_cast<uint32_t>(e)) << 23) | ((mant & 0x3FFu) << 13));
    }
    return f32_from_bits(sign | ((exp + 112u) << 23) | (mant << 13));
}

// float32 -> bfloat16, round to nearest even, for f that is not NaN (infinities stay infinite).
NL_HOST_DEVICE uint16_t float_to_bfloat16_bits_not_nan(float f) {
    const uint32_t x = f32_bits(f);
    const uint32_t rounding = 0x7FFFu + ((x >> 16) & 1u);
    return static_cast<uint16_t>((x + rounding) >> 16);
}
// float32 -> bfloat16, round to nearest even; NaN stays a quiet NaN.
NL_HOST_DEVICE uint16_t float_to_bfloat16_bits(float f) {
    const uint32_t x = f32_bits(f);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);
    return float_to_bfloat16_bits_not_nan(f);
}

NL_HOST_DEVICE float bfloat16_bits_to_float(uint16_t b) {
    return f32_from_bits(static_cast<uint32_t>(b) << 16);
}

struct Half {
    uint16_t bits;
    Half() = default;
    NL_HOST_DEVICE explicit Half(float f) : bits(float_to_half_bits(f)) {}
    NL_HOST_DEVICE explicit operator float() const { return half_bits_to_float(bits); }
    static NL_HOST_DEVICE Half from_bits(uint16_t b) { Half h; h.bits = b; return h; }
};

struct BFloat16 {
    uint16_t bits;
    BFloat16() = default;
    NL_HOST_DEVICE explicit BFloat16(float f) : bits(float_to_bfloat16_bits(f)) {}
    NL_HOST_DEVICE explicit operator float() const { return bfloat16_bits_to_float(bits); }
    static NL_HOST_DEVICE BFloat16 from_bits(uint16_t b) { BFloat16 h; h.bits = b; return h; }
};

}  // namespace nl
