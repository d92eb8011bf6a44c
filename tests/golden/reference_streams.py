#!/usr/bin/python3
"""Independent reimplementation of Noise Lab's random streams (docs/STREAMS.md, stream version 2)
in Python + numpy, compared byte for byte with the C++ library through nl_stream_dump.

It rebuilds, from the documentation rather than from the C++ code: Philox4x32-10 (checked first
against Random123's known-answer vectors), the counter layout, the word -> element layout of every
op below, and the transforms: uniform (all float dtypes, the [a, b) clamp), randint / random_
(Lemire's method with rejection on counter word 3, 32- and 64-bit), bernoulli (scalar and tensor
p), randperm (sort by 64-bit key, ties by index), multinomial with replacement (Note [Integer
weights]), and the deterministic-math ops normal / log_normal / exponential / cauchy in float32,
float16, bfloat16 and float64.

The float32 Box-Muller's two tables are data of the stream: they are read from the shipped
tensor/normal_tables.h (tests/core/test_normal_tables.cpp checks what they hold); the arithmetic
around them is rebuilt here from docs/STREAMS.md.

fma is emulated exactly: float32 as the exact float64 product plus c, made round-to-odd with an
exact TwoSum error term, then rounded to float32 (correct because float64 has more than 24 + 2
bits: Boldo & Melquiond, "Emulation of FMA and correctly rounded sums", IEEE TC 2008); float64
with fractions.Fraction (exact) and CPython's correctly rounded int / int division.

Usage: reference_streams.py --dump <path to nl_stream_dump> [--quick]   (one nl_stream_dump --batch run)
Exit status: 0 all equal, 1 a difference (the first differing values are printed), 77 numpy
missing (ctest reports the test as skipped).
"""
import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
from fractions import Fraction

try:
    import numpy as np
except ImportError:  # ctest: SKIP_RETURN_CODE 77
    print("SKIP: numpy is not installed for", sys.executable)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
MASK32 = 0xFFFFFFFF
F32, F64 = np.float32, np.float64

# ---- Philox4x32-10 --------------------------------------------------------------------------------
PHILOX_M0, PHILOX_M1 = 0xD2511F53, 0xCD9E8D57
PHILOX_W0, PHILOX_W1 = 0x9E3779B9, 0xBB67AE85


def philox4x32(c0, c1, c2, c3, k0, k1, rounds=10):
    """Counter words as uint64 arrays holding 32-bit values; key words as Python ints."""
    c = [np.asarray(x, dtype=np.uint64) & np.uint64(MASK32) for x in (c0, c1, c2, c3)]
    m0, m1, mask = np.uint64(PHILOX_M0), np.uint64(PHILOX_M1), np.uint64(MASK32)
    for r in range(rounds):
        if r:
            k0, k1 = (k0 + PHILOX_W0) & MASK32, (k1 + PHILOX_W1) & MASK32
        p0, p1 = c[0] * m0, c[2] * m1  # 32 x 32 -> 64 bits, exact in uint64
        c = [(p1 >> np.uint64(32)) ^ c[1] ^ np.uint64(k0), p1 & mask, (p0 >> np.uint64(32)) ^ c[3] ^ np.uint64(k1),
             p0 & mask]
    return c


def blocks(seed, stream, block, attempt=0):
    """Words of Philox blocks: counter (block lo, block hi, stream, attempt), key (seed lo, seed hi).
    `block` is an array of block indices (uint64); returns an (n, 4) uint64 array."""
    block = np.asarray(block, dtype=np.uint64)
    n = block.shape[0]
    attempt = np.broadcast_to(np.asarray(attempt, dtype=np.uint64), (n,))
    c = philox4x32(block & np.uint64(MASK32), block >> np.uint64(32), np.full(n, stream, np.uint64), attempt,
                   seed & MASK32, seed >> 32)
    return np.stack(c, axis=1)


def stream_words(seed, stream, offset, nblocks):
    """Blocks [offset, offset + nblocks) flattened: word 4q + j = word j of block offset + q."""
    return blocks(seed, stream, np.arange(nblocks, dtype=np.uint64) + np.uint64(offset)).reshape(-1)


