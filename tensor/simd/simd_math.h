// The Philox generator and the transforms of the vectorised kernels, written once over the
// primitives of a vector type V (vec_*.h) and compiled once per instruction set (see
// kernels_impl.h, which includes this file inside the instruction set's namespace). Every
// function replicates, operation for operation, the scalar reference it names (tensor/philox.h,
// detmath.h, transforms.h): same constants, same fma placement, same int->float conversions.
//
// Philox layout (Note [Philox lanes]): one "unit" is W/2 blocks held as two vectors of 64-bit
// lanes, A = (c0, c1) and B = (c2, c3) per block. A Philox round on that layout is
//   A' = swap32(mul_epu32(B, M1)) ^ (A >> 32) ^ k0,   B' = swap32(mul_epu32(A, M0)) ^ (B >> 32) ^ k1
// (mul_epu32 multiplies the low words c0 / c2 to 64 bits; swapping its halves puts hi in the low
// word and lo in the high one, exactly c0' = hi1 ^ c1 ^ k0, c1' = lo1, c2' = hi0 ^ c3 ^ k1,
// c3' = lo0). unpacklo64 / unpackhi64 of (A, B) then give the words in element order.
#ifndef NL_SIMD_NS
#error "include tensor/simd/kernels_impl.h, not this file"
#endif

