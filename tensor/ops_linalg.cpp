// matmul and linear on a blocked CPU GEMM (ops_internal.h: gemm). The kernel packs panels of B
// (any strides: a transposed weight costs nothing extra), keeps a 4 x NR tile of C in registers
// across a block of k (one packed B panel in L1 while the task's rows of A stream past it), and
// splits (row block, column block) tiles over the threads. Each C element is accumulated over k
// in increasing order with separate multiply and add, so the result equals the naive loop bit for
// bit and does not depend on the thread count. The same kernel is compiled for 16-, 32- and 64-byte
// vectors (baseline x86-64, AVX2, AVX-512F) and picked at run time: same operations per element,
// same results, wider registers.
#include <cstring>
#include <vector>

#include "tensor/ops.h"
#include "tensor/backend.h"
#include "tensor/ops_internal.h"
#include "tensor/parallel.h"

namespace nl {
using namespace ops_detail;

namespace {

#define NL_ALWAYS_INLINE inline __attribute__((always_inline))
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__CUDACC__)
#define NL_GEMM_X86_DISPATCH 1
#endif

constexpr int64_t kMR = 4;     // rows of the register tile
constexpr int64_t kKC = 256;   // k per packed block
constexpr int64_t kNC = 256;   // columns per packed block (and per task)
constexpr int64_t kMC = 64;    // rows per task
constexpr int64_t kInPlaceRows = 32;  // tasks of up to this many rows read unit-stride B unpacked
// Columns of the register tile: two vectors of VB bytes.
template <class T, int VB> constexpr int64_t kNR = 2 * VB / static_cast<int64_t>(sizeof(T));
constexpr int kMaxVB = 64;

// VB-byte vectors (GCC/Clang vector extensions: elementwise IEEE mul and add, no contraction with
// -ffp-contract=off).
template <class T, int VB> struct Vec {
    typedef T type __attribute__((vector_size(VB)));
};

// By reference, not by value: the baseline build must not pass wide vectors in registers.
template <class V>
NL_ALWAYS_INLINE void load_vec(V& v, const void* p) {
    std::memcpy(&v, p, sizeof(V));
}
template <class V>
NL_ALWAYS_INLINE void store_vec(void* p, const V& v) {
    std::memcpy(p, &v, sizeof(V));
}

// The full 4 x NR tile: C[4, NR] (+)= A[4, kc] * Bp, Bp a panel of kc rows of NR values, row k at
// Bp + k * bs (a packed panel: bs = NR). The 8 accumulators are named variables so they stay in
// registers across the k loop.
template <class T, int VB>
NL_ALWAYS_INLINE void micro_full(int64_t kc, const T* a0, const T* a1, const T* a2, const T* a3, int64_t a_cs,
                                 const T* Bp, int64_t bs, T* C, int64_t ldc, bool first) {
    using V = typename Vec<T, VB>::type;
    constexpr int64_t L = static_cast<int64_t>(VB / sizeof(T));
    V c00{}, c01{}, c10{}, c11{}, c20{}, c21{}, c30{}, c31{};
    if (!first) {
        load_vec(c00, C), load_vec(c01, C + L);
        load_vec(c10, C + ldc), load_vec(c11, C + ldc + L);
        load_vec(c20, C + 2 * ldc), load_vec(c21, C + 2 * ldc + L);
        load_vec(c30, C + 3 * ldc), load_vec(c31, C + 3 * ldc + L);
    }
    for (int64_t k = 0; k < kc; ++k) {
        V b0, b1;
        load_vec(b0, Bp + k * bs), load_vec(b1, Bp + k * bs + L);
        const int64_t ka = k * a_cs;
        const T x0 = a0[ka], x1 = a1[ka], x2 = a2[ka], x3 = a3[ka];
        c00 += x0 * b0;
        c01 += x0 * b1;
        c10 += x1 * b0;
        c11 += x1 * b1;
        c20 += x2 * b0;
        c21 += x2 * b1;
        c30 += x3 * b0;
        c31 += x3 * b1;
    }
    store_vec(C, c00), store_vec(C + L, c01);
    store_vec(C + ldc, c10), store_vec(C + ldc + L, c11);
    store_vec(C + 2 * ldc, c20), store_vec(C + 2 * ldc + L, c21);
    store_vec(C + 3 * ldc, c30), store_vec(C + 3 * ldc + L, c31);
}

// C[rows, nr] (+)= A[rows, k0:k0+kc] * Bp with rows <= kMR and nr <= NR. Edge tiles run the full
// kernel on a local tile; missing rows repeat the last row of A and are not stored.
template <class T, int VB>
NL_ALWAYS_INLINE void micro_tile(int64_t kc, const T* A, int64_t a_rs, int64_t a_cs, int64_t rows, const T* Bp,
                                 int64_t bs, T* C, int64_t ldc, int64_t nr, bool first) {
    constexpr int64_t NR = kNR<T, VB>;
    const T* a[kMR];
    for (int64_t r = 0; r < kMR; ++r) a[r] = A + std::min(r, rows - 1) * a_rs;
    if (rows == kMR && nr == NR) {
        micro_full<T, VB>(kc, a[0], a[1], a[2], a[3], a_cs, Bp, bs, C, ldc, first);
        return;
    }
    T tile[kMR * NR];
    for (int64_t r = 0; r < kMR; ++r)
        for (int64_t c = 0; c < NR; ++c) tile[r * NR + c] = (!first && r < rows && c < nr) ? C[r * ldc + c] : T(0);
    micro_full<T, VB>(kc, a[0], a[1], a[2], a[3], a_cs, Bp, bs, tile, NR, first);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < nr; ++c) C[r * ldc + c] = tile[r * NR + c];
}