def check_kat():
    path = os.path.join(HERE, "philox_kat_vectors.txt")
    rows = 0
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0] != "philox4x32":
                continue
            rounds = int(parts[1])
            v = [int(x, 16) for x in parts[2:12]]
            out = philox4x32(*[np.array([x], np.uint64) for x in v[0:4]], v[4], v[5], rounds=rounds)
            got = [int(o[0]) for o in out]
            if got != v[6:10]:
                raise SystemExit("Python Philox fails the known-answer row: " + line.strip())
            rows += 1
    if rows != 58:
        raise SystemExit("expected 58 philox4x32 rows in %s, found %d" % (path, rows))
    return rows


# ---- exact arithmetic helpers -----------------------------------------------------------------------
def f32_literal(text):
    """A C++ float literal: the decimal rounded once, to nearest even, to float32."""
    fr = Fraction(text)
    cand = F32(float(fr))
    best = None
    for c in (np.nextafter(cand, F32(-np.inf)), cand, np.nextafter(cand, F32(np.inf))):
        d = abs(Fraction(float(c)) - fr)
        key = (d, int(np.array(c, F32).view(np.uint32)) & 1)
        if best is None or key < best[0]:
            best = (key, c)
    return F32(best[1])


def fma32(a, b, c):
    a, b, c = (np.asarray(x, dtype=F32) for x in (a, b, c))
    p = a.astype(F64) * b.astype(F64)  # exact: 24 + 24 bits
    cd = c.astype(F64)
    s = p + cd
    bb = s - p
    err = (p - (s - bb)) + (cd - bb)  # TwoSum: s + err == p + c exactly
    even = (s.view(np.uint64) & np.uint64(1)) == 0
    toward = np.where(err > 0, np.inf, -np.inf)
    s = np.where((err != 0) & even, np.nextafter(s, toward), s)  # round to odd
    return s.astype(F32)


def _fma64_scalar(a, b, c):
    a, b, c = float(a), float(b), float(c)
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:  # IEEE: +0 unless both addends are -0
        prod_neg = math.copysign(1.0, a) * math.copysign(1.0, b) < 0
        return -0.0 if (prod_neg and math.copysign(1.0, c) < 0) else 0.0
    return exact.numerator / exact.denominator  # correctly rounded


_fma64_vec = np.frompyfunc(_fma64_scalar, 3, 1)


def fma64(a, b, c):
    return np.asarray(_fma64_vec(a, b, c), dtype=F64)


