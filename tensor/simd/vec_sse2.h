// The SSE2 (x86-64 baseline) vector primitives the generic kernels (kernels_impl.h) are written
// in: 4 lanes of 32 bits. SSE2 has no fused multiply-add, so fma() computes it exactly in double
// and rounds once (see fma_pd_to_odd). Include only from kernels_sse2.cpp.
#pragma once
#include <emmintrin.h>

#include "tensor/simd/kernels.h"

#include <cstdint>

namespace nl::simd::isa_sse2 {

struct V {
    static constexpr int W = 4;
    static constexpr int kAlign = 16;
    using U = __m128i;
    using F = __m128;
    using M = __m128i;
    using D = __m128d;

    // ---- 32-bit integer lanes -------------------------------------------------------------
    static U set1(uint32_t x) { return _mm_set1_epi32(static_cast<int>(x)); }
    static U set1_64(uint64_t x) { return _mm_set1_epi64x(static_cast<long long>(x)); }
    static U zero() { return _mm_setzero_si128(); }
    static U load(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
    static void store(void* p, U v) { _mm_storeu_si128(static_cast<__m128i*>(p), v); }
    static void stream(void* p, U v) { _mm_stream_si128(static_cast<__m128i*>(p), v); }
    static U add32(U a, U b) { return _mm_add_epi32(a, b); }
    static U sub32(U a, U b) { return _mm_sub_epi32(a, b); }
    static U add64(U a, U b) { return _mm_add_epi64(a, b); }
    static U and_(U a, U b) { return _mm_and_si128(a, b); }
    static U or_(U a, U b) { return _mm_or_si128(a, b); }
    static U xor_(U a, U b) { return _mm_xor_si128(a, b); }
    static U xor3(U a, U b, U c) { return _mm_xor_si128(_mm_xor_si128(a, b), c); }
    template <int N> static U srl32(U a) { return _mm_srli_epi32(a, N); }
    template <int N> static U sll32(U a) { return _mm_slli_epi32(a, N); }
    template <int N> static U sra32(U a) { return _mm_srai_epi32(a, N); }
    template <int N> static U srl64(U a) { return _mm_srli_epi64(a, N); }
    template <int N> static U sll64(U a) { return _mm_slli_epi64(a, N); }
    static U swap32(U a) { return _mm_shuffle_epi32(a, 0xB1); }
    static U mul_epu32(U a, U b) { return _mm_mul_epu32(a, b); }
    static U unpacklo64(U a, U b) { return _mm_unpacklo_epi64(a, b); }
    static U unpackhi64(U a, U b) { return _mm_unpackhi_epi64(a, b); }
    static U unpacklo32(U a, U b) { return _mm_unpacklo_epi32(a, b); }
    static U unpackhi32(U a, U b) { return _mm_unpackhi_epi32(a, b); }
    static U block_offsets() { return _mm_set_epi64x(1, 0); }

    static M lt_u32(U a, U b) {
        const U s = _mm_set1_epi32(static_cast<int>(0x80000000u));
        return _mm_cmplt_epi32(_mm_xor_si128(a, s), _mm_xor_si128(b, s));
    }
    static M lt_i32(U a, U b) { return _mm_cmplt_epi32(a, b); }
    static M gt_i32(U a, U b) { return _mm_cmpgt_epi32(a, b); }
    static M testz(U a, U b) { return _mm_cmpeq_epi32(_mm_and_si128(a, b), _mm_setzero_si128()); }
    static U sel(M m, U t, U f) { return _mm_or_si128(_mm_and_si128(m, t), _mm_andnot_si128(m, f)); }
    static M m_and(M a, M b) { return _mm_and_si128(a, b); }
    static M m_or(M a, M b) { return _mm_or_si128(a, b); }
    static M m_none() { return _mm_setzero_si128(); }
    static M m_all() { return _mm_set1_epi32(-1); }
    static unsigned bits(M m) { return static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(m))); }

    // ---- float32 lanes --------------------------------------------------------------------
    static F fset1(float x) { return _mm_set1_ps(x); }
    static F fload(const float* p) { return _mm_loadu_ps(p); }
    static void fstore(float* p, F v) { _mm_storeu_ps(p, v); }
    static F add(F a, F b) { return _mm_add_ps(a, b); }
    static F sub(F a, F b) { return _mm_sub_ps(a, b); }
    static F mul(F a, F b) { return _mm_mul_ps(a, b); }
    static F div(F a, F b) { return _mm_div_ps(a, b); }
    static F sqrt(F a) { return _mm_sqrt_ps(a); }