struct GemmArgs {
    int64_t M, N, K;
    const void* A;
    int64_t a_rs, a_cs;
    const void* B;
    int64_t b_rs, b_cs;
    void* C;
    int64_t ldc;
};

// One task: rows [i0, i1) x columns [j0, j1) of C, all of K. buf holds kKC x round_up(kNC, NR).
template <class T, int VB>
NL_ALWAYS_INLINE void gemm_task(const GemmArgs& g, int64_t i0, int64_t i1, int64_t j0, int64_t j1, T* buf) {
    constexpr int64_t NR = kNR<T, VB>;
    const T* A = static_cast<const T*>(g.A);
    const T* B = static_cast<const T*>(g.B);
    T* C = static_cast<T*>(g.C);
    const int64_t nc = j1 - j0, panels = (nc + NR - 1) / NR;
    // When the task has few rows of C (a convolution's 16 or 32 output channels) packing B costs as
    // much as a sixth of the products: rows of B with unit column stride (im2col's matrix) are then
    // read in place, a whole panel at a time. Otherwise (and for a partial panel) B is packed, which
    // keeps large products' panels contiguous.
    const bool in_place = g.b_cs == 1 && i1 - i0 <= kInPlaceRows;
    for (int64_t pc = 0; pc < g.K; pc += kKC) {
        const int64_t kc = std::min(kKC, g.K - pc);
        // Pack B[pc:pc+kc, j0:j1] as panels [panel][k][NR], zero-padded past j1.
        for (int64_t p = 0; p < panels; ++p) {
            T* dst = buf + p * kc * NR;
            const int64_t jb = j0 + p * NR, w = std::min(NR, j1 - jb);
            if (in_place && w == NR) continue;
            for (int64_t k = 0; k < kc; ++k) {
                const T* src = B + (pc + k) * g.b_rs + jb * g.b_cs;
                T* d = dst + k * NR;
                if (g.b_cs == 1) {
                    for (int64_t c = 0; c < w; ++c) d[c] = src[c];
                } else {
                    for (int64_t c = 0; c < w; ++c) d[c] = src[c * g.b_cs];
                }
                for (int64_t c = w; c < NR; ++c) d[c] = T(0);
            }
        }
        // One B panel (kc x NR) stays in L1 while the task's rows of A stream past it.
        for (int64_t p = 0; p < panels; ++p) {
            const int64_t jb = j0 + p * NR, w = std::min(NR, j1 - jb);
            const bool read_in_place = in_place && w == NR;
            const T* panel = read_in_place ? B + pc * g.b_rs + jb : buf + p * kc * NR;
            const int64_t bs = read_in_place ? g.b_rs : NR;
            for (int64_t i = i0; i < i1; i += kMR) {
                micro_tile<T, VB>(kc, A + i * g.a_rs + pc * g.a_cs, g.a_rs, g.a_cs, std::min(kMR, i1 - i), panel, bs,
                                  C + i * g.ldc + jb, g.ldc, w, pc == 0);
            }
        }
    }
}

// The instruction sets the kernel is built for; picked once per gemm() call.
enum class Isa { Base, Avx2, Avx512 };

