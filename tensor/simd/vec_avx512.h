// The AVX-512 (F, DQ, BW, VL) vector primitives the generic kernels (kernels_impl.h) are written
// in: 16 lanes of 32 bits, masks in k registers. Include only from kernels_avx512.cpp, which is
// compiled with the matching -m flags.
#pragma once
// GCC 12's avx512fintrin.h initialises _mm512_undefined_*() from itself, and -Wuninitialized
// then reports "'__Y' is used uninitialized" wherever a reduction or extract is inlined (GCC bug
// 105593, fixed in GCC 13): 47 false reports per build. The pragma covers only the intrinsics'
// own lines; this file is the first to include them in kernels_avx512.cpp.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include <cstdint>

namespace nl::simd::isa_avx512 {

struct V {
    static constexpr int W = 16;  // 32-bit lanes
    static constexpr int kAlign = 64;
    using U = __m512i;
    using F = __m512;
    using M = __mmask16;
    using D = __m512d;

    // ---- 32-bit integer lanes -------------------------------------------------------------
    static U set1(uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
    static U set1_64(uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }
    static U zero() { return _mm512_setzero_si512(); }
    static U load(const void* p) { return _mm512_loadu_si512(p); }
    static void store(void* p, U v) { _mm512_storeu_si512(p, v); }
    static void stream(void* p, U v) { _mm512_stream_si512(static_cast<__m512i*>(p), v); }
    static U add32(U a, U b) { return _mm512_add_epi32(a, b); }
    static U sub32(U a, U b) { return _mm512_sub_epi32(a, b); }
    static U add64(U a, U b) { return _mm512_add_epi64(a, b); }
    static U and_(U a, U b) { return _mm512_and_si512(a, b); }
    static U or_(U a, U b) { return _mm512_or_si512(a, b); }
    static U xor_(U a, U b) { return _mm512_xor_si512(a, b); }
    static U xor3(U a, U b, U c) { return _mm512_ternarylogic_epi64(a, b, c, 0x96); }
    template <int N> static U srl32(U a) { return _mm512_srli_epi32(a, N); }
    template <int N> static U sll32(U a) { return _mm512_slli_epi32(a, N); }
    template <int N> static U sra32(U a) { return _mm512_srai_epi32(a, N); }
    template <int N> static U srl64(U a) { return _mm512_srli_epi64(a, N); }
    template <int N> static U sll64(U a) { return _mm512_slli_epi64(a, N); }
    static U swap32(U a) { return _mm512_shuffle_epi32(a, _MM_PERM_CDAB); }  // swap halves of each 64
    static U mul_epu32(U a, U b) { return _mm512_mul_epu32(a, b); }
    static U unpacklo64(U a, U b) { return _mm512_unpacklo_epi64(a, b); }
    static U unpackhi64(U a, U b) { return _mm512_unpackhi_epi64(a, b); }
    static U unpacklo32(U a, U b) { return _mm512_unpacklo_epi32(a, b); }
    static U unpackhi32(U a, U b) { return _mm512_unpackhi_epi32(a, b); }
    // 64-bit lane p = 2l + h (128-bit lane l) holds block l + 4h, so that unpacklo64/unpackhi64
    // of the Philox state give blocks 0..3 and 4..7 in element order.
    static U block_offsets() { return _mm512_set_epi64(7, 3, 6, 2, 5, 1, 4, 0); }

    static M lt_u32(U a, U b) { return _mm512_cmplt_epu32_mask(a, b); }
    static M lt_i32(U a, U b) { return _mm512_cmplt_epi32_mask(a, b); }
    static M gt_i32(U a, U b) { return _mm512_cmpgt_epi32_mask(a, b); }
    static M testz(U a, U b) { return _mm512_testn_epi32_mask(a, b); }  // (a & b) == 0
    static U sel(M m, U t, U f) { return _mm512_mask_blend_epi32(m, f, t); }
    static M m_and(M a, M b) { return static_cast<M>(a & b); }
    static M m_or(M a, M b) { return static_cast<M>(a | b); }
    static M m_none() { return 0; }
    static M m_all() { return 0xFFFF; }
    static unsigned bits(M m) { return m; }

    // ---- float32 lanes --------------------------------------------------------------------
    static F fset1(float x) { return _mm512_set1_ps(x); }
    static F fload(const float* p) { return _mm512_loadu_ps(p); }
    static void fstore(float* p, F v) { _mm512_storeu_ps(p, v); }
    static F add(F a, F b) { return _mm512_add_ps(a, b); }
    static F sub(F a, F b) { return _mm512_sub_ps(a, b); }
    static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
    static F div(F a, F b) { return _mm512_div_ps(a, b); }
    static F fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
    static F sqrt(F a) { return _mm512_sqrt_ps(a); }
    static F cvt_i32(U a) { return _mm512_cvtepi32_ps(a); }     // round to nearest
    static F cvt_u32(U a) { return _mm512_cvtepu32_ps(a); }     // round to nearest
    // t[idx] per lane for 16- and 32-entry tables (64-byte aligned): one permute each.
    static F lookup16(const float* t, U idx) { return _mm512_permutexvar_ps(idx, _mm512_load_ps(t)); }
    static F lookup32(const float* t, U idx) {
        return _mm512_permutex2var_ps(_mm512_load_ps(t), idx, _mm512_load_ps(t + 16));
    }
    static U cvtt_i32(F a) { return _mm512_cvttps_epi32(a); }   // toward zero
    static F asf(U a) { return _mm512_castsi512_ps(a); }
    static U asu(F a) { return _mm512_castps_si512(a); }
    static M ge(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
    static M gt(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
    static M lt(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
    static M isnan(F a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
    static F fsel(M m, F t, F f) { return _mm512_mask_blend_ps(m, f, t); }
    // Per 128-bit lane: [a0 a2 b0 b2] and [a1 a3 b1 b3].
    static F even_words(F a, F b) { return _mm512_shuffle_ps(a, b, 0x88); }
    static F odd_words(F a, F b) { return _mm512_shuffle_ps(a, b, 0xDD); }
    static F unpacklo_f(F a, F b) { return _mm512_unpacklo_ps(a, b); }
    static F unpackhi_f(F a, F b) { return _mm512_unpackhi_ps(a, b); }

    // ---- float64 lanes (8 per vector) -----------------------------------------------------
    static constexpr bool kHasF64Fma = true;
    static D dset1(double x) { return _mm512_set1_pd(x); }
    static void dstore(double* p, D v) { _mm512_storeu_pd(p, v); }
    using MD = __mmask8;
    static D dload(const double* p) { return _mm512_loadu_pd(p); }
    static D dload_f32(const float* p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }  // W/2 floats
    static D ddiv(D a, D b) { return _mm512_div_pd(a, b); }
    static D dmax(D a, D b) { return _mm512_max_pd(a, b); }
    static D dtrunc(D a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC); }
    static MD dgt(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
    static MD dlt(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
    static MD deq(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
    static MD disnan(D a) { return _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q); }
    static D dsel(MD m, D t, D f) { return _mm512_mask_blend_pd(m, f, t); }
    static U sub64(U a, U b) { return _mm512_sub_epi64(a, b); }
    static uint64_t hsum64(U a) { return static_cast<uint64_t>(_mm512_reduce_add_epi64(a)); }
    static double hmax(D a) { return _mm512_reduce_max_pd(a); }
    static D dadd(D a, D b) { return _mm512_add_pd(a, b); }
    static D dsub(D a, D b) { return _mm512_sub_pd(a, b); }
    static D dmul(D a, D b) { return _mm512_mul_pd(a, b); }
    static D dfma(D a, D b, D c) { return _mm512_fmadd_pd(a, b, c); }
    static D dfnma(D a, D b, D c) { return _mm512_fnmadd_pd(a, b, c); }  // c - a*b, one rounding
    static MD md_and(MD a, MD b) { return static_cast<MD>(a & b); }
    static bool dany(MD m) { return m != 0; }
    static M fany_bad(F a) {  // NaN or +inf lanes
        return _mm512_cmp_ps_mask(a, _mm512_set1_ps(__builtin_inff()), _CMP_NLT_UQ);
    }
    static F fmax(F a, F b) { return _mm512_max_ps(a, b); }
    static float hmaxf(F a) { return _mm512_reduce_max_ps(a); }
    static D asd(U a) { return _mm512_castsi512_pd(a); }
    // t[idx] per 64-bit lane, and the W/2 doubles rounded to floats (current rounding mode).
    static D dgather(const double* t, U idx) { return _mm512_i64gather_pd(idx, t, 8); }
    // t[idx] for a 32-entry table, idx in 0..31: two two-register permutes and a blend on bit 4
    // (a gather of eight doubles is far slower on some cores, e.g. AMD Zen 4).
    static D dlookup32(const double* t, U idx) {
        const D lo = _mm512_permutex2var_pd(_mm512_loadu_pd(t), idx, _mm512_loadu_pd(t + 8));
        const D hi = _mm512_permutex2var_pd(_mm512_loadu_pd(t + 16), idx, _mm512_loadu_pd(t + 24));
        return _mm512_mask_blend_pd(_mm512_test_epi64_mask(idx, _mm512_set1_epi64(16)), lo, hi);
    }
    static void dstore_f32(float* p, D v) { _mm256_storeu_ps(p, _mm512_cvtpd_ps(v)); }
    static U asu64(D a) { return _mm512_castpd_si512(a); }
    static U dge_sel(D x, D b, D t) {  // x >= b ? t : x, as bits
        return _mm512_castpd_si512(_mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, b, _CMP_GE_OQ), x, t));
    }
    static D u53_to_f64(U a) { return _mm512_cvtepu64_pd(a); }  // exact below 2^53

    // ---- stores of 16 results in element order into each dtype ----------------------------
    // 32-bit lanes as 16 int64 (zero-extended) plus `add`, in element order: a then b.
    static void widen_u32_i64(U v, U add64v, U& a, U& b) {
        a = _mm512_add_epi64(_mm512_cvtepu32_epi64(_mm512_castsi512_si256(v)), add64v);
        b = _mm512_add_epi64(_mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(v, 1)), add64v);
    }
    // P holds elements (4l, 4l+1) and Q elements (4l+2, 4l+3) in 128-bit lane l: 16 int64 in
    // element order, a then b.
    static void order_pairs_i64(U p, U q, U& a, U& b) {
        a = _mm512_permutex2var_epi64(p, _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0), q);
        b = _mm512_permutex2var_epi64(p, _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4), q);
    }
    static void store_u8(uint8_t* dst, U v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm512_cvtepi32_epi8(v)); }
    static void store_u16(uint16_t* dst, U v) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm512_cvtepi32_epi16(v));
    }
    static void store_f64_from_f32(double* dst, F v) {
        _mm512_storeu_pd(dst, _mm512_cvtps_pd(_mm512_castps512_ps256(v)));
        _mm512_storeu_pd(dst + 8, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))));
    }
    static void store_f16(uint16_t* dst, F v) {
        // F16C rounds to nearest even like float_to_half_bits; NaN becomes sign | 0x7E00 as there.
        const __m512i nanv = _mm512_or_si512(_mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(static_cast<int>(0x80000000u))),
                                             _mm512_set1_epi32(0x7FC00000));
        v = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), v, _mm512_castsi512_ps(nanv));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
    static void sfence() { _mm_sfence(); }
};

}  // namespace nl::simd::isa_avx512