class Prec:
    """Per-precision constants of the deterministic math (docs/STREAMS.md, Deterministic math)."""

    def __init__(self, t):
        self.t = t
        if t is F32:
            lit = f32_literal
            self.bits, self.mant, self.bias = np.uint32, 23, 127
            self.mant_mask, self.one_bits, self.sqrt2_bits = 0x7FFFFF, 0x3F800000, 0x3FB504F3
            self.ln2hi, self.ln2lo = lit("0.693145751953125"), lit("1.428606765330187045e-06")
            self.log2e, self.quarter_pi = lit("1.44269502162933349609"), lit("0.785398163397448309616")
            self.log_poly = [lit(x) for x in ("0.2222222222222222", "0.2857142857142857", "0.4", "0.6666666666666666")]
            self.exp_poly = [lit(x) for x in ("2.48015873015873e-05", "0.0001984126984126984", "0.001388888888888889",
                                              "0.008333333333333333", "0.041666666666666664", "0.16666666666666666",
                                              "0.5")]
            self.sin_poly = [lit(x) for x in ("2.7557319223985893e-06", "-0.0001984126984126984",
                                              "0.008333333333333333", "-0.16666666666666666")]
            self.cos_poly = [lit(x) for x in ("-2.755731922398589e-07", "2.48015873015873e-05",
                                              "-0.001388888888888889", "0.041666666666666664", "-0.5")]
            self.fma = fma32
        else:
            self.bits, self.mant, self.bias = np.uint64, 52, 1023
            self.mant_mask, self.one_bits, self.sqrt2_bits = 0x000FFFFFFFFFFFFF, 0x3FF0000000000000, 0x3FF6A09E667F3BCD
            self.ln2hi, self.ln2lo = F64(6.93147180369123816490e-01), F64(1.90821492927058770002e-10)
            self.log2e, self.quarter_pi = F64(1.44269504088896338700e+00), F64(0.785398163397448309616)
            self.log_poly = [F64(x) for x in (0.09523809523809523, 0.10526315789473684, 0.11764705882352941,
                                              0.13333333333333333, 0.15384615384615385, 0.18181818181818182,
                                              0.2222222222222222, 0.2857142857142857, 0.4, 0.6666666666666666)]
            self.exp_poly = [F64(x) for x in (1.6059043836821613e-10, 2.08767569878681e-09, 2.505210838544172e-08,
                                              2.755731922398589e-07, 2.7557319223985893e-06, 2.48015873015873e-05,
                                              0.0001984126984126984, 0.001388888888888889, 0.008333333333333333,
                                              0.041666666666666664, 0.16666666666666666, 0.5)]
            self.sin_poly = [F64(x) for x in (2.8114572543455206e-15, -7.647163731819816e-13, 1.6059043836821613e-10,
                                              -2.505210838544172e-08, 2.7557319223985893e-06, -0.0001984126984126984,
                                              0.008333333333333333, -0.16666666666666666)]
            self.cos_poly = [F64(x) for x in (-1.5619206968586225e-16, 4.779477332387385e-14, -1.1470745597729725e-11,
                                              2.08767569878681e-09, -2.755731922398589e-07, 2.48015873015873e-05,
                                              -0.001388888888888889, 0.041666666666666664, -0.5)]
            self.fma = fma64

    def horner(self, coeffs, z):
        acc = np.full(z.shape, coeffs[0], dtype=self.t)
        for c in coeffs[1:]:
            acc = self.fma(acc, z, np.full(z.shape, c, dtype=self.t))
        return acc

    def log(self, x):
        T, B = self.t, self.bits
        b = np.asarray(x, dtype=T).view(B).astype(np.uint64)
        e = (b >> np.uint64(self.mant)).astype(np.int64) - self.bias
        mb = (b & np.uint64(self.mant_mask)) | np.uint64(self.one_bits)
        big = mb > np.uint64(self.sqrt2_bits)
        mb = np.where(big, mb - np.uint64(1 << self.mant), mb)
        e = e + big.astype(np.int64)
        f = mb.astype(B).view(T) - T(1)
        s = f / (T(2) + f)
        z = s * s
        p = self.horner(self.log_poly, z)
        log1pf = self.fma(s * z, p, s + s)
        ef = e.astype(T)
        return self.fma(ef, np.full(ef.shape, self.ln2hi, T), self.fma(ef, np.full(ef.shape, self.ln2lo, T), log1pf))

    def pow2i(self, k):
        return ((np.asarray(k, np.int64) + self.bias).astype(np.uint64) << np.uint64(self.mant)).astype(self.bits).view(self.t)

    def exp(self, x):
        T = self.t
        x = np.asarray(x, dtype=T)
        t = self.fma(x, np.full(x.shape, self.log2e, T), np.full(x.shape, T(0.5), T))
        kf = np.trunc(t).astype(T)
        kf = np.where(kf > t, kf - T(1), kf)
        k = kf.astype(np.int64)
        r = self.fma(-kf, np.full(x.shape, self.ln2hi, T), x)
        r = self.fma(-kf, np.full(x.shape, self.ln2lo, T), r)
        p = self.horner(self.exp_poly, r)
        er = T(1) + self.fma(r * r, p, r)
        if np.any(k < -(self.bias - 1)) or np.any(k > self.bias):
            raise NotImplementedError("exp outside the normal range is not needed by these cases")
        return er * self.pow2i(k)

    def sincos_octant(self, octant, frac):
        T = self.t
        octant = np.asarray(octant, dtype=np.uint64)
        frac = np.asarray(frac, dtype=T)
        y = np.where((octant & np.uint64(1)) != 0, T(1) - frac, frac)
        x = y * self.quarter_pi
        z = x * x
        s = self.fma(x * z, self.horner(self.sin_poly, z), x)
        c = self.fma(z, self.horner(self.cos_poly, z), np.ones(z.shape, T))
        swap = ((octant + np.uint64(1)) & np.uint64(2)) != 0
        sv, cv = np.where(swap, c, s), np.where(swap, s, c)
        sv = np.where(octant >= 4, -sv, sv)
        cv = np.where((octant >= 2) & (octant <= 5), -cv, cv)
        return sv, cv


P32, P64 = Prec(F32), Prec(F64)
TWO_M24, TWO_M31, TWO_M32 = F32(2.0 ** -24), F32(2.0 ** -31), F32(2.0 ** -32)


# ---- uniforms ---------------------------------------------------------------------------------------
def join64(lo, hi):
    return (np.asarray(hi, np.uint64) << np.uint64(32)) | np.asarray(lo, np.uint64)


def uniform_f32(w):  # [0, 1): top 24 bits * 2^-24
    return (w >> np.uint64(8)).astype(F32) * TWO_M24