// NL_GEMM_MAX_ISA (0 baseline, 1 AVX2, 2 AVX-512F) caps the choice, so a test build can check each
// variant on a machine that has the wider ones.
#ifndef NL_GEMM_MAX_ISA
#define NL_GEMM_MAX_ISA 2
#endif
Isa detect_isa() {
#ifdef NL_GEMM_X86_DISPATCH
    if (NL_GEMM_MAX_ISA >= 2 && __builtin_cpu_supports("avx512f")) return Isa::Avx512;
    if (NL_GEMM_MAX_ISA >= 1 && __builtin_cpu_supports("avx2")) return Isa::Avx2;
#endif
    return Isa::Base;
}

#define NL_GEMM_VARIANTS(T, NAME)                                                                                   \
    void NAME##_base(const GemmArgs& g, int64_t i0, int64_t i1, int64_t j0, int64_t j1, T* buf) {                  \
        gemm_task<T, 16>(g, i0, i1, j0, j1, buf);                                                                   \
    }                                                                                                               \
    NL_GEMM_TARGET("avx2")                                                                                          \
    void NAME##_avx2(const GemmArgs& g, int64_t i0, int64_t i1, int64_t j0, int64_t j1, T* buf) {                  \
        gemm_task<T, 32>(g, i0, i1, j0, j1, buf);                                                                   \
    }                                                                                                               \
    NL_GEMM_TARGET("avx512f")                                                                                       \
    void NAME##_avx512(const GemmArgs& g, int64_t i0, int64_t i1, int64_t j0, int64_t j1, T* buf) {                \
        gemm_task<T, 64>(g, i0, i1, j0, j1, buf);                                                                   \
    }                                                                                                               \
    void run_task(Isa isa, const GemmArgs& g, int64_t i0, int64_t i1, int64_t j0, int64_t j1, T* buf) {            \
        switch (isa) {                                                                                              \
            case Isa::Avx512: NAME##_avx512(g, i0, i1, j0, j1, buf); break;                                         \
            case Isa::Avx2: NAME##_avx2(g, i0, i1, j0, j1, buf); break;                                             \
            default: NAME##_base(g, i0, i1, j0, j1, buf); break;                                                    \
        }                                                                                                           \
    }

#ifdef NL_GEMM_X86_DISPATCH
#define NL_GEMM_TARGET(isa) __attribute__((target(isa)))
#else
#define NL_GEMM_TARGET(isa)
#endif
NL_GEMM_VARIANTS(float, gemm_f32)
NL_GEMM_VARIANTS(double, gemm_f64)
NL_GEMM_VARIANTS(int64_t, gemm_i64)
#undef NL_GEMM_TARGET
#undef NL_GEMM_VARIANTS

}  // namespace

namespace ops_detail {

template <class T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_rs, int64_t a_cs, const T* B, int64_t b_rs,
          int64_t b_cs, T* C, int64_t ldc, bool parallel) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        for (int64_t i = 0; i < M; ++i)
            for (int64_t j = 0; j < N; ++j) C[i * ldc + j] = T(0);
        return;
    }
    constexpr int64_t NR = kNR<T, kMaxVB>;  // the widest variant's panels bound the buffer
    const GemmArgs g{M, N, K, A, a_rs, a_cs, B, b_rs, b_cs, C, ldc};
    const Isa isa = detect_isa();
    const int64_t row_tasks = (M + kMC - 1) / kMC, col_tasks = (N + kNC - 1) / kNC;
    const size_t buf_size = static_cast<size_t>(std::min(K, kKC) * ((std::min(N, kNC) + NR - 1) / NR) * NR);
    auto run = [&](int64_t t0, int64_t t1) {
        // The packing buffer (at most kKC x kNC values) is the thread's own, kept between calls: a
        // fresh zeroed vector per call cost a memset of up to 256 KiB for every small product.
        static thread_local std::vector<T> buf;
        if (buf.size() < buf_size) buf.resize(buf_size);
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t ri = t / col_tasks, ci = t % col_tasks;
            run_task(isa, g, ri * kMC, std::min(M, (ri + 1) * kMC), ci * kNC, std::min(N, (ci + 1) * kNC),
                     buf.data());
        }
    };
    // A parallel_for wakes the pool's threads and waits for the slowest, so only split work worth a
    // few hundred microseconds.
    const double work = static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K);
    if (parallel && work >= double(1 << 21)) parallel_for(row_tasks * col_tasks, 1, run);
    else run(0, row_tasks * col_tasks);
}
}  // namespace ops_detail

