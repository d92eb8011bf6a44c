// The AVX2 (+ FMA, F16C) vector primitives the generic kernels (kernels_impl.h) are written in:
// 8 lanes of 32 bits, masks as all-ones lanes. Include only from kernels_avx2.cpp, which is
// compiled with the matching -m flags.
#pragma once
#include <immintrin.h>

#include <cstdint>

namespace nl::simd::isa_avx2 {

struct V {
    static constexpr int W = 8;
    static constexpr int kAlign = 32;
    using U = __m256i;
    using F = __m256;
    using M = __m256i;
    using D = __m256d;

    // ---- 32-bit integer lanes -------------------------------------------------------------
    static U set1(uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
    static U set1_64(uint64_t x) { return _mm256_set1_epi64x(static_cast<long long>(x)); }
    static U zero() { return _mm256_setzero_si256(); }
    static U load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
    static void store(void* p, U v) { _mm256_storeu_si256(static_cast<__m256i*>(p), v); }
    static void stream(void* p, U v) { _mm256_stream_si256(static_cast<__m256i*>(p), v); }
    static U add32(U a, U b) { return _mm256_add_epi32(a, b); }
    static U sub32(U a, U b) { return _mm256_sub_epi32(a, b); }
    static U add64(U a, U b) { return _mm256_add_epi64(a, b); }
    static U and_(U a, U b) { return _mm256_and_si256(a, b); }
    static U or_(U a, U b) { return _mm256_or_si256(a, b); }
    static U xor_(U a, U b) { return _mm256_xor_si256(a, b); }
    static U xor3(U a, U b, U c) { return _mm256_xor_si256(_mm256_xor_si256(a, b), c); }
    template <int N> static U srl32(U a) { return _mm256_srli_epi32(a, N); }
    template <int N> static U sll32(U a) { return _mm256_slli_epi32(a, N); }
    template <int N> static U sra32(U a) { return _mm256_srai_epi32(a, N); }
    template <int N> static U srl64(U a) { return _mm256_srli_epi64(a, N); }
    template <int N> static U sll64(U a) { return _mm256_slli_epi64(a, N); }
    static U swap32(U a) { return _mm256_shuffle_epi32(a, 0xB1); }
    static U mul_epu32(U a, U b) { return _mm256_mul_epu32(a, b); }
    static U unpacklo64(U a, U b) { return _mm256_unpacklo_epi64(a, b); }
    static U unpackhi64(U a, U b) { return _mm256_unpackhi_epi64(a, b); }
    static U unpacklo32(U a, U b) { return _mm256_unpacklo_epi32(a, b); }
    static U unpackhi32(U a, U b) { return _mm256_unpackhi_epi32(a, b); }
    // 64-bit lane p = 2l + h holds block l + 2h (see vec_avx512.h).
    static U block_offsets() { return _mm256_set_epi64x(3, 1, 2, 0); }

    static M lt_u32(U a, U b) {
        const U s = _mm256_set1_epi32(static_cast<int>(0x80000000u));
        return _mm256_cmpgt_epi32(_mm256_xor_si256(b, s), _mm256_xor_si256(a, s));
    }
    static M lt_i32(U a, U b) { return _mm256_cmpgt_epi32(b, a); }
    static M gt_i32(U a, U b) { return _mm256_cmpgt_epi32(a, b); }
    static M testz(U a, U b) { return _mm256_cmpeq_epi32(_mm256_and_si256(a, b), _mm256_setzero_si256()); }
    static U sel(M m, U t, U f) { return _mm256_blendv_epi8(f, t, m); }
    static M m_and(M a, M b) { return _mm256_and_si256(a, b); }
    static M m_or(M a, M b) { return _mm256_or_si256(a, b); }
    static M m_none() { return _mm256_setzero_si256(); }
    static M m_all() { return _mm256_set1_epi32(-1); }
    static unsigned bits(M m) { return static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(m))); }

