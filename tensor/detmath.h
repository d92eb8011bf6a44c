// Deterministic math for the random transforms: log, exp and sin/cos built only from operations
// IEEE 754 rounds exactly (add, mul, fma, div, sqrt, int<->float conversion, bit manipulation), in
// a fixed order, so the CPU and CUDA give the same bits (docs/STREAMS.md, "Note [Deterministic
// math]"). Never libm or CUDA math-library calls here: their last bits differ between platforms.
// Host code must be compiled with -ffp-contract=off so that the compiler fuses nothing by itself.
//
// Accuracy in ULPs of the result, against long double libm (tests/core/test_detmath.cpp asserts
// these bounds; the measured maxima are in docs/STREAMS.md, "Deterministic math"):
//   float:  log <= 2, exp <= 1 (1.97 and 0.98 over every float), sin/cos of 2*pi*v <= 2
//   double: log <= 2, exp <= 1, sin/cos <= 2 (sampled: 1.96, 0.99, 1.84)
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "tensor/host_device.h"

#if !defined(__CUDACC__)
#include <cmath>
#endif

namespace nl::dm {

// ---- exactly rounded primitives (host and device spell them differently) --------------------
#if defined(__CUDA_ARCH__)
NL_HOST_DEVICE float add(float a, float b) { return __fadd_rn(a, b); }
NL_HOST_DEVICE float sub(float a, float b) { return __fsub_rn(a, b); }
NL_HOST_DEVICE float mul(float a, float b) { return __fmul_rn(a, b); }
NL_HOST_DEVICE float div(float a, float b) { return __fdiv_rn(a, b); }
NL_HOST_DEVICE float fma(float a, float b, float c) { return __fmaf_rn(a, b, c); }
NL_HOST_DEVICE float sqrt(float a) { return __fsqrt_rn(a); }
NL_HOST_DEVICE double add(double a, double b) { return __dadd_rn(a, b); }
NL_HOST_DEVICE double sub(double a, double b) { return __dsub_rn(a, b); }
NL_HOST_DEVICE double mul(double a, double b) { return __dmul_rn(a, b); }
NL_HOST_DEVICE double div(double a, double b) { return __ddiv_rn(a, b); }
NL_HOST_DEVICE double fma(double a, double b, double c) { return __fma_rn(a, b, c); }
NL_HOST_DEVICE double sqrt(double a) { return __dsqrt_rn(a); }
NL_HOST_DEVICE uint32_t bits(float x) { return __float_as_uint(x); }
NL_HOST_DEVICE float from_bits(uint32_t b) { return __uint_as_float(b); }
NL_HOST_DEVICE uint64_t bits(double x) { return static_cast<uint64_t>(__double_as_longlong(x)); }
NL_HOST_DEVICE double from_bits(uint64_t b) { return __longlong_as_double(static_cast<long long>(b)); }
#else
inline float add(float a, float b) { return a + b; }
inline float sub(float a, float b) { return a - b; }
inline float mul(float a, float b) { return a * b; }
inline float div(float a, float b) { return a / b; }
inline float fma(float a, float b, float c) { return std::fma(a, b, c); }
inline float sqrt(float a) { return std::sqrt(a); }
inline double add(double a, double b) { return a + b; }
inline double sub(double a, double b) { return a - b; }
inline double mul(double a, double b) { return a * b; }
inline double div(double a, double b) { return a / b; }
inline double fma(double a, double b, double c) { return std::fma(a, b, c); }
inline double sqrt(double a) { return std::sqrt(a); }
inline uint32_t bits(float x) { uint32_t b; std::memcpy(&b, &x, 4); return b; }
inline float from_bits(uint32_t b) { float x; std::memcpy(&x, &b, 4); return x; }
inline uint64_t bits(double x) { uint64_t b; std::memcpy(&b, &x, 8); return b; }
inline double from_bits(uint64_t b) { double x; std::memcpy(&x, &b, 8); return x; }
#endif

// ---- square root of a Box-Muller radius ------------------------------------------------------
// The IEEE square root (correctly rounded) of q = 0 or 2^-24 <= q < 64, the range of -2 ln(u) in
// xf::normal_pair_f32. The host uses the IEEE instruction. On the GPU, __fsqrt_rn costs 16
// instructions, most of them for inputs this range never has (subnormal, infinite, negative);
// here the hardware's approximate reciprocal square root y0 is refined twice (Newton on g ~ sqrt q
// and h ~ 1/(2 sqrt q)) and a last fma rounds g + (q - g^2) h once: 9 instructions. The result is
// the correctly rounded square root for every q of the range whatever y0 is within 3 ulps of
// 1/sqrt(q) (and far beyond: 2^-16 relative): checked on the host through sqrt_refined below,
// the code the GPU runs, by DetMath.RadiusSqrtIsCorrectlyRounded (every 37th float of the range
// in each run; all 2.5e8 with NOISELAB_SLOW_TESTS=1, run on 2026-11-27: no difference), and on
// the GPU itself against its IEEE instruction by GpuParity.RadiusSqrtEqualsTheIeeeSquareRoot-
// OnAllItsInputs. The GPU's rsqrt.approx is within 2^-22.9 relative (about 2.6 ulps at most).
// q = 0: y0 is taken at q + 2^-100 (q itself for every other q), so g = 0 * y0 = +0 and the
// result is +0, as sqrt(+0).
NL_HOST_DEVICE float sqrt_refined(float q, float y0) {
    float g = mul(q, y0), h = mul(0.5f, y0);
    const float r = fma(-g, h, 0.5f);
    g = fma(g, r, g);
    h = fma(h, r, h);
    return fma(fma(-g, g, q), h, g);
}
NL_HOST_DEVICE float sqrt_radius(float q) {
#if defined(__CUDA_ARCH__)
    float y0;
    asm("rsqrt.approx.ftz.f32 %0, %1;" : "=f"(y0) : "f"(add(q, 0x1p-100f)));
    return sqrt_refined(q, y0);
#else
    return sqrt(q);
#endif
}

// ---- per-precision constants ------------------------------------------------------------------
template <class T> struct Consts;

template <> struct Consts<float> {
    using Bits = uint32_t;
    static constexpr int kMantBits = 23;
    static constexpr int kBias = 127;
    static constexpr Bits kMantMask = 0x007FFFFFu;
    static constexpr Bits kOneBits = 0x3F800000u;
    static constexpr Bits kInfBits = 0x7F800000u;
    static constexpr Bits kSqrt2Bits = 0x3FB504F3u;  // 1.41421354f: above it, halve the mantissa
    static constexpr float kLn2Hi = 0.693145751953125f;          // 0x3F317200: e*kLn2Hi is exact
    static constexpr float kLn2Lo = 1.428606765330187045e-06f;   // ln 2 - kLn2Hi
    static constexpr float kLog2e = 1.44269502162933349609f;
    static constexpr float kQuarterPi = 0.785398163397448309616f;
    static constexpr float kExpMax = 88.72283935546875f;         // above: +inf
    static constexpr float kExpMin = -103.972084045410156f;      // below: +0
};

template <> struct Consts<double> {
    using Bits = uint64_t;
    static constexpr int kMantBits = 52;
    static constexpr int kBias = 1023;
    static constexpr Bits kMantMask = 0x000FFFFFFFFFFFFFull;
    static constexpr Bits kOneBits = 0x3FF0000000000000ull;
    static constexpr Bits kInfBits = 0x7FF0000000000000ull;
    static constexpr Bits kSqrt2Bits = 0x3FF6A09E667F3BCDull;
    static constexpr double kLn2Hi = 6.93147180369123816490e-01;  // fdlibm's split: 32 bits
    static constexpr double kLn2Lo = 1.90821492927058770002e-10;
    static constexpr double kLog2e = 1.44269504088896338700e+00;
    static constexpr double kQuarterPi = 0.785398163397448309616;
    static constexpr double kExpMax = 709.782712893383973096;
    static constexpr double kExpMin = -745.133219101941108420;
};

// Polynomials, written out so that the coefficients are literals in device code too.
// atanh series of log(1+f) = 2s + s*z*P(z), s = f/(2+f), z = s^2, |s| <= 0.1716: P = 2/3 + 2/5 z + 2/7 z^2 + ...
NL_HOST_DEVICE float log_poly(float z) {
    return fma(fma(fma(0.2222222222222222f, z, 0.2857142857142857f), z, 0.4f), z, 0.6666666666666666f);
}
NL_HOST_DEVICE double log_poly(double z) {
    return fma(fma(fma(fma(fma(fma(fma(fma(fma(0.09523809523809523, z, 0.10526315789473684), z, 0.11764705882352941), z, 0.13333333333333333), z, 0.15384615384615385), z, 0.18181818181818182), z, 0.2222222222222222), z, 0.2857142857142857), z, 0.4), z, 0.6666666666666666);
}

// exp(r) = 1 + r + r^2*P(r), |r| <= ln2/2: P = 1/2! + r/3! + r^2/4! + ... (Taylor)
NL_HOST_DEVICE float exp_poly(float z) {
    return fma(fma(fma(fma(fma(fma(2.48015873015873e-05f, z, 0.0001984126984126984f), z, 0.001388888888888889f), z, 0.008333333333333333f), z, 0.041666666666666664f), z, 0.16666666666666666f), z, 0.5f);
}
NL_HOST_DEVICE double exp_poly(double z) {
    return fma(fma(fma(fma(fma(fma(fma(fma(fma(fma(fma(1.6059043836821613e-10, z, 2.08767569878681e-09), z, 2.505210838544172e-08), z, 2.755731922398589e-07), z, 2.7557319223985893e-06), z, 2.48015873015873e-05), z, 0.0001984126984126984), z, 0.001388888888888889), z, 0.008333333333333333), z, 0.041666666666666664), z, 0.16666666666666666), z, 0.5);
}

// sin(x) = x + x*z*P(z), z = x^2, |x| <= pi/4: P = -1/3! + z/5! - ... (Taylor)
NL_HOST_DEVICE float sin_poly(float z) {
    return fma(fma(fma(2.7557319223985893e-06f, z, -0.0001984126984126984f), z, 0.008333333333333333f), z, -0.16666666666666666f);
}
NL_HOST_DEVICE double sin_poly(double z) {
    return fma(fma(fma(fma(fma(fma(fma(2.8114572543455206e-15, z, -7.647163731819816e-13), z, 1.6059043836821613e-10), z, -2.505210838544172e-08), z, 2.7557319223985893e-06), z, -0.0001984126984126984), z, 0.008333333333333333), z, -0.16666666666666666);
}

// cos(x) = 1 + z*P(z), z = x^2, |x| <= pi/4: P = -1/2! + z/4! - ... (Taylor)
NL_HOST_DEVICE float cos_poly(float z) {
    return fma(fma(fma(fma(-2.755731922398589e-07f, z, 2.48015873015873e-05f), z, -0.001388888888888889f), z, 0.041666666666666664f), z, -0.5f);
}
NL_HOST_DEVICE double cos_poly(double z) {
    return fma(fma(fma(fma(fma(fma(fma(fma(-1.5619206968586225e-16, z, 4.779477332387385e-14), z, -1.1470745597729725e-11), z, 2.08767569878681e-09), z, -2.755731922398589e-07), z, 2.48015873015873e-05), z, -0.001388888888888889), z, 0.041666666666666664), z, -0.5);
}

// x = 2^e * m with m's bits in mb, m in [sqrt(1/2), sqrt(2)), without a branch: subtracting K =
// the bits just above sqrt(1/2) moves the exponent field down by one exactly where the mantissa
// is above sqrt 2's (m > sqrt 2: use m/2, e + 1), so e is ix >> mantissa bits (arithmetic) and m's
// bits are ix's mantissa + K. The same e and m as "m in [1, 2), halved above sqrt 2" for every x
// with the sign bit clear (DetMath.LogSplitIsTheBranchySplit); four integer instructions on the
// GPU against six, in every log of a uniform.
template <class T>
NL_HOST_DEVICE void log_split(T x, int& e, typename Consts<T>::Bits& mb) {
    using C = Consts<T>;
    using B = typename C::Bits;
    using S = std::make_signed_t<B>;
    constexpr B K = C::kSqrt2Bits - (B(1) << C::kMantBits) + 1;
    const B ix = bits(x) - K;
    e = static_cast<int>(static_cast<S>(ix) >> C::kMantBits);
    mb = (ix & C::kMantMask) + K;
}

// Natural log for positive, finite, normal x (callers guarantee it: uniforms in (0, 1] and
// probabilities). Method: x = 2^e * m, m in [sqrt(1/2), sqrt(2)); log(m) = 2*atanh(f/(2+f)).
template <class T>
NL_HOST_DEVICE T log(T x) {
    using C = Consts<T>;
    int e;
    typename C::Bits mb;
    log_split(x, e, mb);
    const T f = sub(from_bits(mb), T(1));  // exact: m in [0.70, 1.42)
    const T s = div(f, add(T(2), f));
    const T z = mul(s, s);
    const T p = log_poly(z);
    const T log1pf = fma(mul(s, z), p, add(s, s));  // 2s + s*z*p
    const T ef = static_cast<T>(e);
    return fma(ef, C::kLn2Hi, fma(ef, C::kLn2Lo, log1pf));
}

// 2^k for integer k in the normal range [-kBias+1, kBias].
template <class T>
NL_HOST_DEVICE T pow2i(int k) {
    using C = Consts<T>;
    using B = typename C::Bits;
    return from_bits(static_cast<B>(static_cast<B>(k + C::kBias) << C::kMantBits));
}

// exp(x) for any x (NaN propagates). Method: x = k*ln2 + r, |r| <= ln2/2, Taylor on r, scale.
template <class T>
NL_HOST_DEVICE T exp(T x) {
    using C = Consts<T>;
    if (!(x == x)) return x;
    if (x > C::kExpMax) return from_bits(C::kInfBits);
    if (x < C::kExpMin) return T(0);
    const T t = fma(x, C::kLog2e, T(0.5));
    T kf = static_cast<T>(static_cast<long long>(t));  // floor for t >= 0 ...
    if (kf > t) kf = sub(kf, T(1));                     // ... and for t < 0
    const int k = static_cast<int>(kf);
    T r = fma(-kf, C::kLn2Hi, x);
    r = fma(-kf, C::kLn2Lo, r);
    const T p = exp_poly(r);
    const T er = add(T(1), fma(mul(r, r), p, r));  // 1 + (r + r^2 p)
    // Scale in two steps so that k down to the subnormal range rounds once, as IEEE defines.
    if (k < -(C::kBias - 1)) return mul(mul(er, pow2i<T>(k + (C::kBias - 1))), pow2i<T>(-(C::kBias - 1)));
    if (k > C::kBias) return mul(mul(er, pow2i<T>(k - 1)), T(2));
    return mul(er, pow2i<T>(k));
}

// 2^(i/32), i = 0..31, as doubles (any fixed values would do for the bits to agree; these are
// within half an ulp of the true powers). Device code reads its own copy.
#define NL_EXP2_32NDS                                                                                          \
    1.0, 1.0218971486541166, 1.0442737824274138, 1.0671404006768237, 1.0905077326652577, 1.1143867425958924,  \
        1.1387886347566916, 1.1637248587775775, 1.189207115002721, 1.215247359980469, 1.241857812073484,      \
        1.2690509571917332, 1.2968395546510096, 1.3252366431597413, 1.3542555469368927, 1.383909881963832,   \
        1.4142135623730951, 1.4451808069770467, 1.4768261459394993, 1.5091644275934228, 1.5422108254079407,  \
        1.5759808451078865, 1.6104903319492543, 1.645755478153965, 1.681792830507429, 1.718619298122478,     \
        1.7562521603732995, 1.7947090750031072, 1.8340080864093424, 1.8741676341103, 1.9152065613971474,     \
        1.9571441241754002
#if defined(__CUDACC__)
static __device__ const double kExp2Device[32] = {NL_EXP2_32NDS};
#endif
inline constexpr double kExp2Host[32] = {NL_EXP2_32NDS};
#undef NL_EXP2_32NDS

// e^x in double for |x| <= 104 (relative error below 2e-12), the core of exp_f32 and tanh_f32:
// x = (32 k + i) ln2/32 + r with |r| <= ln2/64, exp(x) = 2^k * 2^(i/32) * (1 + r + r^2/2 + r^3/6 +
// r^4/24) with adds and multiplies only. No fma: on a CPU built without -mfma each std::fma is a
// library call, which made these ops ten times slower than libm's expf.
NL_HOST_DEVICE double exp_core(double x) {
    using C = Consts<double>;
    const double t = add(mul(x, 46.166241308446828), 0.5);      // x * 32 / ln 2, + 1/2
    double jf = static_cast<double>(static_cast<long long>(t));  // floor(t): t >= 0 ...
    if (jf > t) jf = sub(jf, 1.0);                                // ... and t < 0
    const long long j = static_cast<long long>(jf);
    const int i = static_cast<int>(j & 31), k = static_cast<int>((j - i) / 32);
    // r = x - j ln2/32 (j * kLn2Hi/32 is exact: |j| < 2^13 and kLn2Hi has 32 bits).
    const double r = sub(sub(x, mul(jf, C::kLn2Hi / 32)), mul(jf, C::kLn2Lo / 32));
    const double r2 = mul(r, r);
    const double p = add(add(1.0, r), mul(r2, add(add(0.5, mul(r, 1.66666666666666667e-01)), mul(r2, 4.16666666666666667e-02))));
#if defined(__CUDA_ARCH__)
    const double two_i = kExp2Device[i];
#else
    const double two_i = kExp2Host[i];
#endif
    return mul(mul(two_i, p), pow2i<double>(k));  // the scaling is exact
}

// exp of a float for the elementwise ops (exp, sigmoid, silu): exp_core rounded once to float.
// Double carries the error far below a float ulp, so the result is within 0.51 ulp, and its bits
// are the same on the GPU.
NL_HOST_DEVICE float exp_f32(float xf) {
    if (!(xf == xf)) return xf;
    if (xf > Consts<float>::kExpMax) return from_bits(Consts<float>::kInfBits);
    if (xf < -104.0f) return 0.0f;  // exp below 2^-150: rounds to +0 in float
    return static_cast<float>(exp_core(xf));  // one rounding to float
}

// tanh of a float, the same way (double, adds / multiplies / divides, one rounding): x - x^3/3
// below 2^-12, (e - 1) / (e + 1) with e = exp_core(2|x|) up to 9.1, where tanh rounds to 1.
// Within 0.51 ulp.
NL_HOST_DEVICE float tanh_f32(float xf) {
    if (!(xf == xf)) return xf;
    const bool negative = (bits(xf) >> 31) != 0;  // -0 too: tanh(-0) = -0
    const double x = xf, a = negative ? -x : x;
    double t;
    if (a < 2.44140625e-4) {
        t = mul(a, sub(1.0, div(mul(a, a), 3.0)));
    } else if (a < 9.1) {
        const double e = exp_core(add(a, a));
        t = div(sub(e, 1.0), add(e, 1.0));
    } else {
        t = 1.0;
    }
    return static_cast<float>(negative ? -t : t);
}

// sin and cos of a float, the same way: x = k pi/2 + r by a three-part pi/2 (Cody and Waite;
// k * the first two parts exact for |k| < 2^20), Taylor polynomials to r^11 / r^12 on
// |r| <= pi/4 in double, the quadrant from k, one rounding. For |x| >= 2^19 each side uses its own
// library (the reduction would need more of pi): there the bits may differ between devices.
NL_HOST_DEVICE double sin_poly_d(double r) {
    const double z = mul(r, r);
    double p = -2.50521083854417188e-08;  // -1/11!
    p = add(mul(p, z), 2.75573192239858907e-06);
    p = add(mul(p, z), -1.98412698412698413e-04);
    p = add(mul(p, z), 8.33333333333333333e-03);
    p = add(mul(p, z), -1.66666666666666667e-01);
    return add(r, mul(mul(r, z), p));
}
NL_HOST_DEVICE double cos_poly_d(double r) {
    const double z = mul(r, r);
    double p = 2.08767569878680990e-09;  // 1/12!
    p = add(mul(p, z), -2.75573192239858907e-07);
    p = add(mul(p, z), 2.48015873015873016e-05);
    p = add(mul(p, z), -1.38888888888888889e-03);
    p = add(mul(p, z), 4.16666666666666667e-02);
    return add(sub(1.0, mul(0.5, z)), mul(mul(z, z), p));
}
// The reduced argument r and the quadrant (k mod 4) of x, |x| < 2^19.
NL_HOST_DEVICE double reduce_pio2(double x, int& quadrant) {
    const double t = add(mul(x, 0.63661977236758134), 0.5);     // x * 2/pi, + 1/2
    double kf = static_cast<double>(static_cast<long long>(t));  // floor(t)
    if (kf > t) kf = sub(kf, 1.0);
    quadrant = static_cast<int>(static_cast<long long>(kf) & 3);
    const double r = sub(x, mul(kf, 1.57079632673412561417e+00));  // pi/2's first 33 bits: exact
    return sub(sub(r, mul(kf, 6.07710050630396597660e-11)), mul(kf, 2.02226624879595063154e-21));
}
// sin(x) for quarter_turns 0, cos(x) = sin(x + pi/2) for 1: the quadrant of x advanced by that.
NL_HOST_DEVICE float sin_quadrant_f32(float xf, int quarter_turns) {
    const float ax = xf < 0 ? -xf : xf;
    if (!(ax < 524288.0f)) {
#if defined(__CUDA_ARCH__)
        return quarter_turns ? ::cosf(xf) : ::sinf(xf);
#else
        return quarter_turns ? std::cos(xf) : std::sin(xf);
#endif
    }
    int q;
    const double r = reduce_pio2(xf, q);
    q = (q + quarter_turns) & 3;
    const double v = (q & 1) ? cos_poly_d(r) : sin_poly_d(r);
    return static_cast<float>(q & 2 ? -v : v);
}
NL_HOST_DEVICE float sin_f32(float xf) {
    if (xf == 0.0f) return xf;  // sin(-0) = -0 (the polynomial would give +0)
    return sin_quadrant_f32(xf, 0);
}
NL_HOST_DEVICE float cos_f32(float xf) { return sin_quadrant_f32(xf, 1); }

// The elementwise ops' exp, tanh, sin and cos: the *_f32 functions for float (and the 16-bit types,
// computed in float); for double, dm::exp and each side's library for the others (not the same
// bits on both devices).
NL_HOST_DEVICE float exp_elementwise(float x) { return exp_f32(x); }
NL_HOST_DEVICE double exp_elementwise(double x) { return exp(x); }
NL_HOST_DEVICE float tanh_elementwise(float x) { return tanh_f32(x); }
NL_HOST_DEVICE float sin_elementwise(float x) { return sin_f32(x); }
NL_HOST_DEVICE float cos_elementwise(float x) { return cos_f32(x); }
#if defined(__CUDA_ARCH__)
NL_HOST_DEVICE double tanh_elementwise(double x) { return ::tanh(x); }
NL_HOST_DEVICE double sin_elementwise(double x) { return ::sin(x); }
NL_HOST_DEVICE double cos_elementwise(double x) { return ::cos(x); }
#else
NL_HOST_DEVICE double tanh_elementwise(double x) { return std::tanh(x); }
NL_HOST_DEVICE double sin_elementwise(double x) { return std::sin(x); }
NL_HOST_DEVICE double cos_elementwise(double x) { return std::cos(x); }
#endif

// sin and cos of x in [0, pi/4].
template <class T>
NL_HOST_DEVICE void sincos_kernel(T x, T& s, T& c) {
    const T z = mul(x, x);
    s = fma(mul(x, z), sin_poly(z), x);
    c = fma(z, cos_poly(z), T(1));
}

// sin and cos of 2*pi*(octant + frac)/8, for octant in 0..7 and frac in [0, 1) given exactly
// (the caller takes both straight from random bits, so no argument reduction error exists).
template <class T>
NL_HOST_DEVICE void sincos_octant(uint32_t octant, T frac, T& sin_out, T& cos_out) {
    using C = Consts<T>;
    const T y = (octant & 1u) ? sub(T(1), frac) : frac;  // exact: frac has few bits
    T s, c;
    sincos_kernel(mul(y, C::kQuarterPi), s, c);
    // Octants 1, 2, 5, 6 swap sin and cos; the sign pattern follows the quadrant.
    const bool swap = ((octant + 1u) & 2u) != 0;
    T sv = swap ? c : s;
    T cv = swap ? s : c;
    if (octant >= 4u) sv = -sv;
    if (octant >= 2u && octant <= 5u) cv = -cv;
    sin_out = sv;
    cos_out = cv;
}

}  // namespace nl::dm