namespace {

void check_matmul_dtypes(const char* op, const Tensor& a, const Tensor& b) {
    if (a.dtype() != b.dtype())
        throw DTypeError(std::string(op) + ": expected both operands to have the same dtype, got " +
                         dtype_name(a.dtype()) + " and " + dtype_name(b.dtype()) + " (convert one with .to())");
    if (a.dtype() == DType::Bool)
        throw DTypeError(std::string(op) + ": bool is not supported (valid: " +
                         dtype_list({DType::Float32, DType::Float64, DType::Float16, DType::BFloat16, DType::Int64,
                                     DType::Int32, DType::UInt8}) +
                         ")");
}

// Strides of t's leading (batch) dims, read as if broadcast to `batch`.
std::vector<int64_t> batch_strides(const Tensor& t, const Shape& batch) {
    const Shape tb(t.shape().begin(), t.shape().end() - 2);
    std::vector<int64_t> st(batch.size(), 0);
    const size_t lead = batch.size() - tb.size();
    for (size_t d = 0; d < tb.size(); ++d) st[lead + d] = tb[d] == 1 ? 0 : t.strides()[d];
    return st;
}

// matmul in the compute dtype (float32 for the half types, float64, int64): a and b given.
Tensor matmul_compute(const Tensor& a, const Tensor& b) {
    if (a.dim() == 0 || b.dim() == 0)
        throw ShapeError("matmul: both arguments need at least 1 dimension, got shapes " + shape_str(a.shape()) +
                         " and " + shape_str(b.shape()));
    const Tensor A = a.dim() == 1 ? a.unsqueeze(0) : a;
    const Tensor B = b.dim() == 1 ? b.unsqueeze(1) : b;
    const int64_t n = A.size(-2), k = A.size(-1), k2 = B.size(-2), p = B.size(-1);
    if (k != k2)
        throw ShapeError("matmul: shapes " + shape_str(a.shape()) + " and " + shape_str(b.shape()) +
                         " cannot be multiplied (" + std::to_string(n) + "x" + std::to_string(k) + " and " +
                         std::to_string(k2) + "x" + std::to_string(p) + ")");
    const Shape ba(A.shape().begin(), A.shape().end() - 2), bb(B.shape().begin(), B.shape().end() - 2);
    Shape batch;
    try {
        batch = broadcast_shapes(ba, bb);
    } catch (const ShapeError&) {
        throw ShapeError("matmul: the batch dims of " + shape_str(a.shape()) + " and " + shape_str(b.shape()) +
                         " cannot be broadcast together (" + shape_str(ba) + " vs " + shape_str(bb) + ")");
    }
    const DType cd = compute_dtype(a.dtype());
    const Tensor Ac = convert(A, cd), Bc = convert(B, cd);
    Shape out_shape = batch;
    out_shape.push_back(n);
    out_shape.push_back(p);
    Tensor out = Tensor::empty(out_shape, {cd, Device::cpu()});
    const int64_t nb = shape_numel(batch);
    if (out.numel() == 0) return out;

    const std::vector<int64_t> sa = batch_strides(Ac, batch), sb = batch_strides(Bc, batch);
    const int64_t a_rs = Ac.strides()[Ac.dim() - 2], a_cs = Ac.strides()[Ac.dim() - 1];
    const int64_t b_rs = Bc.strides()[Bc.dim() - 2], b_cs = Bc.strides()[Bc.dim() - 1];

    auto call = [&](auto tag, int64_t M, const void* Ap, const void* Bp, void* Cp, bool parallel) {
        using T = decltype(tag);
        gemm<T>(M, p, k, static_cast<const T*>(Ap), a_rs, a_cs, static_cast<const T*>(Bp), b_rs, b_cs,
                static_cast<T*>(Cp), p, parallel);
    };
    auto dispatch = [&](auto&& f) {
        switch (cd) {
            case DType::Float32: return f(float{});
            case DType::Float64: return f(double{});
            default: return f(int64_t{});
        }
    };

    // B shared by every batch and A's rows evenly spaced across batches: one tall GEMM.
    bool b_shared = true;
    for (int64_t s : sb) b_shared = b_shared && s == 0;
    {
        Shape rows_shape = batch;
        rows_shape.push_back(n);
        std::array<std::vector<int64_t>, 1> st{sa};
        st[0].push_back(a_rs);
        collapse_dims(rows_shape, st);
        if (b_shared && rows_shape.size() <= 1) {
            const int64_t row_stride = rows_shape.empty() ? a_rs : st[0][0];
            dispatch([&](auto tag) {
                using T = decltype(tag);
                gemm<T>(nb * n, p, k, Ac.data<T>(), row_stride, a_cs, Bc.data<T>(), b_rs, b_cs, out.data<T>(), p,
                        true);
                return 0;
            });
            return out;
        }
    }

    // General batched case: one GEMM per batch entry; small matrices run batches in parallel.
    auto batch_offsets = [&](int64_t bi, int64_t& oa, int64_t& ob) {
        oa = 0;
        ob = 0;
        for (size_t d = batch.size(); d-- > 0;) {
            const int64_t i = bi % batch[d];
            bi /= batch[d];
            oa += i * sa[d];
            ob += i * sb[d];
        }
    };
    const bool per_batch_parallel = nb >= 2 && static_cast<double>(n) * p * k < double(1 << 21);
    dispatch([&](auto tag) {
        using T = decltype(tag);
        const T* pa = Ac.data<T>();
        const T* pb = Bc.data<T>();
        T* po = out.data<T>();
        auto one = [&](int64_t bi, bool parallel) {
            int64_t oa, ob;
            batch_offsets(bi, oa, ob);
            call(tag, n, pa + oa, pb + ob, po + bi * n * p, parallel);
        };
        if (per_batch_parallel) {
            const int64_t grain = std::max<int64_t>(1, (1 << 18) / std::max<int64_t>(1, n * p * k));
            parallel_for(nb, grain, [&](int64_t b0, int64_t b1) {
                for (int64_t bi = b0; bi < b1; ++bi) one(bi, false);
            });
        } else {
            for (int64_t bi = 0; bi < nb; ++bi) one(bi, true);
        }
        return 0;
    });
    return out;
}

Tensor finish_matmul(Tensor out, const Tensor& a, const Tensor& b, DType dtype) {
    if (a.dim() == 1) out = out.squeeze(-2);
    if (b.dim() == 1) out = out.squeeze(-1);
    return convert(out, dtype);
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
    const Device dev = op_device("matmul", {&a, &b});
    require_defined("matmul", a, "input");
    require_defined("matmul", b, "other");
    check_matmul_dtypes("matmul", a, b);
    if (!dev.is_cpu()) {
        if (DeviceOps* k = device_ops_for({&a, &b}))
            if (Tensor r = k->matmul(a, b); r.defined()) return r;
        return through_host(dev, [&] { return matmul(host(a), host(b)); });
    }
    return finish_matmul(matmul_compute(a, b), a, b, a.dtype());
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
    const Device dev = op_device("linear", {&x, &weight, &bias});
    require_defined("linear", x, "input");
    require_defined("linear", weight, "weight");
    check_matmul_dtypes("linear", x, weight);
    if (weight.dim() != 2)
        throw ShapeError("linear: weight must be 2-D [out_features, in_features], got shape " +
                         shape_str(weight.shape()));
    if (x.dim() == 0 || x.size(-1) != weight.size(1))
        throw ShapeError("linear: input shape " + shape_str(x.shape()) + " does not end in in_features = " +
                         std::to_string(weight.size(1)) + " of weight shape " + shape_str(weight.shape()));
    if (!dev.is_cpu()) {
        // x @ weight^T (+ bias) from the device's matmul and add, where it has them.
        if (bias.defined()) check_matmul_dtypes("linear", x, bias);
        if (bias.defined() && (bias.dim() != 1 || bias.size(0) != weight.size(0)))
            throw ShapeError("linear: bias shape " + shape_str(bias.shape()) + " does not match out_features = " +
                             std::to_string(weight.size(0)) + " of weight shape " + shape_str(weight.shape()));
        // In the compute dtype, as below: the 16-bit types converted to float32 on the device, so
        // the bias is added before their one rounding (as addmm).
        if (DeviceOps* k = is_floating(x.dtype()) ? device_ops_for({&x, &weight}) : nullptr) {
            const DType cd = compute_dtype(x.dtype());
            if (Tensor y = k->matmul(x.to(cd), weight.to(cd).transpose(0, 1)); y.defined())
                return (bias.defined() ? add(y, bias.to(cd)) : y).to(x.dtype());
        }
        return through_host(dev, [&] { return linear(host(x), host(weight), host(bias)); });
    }
    Tensor y = matmul_compute(x, weight.transpose(0, 1));
    if (bias.defined()) {
        check_matmul_dtypes("linear", x, bias);
        if (bias.dim() != 1 || bias.size(0) != weight.size(0))
            throw ShapeError("linear: bias shape " + shape_str(bias.shape()) + " does not match out_features = " +
                             std::to_string(weight.size(0)) + " of weight shape " + shape_str(weight.shape()));
        // Added in the compute dtype, so float16 results are rounded once, as PyTorch's addmm.
        y = add(y, convert(bias, y.dtype()));
    }
    return finish_matmul(y, x, weight, x.dtype());
}

}  // namespace nl