def uniform_open0_f32(w):  # (0, 1]: fma(float(k), 2^-31, 2^-32), k = w >> 1
    k = (w >> np.uint64(1)).astype(np.int64).astype(F32)
    return fma32(k, np.full(k.shape, TWO_M31), np.full(k.shape, TWO_M32))


def uniform_f64(lo, hi):  # [0, 1): top 53 bits * 2^-53
    return (join64(lo, hi) >> np.uint64(11)).astype(F64) * F64(2.0 ** -53)


def uniform_open0_f64(lo, hi):  # (0, 1]
    return ((join64(lo, hi) >> np.uint64(11)) + np.uint64(1)).astype(F64) * F64(2.0 ** -53)


def next_below(b):
    return np.nextafter(b, b.dtype.type(-np.inf))


# ---- storing into dtypes ----------------------------------------------------------------------------
def bf16_bits(v32):
    b = np.asarray(v32, F32).view(np.uint32).astype(np.uint64)
    nan = (b & np.uint64(0x7FFFFFFF)) > np.uint64(0x7F800000)
    rounded = (b + np.uint64(0x7FFF) + ((b >> np.uint64(16)) & np.uint64(1))) >> np.uint64(16)
    quiet = (b >> np.uint64(16)) | np.uint64(0x40)
    return (np.where(nan, quiet, rounded) & np.uint64(0xFFFF)).astype(np.uint16)


def from_f32(v, dtype):
    v = np.asarray(v, F32)
    return {"float32": lambda: v, "float64": lambda: v.astype(F64), "float16": lambda: v.astype(np.float16),
            "bfloat16": lambda: bf16_bits(v)}[dtype]()


def from_f64(v, dtype):
    v = np.asarray(v, F64)
    if dtype == "float64":
        return v
    return from_f32(v.astype(F32), dtype)


def from_int(v, dtype):
    v = np.asarray(v, np.int64)
    if dtype in ("float32", "float16", "bfloat16"):
        return from_f32(v.astype(F32), dtype)
    return {"float64": lambda: v.astype(F64), "int64": lambda: v, "int32": lambda: v.astype(np.int32),
            "uint8": lambda: v.astype(np.uint8), "bool": lambda: (v != 0).astype(np.uint8)}[dtype]()


def ceil_div(a, b):
    return (a + b - 1) // b


FLOATS = ["float32", "float16", "bfloat16", "float64"]
ALL = ["float32", "float16", "bfloat16", "float64", "int64", "int32", "uint8", "bool"]


def one_word(seed, stream, offset, n):
    """Ops with one word per element: element i reads word i % 4 of block offset + i // 4."""
    return stream_words(seed, stream, offset, ceil_div(n, 4))[:n], ceil_div(n, 4)


def two_words(seed, stream, offset, n):
    """Two words per element: element i reads words 2(i % 2), 2(i % 2) + 1 of block offset + i // 2."""
    w = stream_words(seed, stream, offset, ceil_div(n, 2))
    return w[0:2 * n:2], w[1:2 * n:2], ceil_div(n, 2)


# ---- per-element parameters (tests/core/op_catalog.cpp, param_tensor) ---------------------------------
def param(which, n, dtype):
    i = np.arange(n, dtype=np.int64)
    v = {"mean": -1.0 + 0.125 * (i % 17), "std": 0.25 * (i % 7), "p": ((i * 37) % 65) / 64.0}[which].astype(F64)
    # stored in the op's dtype, read back as float64 (all these values are exact in every float dtype)
    return v


