// The vectorised float32 math of the elementwise ops (tensor/simd/elementwise_math.h) against the
// scalar functions it replicates, bit for bit, at every SIMD level the CPU has: exp, sigmoid, silu,
// tanh, sin and cos over a stride through every float, dense sweeps of each branch boundary
// (overflow, results rounding to subnormals and zero, tanh's small-argument and saturation
// thresholds, sin / cos near multiples of pi/2 and at the 2^19 cut), NaN payloads and signed
// zeros; then the ops themselves on tensors (contiguous, strided, float16, lengths with a tail) at
// every level and thread count.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "simd_test_util.h"
#include "tensor/detmath.h"
#include "tensor/ops.h"
#include "tensor/random.h"
#include "tensor/simd/kernels.h"

namespace nl {
namespace {

using simd::MathOp;

float scalar_reference(MathOp op, float v) {
    switch (op) {
        case MathOp::Exp: return dm::exp_f32(v);
        case MathOp::Sigmoid:  // NaN: -x quieted, as ops_elementwise.cpp's sigmoid
            return v != v ? dm::from_bits(dm::bits(-v) | 0x00400000u) : 1.0f / (1.0f + dm::exp_f32(-v));
        case MathOp::Silu: return v / (1.0f + dm::exp_f32(-v));
        case MathOp::Tanh: return dm::tanh_f32(v);
        case MathOp::Sin: return dm::sin_f32(v);
        case MathOp::Cos: return dm::cos_f32(v);
    }
    return 0.0f;
}
const char* name_of(MathOp op) {
    switch (op) {
        case MathOp::Exp: return "exp";
        case MathOp::Sigmoid: return "sigmoid";
        case MathOp::Silu: return "silu";
        case MathOp::Tanh: return "tanh";
        case MathOp::Sin: return "sin";
        case MathOp::Cos: return "cos";
    }
    return "?";
}

void push_both_signs(std::vector<float>& x, uint32_t b) {
    x.push_back(dm::from_bits(b));
    x.push_back(dm::from_bits(b | 0x80000000u));
}

// Every level's kernel against the scalar function on x; reports the first difference.
void check_all_levels(MathOp op, const std::vector<float>& x) {
    simdtest::note_unsupported_levels();
    std::vector<float> want(x.size()), got(x.size());
    for (size_t i = 0; i < x.size(); ++i) want[i] = scalar_reference(op, x[i]);
    int levels = 0;
    for (SimdLevel l : supported_simd_levels()) {
        const simd::Kernels* k = simd::kernels_for(l);
        if (!k) continue;
        ASSERT_NE(k->math_f32, nullptr) << simd_level_name(l);
        ++levels;
        k->math_f32(op, x.data(), static_cast<int64_t>(x.size()), got.data());
        for (size_t i = 0; i < x.size(); ++i) {
            if (dm::bits(want[i]) != dm::bits(got[i])) {
                ADD_FAILURE() << name_of(op) << " at level " << simd_level_name(l) << ": input " << x[i] << " (bits "
                              << std::hex << dm::bits(x[i]) << ") gives bits " << dm::bits(got[i])
                              << ", the scalar function " << dm::bits(want[i]);
                return;
            }
        }
    }
    EXPECT_GT(levels, 0) << "no vector level ran";
}

std::vector<float> sweep_inputs(MathOp op) {
    std::vector<float> x;
    for (uint64_t b = 0; b < (uint64_t(1) << 32); b += 997) x.push_back(dm::from_bits(static_cast<uint32_t>(b)));
    // Specials: zeros, infinities, quiet and signalling NaNs of both signs with payloads, the
    // smallest subnormal, the largest finite float.
    for (uint32_t b : {0x00000000u, 0x7F800000u, 0x7FC00000u, 0x7FC12345u, 0x7F800001u, 0x7FA00000u, 0x00000001u,
                       0x7F7FFFFFu})
        push_both_signs(x, b);
    if (op == MathOp::Sin || op == MathOp::Cos) {
        // Around the 2^19 cut to the C library, near 0, and next to multiples of pi/2 (quadrant
        // changes, cancellation in the reduction).
        for (uint32_t b = dm::bits(524288.0f) - 4096; b <= dm::bits(524288.0f) + 4096; ++b) push_both_signs(x, b);
        for (uint32_t b = 0; b < (1u << 20); ++b) push_both_signs(x, b * 1024u);
        for (int k = 1; k <= 4000; ++k) {
            const uint32_t c = dm::bits(static_cast<float>(k * 1.5707963267948966));
            for (uint32_t b = c - 32; b <= c + 32; ++b) push_both_signs(x, b);
        }
    } else if (op == MathOp::Tanh) {
        // Around 2^-12 (the x - x^3/3 branch), around 9.1 (saturation), and tiny arguments.
        for (uint32_t b = dm::bits(2.0e-4f); b <= dm::bits(3.0e-4f); ++b) push_both_signs(x, b);
        for (uint32_t b = dm::bits(8.9f); b <= dm::bits(9.3f); ++b) push_both_signs(x, b);
        for (uint32_t b = 0; b < (1u << 24); b += 7) push_both_signs(x, b);
    } else {
        // Every third float in [64, 128] with both signs: overflow (kExpMax), results rounding to
        // subnormals and to zero (exp below -87.3, the -104 cut), sigmoid / silu saturating.
        for (uint32_t b = dm::bits(64.0f); b <= dm::bits(128.0f); b += 3) push_both_signs(x, b);
        for (uint32_t b = 0; b < (1u << 20); ++b) push_both_signs(x, b * 1024u);  // near 0
        push_both_signs(x, dm::bits(dm::Consts<float>::kExpMax));
        push_both_signs(x, dm::bits(104.0f));
    }
    return x;
}

TEST(SimdElementwiseMath, ExpIsTheScalarFunctionEverywhere) { check_all_levels(MathOp::Exp, sweep_inputs(MathOp::Exp)); }
TEST(SimdElementwiseMath, SigmoidIsTheScalarFunctionEverywhere) {
    check_all_levels(MathOp::Sigmoid, sweep_inputs(MathOp::Sigmoid));
}
TEST(SimdElementwiseMath, SiluIsTheScalarFunctionEverywhere) {
    check_all_levels(MathOp::Silu, sweep_inputs(MathOp::Silu));
}
TEST(SimdElementwiseMath, TanhIsTheScalarFunctionEverywhere) {
    check_all_levels(MathOp::Tanh, sweep_inputs(MathOp::Tanh));
}

TEST(SimdElementwiseMath, SinIsTheScalarFunctionEverywhere) { check_all_levels(MathOp::Sin, sweep_inputs(MathOp::Sin)); }
TEST(SimdElementwiseMath, CosIsTheScalarFunctionEverywhere) { check_all_levels(MathOp::Cos, sweep_inputs(MathOp::Cos)); }

TEST(SimdElementwiseMath, EveryLengthOfTailIsWritten) {
    // Lengths 0 .. 70 cover every tail of 2W floats at each level (2W <= 32); out beyond n untouched.
    for (int64_t n = 0; n <= 70; ++n) {
        std::vector<float> x(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) x[i] = -3.0f + 0.37f * static_cast<float>(i);
        for (SimdLevel l : supported_simd_levels()) {
            const simd::Kernels* k = simd::kernels_for(l);
            if (!k) continue;
            std::vector<float> out(static_cast<size_t>(n) + 1, 42.0f);
            k->math_f32(MathOp::Sigmoid, x.data(), n, out.data());
            for (int64_t i = 0; i < n; ++i)
                ASSERT_EQ(dm::bits(out[i]), dm::bits(scalar_reference(MathOp::Sigmoid, x[i])))
                    << "n " << n << " element " << i << " at " << simd_level_name(l);
            ASSERT_EQ(out[n], 42.0f) << "wrote past the end, n " << n << " at " << simd_level_name(l);
        }
    }
}

// The ops on tensors: every level and thread count gives the scalar level's bytes.
TEST(SimdElementwiseMath, OpsGiveTheScalarBytesAtEveryLevel) {
    const auto make_input = [](DType dt) {
        Generator g(11);
        return mul(randn({3, 1001}, {}, &g), 6.0).to(dt);
    };
    for (DType dt : {DType::Float32, DType::Float16}) {
        const char* dname = dtype_name(dt);
        simdtest::expect_same_everywhere(std::string("exp ") + dname, [&] { return nl::exp(make_input(dt)); });
        simdtest::expect_same_everywhere(std::string("sigmoid ") + dname, [&] { return sigmoid(make_input(dt)); });
        simdtest::expect_same_everywhere(std::string("silu ") + dname, [&] { return silu(make_input(dt)); });
        simdtest::expect_same_everywhere(std::string("tanh ") + dname, [&] { return nl::tanh(make_input(dt)); });
        simdtest::expect_same_everywhere(std::string("sin ") + dname, [&] { return nl::sin(make_input(dt)); });
        simdtest::expect_same_everywhere(std::string("cos ") + dname, [&] { return nl::cos(make_input(dt)); });
    }
    // NaNs (quiet and signalling, both signs, with payloads), infinities, zeros: the scalar op's
    // NaN bits are the vector path's.
    const auto specials = [] {
        std::vector<float> v;
        for (uint32_t b : {0x7FC00000u, 0x7FC12345u, 0x7F800001u, 0x7FA00000u, 0x7F800000u, 0u, 1u})
            for (int k = 0; k < 5; ++k) push_both_signs(v, b);  // 70 values: a full vector and a tail
        Tensor t = Tensor::empty({static_cast<int64_t>(v.size())});
        std::copy(v.begin(), v.end(), t.data<float>());
        return t;
    };
    simdtest::expect_same_everywhere("exp of specials", [&] { return nl::exp(specials()); });
    simdtest::expect_same_everywhere("sigmoid of specials", [&] { return sigmoid(specials()); });
    simdtest::expect_same_everywhere("silu of specials", [&] { return silu(specials()); });
    simdtest::expect_same_everywhere("tanh of specials", [&] { return nl::tanh(specials()); });
    simdtest::expect_same_everywhere("sin of specials", [&] { return nl::sin(specials()); });
    simdtest::expect_same_everywhere("cos of specials", [&] { return nl::cos(specials()); });
    // A transposed (strided) view: its runs are not contiguous, the scalar loop takes them.
    simdtest::expect_same_everywhere("silu of a transposed view",
                                     [&] { return silu(make_input(DType::Float32).transpose(0, 1)); });
}

}  // namespace
}  // namespace nl
