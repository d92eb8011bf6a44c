// The float32 math of the elementwise ops (exp, sigmoid, silu, tanh, sin, cos) over whole arrays,
// written once over the primitives of V (vec_*.h) and compiled once per instruction set
// (kernels_impl.h includes it inside the instruction set's namespace). Each function replicates its
// scalar reference operation for operation - detmath.h's exp_core / exp_f32 / tanh_f32 / sin_f32 /
// cos_f32 in double with adds, multiplies and divides only, ops_elementwise.cpp's 1 / (1 + exp(-x))
// and x / (1 + exp(-x)) in float - so every level gives the bits of the scalar functions, which are
// also the GPU's (tests/simd/ compares them over a stride of every float).
#ifndef NL_SIMD_NS
#error "include tensor/simd/kernels_impl.h, not this file"
#endif

#include <assert.h>
#include <math.h>  // sinf, cosf: plain C functions (no inline code of another header, kernels.h)

namespace nl::simd::NL_SIMD_NS {

// dm::exp_core on N vectors of W/2 doubles. Lanes outside its range (|x| > 104, inf, NaN) give
// meaningless values that the callers replace, as the scalar functions never call it there.
template <int N>
inline void exp_core_n(const D* x, D* out) {
    using DC = dm::Consts<double>;
    const D one = V::dset1(1.0);
    D jf[N], r[N];
    NL_EACH(i, N) jf[i] = dfloor(V::dadd(V::dmul(x[i], V::dset1(46.166241308446828)), V::dset1(0.5)));
    NL_EACH(i, N) {
        r[i] = V::dsub(V::dsub(x[i], V::dmul(jf[i], V::dset1(DC::kLn2Hi / 32))), V::dmul(jf[i], V::dset1(DC::kLn2Lo / 32)));
    }
    // j = jf as an integer, biased by 2^16 (a multiple of 32, so j's residue mod 32 is kept) to
    // make it non-negative: then i = j & 31 and k + 2^11 = (j + 2^16) >> 5 come from logical
    // shifts (AVX2 has no 64-bit arithmetic shift). jf + 2^16 is exact.
    NL_EACH(i, N) {
        const U jb = dint64(V::dadd(jf[i], V::dset1(65536.0)));
        const D two_i = V::dlookup32(dm::kExp2Host, V::and_(jb, V::set1_64(31)));
        // 2^k as bits: (k + 1023) << 52 = ((k + 2^11) - 1025) << 52.
        const D scale = V::asd(V::sll64<52>(V::sub64(V::srl64<5>(jb), V::set1_64(1025))));
        const D r2 = V::dmul(r[i], r[i]);
        const D inner = V::dadd(V::dadd(V::dset1(0.5), V::dmul(r[i], V::dset1(1.66666666666666667e-01))),
                                V::dmul(r2, V::dset1(4.16666666666666667e-02)));
        const D p = V::dadd(V::dadd(one, r[i]), V::dmul(r2, inner));
        out[i] = V::dmul(V::dmul(two_i, p), scale);
    }
}

constexpr int kHalf = W / 2;  // doubles per vector

// dm::exp_f32 of 2W floats x[0 .. 2W) into o.
inline void exp_f32_2w(const float* x, float* o) {
    D xd[4], e[4];
    NL_EACH(h, 4) xd[h] = V::dload_f32(x + h * kHalf);
    exp_core_n<4>(xd, e);
    NL_EACH(h, 4) V::dstore_f32(o + h * kHalf, e[h]);
    NL_EACH(v, 2) {
        const F xf = V::fload(x + v * W);
        F r = V::fload(o + v * W);
        r = V::fsel(V::lt(xf, V::fset1(-104.0f)), V::fset1(0.0f), r);
        r = V::fsel(V::gt(xf, V::fset1(FC::kExpMax)), V::asf(V::set1(FC::kInfBits)), r);
        r = V::fsel(V::isnan(xf), xf, r);  // the input's own bits, as the scalar returns x
        V::fstore(o + v * W, r);
    }
}

// dm::tanh_f32 of 2W floats x[0 .. 2W) into o.
inline void tanh_f32_2w(const float* x, float* o) {
    const U sign = V::set1_64(0x8000000000000000ull);
    const D one = V::dset1(1.0);
    D a[4], s[4], e[4];
    NL_EACH(h, 4) {
        const D xd = V::dload_f32(x + h * kHalf);
        s[h] = V::asd(V::and_(V::asu64(xd), sign));       // -0 counts as negative: tanh(-0) = -0
        a[h] = V::asd(V::xor_(V::asu64(xd), V::asu64(s[h])));  // |x|
        e[h] = V::dadd(a[h], a[h]);
    }
    exp_core_n<4>(e, e);
    NL_EACH(h, 4) {
        const D small = V::dmul(a[h], V::dsub(one, V::ddiv(V::dmul(a[h], a[h]), V::dset1(3.0))));
        const D mid = V::ddiv(V::dsub(e[h], one), V::dadd(e[h], one));
        D t = V::dsel(V::dlt(a[h], V::dset1(9.1)), mid, one);
        t = V::dsel(V::dlt(a[h], V::dset1(2.44140625e-4)), small, t);
        V::dstore_f32(o + h * kHalf, V::asd(V::xor_(V::asu64(t), V::asu64(s[h]))));
    }
    NL_EACH(v, 2) {
        const F xf = V::fload(x + v * W);
        V::fstore(o + v * W, V::fsel(V::isnan(xf), xf, V::fload(o + v * W)));
    }
}

// detmath.h's sin_poly_d and cos_poly_d (|r| <= pi/4, multiplies and adds in double).
inline D sin_poly_d(D r) {
    const D z = V::dmul(r, r);
    D p = V::dset1(-2.50521083854417188e-08);
    p = V::dadd(V::dmul(p, z), V::dset1(2.75573192239858907e-06));
    p = V::dadd(V::dmul(p, z), V::dset1(-1.98412698412698413e-04));
    p = V::dadd(V::dmul(p, z), V::dset1(8.33333333333333333e-03));
    p = V::dadd(V::dmul(p, z), V::dset1(-1.66666666666666667e-01));
    return V::dadd(r, V::dmul(V::dmul(r, z), p));
}
inline D cos_poly_d(D r) {
    const D z = V::dmul(r, r);
    D p = V::dset1(2.08767569878680990e-09);
    p = V::dadd(V::dmul(p, z), V::dset1(-2.75573192239858907e-07));
    p = V::dadd(V::dmul(p, z), V::dset1(2.48015873015873016e-05));
    p = V::dadd(V::dmul(p, z), V::dset1(-1.38888888888888889e-03));
    p = V::dadd(V::dmul(p, z), V::dset1(4.16666666666666667e-02));
    return V::dadd(V::dsub(V::dset1(1.0), V::dmul(V::dset1(0.5), z)), V::dmul(V::dmul(z, z), p));
}

// dm::sin_f32 (quarter_turns 0) and dm::cos_f32 (1) of 2W floats: reduce_pio2's three-part
// reduction and the quadrant's polynomial in double; lanes with |x| >= 2^19 (and NaN, inf) call
// the C library's sinf / cosf, as the scalar function does.
inline void sin_quadrant_2w(const float* x, float* o, int quarter_turns) {
    const U turns = V::set1_64(static_cast<uint64_t>(quarter_turns));
    NL_EACH(h, 4) {
        const D xd = V::dload_f32(x + h * kHalf);
        const D t = V::dadd(V::dmul(xd, V::dset1(0.63661977236758134)), V::dset1(0.5));
        const D kf = dfloor(t);
        const U q = V::and_(V::add64(dint64(kf), turns), V::set1_64(3));
        const D r1 = V::dsub(xd, V::dmul(kf, V::dset1(1.57079632673412561417e+00)));
        const D r = V::dsub(V::dsub(r1, V::dmul(kf, V::dset1(6.07710050630396597660e-11))),
                            V::dmul(kf, V::dset1(2.02226624879595063154e-21)));
        const U sp = V::asu64(sin_poly_d(r)), cp = V::asu64(cos_poly_d(r));
        const U odd = V::sub64(V::set1_64(0), V::and_(q, V::set1_64(1)));  // all ones: cosine
        const U v = V::xor_(sp, V::and_(V::xor_(sp, cp), odd));
        const U sign = V::sll64<62>(V::and_(q, V::set1_64(2)));  // quadrants 2, 3: negative
        V::dstore_f32(o + h * kHalf, V::asd(V::xor_(v, sign)));
    }
    NL_EACH(v, 2) {
        const F xf = V::fload(x + v * W);
        F r = V::fload(o + v * W);
        if (quarter_turns == 0) r = V::fsel(V::testz(V::asu(xf), V::set1(0x7FFFFFFFu)), xf, r);  // sin(-0) = -0
        V::fstore(o + v * W, r);
        const F ax = V::asf(V::and_(V::asu(xf), V::set1(0x7FFFFFFFu)));
        const unsigned far = ~V::bits(V::lt(ax, V::fset1(524288.0f))) & ((1u << W) - 1u);
        if (far) {
            for (int j = 0; j < W; ++j)
                if (far >> j & 1u) o[v * W + j] = quarter_turns ? ::cosf(x[v * W + j]) : ::sinf(x[v * W + j]);
        }
    }
}

// 2W floats of one op; `o` may not alias x.
inline void math_f32_2w(MathOp op, const float* x, float* o) {
    if (op == MathOp::Sin || op == MathOp::Cos) return sin_quadrant_2w(x, o, op == MathOp::Cos ? 1 : 0);
    if (op == MathOp::Tanh) return tanh_f32_2w(x, o);
    if (op == MathOp::Exp) return exp_f32_2w(x, o);
    alignas(64) float neg[2 * W];  // sigmoid and silu: exp(-x), then the float division
    NL_EACH(v, 2) V::fstore(neg + v * W, fneg(V::fload(x + v * W)));
    exp_f32_2w(neg, o);
    const F one = V::fset1(1.0f);
    NL_EACH(v, 2) {
        const F den = V::add(one, V::fload(o + v * W));
        const F num = op == MathOp::Sigmoid ? one : V::fload(x + v * W);
        V::fstore(o + v * W, V::div(num, den));
    }
}

// Kernels::math_f32.
void math_f32_arr(MathOp op, const float* x, int64_t n, float* out) {
    // The blocks write results into `out` before their last reads of `x`: no overlap allowed.
    assert(n <= 0 || out + n <= x || x + n <= out);
    alignas(64) float buf[2 * W], o[2 * W];
    int64_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) math_f32_2w(op, x + i, out + i);
    if (i < n) {  // the tail, padded with copies of its first element
        for (int j = 0; j < 2 * W; ++j) buf[j] = x[i + j < n ? i + j : i];
        math_f32_2w(op, buf, o);
        for (int j = 0; i + j < n; ++j) out[i + j] = o[j];
    }
}

}  // namespace nl::simd::NL_SIMD_NS
