// Transforms from Philox words to distributions: small host+device functions, one per
// distribution, each stating its interval and method. The CPU loops, the SIMD paths and the CUDA
// kernels all call (or replicate op for op) these functions, so every device gives the same bits.
// The word layout (which words element i reads) is in random_block.h and docs/STREAMS.md.
#pragma once
#include <cstdint>

#include "tensor/detmath.h"
#include "tensor/host_device.h"
#include "tensor/normal_tables.h"

namespace nl::xf {

constexpr float kTwoPow24Inv = 5.9604644775390625e-08f;   // 2^-24
constexpr float kTwoPow31Inv = 4.656612873077392578e-10f; // 2^-31
constexpr float kTwoPow32Inv = 2.328306436538696289e-10f; // 2^-32
constexpr double kTwoPow53Inv = 1.1102230246251565404e-16; // 2^-53

NL_HOST_DEVICE uint64_t join64(uint32_t lo, uint32_t hi) {
    return (static_cast<uint64_t>(hi) << 32) | lo;
}

// ---- uniforms ----------------------------------------------------------------------------------
// [0, 1), multiples of 2^-24 (the top 24 bits of w): every float32 value is exact.
NL_HOST_DEVICE float uniform_f32(uint32_t w) {
    return static_cast<float>(w >> 8) * kTwoPow24Inv;
}
// (0, 1]: fma(float(k), 2^-31, 2^-32) with k = w >> 1 (31 bits). Two roundings: float(k) rounds k
// to 24 bits (nearest even) when k >= 2^24, then the fma rounds. Smallest 2^-32, so log() of it is
// finite and Box-Muller reaches 6.66 sigma; 1.0 itself comes from the 128 words >= 2^32 - 128.
NL_HOST_DEVICE float uniform_open0_f32(uint32_t w) {
    return dm::fma(static_cast<float>(static_cast<int32_t>(w >> 1)), kTwoPow31Inv, kTwoPow32Inv);
}
// [0, 1), multiples of 2^-53, from two words (first word = low half).
NL_HOST_DEVICE double uniform_f64(uint32_t w0, uint32_t w1) {
    return static_cast<double>(join64(w0, w1) >> 11) * kTwoPow53Inv;
}
// (0, 1], multiples of 2^-53.
NL_HOST_DEVICE double uniform_open0_f64(uint32_t w0, uint32_t w1) {
    return static_cast<double>((join64(w0, w1) >> 11) + 1) * kTwoPow53Inv;
}
// (0, 1) exclusive both ends: (2k+1) * 2^-53 with k the top 52 bits.
NL_HOST_DEVICE double uniform_open_f64(uint32_t w0, uint32_t w1) {
    return static_cast<double>(((join64(w0, w1) >> 12) << 1) | 1u) * kTwoPow53Inv;
}
// float16 / bfloat16 rand: the top 11 / 8 bits, so every value is exact and 1.0 never appears.
NL_HOST_DEVICE float uniform_f16(uint32_t w) { return static_cast<float>(w >> 21) * 4.8828125e-04f; }
NL_HOST_DEVICE float uniform_bf16(uint32_t w) { return static_cast<float>(w >> 24) * 3.90625e-03f; }

// The largest value of T below b (b finite).
template <class T>
NL_HOST_DEVICE T next_below(T b) {
    using B = decltype(dm::bits(b));
    if (b > T(0)) return dm::from_bits(static_cast<B>(dm::bits(b) - 1));
    if (b == T(0)) return -dm::from_bits(static_cast<B>(1));
    return dm::from_bits(static_cast<B>(dm::bits(b) + 1));
}

// a + (b - a) * u as one fma; where rounding reaches b, the largest value below b instead, so the
// interval [a, b) of torch.Tensor.uniform_ holds exactly.
template <class T>
NL_HOST_DEVICE T scale_to_interval(T u, T a, T b) {
    const T x = dm::fma(u, dm::sub(b, a), a);
    return (x >= b && a < b) ? next_below(b) : x;
}

// ---- normal (Box-Muller, float32: stream version 2) ---------------------------------------------
// The tables (scripts/gen_normal_tables.py, tensor/normal_tables.h): 16 (-2c, -2L) pairs for the
// log, 32 (S, C) pairs for the angle; small enough for a register permute on the CPU. Host code
// reads the constexpr copy; device code the __device__ copy or, in the fast random kernels,
// copies its block put in shared memory.
struct alignas(8) FloatPair {
    float a, b;
};
constexpr int kNormalLogEntries = 16;
constexpr int kNormalSinCosEntries = 32;
inline constexpr FloatPair kNormalLogTableHost[kNormalLogEntries] = {NL_NORMAL_LOG_TABLE};
inline constexpr FloatPair kNormalSinCosTableHost[kNormalSinCosEntries] = {NL_NORMAL_SINCOS_TABLE};
#if defined(__CUDACC__)
static __device__ const FloatPair kNormalLogTableDevice[kNormalLogEntries] = {NL_NORMAL_LOG_TABLE};
static __device__ const FloatPair kNormalSinCosTableDevice[kNormalSinCosEntries] = {NL_NORMAL_SINCOS_TABLE};
#endif

// Where the transform reads the tables: entry i of the log table at log[i * log_stride], entry j
// of the angle table at sincos[j * sincos_stride] (strides above 1: the GPU's interleaved copies).
struct NormalTables {
    const FloatPair* log;
    const FloatPair* sincos;
    int log_stride = 1;
    int sincos_stride = 1;
};
NL_HOST_DEVICE NormalTables normal_tables() {
#if defined(__CUDA_ARCH__)
    return {kNormalLogTableDevice, kNormalSinCosTableDevice};
#else
    return {kNormalLogTableHost, kNormalSinCosTableHost};
#endif
}

// -2 ln(u) for the radius, u = float(w | 1) * 2^-32 in [2^-32, 1] (float(w | 1) rounds once to 24
// bits: the 128 words >= 2^32 - 128 give u = 1 and radius 0; the smallest u gives 6.66 sigma).
// u = 2^e * m, m in [sqrt(1/2), sqrt(2)), split from the bits as in dm::log_split (the 2^-32 folded
// into the constant); bits 19..22 of bits(m) - K pick entry i = (c2, L2) = (-2c, -2L), c ~ 1/m,
// L = -ln(c). With r2 = fma(m, c2, 2) = -2(m*c - 1) (|m*c - 1| < 0.04, one rounding):
// -2 ln(u) = -2e ln2 + L2 + r2 + r2^2 (1/4 + r2 (1/12 + r2 (1/32 + r2/80))), that is -2 log1p(r) to
// the r^5 term (the next is below 1.6e-8 of the whole, 0.13 ulp). The entry holding 1.0 has c = 1
// and L = 0, so uniforms near 1 keep their relative accuracy. No division.
NL_HOST_DEVICE float minus_two_log_uniform_f32(uint32_t w, const NormalTables& t) {
    using C = dm::Consts<float>;
    constexpr uint32_t K = C::kSqrt2Bits - (1u << C::kMantBits) + 1;
    const uint32_t ix = dm::bits(static_cast<float>(w | 1u)) - (K + (32u << C::kMantBits));
    const int e = static_cast<int>(static_cast<int32_t>(ix) >> C::kMantBits);
    const FloatPair entry = t.log[static_cast<int>((ix >> 19) & 15u) * t.log_stride];
    const float m = dm::from_bits((ix & C::kMantMask) + K);
    const float r2 = dm::fma(m, entry.a, 2.0f);
    const float p = dm::fma(dm::fma(dm::fma(r2, 0.0125f, 0.03125f), r2, 0.0833333358f), r2, 0.25f);
    const float log_part = dm::fma(dm::mul(r2, r2), p, r2);
    const float ef = static_cast<float>(e);
    return dm::fma(ef, -2.0f * C::kLn2Hi, dm::add(entry.b, dm::fma(ef, -2.0f * C::kLn2Lo, log_part)));
}

// Two normals from two words (stream version 2): radius sqrt(-2 ln u) from w0 (above); angle
// theta = 2*pi*j/32 + delta from w1, j = (w1 + 2^26) >> 27 the nearest table angle (mod 32) and
// delta = f32(32 t) * f32(2*pi) * 2^-37, t = w1 - j*2^27 in [-2^26, 2^26) (w1's low 27 bits as a
// signed number; 32 t = int32(w1 << 5), rounded once to a float's 24 bits), so theta is
// 2*pi*w1/2^32 to within that rounding. |delta| <= pi/32: sin(delta) = delta + delta^3 (-1/6 +
// delta^2/120) and cos(delta) - 1 = delta^2 (-1/2 + delta^2/24) leave out less than 2e-9 (the next
// terms, delta^7/5040 and delta^6/720). Then sin(theta) = (S + C*sin delta) + S*(cos delta - 1),
// cos(theta) = (C - S*sin delta) + C*(cos delta - 1): the larger correction first, so that one
// rounding sits near the result's size (3.2 ulp end to end, against 3.8 the other way round). The table angles include 0, pi/2, pi and
// 3pi/2 (exact 0 and +-1), so values near zero keep their relative accuracy. z0 = r*cos(theta),
// z1 = r*sin(theta).
NL_HOST_DEVICE void normal_pair_f32(uint32_t w0, uint32_t w1, float& z0, float& z1, const NormalTables& t) {
    const float radius = dm::sqrt_radius(minus_two_log_uniform_f32(w0, t));  // IEEE sqrt, cheaper on the GPU
    const FloatPair sc = t.sincos[static_cast<int>((w1 + 0x4000000u) >> 27) * t.sincos_stride];
    const float delta = dm::mul(static_cast<float>(static_cast<int32_t>(w1 << 5)), 0x1.921fb6p-35f);
    const float d2 = dm::mul(delta, delta);
    const float sin_d = dm::fma(dm::mul(delta, d2), dm::fma(d2, 0.00833333377f, -0.166666672f), delta);
    const float cos_m1 = dm::mul(d2, dm::fma(d2, 0.0416666679f, -0.5f));
    const float s = dm::fma(sc.a, cos_m1, dm::fma(sc.b, sin_d, sc.a));
    const float c = dm::fma(sc.b, cos_m1, dm::fma(-sc.a, sin_d, sc.b));
    z0 = dm::mul(radius, c);
    z1 = dm::mul(radius, s);
}
NL_HOST_DEVICE void normal_pair_f32(uint32_t w0, uint32_t w1, float& z0, float& z1) {
    normal_pair_f32(w0, w1, z0, z1, normal_tables());
}
// float64: four words; radius from (w0, w1) in (0,1] (53 bits), angle from (w2, w3) (53 bits).
NL_HOST_DEVICE void normal_pair_f64(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, double& z0,
                                    double& z1) {
    const double r = dm::sqrt(dm::mul(-2.0, dm::log(uniform_open0_f64(w0, w1))));
    const uint64_t x = join64(w2, w3);
    const uint32_t octant = static_cast<uint32_t>(x >> 61);
    const double frac = static_cast<double>((x >> 11) & ((uint64_t(1) << 50) - 1)) * 8.8817841970012523e-16;  // 2^-50
    double s, c;
    dm::sincos_octant(octant, frac, s, c);
    z0 = dm::mul(r, c);
    z1 = dm::mul(r, s);
}

// ---- exponential, Cauchy -----------------------------------------------------------------------
// -log(u) / lambda, u in (0, 1]: values in [0, 22.2/lambda] for float32. Written 0 - log(u) so
// that u == 1 gives +0, not -0 (negation would set the sign bit of a non-negative variate).
NL_HOST_DEVICE float exponential_f32(uint32_t w, float lambda) {
    return dm::div(dm::sub(0.0f, dm::log(uniform_open0_f32(w))), lambda);
}
NL_HOST_DEVICE double exponential_f64(uint32_t w0, uint32_t w1, double lambda) {
    return dm::div(dm::sub(0.0, dm::log(uniform_open0_f64(w0, w1))), lambda);
}
// median + sigma * tan(pi*(u - 1/2)) = median - sigma * cos(pi u) / sin(pi u), u = (2k+1)*2^-25 in
// (0, 1) (k = top 24 bits), so the result is always finite (|tan| <= 1.07e7).
NL_HOST_DEVICE float cauchy_f32(uint32_t w, float median, float sigma) {
    const uint32_t odd = ((w >> 8) << 1) | 1u;  // 2k+1, 25 bits; pi*u = 2*pi*(odd * 2^-26)
    const uint32_t octant = odd >> 23;
    const float frac = static_cast<float>(odd & 0x7FFFFFu) * 1.1920928955078125e-07f;  // 2^-23
    float s, c;
    dm::sincos_octant(octant, frac, s, c);
    return dm::fma(sigma, -dm::div(c, s), median);
}
NL_HOST_DEVICE double cauchy_f64(uint32_t w0, uint32_t w1, double median, double sigma) {
    const uint64_t odd = ((join64(w0, w1) >> 11) << 1) | 1u;  // 54 bits
    const uint32_t octant = static_cast<uint32_t>(odd >> 51);
    const double frac = static_cast<double>(odd & ((uint64_t(1) << 51) - 1)) * 4.4408920985006262e-16;  // 2^-51
    double s, c;
    dm::sincos_octant(octant, frac, s, c);
    return dm::fma(sigma, -dm::div(c, s), median);
}

// ---- sampling without replacement (the exponential race) ------------------------------------------
// multinomial(replacement=false)'s key of a category of weight w from one word: w / E with
// E = 0 - log(u), u in (0, 1]. The largest keys win. u == 1 gives E = +0 and key +inf (first),
// where -log would give -0 and key -inf (never drawn); zero weights get key -1, so 0/0 (NaN)
// never reaches the sort and an underflowed positive key (>= 0) still beats every zero weight.
NL_HOST_DEVICE double race_key(double w, uint32_t word) {
    const float E = dm::sub(0.0f, dm::log(uniform_open0_f32(word)));
    return w > 0.0 ? dm::div(w, static_cast<double>(E)) : -1.0;
}

// ---- geometric ---------------------------------------------------------------------------------
// log(1 + x) for x in (-1, 0], accurate for tiny |x| (PyTorch's log1p(-p)).
NL_HOST_DEVICE double log1p_neg(double x) {
    const double u = dm::add(1.0, x);
    if (u == 1.0) return x;
    return dm::div(dm::mul(dm::log(u), x), dm::sub(u, 1.0));
}
// log(1 - p), geometric()'s denominator: it depends on p only, so fill loops compute it once.
NL_HOST_DEVICE double geometric_log_q(double p) { return log1p_neg(-p); }
// Trials up to and including the first success, in {1, 2, ...}: ceil(log(u) / log(1 - p)),
// u in (0, 1) exclusive (double), 0 < p < 1, log_q = geometric_log_q(p).
NL_HOST_DEVICE double geometric_from_log_q(uint32_t w0, uint32_t w1, double log_q) {
    const double q = dm::div(dm::log(uniform_open_f64(w0, w1)), log_q);
    if (q > 9.0e18) return q;  // beyond int64 (checked first: converting it would be undefined)
    double k = static_cast<double>(static_cast<long long>(q));
    if (k < q) k = dm::add(k, 1.0);
    return k < 1.0 ? 1.0 : k;
}
// The same for one element; p == 1 gives 1.
NL_HOST_DEVICE double geometric(uint32_t w0, uint32_t w1, double p) {
    if (p >= 1.0) return 1.0;
    return geometric_from_log_q(w0, w1, geometric_log_q(p));
}

// ---- Bernoulli ---------------------------------------------------------------------------------
// 1 when w < ceil(p * 2^32): P(1) = ceil(p*2^32)/2^32, within 2^-32 of p; p = 0 never, p = 1 always.
NL_HOST_DEVICE uint64_t bernoulli_threshold(double p) {
    const double t = dm::mul(p, 4294967296.0);
    uint64_t ti = static_cast<uint64_t>(t);
    if (static_cast<double>(ti) < t) ++ti;
    return ti;
}
NL_HOST_DEVICE bool bernoulli(uint32_t w, uint64_t threshold) { return w < threshold; }

// ---- integers (Lemire's multiply-shift with rejection: exactly unbiased) ------------------------
NL_HOST_DEVICE uint64_t mulhi64(uint64_t a, uint64_t b, uint64_t& lo) {
#if defined(__CUDA_ARCH__)
    lo = a * b;
    return __umul64hi(a, b);
#else
    const unsigned __int128 m = static_cast<unsigned __int128>(a) * b;
    lo = static_cast<uint64_t>(m);
    return static_cast<uint64_t>(m >> 64);
#endif
}

}  // namespace nl::xf