    // a*b + c rounded once, for two lanes in double: the product of two floats is exact in double;
    // the sum is rounded to odd (round to nearest, then, if inexact, the neighbour with an odd last
    // bit), which has 53 > 24 + 1 bits, so the final rounding to float is the correctly rounded
    // fused result (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums", 2008).
    static D fma_pd_to_odd(D a, D b, D c) {
        const D p = _mm_mul_pd(a, b);
        const D s = _mm_add_pd(p, c);
        const D bb = _mm_sub_pd(s, p);
        const D err = _mm_add_pd(_mm_sub_pd(p, _mm_sub_pd(s, bb)), _mm_sub_pd(c, bb));  // exact (TwoSum)
        const __m128i inexact = _mm_castpd_si128(_mm_cmpneq_pd(err, _mm_setzero_pd()));
        // err of the other sign than s: the truncation toward zero is one unit below s.
        const __m128i opp = _mm_shuffle_epi32(
            _mm_srai_epi32(_mm_xor_si128(_mm_castpd_si128(err), _mm_castpd_si128(s)), 31), 0xF5);
        const __m128i one = _mm_set1_epi64x(1);
        const __m128i t = _mm_sub_epi64(_mm_castpd_si128(s), _mm_and_si128(_mm_and_si128(inexact, opp), one));
        return _mm_castsi128_pd(_mm_or_si128(t, _mm_and_si128(inexact, one)));
    }
    static F fma(F a, F b, F c) {
        const D lo = fma_pd_to_odd(_mm_cvtps_pd(a), _mm_cvtps_pd(b), _mm_cvtps_pd(c));
        const D hi = fma_pd_to_odd(_mm_cvtps_pd(_mm_movehl_ps(a, a)), _mm_cvtps_pd(_mm_movehl_ps(b, b)),
                                   _mm_cvtps_pd(_mm_movehl_ps(c, c)));
        return _mm_movelh_ps(_mm_cvtpd_ps(lo), _mm_cvtpd_ps(hi));
    }
    static F cvt_i32(U a) { return _mm_cvtepi32_ps(a); }
    // uint32 -> float rounded once, as a scalar cast: hi * 2^16 (exact) + lo, the add rounding.
    static F cvt_u32(U a) {
        return add(mul(cvt_i32(srl32<16>(a)), fset1(65536.0f)), cvt_i32(and_(a, set1(0xFFFFu))));
    }
    // t[idx] per lane for 16- and 32-entry tables (no permute of floats by index: loads).
    static F lookup16(const float* t, U idx) {
        alignas(16) uint32_t i[4];
        _mm_store_si128(reinterpret_cast<__m128i*>(i), idx);
        return _mm_set_ps(t[i[3]], t[i[2]], t[i[1]], t[i[0]]);
    }
    static F lookup32(const float* t, U idx) { return lookup16(t, idx); }
    static U cvtt_i32(F a) { return _mm_cvttps_epi32(a); }
    static F asf(U a) { return _mm_castsi128_ps(a); }
    static U asu(F a) { return _mm_castps_si128(a); }
    static M ge(F a, F b) { return _mm_castps_si128(_mm_cmpge_ps(a, b)); }
    static M gt(F a, F b) { return _mm_castps_si128(_mm_cmpgt_ps(a, b)); }
    static M lt(F a, F b) { return _mm_castps_si128(_mm_cmplt_ps(a, b)); }
    static M isnan(F a) { return _mm_castps_si128(_mm_cmpunord_ps(a, a)); }
    static F fsel(M m, F t, F f) {
        const F mf = _mm_castsi128_ps(m);
        return _mm_or_ps(_mm_and_ps(mf, t), _mm_andnot_ps(mf, f));
    }
    static F even_words(F a, F b) { return _mm_shuffle_ps(a, b, 0x88); }
    static F odd_words(F a, F b) { return _mm_shuffle_ps(a, b, 0xDD); }
    static F unpacklo_f(F a, F b) { return _mm_unpacklo_ps(a, b); }
    static F unpackhi_f(F a, F b) { return _mm_unpackhi_ps(a, b); }