namespace nl::simd::NL_SIMD_NS {

// ---- Philox4x32-10 ------------------------------------------------------------------------------
// K independent units (K * W/2 consecutive blocks from `block`), interleaved to hide the latency
// of the multiplies. out[2k], out[2k+1]: unit k's words, element order.
template <int K>
inline void philox_units(uint64_t seed, uint32_t stream, uint64_t block, U out[2 * K]) {
    U a[K], b[K];
    const U offs = V::block_offsets();
    for (int k = 0; k < K; ++k) {
        a[k] = V::add64(V::set1_64(block + static_cast<uint64_t>(k) * kUnitBlocks), offs);
        b[k] = V::set1_64(stream);  // counter words 2 (stream) and 3 (attempt 0)
    }
    const U m0 = V::set1_64(philox_detail::kMul0);
    const U m1 = V::set1_64(philox_detail::kMul1);
    uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
    for (int r = 0; r < 10; ++r) {
        const U ka = V::set1_64(k0), kb = V::set1_64(k1);
        for (int k = 0; k < K; ++k) {
            const U pa = V::mul_epu32(a[k], m0);
            const U pb = V::mul_epu32(b[k], m1);
            a[k] = V::xor3(V::swap32(pb), V::srl64<32>(a[k]), ka);
            b[k] = V::xor3(V::swap32(pa), V::srl64<32>(b[k]), kb);
        }
        k0 += philox_detail::kWeyl0;
        k1 += philox_detail::kWeyl1;
    }
    for (int k = 0; k < K; ++k) {
        out[2 * k] = V::unpacklo64(a[k], b[k]);
        out[2 * k + 1] = V::unpackhi64(a[k], b[k]);
    }
}

void words(uint64_t seed, uint32_t stream, uint64_t block0, int64_t nblocks, uint32_t* out) {
    constexpr int K = 4;
    int64_t i = 0;
    for (; i + K * kUnitBlocks <= nblocks; i += K * kUnitBlocks) {
        U w[2 * K];
        philox_units<K>(seed, stream, block0 + static_cast<uint64_t>(i), w);
        for (int j = 0; j < 2 * K; ++j) V::store(out + 4 * i + j * W, w[j]);
    }
    for (; i < nblocks; i += kUnitBlocks) {
        U w[2];
        philox_units<1>(seed, stream, block0 + static_cast<uint64_t>(i), w);
        alignas(64) uint32_t tmp[2 * W];
        V::store(tmp, w[0]);
        V::store(tmp + W, w[1]);
        std::memcpy(out + 4 * i, tmp, static_cast<size_t>(min64(kUnitBlocks, nblocks - i)) * 16);
    }
}

// ---- transforms (tensor/transforms.h, tensor/detmath.h) ------------------------------------------
inline F fneg(F x) { return V::asf(V::xor_(V::asu(x), V::set1(0x80000000u))); }

// xf::uniform_f32: (w >> 8) * 2^-24
inline F uniform01(U w) { return V::mul(V::cvt_i32(V::srl32<8>(w)), V::fset1(xf::kTwoPow24Inv)); }
// xf::uniform_open0_f32: fma(int32(w >> 1), 2^-31, 2^-32)
inline F uniform_open0(U w) {
    return V::fma(V::cvt_i32(V::srl32<1>(w)), V::fset1(xf::kTwoPow31Inv), V::fset1(xf::kTwoPow32Inv));
}

// dm::log<float> for positive normal x.
template <int N>
inline void log_n(const F* x, F* out) {
    F f[N], s[N], z[N], p[N], ef[N];
    NL_EACH(i, N) {
        const U b = V::asu(x[i]);
        U e = V::sub32(V::srl32<23>(b), V::set1(127));
        U mb = V::or_(V::and_(b, V::set1(FC::kMantMask)), V::set1(FC::kOneBits));
        const M big = V::gt_i32(mb, V::set1(FC::kSqrt2Bits));
        mb = V::sel(big, V::sub32(mb, V::set1(1u << 23)), mb);
        e = V::sel(big, V::add32(e, V::set1(1)), e);
        f[i] = V::sub(V::asf(mb), V::fset1(1.0f));
        ef[i] = V::cvt_i32(e);
    }
    NL_EACH(i, N) s[i] = V::div(f[i], V::add(V::fset1(2.0f), f[i]));
    NL_EACH(i, N) z[i] = V::mul(s[i], s[i]);
    NL_EACH(i, N) p[i] = V::fma(V::fset1(0.2222222222222222f), z[i], V::fset1(0.2857142857142857f));
    NL_EACH(i, N) p[i] = V::fma(p[i], z[i], V::fset1(0.4f));
    NL_EACH(i, N) p[i] = V::fma(p[i], z[i], V::fset1(0.6666666666666666f));
    NL_EACH(i, N) {
        const F log1pf = V::fma(V::mul(s[i], z[i]), p[i], V::add(s[i], s[i]));
        out[i] = V::fma(ef[i], V::fset1(FC::kLn2Hi), V::fma(ef[i], V::fset1(FC::kLn2Lo), log1pf));
    }
}
inline F log(F x) {
    F out;
    log_n<1>(&x, &out);
    return out;
}

inline F pow2i(U k) { return V::asf(V::sll32<23>(V::add32(k, V::set1(127)))); }

// dm::exp<float> for any x.
inline F exp(F x) {
    const F one = V::fset1(1.0f);
    const F t = V::fma(x, V::fset1(FC::kLog2e), V::fset1(0.5f));
    F kf = V::cvt_i32(V::cvtt_i32(t));
    kf = V::fsel(V::gt(kf, t), V::sub(kf, one), kf);
    const U k = V::cvtt_i32(kf);
    const F nkf = fneg(kf);
    F r = V::fma(nkf, V::fset1(FC::kLn2Hi), x);
    r = V::fma(nkf, V::fset1(FC::kLn2Lo), r);
    const F p = V::fma(
        V::fma(V::fma(V::fma(V::fma(V::fma(V::fset1(2.48015873015873e-05f), r, V::fset1(0.0001984126984126984f)), r,
                                    V::fset1(0.001388888888888889f)),
                             r, V::fset1(0.008333333333333333f)),
                      r, V::fset1(0.041666666666666664f)),
               r, V::fset1(0.16666666666666666f)),
        r, V::fset1(0.5f));
    const F er = V::add(one, V::fma(V::mul(r, r), p, r));
    const F mid = V::mul(er, pow2i(k));
    const F low = V::mul(V::mul(er, pow2i(V::add32(k, V::set1(126)))), V::fset1(1.17549435082228750797e-38f));  // 2^-126
    const F high = V::mul(V::mul(er, pow2i(V::sub32(k, V::set1(1)))), V::fset1(2.0f));
    F res = V::fsel(V::lt_i32(k, V::set1(static_cast<uint32_t>(-126))), low,
                    V::fsel(V::gt_i32(k, V::set1(127)), high, mid));
    res = V::fsel(V::lt(x, V::fset1(FC::kExpMin)), V::fset1(0.0f), res);
    res = V::fsel(V::gt(x, V::fset1(FC::kExpMax)), V::asf(V::set1(FC::kInfBits)), res);
    return V::fsel(V::isnan(x), x, res);
}

// dm::sincos_octant<float>: sin and cos of 2*pi*(octant + frac)/8, octant in 0..7.
template <int N>
inline void sincos_octant_n(const U* octant, const F* frac, F* sin_out, F* cos_out) {
    const F one = V::fset1(1.0f);
    F x[N], z[N], sp[N], cp[N];
    NL_EACH(i, N) {
        const F y = V::fsel(V::testz(octant[i], V::set1(1)), frac[i], V::sub(one, frac[i]));
        x[i] = V::mul(y, V::fset1(FC::kQuarterPi));
        z[i] = V::mul(x[i], x[i]);
    }
    NL_EACH(i, N) {
        sp[i] = V::fma(V::fset1(2.7557319223985893e-06f), z[i], V::fset1(-0.0001984126984126984f));
        cp[i] = V::fma(V::fset1(-2.755731922398589e-07f), z[i], V::fset1(2.48015873015873e-05f));
    }
    NL_EACH(i, N) {
        sp[i] = V::fma(sp[i], z[i], V::fset1(0.008333333333333333f));
        cp[i] = V::fma(cp[i], z[i], V::fset1(-0.001388888888888889f));
    }
    NL_EACH(i, N) {
        sp[i] = V::fma(sp[i], z[i], V::fset1(-0.16666666666666666f));
        cp[i] = V::fma(cp[i], z[i], V::fset1(0.041666666666666664f));
    }
    NL_EACH(i, N) cp[i] = V::fma(cp[i], z[i], V::fset1(-0.5f));
    NL_EACH(i, N) {
        const F s = V::fma(V::mul(x[i], z[i]), sp[i], x[i]);
        const F c = V::fma(z[i], cp[i], one);
        // Octants 1, 2, 5, 6 swap sin and cos; sin is negated from octant 4, cos in octants 2..5.
        const M keep = V::testz(V::add32(octant[i], V::set1(1)), V::set1(2));
        const F sv = V::fsel(keep, s, c);
        const F cv = V::fsel(keep, c, s);
        sin_out[i] = V::asf(V::xor_(V::asu(sv), V::sll32<29>(V::and_(octant[i], V::set1(4)))));
        cos_out[i] = V::asf(V::xor_(V::asu(cv), V::sll32<29>(V::and_(V::add32(octant[i], V::set1(2)), V::set1(4)))));
    }
}
inline void sincos_octant(U octant, F frac, F& sin_out, F& cos_out) { sincos_octant_n<1>(&octant, &frac, &sin_out, &cos_out); }

// Stream version 2's Box-Muller tables (xf::kNormal*TableHost) as columns, for register lookups.
template <int N>
struct TableColumns {
    alignas(64) float a[N];
    alignas(64) float b[N];
};
template <int N>
constexpr TableColumns<N> table_columns(const xf::FloatPair (&t)[N]) {
    TableColumns<N> c{};
    for (int i = 0; i < N; ++i) {
        c.a[i] = t[i].a;
        c.b[i] = t[i].b;
    }
    return c;
}
inline constexpr TableColumns<xf::kNormalLogEntries> kNormalLogColumns = table_columns(xf::kNormalLogTableHost);
inline constexpr TableColumns<xf::kNormalSinCosEntries> kNormalSinCosColumns = table_columns(xf::kNormalSinCosTableHost);
static_assert(xf::kNormalLogEntries == 16 && xf::kNormalSinCosEntries == 32, "V::lookup16 / V::lookup32");

// xf::normal_pair_f32 (stream version 2) on N x W pairs of words.
template <int N>
inline void normal_pair_n(const U* w0, const U* w1, F* z0, F* z1) {
    constexpr uint32_t K = FC::kSqrt2Bits - (1u << 23) + 1;
    F q[N];
    NL_EACH(i, N) {  // xf::minus_two_log_uniform_f32
        const U ix = V::sub32(V::asu(V::cvt_u32(V::or_(w0[i], V::set1(1u)))), V::set1(K + (32u << 23)));
        const U entry = V::and_(V::srl32<19>(ix), V::set1(15u));
        const F c2 = V::lookup16(kNormalLogColumns.a, entry), l2 = V::lookup16(kNormalLogColumns.b, entry);
        const F m = V::asf(V::add32(V::and_(ix, V::set1(FC::kMantMask)), V::set1(K)));
        const F r2 = V::fma(m, c2, V::fset1(2.0f));
        const F p = V::fma(V::fma(V::fma(r2, V::fset1(0.0125f), V::fset1(0.03125f)), r2, V::fset1(0.0833333358f)), r2,
                           V::fset1(0.25f));
        const F log_part = V::fma(V::mul(r2, r2), p, r2);
        const F ef = V::cvt_i32(V::sra32<23>(ix));
        q[i] = V::fma(ef, V::fset1(-2.0f * FC::kLn2Hi), V::add(l2, V::fma(ef, V::fset1(-2.0f * FC::kLn2Lo), log_part)));
    }
    NL_EACH(i, N) {
        const F radius = V::sqrt(q[i]);
        const U j = V::srl32<27>(V::add32(w1[i], V::set1(0x4000000u)));
        const F S = V::lookup32(kNormalSinCosColumns.a, j), C = V::lookup32(kNormalSinCosColumns.b, j);
        const F delta = V::mul(V::cvt_i32(V::sll32<5>(w1[i])), V::fset1(0x1.921fb6p-35f));
        const F d2 = V::mul(delta, delta);
        const F sin_d = V::fma(V::mul(delta, d2), V::fma(d2, V::fset1(0.00833333377f), V::fset1(-0.166666672f)), delta);
        const F cos_m1 = V::mul(d2, V::fma(d2, V::fset1(0.0416666679f), V::fset1(-0.5f)));
        const F s = V::fma(S, cos_m1, V::fma(C, sin_d, S));
        const F c = V::fma(C, cos_m1, V::fma(fneg(S), sin_d, C));
        z0[i] = V::mul(radius, c);
        z1[i] = V::mul(radius, s);
    }
}
inline void normal_pair(U w0, U w1, F& z0, F& z1) { normal_pair_n<1>(&w0, &w1, &z0, &z1); }

// xf::exponential_f32: (0 - log(u)) / lambda (0 - x, not -x: u == 1 gives +0)
template <int N>
inline void exponential_n(const U* w, F lambda, F* out) {
    F u[N], lg[N];
    NL_EACH(i, N) u[i] = uniform_open0(w[i]);
    log_n<N>(u, lg);
    NL_EACH(i, N) out[i] = V::div(V::sub(V::fset1(0.0f), lg[i]), lambda);
}

// xf::cauchy_f32
template <int N>
inline void cauchy_n(const U* w, F median, F sigma, F* out) {
    U octant[N];
    F frac[N], s[N], c[N];
    NL_EACH(i, N) {
        const U odd = V::or_(V::sll32<1>(V::srl32<8>(w[i])), V::set1(1));
        octant[i] = V::srl32<23>(odd);
        frac[i] = V::mul(V::cvt_i32(V::and_(odd, V::set1(0x7FFFFFu))), V::fset1(1.1920928955078125e-07f));
    }
    sincos_octant_n<N>(octant, frac, s, c);
    NL_EACH(i, N) out[i] = V::fma(sigma, fneg(V::div(c[i], s[i])), median);
}

// floor(t) as the scalar code takes it: truncation, then one less where that went up (|t| < 2^31).
inline D dfloor(D t) {
    const D k = V::dtrunc(t);
    return V::dsel(V::dgt(k, t), V::dsub(k, V::dset1(1.0)), k);
}
// An integral double below 2^51 in magnitude as a 64-bit two's complement integer: adding
// 1.5 * 2^52 puts it in the low mantissa bits.
inline U dint64(D k) {
    const D magic = V::dset1(6755399441055744.0);
    return V::sub64(V::asu64(V::dadd(k, magic)), V::asu64(magic));
}

// dm::exp<double> for any x (only for levels with a fused double multiply-add).
inline D dneg(D x) { return V::asd(V::xor_(V::asu64(x), V::set1_64(0x8000000000000000ull))); }
inline D pow2i_d(U k) { return V::asd(V::sll64<52>(V::add64(k, V::set1_64(1023)))); }
// N independent vectors at a time, each statement for all N in turn: the long dependency chain of
// one vector (a division, then a dozen fmas) would otherwise leave the core idle.
// kNonPositive: the caller guarantees x <= 0 or -inf (never NaN): the overflow branches vanish.
template <int N, bool kNonPositive = false>
inline void exp_d_n(const D* x, D* out) {
    using DC = dm::Consts<double>;
    const D one = V::dset1(1.0);
    D kf[N], r[N], p[N];
    NL_EACH(i, N) kf[i] = dfloor(V::dfma(x[i], V::dset1(DC::kLog2e), V::dset1(0.5)));
    // fma(-kf, c, x) is x - kf*c rounded once: fnmadd.
    NL_EACH(i, N) r[i] = V::dfnma(kf[i], V::dset1(DC::kLn2Hi), x[i]);
    NL_EACH(i, N) r[i] = V::dfnma(kf[i], V::dset1(DC::kLn2Lo), r[i]);
    NL_EACH(i, N) p[i] = V::dfma(V::dset1(1.6059043836821613e-10), r[i], V::dset1(2.08767569878681e-09));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(2.505210838544172e-08));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(2.755731922398589e-07));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(2.7557319223985893e-06));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(2.48015873015873e-05));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(0.0001984126984126984));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(0.001388888888888889));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(0.008333333333333333));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(0.041666666666666664));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(0.16666666666666666));
    NL_EACH(i, N) p[i] = V::dfma(p[i], r[i], V::dset1(0.5));
    NL_EACH(i, N) {
        const D er = V::dadd(one, V::dfma(V::dmul(r[i], r[i]), p[i], r[i]));
        const U k = dint64(kf[i]);
        D res = V::dmul(er, pow2i_d(k));
        const auto tiny = V::dlt(kf[i], V::dset1(-1022.0));  // scale in two steps: one rounding
        if (!kNonPositive || V::dany(tiny)) {
            const D low = V::dmul(V::dmul(er, pow2i_d(V::add64(k, V::set1_64(1022)))), V::dset1(2.2250738585072014e-308));
            res = V::dsel(tiny, low, res);
        }
        if (!kNonPositive) {
            const D high = V::dmul(V::dmul(er, pow2i_d(V::add64(k, V::set1_64(~uint64_t(0))))), V::dset1(2.0));
            res = V::dsel(V::dgt(kf[i], V::dset1(1023.0)), high, res);
        }
        res = V::dsel(V::dlt(x[i], V::dset1(DC::kExpMin)), V::dset1(0.0), res);
        if (!kNonPositive) {
            res = V::dsel(V::dgt(x[i], V::dset1(DC::kExpMax)), V::asd(V::set1_64(DC::kInfBits)), res);
            res = V::dsel(V::disnan(x[i]), x[i], res);
        }
        out[i] = res;
    }
}
inline D exp_d(D x) {
    D out;
    exp_d_n<1>(&x, &out);
    return out;
}

