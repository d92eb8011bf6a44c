// The vectorised random kernels, compiled once per instruction set: kernels_<isa>.cpp defines
// NL_SIMD_NS (the namespace its vector type V lives in) and includes this file. The math
// (Philox, transforms) is in simd_math.h; here are the stores into each dtype, the loop over
// Philox units, the ops, and the table of entry points (kernels.h). Results are the bits of the
// scalar reference (tensor/random_block.h) for every op, dtype and range of blocks.
#ifndef NL_SIMD_NS
#error "define NL_SIMD_NS before including kernels_impl.h"
#endif
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "tensor/detmath.h"
#include "tensor/philox.h"
#include "tensor/simd/kernels.h"
#include "tensor/transforms.h"

namespace nl::simd::NL_SIMD_NS {

using U = V::U;
using F = V::F;
using M = V::M;
using D = V::D;
constexpr int W = V::W;
constexpr int kUnitBlocks = W / 2;  // blocks per unit
using FC = dm::Consts<float>;

inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

// The transforms below work on N independent vectors at a time, each statement for all N in turn:
// one vector's dependency chain (a division, a square root, a dozen fmas in a row) would otherwise
// leave most of the core idle.
#define NL_EACH(i, N) _Pragma("GCC unroll 16") for (int i = 0; i < N; ++i)

}  // namespace nl::simd::NL_SIMD_NS

#include "tensor/simd/simd_math.h"
#include "tensor/simd/elementwise_math.h"