# ---- ops --------------------------------------------------------------------------------------------
def op_uniform(a, b):
    def run(dtype, seed, stream, offset, n):
        if dtype == "float64":
            lo, hi, nb = two_words(seed, stream, offset, n)
            u = uniform_f64(lo, hi)
            if a == 0.0 and b == 1.0:
                return u, nb
            x = fma64(u, np.full(n, F64(b) - F64(a)), np.full(n, F64(a)))
            return np.where((x >= b) & (a < b), next_below(np.full(n, F64(b))), x), nb
        w, nb = one_word(seed, stream, offset, n)
        af, bf = F32(a), F32(b)
        if dtype == "float32":
            u = uniform_f32(w)
        elif dtype == "float16":
            u = (w >> np.uint64(21)).astype(F32) * F32(2.0 ** -11)
        else:
            u = (w >> np.uint64(24)).astype(F32) * F32(2.0 ** -8)
        x = fma32(u, np.full(n, bf - af), np.full(n, af))
        x = np.where((x >= bf) & (af < bf), next_below(np.full(n, bf)), x)  # scale_to_interval
        if dtype == "float32":
            return x, nb
        # float16 / bfloat16: round; where that reaches b, the largest 16-bit value below b:
        # round(b) itself if it is below b, else one unit below it toward -inf
        out = from_f32(x, dtype)
        def value(bits16):
            b16 = np.array([bits16], np.uint16)
            return float(b16.view(np.float16)[0]) if dtype == "float16" else \
                float((b16.astype(np.uint32) << np.uint32(16)).view(F32)[0])
        tb = int(from_f32(np.array([bf], F32), dtype).view(np.uint16)[0])
        fb = value(tb)
        below = tb if fb < bf else (tb - 1 if fb > 0 else (0x8001 if fb == 0 else tb + 1))
        back = np.array([value(int(v)) for v in out.view(np.uint16)])
        clamp = (back >= bf) & (af < bf)
        return np.where(clamp, np.array([below], np.uint16).view(out.dtype)[0], out), nb
    return run


def read_normal_tables():
    """The two tables of tensor/normal_tables.h as (n, 2) float32 arrays: (-2c, -2L) and (S, C)."""
    with open(os.path.join(HERE, "..", "..", "tensor", "normal_tables.h")) as f:
        text = f.read()

    def table(name):
        body = text.split("#define " + name, 1)[1].split("\n\n", 1)[0]
        tokens = re.findall(r"-?0x[0-9a-fA-F.]+p[-+]?\d+f|-?0\.0f", body)
        values = [float.fromhex(t[:-1]) if "x" in t else 0.0 for t in tokens]
        return np.array(values, dtype=F64).astype(F32).reshape(-1, 2)

    return table("NL_NORMAL_LOG_TABLE"), table("NL_NORMAL_SINCOS_TABLE")


NORMAL_LOG_TABLE, NORMAL_SINCOS_TABLE = read_normal_tables()


def normal_pair_f32(w0, w1):
    """Stream version 2's float32 Box-Muller of word arrays w0 (radius) and w1 (angle)."""
    n = w0.shape[0]
    full = lambda x: np.full(n, x, dtype=F32)
    k = 0x3FB504F3 - (1 << 23) + 1
    u_scaled = (w0 | np.uint64(1)).astype(F64).astype(F32)  # float(w | 1): one rounding
    ix = (u_scaled.view(np.uint32).astype(np.int64) - (k + (32 << 23))) & MASK32
    e = np.where(ix >= 1 << 31, ix - (1 << 32), ix) >> 23
    entry = NORMAL_LOG_TABLE[(ix >> 19) & 15]
    m = ((ix & 0x7FFFFF) + k).astype(np.uint32).view(F32)
    r2 = fma32(m, entry[:, 0], full(2.0))
    p = fma32(fma32(fma32(r2, full(0.0125), full(0.03125)), r2, full(0.0833333358)), r2, full(0.25))
    log_part = fma32(r2 * r2, p, r2)
    ef = e.astype(F32)
    q = fma32(ef, full(F32(-2.0) * P32.ln2hi), entry[:, 1] + fma32(ef, full(F32(-2.0) * P32.ln2lo), log_part))
    radius = np.sqrt(q)
    sc = NORMAL_SINCOS_TABLE[((w1 + np.uint64(0x4000000)) & np.uint64(MASK32)) >> np.uint64(27)]
    low = ((w1 << np.uint64(5)) & np.uint64(MASK32)).astype(np.int64)
    t32 = np.where(low >= 1 << 31, low - (1 << 32), low).astype(F64).astype(F32)  # one rounding to 24 bits
    delta = t32 * F32(float.fromhex("0x1.921fb6p-35"))
    d2 = delta * delta
    sin_d = fma32(delta * d2, fma32(d2, full(0.00833333377), full(-0.166666672)), delta)
    cos_m1 = d2 * fma32(d2, full(0.0416666679), full(-0.5))
    s = fma32(sc[:, 0], cos_m1, fma32(sc[:, 1], sin_d, sc[:, 0]))
    c = fma32(sc[:, 1], cos_m1, fma32(-sc[:, 0], sin_d, sc[:, 1]))
    return radius * c, radius * s