// Kernels::logit_weights_*: W/2 logits per step; the tail is padded with -inf (weight 0).
template <class T>
void logit_weights(const T* l, int64_t n, double mx, double temperature, uint64_t* q, uint64_t* sum, double* maxw) {
    constexpr int L = W / 2;  // doubles per vector
    constexpr int N = 4;      // vectors in flight
    const D vmx = V::dset1(mx), vt = V::dset1(temperature), ninf = V::dset1(-__builtin_inf());
    const D zero = V::dset1(0.0), scale = V::dset1(1099511627776.0);  // 2^40
    const D two52 = V::dset1(4503599627370496.0), two52p1 = V::dset1(4503599627370497.0);
    U acc = V::zero();
    D mw = zero;
    auto load = [&](int64_t i) {
        if constexpr (sizeof(T) == 4) return V::dload_f32(reinterpret_cast<const float*>(l) + i);
        else return V::dload(reinterpret_cast<const double*>(l) + i);
    };
    // x: N vectors of logits; writes their weights' integers to dst[0 .. N*L).
    auto step = [&](const D* x, uint64_t* dst) {
        D y[N], e[N];
        NL_EACH(j, N) y[j] = V::ddiv(V::dsub(x[j], vmx), vt);  // <= 0: mx is the row's maximum
        exp_d_n<N, true>(y, e);
        NL_EACH(j, N) {
            const D w = V::dsel(V::deq(x[j], ninf), zero, e[j]);
            // nearbyint(w * 2^40): w * 2^40 is exact, and adding 2^52 rounds it to an integer
            // (nearest even) held in the low mantissa bits; where that gives 0 but w > 0, 1.
            D y52 = V::dfma(w, scale, two52);
            y52 = V::dsel(V::md_and(V::dgt(w, zero), V::deq(y52, two52)), two52p1, y52);
            const U qi = V::sub64(V::asu64(y52), V::asu64(two52));
            V::store(dst + j * L, qi);
            acc = V::add64(acc, qi);
            mw = V::dmax(mw, w);
        }
    };
    int64_t i = 0;
    for (; i + N * L <= n; i += N * L) {
        D x[N];
        NL_EACH(j, N) x[j] = load(i + j * L);
        step(x, q + i);
    }
    if (i < n) {  // the tail, padded with -inf (weight 0)
        alignas(64) double tmp[N * L];
        alignas(64) uint64_t qt[N * L];
        for (int j = 0; j < N * L; ++j) tmp[j] = i + j < n ? static_cast<double>(l[i + j]) : -__builtin_inf();
        D x[N];
        NL_EACH(j, N) x[j] = V::dload(tmp + j * L);
        step(x, qt);
        for (int j = 0; i + j < n; ++j) q[i + j] = qt[j];
    }
    *sum = V::hsum64(acc);
    *maxw = V::hmax(mw);
}