namespace nl::simd::NL_SIMD_NS {

// ---- stores -------------------------------------------------------------------------------------
// W float32 results, elements [elem, elem + W) of an output of dtype DT (float-valued ops).
template <DType DT>
inline void store_float(void* dst, F v, bool nt) {
    if constexpr (DT == DType::Float32) {
        if (nt) V::stream(dst, V::asu(v));
        else V::fstore(static_cast<float*>(dst), v);
    } else if constexpr (DT == DType::Float16) {
        V::store_f16(static_cast<uint16_t*>(dst), v);
    } else if constexpr (DT == DType::BFloat16) {
        V::store_u16(static_cast<uint16_t*>(dst), bf16_bits(v));
    } else if constexpr (DT == DType::Float64) {
        V::store_f64_from_f32(static_cast<double*>(dst), v);
    }
}

// One vector to dst (non-temporal when nt: dst then is aligned to the vector size).
inline void put(void* dst, U v, bool nt) {
    if (nt) V::stream(dst, v);
    else V::store(dst, v);
}

// W small integers (held in 32-bit lanes, exact in int32) as dtype DT, as cast_from_int does.
template <DType DT>
inline void store_int(void* dst, U v, bool nt) {
    if constexpr (DT == DType::Int32) {
        if (nt) V::stream(dst, v);
        else V::store(dst, v);
    } else if constexpr (DT == DType::Int64) {
        U a, b;
        V::widen_u32_i64(v, V::zero(), a, b);
        put(dst, a, nt);
        put(static_cast<char*>(dst) + 4 * W, b, nt);
    } else if constexpr (DT == DType::UInt8) {
        V::store_u8(static_cast<uint8_t*>(dst), v);
    } else if constexpr (DT == DType::Bool) {
        V::store_u8(static_cast<uint8_t*>(dst), V::sel(V::testz(v, V::set1(0xFFFFFFFFu)), V::zero(), V::set1(1)));
    } else {
        store_float<DT>(dst, V::cvt_i32(v), nt);
    }
}

template <DType DT> constexpr int esize() {
    return DT == DType::Float64 || DT == DType::Int64 ? 8 : DT == DType::Float16 || DT == DType::BFloat16 ? 2
                                                          : DT == DType::UInt8 || DT == DType::Bool   ? 1
                                                                                                      : 4;
}

// ---- the unit loop ------------------------------------------------------------------------------
// Calls body(nv, w, dst, elem, nt) for groups of units of blocks [q0, q1): w[0 .. nv) are the word
// vectors of consecutive units (nv = 2K, a compile-time std::integral_constant), in element
// order; vector j's elements start at element elem + j * W * PER / 4, written at
// dst + j * W * PER / 4 * ES. A partial last unit is computed into scratch memory and its valid
// elements copied.
template <int PER, int ES, class Body>
inline void for_units(const FillArgs& a, void* out, int64_t q0, int64_t q1, bool allow_nt, Body&& body) {
    constexpr int K = 4;  // units per group: four Philox states in flight hide the multiply latency
    constexpr int64_t kStep = K * kUnitBlocks;
    char* base = static_cast<char*>(out);
    const bool nt = allow_nt && a.stream_stores &&
                    reinterpret_cast<uintptr_t>(base + q0 * PER * ES) % V::kAlign == 0;
    int64_t q = q0;
    for (; q + kStep <= q1; q += kStep) {
        U w[2 * K];
        philox_units<K>(a.seed, a.stream, a.offset + static_cast<uint64_t>(q), w);
        const int64_t elem = q * PER;
        body(std::integral_constant<int, 2 * K>(), w, base + elem * ES, elem, nt);
    }
    for (; q < q1; q += kUnitBlocks) {
        U w[2];
        philox_units<1>(a.seed, a.stream, a.offset + static_cast<uint64_t>(q), w);
        const int64_t elem = q * PER;
        if (q + kUnitBlocks <= q1) {
            body(std::integral_constant<int, 2>(), w, base + elem * ES, elem, false);
        } else {
            alignas(64) char tmp[kUnitBlocks * PER * ES];
            body(std::integral_constant<int, 2>(), w, tmp, elem, false);
            std::memcpy(base + elem * ES, tmp, static_cast<size_t>((q1 - q) * PER * ES));
        }
    }
    if (nt) V::sfence();
}

// ---- ops ----------------------------------------------------------------------------------------
template <DType DT>
void uniform_f32_family(const FillArgs& a, void* out, int64_t q0, int64_t q1) {
    const F span = V::fset1(a.span_f), lo = V::fset1(a.af), hi = V::fset1(a.bf), below = V::fset1(a.below_b_f);
    const bool unit = a.unit_interval, clamp = a.clamp_f;
    constexpr int ES = esize<DT>();
    auto value = [&](U w) -> F {
        if constexpr (DT == DType::Float16) {
            return V::mul(V::cvt_i32(V::srl32<21>(w)), V::fset1(4.8828125e-04f));  // xf::uniform_f16
        } else if constexpr (DT == DType::BFloat16) {
            return V::mul(V::cvt_i32(V::srl32<24>(w)), V::fset1(3.90625e-03f));   // xf::uniform_bf16
        } else {
            const F u = uniform01(w);
            if (unit) return u;  // fma(u, 1, 0) == u and u < 1
            const F x = V::fma(u, span, lo);
            return clamp ? V::fsel(V::ge(x, hi), below, x) : x;
        }
    };
    for_units<4, ES>(a, out, q0, q1, true, [&](auto nv, const U* w, char* dst, int64_t, bool nt) {
        NL_EACH(j, decltype(nv)::value) store_float<DT>(dst + j * W * ES, value(w[j]), nt);
    });
}

void uniform_f64(const FillArgs& a, void* out, int64_t q0, int64_t q1) {
    const D span = V::dset1(a.span_d), lo = V::dset1(a.ad), hi = V::dset1(a.bd), below = V::dset1(a.below_b_d);
    const D scale = V::dset1(xf::kTwoPow53Inv);
    const bool unit = a.unit_interval, clamp = a.clamp_d;
    auto value = [&](U w) -> U {  // 64-bit lanes = join64(w_2j, w_2j+1): one element each
        const D u = V::dmul(V::u53_to_f64(V::srl64<11>(w)), scale);
        if (unit) return V::asu64(u);
        const D x = V::dfma(u, span, lo);
        return clamp ? V::dge_sel(x, hi, below) : V::asu64(x);
    };
    for_units<2, 8>(a, out, q0, q1, true, [&](auto nv, const U* w, char* dst, int64_t, bool nt) {
        NL_EACH(j, decltype(nv)::value) put(dst + j * W * 4, value(w[j]), nt);
    });
}

// Normal, log-normal (float32, float16, bfloat16): Box-Muller on (w0, w1) and (w2, w3) of each
// block -> elements 4q..4q+3 = (cos, sin) of the first pair, then of the second.
template <DType DT>
void normal_f32_family(const FillArgs& a, void* out, int64_t q0, int64_t q1, bool lognormal) {
    const F mean = V::fset1(a.af), sdev = V::fset1(a.bf);
    constexpr int ES = esize<DT>();
    for_units<4, ES>(a, out, q0, q1, true, [&](auto nv, const U* w, char* dst, int64_t, bool nt) {
        constexpr int NP = decltype(nv)::value / 2;  // units: each a pair of word vectors
        U rw[NP], aw[NP];
        F zc[NP], zs[NP];
        NL_EACH(k, NP) {
            rw[k] = V::asu(V::even_words(V::asf(w[2 * k]), V::asf(w[2 * k + 1])));  // w0, w2 of each block
            aw[k] = V::asu(V::odd_words(V::asf(w[2 * k]), V::asf(w[2 * k + 1])));   // w1, w3
        }
        normal_pair_n<NP>(rw, aw, zc, zs);
        NL_EACH(k, NP) {
            F vx = V::fma(V::unpacklo_f(zc[k], zs[k]), sdev, mean);
            F vy = V::fma(V::unpackhi_f(zc[k], zs[k]), sdev, mean);
            if (lognormal) {
                vx = exp(vx);
                vy = exp(vy);
            }
            store_float<DT>(dst + (2 * k) * W * ES, vx, nt);
            store_float<DT>(dst + (2 * k + 1) * W * ES, vy, nt);
        }
    });
}

template <DType DT>
void exponential_f32_family(const FillArgs& a, void* out, int64_t q0, int64_t q1) {
    const F lambda = V::fset1(a.af);
    constexpr int ES = esize<DT>();
    for_units<4, ES>(a, out, q0, q1, true, [&](auto nv, const U* w, char* dst, int64_t, bool nt) {
        constexpr int NV = decltype(nv)::value;
        F v[NV];
        exponential_n<NV>(w, lambda, v);
        NL_EACH(j, NV) store_float<DT>(dst + j * W * ES, v[j], nt);
    });
}

template <DType DT>
void cauchy_f32_family(const FillArgs& a, void* out, int64_t q0, int64_t q1) {
    const F median = V::fset1(a.af), sigma = V::fset1(a.bf);
    constexpr int ES = esize<DT>();
    for_units<4, ES>(a, out, q0, q1, true, [&](auto nv, const U* w, char* dst, int64_t, bool nt) {
        constexpr int NV = decltype(nv)::value;
        F v[NV];
        cauchy_n<NV>(w, median, sigma, v);
        NL_EACH(j, NV) store_float<DT>(dst + j * W * ES, v[j], nt);
    });
}

template <DType DT>
void bernoulli_all(const FillArgs& a, void* out, int64_t q0, int64_t q1) {
    const U t = V::set1(a.threshold32);
    const bool always = a.always_one;
    constexpr int ES = esize<DT>();
    auto value = [&](U w) -> U { return always ? V::set1(1) : V::sel(V::lt_u32(w, t), V::set1(1), V::zero()); };
    for_units<4, ES>(a, out, q0, q1, true, [&](auto nv, const U* w, char* dst, int64_t, bool nt) {
        NL_EACH(j, decltype(nv)::value) store_int<DT>(dst + j * W * ES, value(w[j]), nt);
    });
}

// RandInt, range <= 2^32 (one word per element): Lemire's multiply. The rare rejected lanes
// (lo32 < reject_below) are recomputed by the scalar reference in a scratch copy before the
// store, so that non-temporal stores never race a later plain store to the same element.
template <DType DT>
void randint32(const FillArgs& a, void* out, int64_t q0, int64_t q1) {
    const U r = V::set1_64(a.range32);
    const U tb = V::set1(a.reject_below);
    const U low32 = V::set1(static_cast<uint32_t>(a.low));
    const U low64 = V::set1_64(static_cast<uint64_t>(a.low));
    const U lomask = V::set1_64(0xFFFFFFFFull);
    const bool full = a.full_range, check = a.reject_below != 0;
    constexpr int ES = esize<DT>();
    auto one = [&](U w, char* dst, int64_t elem, bool nt) __attribute__((always_inline)) {
        U pe = V::zero(), po = V::zero();
        unsigned rejected = 0;
        if (!full) {
            pe = V::mul_epu32(w, r);                // lanes 0, 2, ...: 64-bit products
            po = V::mul_epu32(V::srl64<32>(w), r);  // lanes 1, 3, ...
            if (check) rejected = V::bits(V::lt_u32(V::or_(V::and_(pe, lomask), V::sll64<32>(po)), tb));
        }
        alignas(64) char tmp[W * ES];
        char* to = rejected ? tmp : dst;
        const bool stream = nt && !rejected;
        if constexpr (DT == DType::Int64) {
            U x, y;
            if (full) {
                V::widen_u32_i64(w, low64, x, y);
            } else {
                const U ve = V::add64(V::srl64<32>(pe), low64);
                const U vo = V::add64(V::srl64<32>(po), low64);
                V::order_pairs_i64(V::unpacklo64(ve, vo), V::unpackhi64(ve, vo), x, y);
            }
            put(to, x, stream);
            put(to + 4 * W, y, stream);
        } else {
            const U k = full ? w : V::or_(V::srl64<32>(pe), V::and_(po, V::set1_64(0xFFFFFFFF00000000ull)));
            store_int<DT>(to, V::add32(k, low32), stream);
        }
        if (rejected) {
            for (unsigned m = rejected; m; m &= m - 1) {
                const int i = __builtin_ctz(m);
                randint_fixup(a, elem + i, tmp + i * ES);
            }
            std::memcpy(dst, tmp, sizeof tmp);
        }
    };
    for_units<4, ES>(a, out, q0, q1, true, [&](auto nv, const U* w, char* dst, int64_t elem, bool nt) {
        NL_EACH(j, decltype(nv)::value) one(w[j], dst + j * W * ES, elem + j * W, nt);
    });
}

bool fill(const FillArgs& a, void* out, int64_t q0, int64_t q1) {
    if (a.per_element || q1 <= q0) return !a.per_element;
    const DType d = a.dtype;
    switch (a.kind) {
        case RandomKind::Uniform:
            switch (d) {
                case DType::Float32: uniform_f32_family<DType::Float32>(a, out, q0, q1); return true;
                case DType::Float16:
                    if (!a.unit_interval) return false;
                    uniform_f32_family<DType::Float16>(a, out, q0, q1);
                    return true;
                case DType::BFloat16:
                    if (!a.unit_interval) return false;
                    uniform_f32_family<DType::BFloat16>(a, out, q0, q1);
                    return true;
                case DType::Float64:
                    if (!a.unit_interval && !V::kHasF64Fma) return false;
                    uniform_f64(a, out, q0, q1);
                    return true;
                default: return false;
            }
        case RandomKind::Normal:
        case RandomKind::LogNormal: {
            const bool ln = a.kind == RandomKind::LogNormal;
            switch (d) {
                case DType::Float32: normal_f32_family<DType::Float32>(a, out, q0, q1, ln); return true;
                case DType::Float16: normal_f32_family<DType::Float16>(a, out, q0, q1, ln); return true;
                case DType::BFloat16: normal_f32_family<DType::BFloat16>(a, out, q0, q1, ln); return true;
                default: return false;
            }
        }
        case RandomKind::Exponential:
            switch (d) {
                case DType::Float32: exponential_f32_family<DType::Float32>(a, out, q0, q1); return true;
                case DType::Float16: exponential_f32_family<DType::Float16>(a, out, q0, q1); return true;
                case DType::BFloat16: exponential_f32_family<DType::BFloat16>(a, out, q0, q1); return true;
                default: return false;
            }
        case RandomKind::Cauchy:
            switch (d) {
                case DType::Float32: cauchy_f32_family<DType::Float32>(a, out, q0, q1); return true;
                case DType::Float16: cauchy_f32_family<DType::Float16>(a, out, q0, q1); return true;
                case DType::BFloat16: cauchy_f32_family<DType::BFloat16>(a, out, q0, q1); return true;
                default: return false;
            }
        case RandomKind::Bernoulli:
            switch (d) {
                case DType::Float32: bernoulli_all<DType::Float32>(a, out, q0, q1); return true;
                case DType::Float16: bernoulli_all<DType::Float16>(a, out, q0, q1); return true;
                case DType::BFloat16: bernoulli_all<DType::BFloat16>(a, out, q0, q1); return true;
                case DType::Float64: bernoulli_all<DType::Float64>(a, out, q0, q1); return true;
                case DType::Int64: bernoulli_all<DType::Int64>(a, out, q0, q1); return true;
                case DType::Int32: bernoulli_all<DType::Int32>(a, out, q0, q1); return true;
                case DType::UInt8: bernoulli_all<DType::UInt8>(a, out, q0, q1); return true;
                case DType::Bool: bernoulli_all<DType::Bool>(a, out, q0, q1); return true;
            }
            return false;
        case RandomKind::RandInt:
            if (a.range32 == 0 && !a.full_range) return false;  // range > 2^32: two words per element
            switch (d) {
                case DType::Int64: randint32<DType::Int64>(a, out, q0, q1); return true;
                case DType::Int32: randint32<DType::Int32>(a, out, q0, q1); return true;
                case DType::UInt8: randint32<DType::UInt8>(a, out, q0, q1); return true;
                case DType::Bool: randint32<DType::Bool>(a, out, q0, q1); return true;
                case DType::Float32: randint32<DType::Float32>(a, out, q0, q1); return true;
                case DType::Float16: randint32<DType::Float16>(a, out, q0, q1); return true;
                case DType::BFloat16: randint32<DType::BFloat16>(a, out, q0, q1); return true;
                default: return false;  // float64 ranges reach 2^53: not exact in int32 lanes
            }
        default:
            return false;
    }
}

// ---- array versions of the transforms, for the tests --------------------------------------------
// Runs f(i) on every W-lane group of n elements, the last group padded with copies of lane 0.
template <class T>
inline void load_padded(const T* src, int64_t i, int64_t n, T* buf) {
    for (int j = 0; j < W; ++j) buf[j] = src[(i + j < n) ? i + j : i];
}

void normal_pair_arr(const uint32_t* w0, const uint32_t* w1, int64_t n, float* z0, float* z1) {
    alignas(64) uint32_t b0[W], b1[W];
    alignas(64) float o0[W], o1[W];
    for (int64_t i = 0; i < n; i += W) {
        load_padded(w0, i, n, b0);
        load_padded(w1, i, n, b1);
        F a, b;
        normal_pair(V::load(b0), V::load(b1), a, b);
        V::fstore(o0, a);
        V::fstore(o1, b);
        for (int j = 0; j < W && i + j < n; ++j) {
            z0[i + j] = o0[j];
            z1[i + j] = o1[j];
        }
    }
}

template <int WHICH>
void unary_arr(const float* x, int64_t n, float* out) {
    alignas(64) float b[W], o[W];
    for (int64_t i = 0; i < n; i += W) {
        load_padded(x, i, n, b);
        const F v = V::fload(b);
        V::fstore(o, WHICH == 0 ? log(v) : exp(v));
        for (int j = 0; j < W && i + j < n; ++j) out[i + j] = o[j];
    }
}

void sincos_arr(const uint32_t* octant, const float* frac, int64_t n, float* s, float* c) {
    alignas(64) uint32_t bo[W];
    alignas(64) float bf[W], os[W], oc[W];
    for (int64_t i = 0; i < n; i += W) {
        load_padded(octant, i, n, bo);
        load_padded(frac, i, n, bf);
        F sv, cv;
        sincos_octant(V::load(bo), V::fload(bf), sv, cv);
        V::fstore(os, sv);
        V::fstore(oc, cv);
        for (int j = 0; j < W && i + j < n; ++j) {
            s[i + j] = os[j];
            c[i + j] = oc[j];
        }
    }
}

void fma_arr(const float* a, const float* b, const float* c, int64_t n, float* out) {
    alignas(64) float ba[W], bb[W], bc[W], o[W];
    for (int64_t i = 0; i < n; i += W) {
        load_padded(a, i, n, ba);
        load_padded(b, i, n, bb);
        load_padded(c, i, n, bc);
        V::fstore(o, V::fma(V::fload(ba), V::fload(bb), V::fload(bc)));
        for (int j = 0; j < W && i + j < n; ++j) out[i + j] = o[j];
    }
}

template <DType DT>
void to_half_arr(const float* x, int64_t n, uint16_t* out) {
    alignas(64) float b[W];
    alignas(64) uint16_t o[W];
    for (int64_t i = 0; i < n; i += W) {
        load_padded(x, i, n, b);
        store_float<DT>(o, V::fload(b), false);
        for (int j = 0; j < W && i + j < n; ++j) out[i + j] = o[j];
    }
}

inline Kernels make_kernels(SimdLevel level) {
    Kernels k{};
    k.level = level;
    k.words = &words;
    k.fill = &fill;
    k.normal_pair_f32 = &normal_pair_arr;
    k.log_f32 = &unary_arr<0>;
    k.exp_f32 = &unary_arr<1>;
    k.sincos_octant_f32 = &sincos_arr;
    k.fma_f32 = &fma_arr;
    k.f32_to_f16 = &to_half_arr<DType::Float16>;
    k.f32_to_bf16 = &to_half_arr<DType::BFloat16>;
    k.logits_max_f32 = &logits_max_f32;
    k.math_f32 = &math_f32_arr;
    if constexpr (V::kHasF64Fma) {
        k.logit_weights_f32 = &logit_weights<float>;
        k.logit_weights_f64 = &logit_weights<double>;
        k.exp_f64 = &exp_f64_arr;
    }
    return k;
}

}  // namespace nl::simd::NL_SIMD_NS
#undef NL_EACH