    // ---- float32 lanes --------------------------------------------------------------------
    static F fset1(float x) { return _mm256_set1_ps(x); }
    static F fload(const float* p) { return _mm256_loadu_ps(p); }
    static void fstore(float* p, F v) { _mm256_storeu_ps(p, v); }
    static F add(F a, F b) { return _mm256_add_ps(a, b); }
    static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
    static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
    static F div(F a, F b) { return _mm256_div_ps(a, b); }
    static F fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
    static F sqrt(F a) { return _mm256_sqrt_ps(a); }
    static F cvt_i32(U a) { return _mm256_cvtepi32_ps(a); }
    // uint32 -> float rounded once, as a scalar cast: hi * 2^16 (exact) + lo, the add rounding.
    static F cvt_u32(U a) {
        return add(mul(cvt_i32(srl32<16>(a)), fset1(65536.0f)), cvt_i32(and_(a, set1(0xFFFFu))));
    }
    // t[idx] per lane for 16- and 32-entry tables (32-byte aligned): permutes within 8 entries and
    // blends on the index's bits 3 and 4 (moved to the sign bit), no gather (slow on AMD cores).
    static F lookup16(const float* t, U idx) {
        const F lo = _mm256_permutevar8x32_ps(_mm256_load_ps(t), idx);
        const F hi = _mm256_permutevar8x32_ps(_mm256_load_ps(t + 8), idx);
        return _mm256_blendv_ps(lo, hi, _mm256_castsi256_ps(_mm256_slli_epi32(idx, 28)));
    }
    static F lookup32(const float* t, U idx) {
        return _mm256_blendv_ps(lookup16(t, idx), lookup16(t + 16, idx), _mm256_castsi256_ps(_mm256_slli_epi32(idx, 27)));
    }
    static U cvtt_i32(F a) { return _mm256_cvttps_epi32(a); }
    static F asf(U a) { return _mm256_castsi256_ps(a); }
    static U asu(F a) { return _mm256_castps_si256(a); }
    static M ge(F a, F b) { return _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_GE_OQ)); }
    static M gt(F a, F b) { return _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_GT_OQ)); }
    static M lt(F a, F b) { return _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_LT_OQ)); }
    static M isnan(F a) { return _mm256_castps_si256(_mm256_cmp_ps(a, a, _CMP_UNORD_Q)); }
    static F fsel(M m, F t, F f) { return _mm256_blendv_ps(f, t, _mm256_castsi256_ps(m)); }
    static F even_words(F a, F b) { return _mm256_shuffle_ps(a, b, 0x88); }
    static F odd_words(F a, F b) { return _mm256_shuffle_ps(a, b, 0xDD); }
    static F unpacklo_f(F a, F b) { return _mm256_unpacklo_ps(a, b); }
    static F unpackhi_f(F a, F b) { return _mm256_unpackhi_ps(a, b); }

    // ---- float64 lanes (4 per vector) -----------------------------------------------------
    static constexpr bool kHasF64Fma = true;
    static D dset1(double x) { return _mm256_set1_pd(x); }
    static void dstore(double* p, D v) { _mm256_storeu_pd(p, v); }
    using MD = __m256d;
    static D dload(const double* p) { return _mm256_loadu_pd(p); }
    static D dload_f32(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }  // W/2 floats
    static D ddiv(D a, D b) { return _mm256_div_pd(a, b); }
    static D dmax(D a, D b) { return _mm256_max_pd(a, b); }
    static D dtrunc(D a) { return _mm256_round_pd(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC); }
    static MD dgt(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
    static MD dlt(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
    static MD deq(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
    static MD disnan(D a) { return _mm256_cmp_pd(a, a, _CMP_UNORD_Q); }
    static D dsel(MD m, D t, D f) { return _mm256_blendv_pd(f, t, m); }
    static U sub64(U a, U b) { return _mm256_sub_epi64(a, b); }
    static uint64_t hsum64(U a) {
        alignas(32) uint64_t t[4];
        _mm256_store_si256(reinterpret_cast<__m256i*>(t), a);
        return t[0] + t[1] + t[2] + t[3];
    }
    static double hmax(D a) {
        alignas(32) double t[4];
        _mm256_store_pd(t, a);
        const double x = t[0] > t[1] ? t[0] : t[1], y = t[2] > t[3] ? t[2] : t[3];
        return x > y ? x : y;
    }
    static D dadd(D a, D b) { return _mm256_add_pd(a, b); }
    static D dsub(D a, D b) { return _mm256_sub_pd(a, b); }
    static D dmul(D a, D b) { return _mm256_mul_pd(a, b); }
    static D dfma(D a, D b, D c) { return _mm256_fmadd_pd(a, b, c); }
    static D dfnma(D a, D b, D c) { return _mm256_fnmadd_pd(a, b, c); }  // c - a*b, one rounding
    static MD md_and(MD a, MD b) { return _mm256_and_pd(a, b); }
    static bool dany(MD m) { return _mm256_movemask_pd(m) != 0; }
    static M fany_bad(F a) {  // NaN or +inf lanes
        return _mm256_castps_si256(_mm256_cmp_ps(a, _mm256_set1_ps(__builtin_inff()), _CMP_NLT_UQ));
    }
    static F fmax(F a, F b) { return _mm256_max_ps(a, b); }
    static float hmaxf(F a) {
        alignas(32) float t[8];
        _mm256_store_ps(t, a);
        float m = t[0];
        for (int i = 1; i < 8; ++i) m = t[i] > m ? t[i] : m;
        return m;
    }
    static D asd(U a) { return _mm256_castsi256_pd(a); }
    // t[idx] per 64-bit lane, and the W/2 doubles rounded to floats (current rounding mode).
    static D dgather(const double* t, U idx) { return _mm256_i64gather_pd(t, idx, 8); }
    static D dlookup32(const double* t, U idx) { return dgather(t, idx); }  // t[idx], idx in 0..31
    static void dstore_f32(float* p, D v) { _mm_storeu_ps(p, _mm256_cvtpd_ps(v)); }
    static U asu64(D a) { return _mm256_castpd_si256(a); }
    static U dge_sel(D x, D b, D t) {
        return _mm256_castpd_si256(_mm256_blendv_pd(x, t, _mm256_cmp_pd(x, b, _CMP_GE_OQ)));
    }
    // Exact for a < 2^53: the top 27 and low 26 bits each convert exactly through 2^52's exponent.
    static D u53_to_f64(U a) {
        const U magic = _mm256_set1_epi64x(0x4330000000000000ll);
        const D two52 = _mm256_set1_pd(4503599627370496.0);
        const D hi = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(a, 26), magic)), two52);
        const D lo = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(a, _mm256_set1_epi64x((1ll << 26) - 1)), magic)), two52);
        return _mm256_fmadd_pd(hi, _mm256_set1_pd(67108864.0), lo);  // exact: the sum is a < 2^53
    }

    // ---- stores of 8 results in element order -----------------------------------------------
    static void widen_u32_i64(U v, U add64v, U& a, U& b) {
        a = _mm256_add_epi64(_mm256_cvtepu32_epi64(_mm256_castsi256_si128(v)), add64v);
        b = _mm256_add_epi64(_mm256_cvtepu32_epi64(_mm256_extracti128_si256(v, 1)), add64v);
    }
    static void order_pairs_i64(U p, U q, U& a, U& b) {
        a = _mm256_permute2x128_si256(p, q, 0x20);
        b = _mm256_permute2x128_si256(p, q, 0x31);
    }
    static void store_u8(uint8_t* dst, U v) {
        const __m256i m = _mm256_and_si256(v, _mm256_set1_epi32(0xFF));
        const __m128i w = _mm_packus_epi32(_mm256_castsi256_si128(m), _mm256_extracti128_si256(m, 1));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), _mm_packus_epi16(w, w));
    }
    static void store_u16(uint16_t* dst, U v) {
        const __m256i m = _mm256_and_si256(v, _mm256_set1_epi32(0xFFFF));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm_packus_epi32(_mm256_castsi256_si128(m), _mm256_extracti128_si256(m, 1)));
    }
    static void store_f64_from_f32(double* dst, F v) {
        _mm256_storeu_pd(dst, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
        _mm256_storeu_pd(dst + 4, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
    }
    static void store_f16(uint16_t* dst, F v) {
        const __m256i nanv = _mm256_or_si256(_mm256_and_si256(_mm256_castps_si256(v), _mm256_set1_epi32(static_cast<int>(0x80000000u))),
                                             _mm256_set1_epi32(0x7FC00000));
        v = _mm256_blendv_ps(v, _mm256_castsi256_ps(nanv), _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
    static void sfence() { _mm_sfence(); }
};

}  // namespace nl::simd::isa_avx2
