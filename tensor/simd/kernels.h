// The interface between the portable driver (random_fill.cpp, compiled for the x86-64 baseline)
// and the per-instruction-set kernels (kernels_sse2.cpp, kernels_avx2.cpp, kernels_avx512.cpp,
// each compiled with its own -m flags). Only plain data and function pointers cross it: the
// kernel files never call inline functions of other headers, so the linker can never pick an
// AVX-512-compiled copy of a shared inline function for code that runs on an older CPU.
#pragma once
#include <cstdint>

#include "tensor/dtype.h"
#include "tensor/random_request.h"
#include "tensor/simd/simd.h"

namespace nl::simd {

// One elementwise random op, with every parameter already converted the way the scalar reference
// (tensor/random_block.h) converts it, so a kernel only replicates the per-element arithmetic.
struct FillArgs {
    RandomKind kind = RandomKind::Uniform;
    DType dtype = DType::Float32;
    uint64_t seed = 0;
    uint64_t offset = 0;  // first Philox block of the op
    uint32_t stream = 0;
    int64_t numel = 0;
    bool per_element = false;  // a_per_elem / b_per_elem set: no vector path
    // float32 parameters: uniform (a, b), normal/log-normal (mean a, std b), exponential (rate a),
    // Cauchy (median a, sigma b).
    float af = 0.0f, bf = 1.0f;
    // uniform float32: x = fma(u, b - a, a), and where x >= b (with a < b), next_below(b).
    float span_f = 1.0f, below_b_f = 0.0f;
    bool clamp_f = false;
    bool unit_interval = true;  // a == 0 and b == 1 in float32 (and float64): x == u exactly
    // uniform float64: the same in double.
    double ad = 0.0, span_d = 1.0, bd = 1.0, below_b_d = 0.0;
    bool clamp_d = false;
    // Bernoulli: element is 1 when word < threshold (always when threshold >= 2^32).
    uint32_t threshold32 = 0;
    bool always_one = false;
    // RandInt with range <= 2^32: k = hi32(word * range), rejected when lo32 < reject_below.
    uint32_t range32 = 0;
    uint32_t reject_below = 0;
    bool full_range = false;  // range == 2^32: k = word
    int64_t low = 0;
    // Non-temporal stores for outputs too large to stay in cache.
    bool stream_stores = false;
};

// The FillArgs of a request (random_fill.cpp); stream_stores follows NOISELAB_STREAM_STORES_MB.
FillArgs make_fill_args(const RandomRequest& r);

// Callbacks from the kernels into baseline code (defined in random_fill.cpp).
// Writes element `elem` of a RandInt request whose first word was rejected: the reference
// re-reads attempts 1, 2, ... (tensor/random_block.h, bounded32). dst points at that element.
void randint_fixup(const FillArgs& a, int64_t elem, void* dst);
// float32 -> float16 bits, round to nearest even (tensor/half.h), for kernels without F16C.
void f32_to_f16_scalar(const float* src, int n, uint16_t* dst);

// The float32 math of the elementwise ops that Kernels::math_f32 vectorises (elementwise_math.h).
enum class MathOp : int { Exp, Sigmoid, Silu, Tanh, Sin, Cos };

struct Kernels {
    SimdLevel level;
    // Words of blocks [block0, block0 + nblocks) with counter word 3 = 0:
    // out[4*i + j] = word j of block block0 + i.
    void (*words)(uint64_t seed, uint32_t stream, uint64_t block0, int64_t nblocks, uint32_t* out);
    // Writes the elements of blocks [q0, q1) (block indices relative to a.offset; every block in
    // the range must be complete, i.e. (q1 * per) <= numel) into out, the tensor's first element.
    // Returns false, writing nothing, when this op / dtype / parameter combination has no vector
    // path; the driver then runs the scalar transforms on words from words().
    bool (*fill)(const FillArgs& a, void* out, int64_t q0, int64_t q1);

    // Categorical weights of one row of logits l[0..n) at temperature T with row maximum mx
    // (random.cpp, tempered_weights + Note [Integer weights], for a row whose largest weight is 1):
    //   w_j = l_j == -inf ? 0 : dm::exp((l_j - mx) / T),  q_j = w_j > 0 ? max(1, nearbyint(w_j * 2^40)) : 0
    // Writes q, returns sum q through *sum and max w through *maxw. nullptr where the level has no
    // fused double multiply-add (SSE2).
    void (*logit_weights_f32)(const float* l, int64_t n, double mx, double T, uint64_t* q, uint64_t* sum, double* maxw);
    void (*logit_weights_f64)(const double* l, int64_t n, double mx, double T, uint64_t* q, uint64_t* sum, double* maxw);
    // The maximum of a row of logits (as a double); false when the row holds a NaN or +inf.
    bool (*logits_max_f32)(const float* l, int64_t n, double* mx);

    // Elementwise transforms over arrays, for the exhaustive tests (tests/simd/).
    void (*exp_f64)(const double* x, int64_t n, double* out);  // nullptr without double fma
    void (*normal_pair_f32)(const uint32_t* w0, const uint32_t* w1, int64_t n, float* z0, float* z1);
    void (*log_f32)(const float* x, int64_t n, float* out);
    void (*exp_f32)(const float* x, int64_t n, float* out);
    void (*sincos_octant_f32)(const uint32_t* octant, const float* frac, int64_t n, float* s, float* c);
    void (*fma_f32)(const float* a, const float* b, const float* c, int64_t n, float* out);
    void (*f32_to_f16)(const float* x, int64_t n, uint16_t* out);
    void (*f32_to_bf16)(const float* x, int64_t n, uint16_t* out);

    // out[i] = op(x[i]) for float32 (x and out distinct): the bits of ops_elementwise.cpp's scalar
    // exp, sigmoid, silu, tanh, sin and cos (detmath.h's exp_f32, tanh_f32, sin_f32, cos_f32) at
    // every level.
    void (*math_f32)(MathOp op, const float* x, int64_t n, float* out);
};

// The kernels of each level (nullptr where this build has none); kernels_for() checks support.
const Kernels* kernels_sse2();
const Kernels* kernels_avx2();
const Kernels* kernels_avx512();
const Kernels* kernels_for(SimdLevel level);  // nullptr for Scalar

}  // namespace nl::simd