def normal_values(dtype, seed, stream, offset, n, prec_out):
    """Standard normals z[i] (float32 or float64 by dtype) and the blocks used."""
    if dtype == "float64":
        nb = ceil_div(n, 2)
        w = stream_words(seed, stream, offset, nb).reshape(nb, 4)
        r = np.sqrt(F64(-2.0) * P64.log(uniform_open0_f64(w[:, 0], w[:, 1])))
        x = join64(w[:, 2], w[:, 3])
        octant = x >> np.uint64(61)
        frac = ((x >> np.uint64(11)) & np.uint64((1 << 50) - 1)).astype(F64) * F64(2.0 ** -50)
        s, c = P64.sincos_octant(octant, frac)
        return np.stack([r * c, r * s], axis=1).reshape(-1)[:n], nb
    nb = ceil_div(n, 4)
    w = stream_words(seed, stream, offset, nb).reshape(nb * 2, 2)  # (w0, w1), (w2, w3) pairs
    z0, z1 = normal_pair_f32(w[:, 0], w[:, 1])
    return np.stack([z0, z1], axis=1).reshape(-1)[:n], nb


def op_normal(mean, std, lognormal=False):
    """mean / std: numbers, or names of per-element parameters."""
    def run(dtype, seed, stream, offset, n):
        z, nb = normal_values(dtype, seed, stream, offset, n, None)
        m = param(mean, n, dtype) if isinstance(mean, str) else np.full(n, mean, F64)
        s = param(std, n, dtype) if isinstance(std, str) else np.full(n, std, F64)
        if dtype == "float64":
            v = fma64(z, s, m)
            return (P64.exp(v) if lognormal else v), nb
        v = fma32(z, s.astype(F32), m.astype(F32))
        return from_f32(P32.exp(v) if lognormal else v, dtype), nb
    return run


def op_exponential(lam):
    def run(dtype, seed, stream, offset, n):
        if dtype == "float64":
            lo, hi, nb = two_words(seed, stream, offset, n)
            return (F64(0) - P64.log(uniform_open0_f64(lo, hi))) / F64(lam), nb
        w, nb = one_word(seed, stream, offset, n)
        return from_f32((F32(0) - P32.log(uniform_open0_f32(w))) / F32(lam), dtype), nb
    return run


def op_cauchy(median, sigma):
    def run(dtype, seed, stream, offset, n):
        if dtype == "float64":
            lo, hi, nb = two_words(seed, stream, offset, n)
            odd = ((join64(lo, hi) >> np.uint64(11)) << np.uint64(1)) | np.uint64(1)
            s, c = P64.sincos_octant(odd >> np.uint64(51), (odd & np.uint64((1 << 51) - 1)).astype(F64) * F64(2.0 ** -51))
            return fma64(np.full(n, F64(sigma)), -(c / s), np.full(n, F64(median))), nb
        w, nb = one_word(seed, stream, offset, n)
        odd = ((w >> np.uint64(8)) << np.uint64(1)) | np.uint64(1)
        s, c = P32.sincos_octant(odd >> np.uint64(23), (odd & np.uint64(0x7FFFFF)).astype(F32) * F32(2.0 ** -23))
        return from_f32(fma32(np.full(n, F32(sigma)), -(c / s), np.full(n, F32(median))), dtype), nb
    return run


def bernoulli_threshold(p):
    t = p * 4294967296.0  # exact: a power of two
    ti = math.floor(t)
    return ti + 1 if ti < t else ti


def op_bernoulli(p):
    def run(dtype, seed, stream, offset, n):
        w, nb = one_word(seed, stream, offset, n)
        ps = param(p, n, dtype) if isinstance(p, str) else np.full(n, p, F64)
        thr = np.array([bernoulli_threshold(float(x)) for x in ps], dtype=np.uint64)
        return from_int((w < thr).astype(np.int64), dtype), nb
    return run