// Kernels::logits_max_f32: the maximum of l[0..n) as a double; false when a NaN or +inf is there.
bool logits_max_f32(const float* l, int64_t n, double* mx) {
    const F ninf = V::fset1(-__builtin_inff());
    F m0 = ninf, m1 = ninf;
    M bad = V::m_none();
    int64_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        const F a = V::fload(l + i), b = V::fload(l + i + W);
        bad = V::m_or(bad, V::m_or(V::fany_bad(a), V::fany_bad(b)));
        m0 = V::fmax(m0, a);
        m1 = V::fmax(m1, b);
    }
    float m = V::hmaxf(V::fmax(m0, m1));
    bool ok = V::bits(bad) == 0;
    for (; i < n; ++i) {
        ok &= l[i] < __builtin_inff();
        m = l[i] > m ? l[i] : m;
    }
    *mx = static_cast<double>(m);
    return ok;
}

void exp_f64_arr(const double* x, int64_t n, double* out) {
    constexpr int L = W / 2;
    alignas(64) double b[L], o[L];
    for (int64_t i = 0; i < n; i += L) {
        for (int j = 0; j < L; ++j) b[j] = x[(i + j < n) ? i + j : i];
        V::dstore(o, exp_d(V::dload(b)));
        for (int j = 0; j < L && i + j < n; ++j) out[i + j] = o[j];
    }
}

// float_to_bfloat16_bits (tensor/half.h), in the low 16 bits of each lane.
inline U bf16_bits(F v) {
    const U x = V::asu(v);
    const U rounding = V::add32(V::set1(0x7FFFu), V::and_(V::srl32<16>(x), V::set1(1)));
    const U r = V::srl32<16>(V::add32(x, rounding));
    return V::sel(V::isnan(v), V::or_(V::srl32<16>(x), V::set1(0x40)), r);
}

}  // namespace nl::simd::NL_SIMD_NS