    // ---- float64 lanes (2 per vector); no double fma: only the unit interval is vectorised --
    static constexpr bool kHasF64Fma = false;
    static D dset1(double x) { return _mm_set1_pd(x); }
    static void dstore(double* p, D v) { _mm_storeu_pd(p, v); }
    using MD = __m128d;
    static D dload(const double* p) { return _mm_loadu_pd(p); }
    static D dload_f32(const float* p) {  // W/2 floats
        return _mm_cvtps_pd(_mm_castsi128_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
    }
    static D ddiv(D a, D b) { return _mm_div_pd(a, b); }
    static D dmax(D a, D b) { return _mm_max_pd(a, b); }
    static D dtrunc(D a) { return _mm_cvtepi32_pd(_mm_cvttpd_epi32(a)); }  // |a| < 2^31
    static MD dgt(D a, D b) { return _mm_cmpgt_pd(a, b); }
    static MD dlt(D a, D b) { return _mm_cmplt_pd(a, b); }
    static MD deq(D a, D b) { return _mm_cmpeq_pd(a, b); }
    static MD disnan(D a) { return _mm_cmpunord_pd(a, a); }
    static D dsel(MD m, D t, D f) { return _mm_or_pd(_mm_and_pd(m, t), _mm_andnot_pd(m, f)); }
    static U sub64(U a, U b) { return _mm_sub_epi64(a, b); }
    static uint64_t hsum64(U a) {
        alignas(16) uint64_t t[2];
        _mm_store_si128(reinterpret_cast<__m128i*>(t), a);
        return t[0] + t[1];
    }
    static double hmax(D a) {
        alignas(16) double t[2];
        _mm_store_pd(t, a);
        return t[0] > t[1] ? t[0] : t[1];
    }
    static D dadd(D a, D b) { return _mm_add_pd(a, b); }
    static D dsub(D a, D b) { return _mm_sub_pd(a, b); }
    static D dmul(D a, D b) { return _mm_mul_pd(a, b); }
    // Not fused: used only where product and sum are exact (uniform's unit interval). The double
    // kernels that need a real fma (logit_weights) are not offered at this level.
    static D dfma(D a, D b, D c) { return _mm_add_pd(_mm_mul_pd(a, b), c); }
    static D dfnma(D a, D b, D c) { return _mm_sub_pd(c, _mm_mul_pd(a, b)); }  // not fused either
    static MD md_and(MD a, MD b) { return _mm_and_pd(a, b); }
    static bool dany(MD m) { return _mm_movemask_pd(m) != 0; }
    static M fany_bad(F a) {  // NaN or +inf lanes
        return _mm_castps_si128(_mm_or_ps(_mm_cmpunord_ps(a, a), _mm_cmpeq_ps(a, _mm_set1_ps(__builtin_inff()))));
    }
    static F fmax(F a, F b) { return _mm_max_ps(a, b); }
    static float hmaxf(F a) {
        alignas(16) float t[4];
        _mm_store_ps(t, a);
        float m = t[0];
        for (int i = 1; i < 4; ++i) m = t[i] > m ? t[i] : m;
        return m;
    }
    static D asd(U a) { return _mm_castsi128_pd(a); }
    // t[idx] per 64-bit lane (no gather instruction: two loads), and the W/2 doubles rounded to
    // floats (current rounding mode).
    static D dgather(const double* t, U idx) {
        alignas(16) uint64_t i[2];
        _mm_store_si128(reinterpret_cast<__m128i*>(i), idx);
        return _mm_set_pd(t[i[1]], t[i[0]]);
    }
    static D dlookup32(const double* t, U idx) { return dgather(t, idx); }  // t[idx], idx in 0..31
    static void dstore_f32(float* p, D v) { _mm_storel_pi(reinterpret_cast<__m64*>(p), _mm_cvtpd_ps(v)); }
    static U asu64(D a) { return _mm_castpd_si128(a); }
    static U dge_sel(D x, D b, D t) {
        const D m = _mm_cmpge_pd(x, b);
        return _mm_castpd_si128(_mm_or_pd(_mm_and_pd(m, t), _mm_andnot_pd(m, x)));
    }
    static D u53_to_f64(U a) {
        const U magic = _mm_set1_epi64x(0x4330000000000000ll);
        const D two52 = _mm_set1_pd(4503599627370496.0);
        const D hi = _mm_sub_pd(_mm_castsi128_pd(_mm_or_si128(_mm_srli_epi64(a, 26), magic)), two52);
        const D lo = _mm_sub_pd(_mm_castsi128_pd(_mm_or_si128(_mm_and_si128(a, _mm_set1_epi64x((1ll << 26) - 1)), magic)), two52);
        return _mm_add_pd(_mm_mul_pd(hi, _mm_set1_pd(67108864.0)), lo);  // both steps exact
    }

    // ---- stores of 4 results in element order -----------------------------------------------
    static void widen_u32_i64(U v, U add64v, U& a, U& b) {
        const __m128i z = _mm_setzero_si128();
        a = _mm_add_epi64(_mm_unpacklo_epi32(v, z), add64v);
        b = _mm_add_epi64(_mm_unpackhi_epi32(v, z), add64v);
    }
    static void order_pairs_i64(U p, U q, U& a, U& b) {
        a = p;
        b = q;
    }
    static void store_u8(uint8_t* dst, U v) {
        const __m128i m = _mm_and_si128(v, _mm_set1_epi32(0xFF));
        const __m128i w = _mm_packs_epi32(m, m);  // values <= 255: no saturation
        const int four = _mm_cvtsi128_si32(_mm_packus_epi16(w, w));
        __builtin_memcpy(dst, &four, 4);
    }
    static void store_u16(uint16_t* dst, U v) {
        const __m128i s = _mm_srai_epi32(_mm_slli_epi32(v, 16), 16);  // sign-extend low 16: packs is exact
        _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), _mm_packs_epi32(s, s));
    }
    static void store_f64_from_f32(double* dst, F v) {
        _mm_storeu_pd(dst, _mm_cvtps_pd(v));
        _mm_storeu_pd(dst + 2, _mm_cvtps_pd(_mm_movehl_ps(v, v)));
    }
    static void store_f16(uint16_t* dst, F v) {
        alignas(16) float tmp[4];
        _mm_store_ps(tmp, v);
        f32_to_f16_scalar(tmp, 4, dst);
    }
    static void sfence() { _mm_sfence(); }
};

}  // namespace nl::simd::isa_sse2