def bounded32(seed, stream, offset, w, rng):
    """Lemire with rejection; element i (lane i % 4 of block offset + i // 4) retries with counter
    word 3 = 1, 2, ... of the same block."""
    if rng == 1 << 32:
        return w.astype(object)
    m = w.astype(object) * rng
    lo = m & MASK32
    t = ((1 << 32) - rng) % rng
    pending = [i for i in range(len(w)) if lo[i] < t]
    attempt = 1
    while pending:
        blk = np.array([offset + i // 4 for i in pending], np.uint64)
        words = blocks(seed, stream, blk, attempt)
        nxt = []
        for k, i in enumerate(pending):
            m[i] = int(words[k, i % 4]) * rng
            if m[i] & MASK32 < t:
                nxt.append(i)
        pending, attempt = nxt, attempt + 1
    return np.array([x >> 32 for x in m], dtype=object)


def bounded64(seed, stream, offset, lo, hi, rng, per_block_lane=True):
    """The same on 64-bit words (element i: words 2(i % 2), 2(i % 2) + 1 of block offset + i // 2)."""
    x = [int(a) | (int(b) << 32) for a, b in zip(lo, hi)]
    m = [v * rng for v in x]
    t = ((1 << 64) - rng) % rng
    out = []
    for i, mi in enumerate(m):
        attempt = 1
        while mi & ((1 << 64) - 1) < t:
            wd = blocks(seed, stream, np.array([offset + i // 2], np.uint64), attempt)[0]
            lane = i % 2
            mi = (int(wd[2 * lane]) | (int(wd[2 * lane + 1]) << 32)) * rng
            attempt += 1
        out.append(mi >> 64)
    return out


def small_range(dtype):
    return {"bool": (0, 2), "uint8": (3, 250), "bfloat16": (-3, 250)}.get(dtype, (-3, 1000))


def op_randint(lohi=None):
    def run(dtype, seed, stream, offset, n):
        low, high = lohi if lohi else small_range(dtype)
        rng = high - low
        if rng <= 1 << 32:
            w, nb = one_word(seed, stream, offset, n)
            k = bounded32(seed, stream, offset, w, rng)
        else:
            lo, hi, nb = two_words(seed, stream, offset, n)
            k = bounded64(seed, stream, offset, lo, hi, rng)
        v = [((low + int(x)) + (1 << 63)) % (1 << 64) - (1 << 63) for x in k]  # int64 wrap
        return from_int(np.array(v, np.int64), dtype), nb
    return run


def op_randperm(dtype, seed, stream, offset, n):
    lo, hi, nb = two_words(seed, stream, offset, n)
    keys = join64(lo, hi)
    perm = np.argsort(keys, kind="stable")  # ascending key, ties by index
    return from_int(perm.astype(np.int64), dtype), nb


def op_multinomial_replacement(dtype, seed, stream, offset, n):
    # probs [10] (1-D cases only here): category 3 zero, others 0.5 + (j * 3) % 11 (row 0)
    w = np.array([0.0 if j == 3 else 0.5 + (j * 3) % 11 for j in range(10)], F64)
    maxw = w.max()
    q = np.where(w > 0, np.maximum(1.0, np.rint(w / maxw * 1099511627776.0)), 0.0).astype(np.uint64)
    prefix = np.cumsum(q.astype(object))
    lo, hi, nb = two_words(seed, stream, offset, n)
    targets = bounded64(seed, stream, offset, lo, hi, int(prefix[-1]))
    out = [int(np.searchsorted(np.array(prefix, np.uint64), np.uint64(t), side="right")) for t in targets]
    return np.array(out, np.int64), nb


OPS = {
    "rand": (FLOATS, op_uniform(0.0, 1.0)),
    "rand_like": (FLOATS, op_uniform(0.0, 1.0)),
    "uniform_": (FLOATS, op_uniform(-2.0, 3.0)),
    "uniform_narrow": (["float32", "float16", "float64"], op_uniform(0.1, 0.1005)),
    "randn": (FLOATS, op_normal(0.0, 1.0)),
    "randn_like": (FLOATS, op_normal(0.0, 1.0)),
    "normal_": (FLOATS, op_normal(0.5, 2.0)),
    "normal_scalar": (FLOATS, op_normal(-1.0, 0.25)),
    "normal_tensor_tensor": (FLOATS, op_normal("mean", "std")),
    "normal_tensor_scalar": (FLOATS, op_normal("mean", 3.0)),
    "normal_scalar_tensor": (FLOATS, op_normal(2.0, "std")),
    "log_normal_": (FLOATS, op_normal(0.1, 0.5, lognormal=True)),
    "exponential_": (FLOATS, op_exponential(1.5)),
    "cauchy_": (FLOATS, op_cauchy(1.0, 2.0)),
    "bernoulli_": (ALL, op_bernoulli(0.3)),
    "bernoulli_like": (ALL, op_bernoulli(0.7)),
    "bernoulli_shape": (ALL, op_bernoulli(0.25)),
    "bernoulli_tensor": (FLOATS, op_bernoulli("p")),
    "random_": (ALL, op_randint()),
    "randint": (ALL, op_randint()),
    "randint_like": (ALL, op_randint()),
    "randint_full32": (["int64", "float64"], op_randint((-(1 << 31), 1 << 31))),
    "randint_reject32": (["int64", "float64"], op_randint((0, (1 << 31) + 1))),
    "randint_wide": (["int64"], op_randint((5, (1 << 40) + 3))),
    "randint_reject64": (["int64"], op_randint((-(1 << 62), (1 << 62) + 1))),
    "randperm": (["int64", "int32", "float32", "float64", "float16"], op_randperm),
    "multinomial_replacement": (["float32", "float64", "float16"], op_multinomial_replacement),
}

STORAGE = {"float32": np.float32, "float64": np.float64, "float16": np.float16, "bfloat16": np.uint16,
           "int64": np.int64, "int32": np.int32, "uint8": np.uint8, "bool": np.uint8}
# multinomial returns int64 whatever the probabilities' dtype
OUT_DTYPE = {"multinomial_replacement": "int64"}

SEEDS = [0, 0x0123456789ABCDEF, 0xFFFFFFFFFFFFFFFF]
# (seed, offset, stream, n): odd sizes, a non-zero offset, a stream id, the high counter words
CONFIGS = [(SEEDS[0], 0, 0, 1001), (SEEDS[1], 5, 3, 7), (SEEDS[2], (1 << 33) + 5, 0xFFFFFFFF, 33), (SEEDS[1], 0, 0, 1)]


def run_dumps(dump, cases, tmp):
    """All cases in one nl_stream_dump --batch run: [(bytes, offset_after)] in case order."""
    lines, files = [], []
    for k, (op, dtype, seed, offset, stream, n) in enumerate(cases):
        files.append(os.path.join(tmp, "case%d.bin" % k))
        lines.append("%s %s %d %d %d %d %s" % (op, dtype, seed, offset, stream, n, files[-1]))
    listing = os.path.join(tmp, "cases.txt")
    with open(listing, "w") as f:
        f.write("\n".join(lines) + "\n")
    res = subprocess.run([dump, "--batch", listing], capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit("%s failed: %s" % (dump, res.stderr.strip()))
    out = []
    for path, line in zip(files, res.stdout.splitlines()):
        fields = line.split()
        with open(path, "rb") as f:
            out.append((f.read(), int(fields[fields.index("offset_after") + 1])))
    if len(out) != len(cases):
        raise SystemExit("nl_stream_dump answered %d of %d cases" % (len(out), len(cases)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dump", required=True, help="path to the nl_stream_dump executable")
    ap.add_argument("--quick", action="store_true", help="only the first configuration per op and dtype")
    args = ap.parse_args()
    print("Philox4x32: %d known-answer rows match" % check_kat())

    cases = [(op, dtype, seed, offset, stream, n) for op, (dtypes, _) in OPS.items() for dtype in dtypes
             for seed, offset, stream, n in (CONFIGS[:1] if args.quick else CONFIGS)]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        results = run_dumps(args.dump, cases, tmp)
    for (op, dtype, seed, offset, stream, n), (got_bytes, offset_after) in zip(cases, results):
        label = "%s %s seed=%#x offset=%d stream=%d n=%d" % (op, dtype, seed, offset, stream, n)
        want, blocks_used = OPS[op][1](dtype, seed, stream, offset, n)
        want = np.ascontiguousarray(np.asarray(want).astype(STORAGE[OUT_DTYPE.get(op, dtype)]))
        got = np.frombuffer(got_bytes, dtype=want.dtype)
        if offset_after != offset + blocks_used:
            failures += 1
            print("FAIL %s: offset after %d, expected %d" % (label, offset_after, offset + blocks_used))
        if got.shape != want.shape:
            failures += 1
            print("FAIL %s: %d elements, expected %d" % (label, got.size, want.size))
        elif got.tobytes() != want.tobytes():
            failures += 1
            bad = [i for i in range(n) if got[i:i + 1].tobytes() != want[i:i + 1].tobytes()]
            i = bad[0]
            print("FAIL %s: %d of %d elements differ; first at %d: C++ %r, numpy %r; C++[%d:%d] %s, numpy %s"
                  % (label, len(bad), n, i, got[i], want[i], i, i + 4, got[i:i + 4], want[i:i + 4]))
    cases = len(cases)
    print("%d cases, %d failures" % (cases, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
