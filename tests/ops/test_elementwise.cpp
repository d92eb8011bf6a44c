// Elementwise ops: values against hand-computed results and std:: math, broadcasting, strided
// inputs, scalar overloads and operators, comparisons, logic, where, clamp, pow, activations.
#include <cmath>
#include <limits>

#include "ops_test_util.h"
#include "tensor/detmath.h"
#include "tensor/parallel.h"

namespace nl {
namespace {
using test::expect_error;
using test::expect_values;

using test::kInf;
using test::kNaN;

TEST(Elementwise, ArithmeticValues) {
    const Tensor a = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor b = from_vector({0.5, -1, 2, 4, 0.25, -3}, {2, 3});
    expect_values(add(a, b), {2, 3}, {1.5, 1, 5, 8, 5.25, 3});
    expect_values(sub(a, b), {2, 3}, {0.5, 3, 1, 0, 4.75, 9});
    expect_values(mul(a, b), {2, 3}, {0.5, -2, 6, 16, 1.25, -18});
    expect_values(div(a, b), {2, 3}, {2, -2, 1.5, 1, 20, -2});
    expect_values(a + b, {2, 3}, {1.5, 1, 5, 8, 5.25, 3});
    expect_values(a - 1.0, {2, 3}, {0, 1, 2, 3, 4, 5});
    expect_values(10.0 - a, {2, 3}, {9, 8, 7, 6, 5, 4});
    expect_values(a * 2.0, {2, 3}, {2, 4, 6, 8, 10, 12});
    expect_values(3.0 * a, {2, 3}, {3, 6, 9, 12, 15, 18});
    expect_values(a / 2.0, {2, 3}, {0.5, 1, 1.5, 2, 2.5, 3});
    expect_values(6.0 / a, {2, 3}, {6, 3, 2, 1.5, 1.2000000476837158, 1});
    expect_values(-a, {2, 3}, {-1, -2, -3, -4, -5, -6});
    expect_values(a + 1, {2, 3}, {2, 3, 4, 5, 6, 7});
    EXPECT_EQ((a + 1).dtype(), DType::Float32);
}

TEST(Elementwise, DivisionByZeroIsIeee) {
    const Tensor a = tensor({1, -1, 0});
    expect_values(a / 0.0, {3}, {kInf, -kInf, kNaN});
    // Integer true division by zero: float32 inf / nan, never a crash.
    const Tensor i = tensor({1, 0}, {DType::Int64});
    expect_values(div(i, tensor({0, 0}, {DType::Int64})), {2}, {kInf, kNaN});
}

TEST(Elementwise, Broadcasting) {
    const Tensor m = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
    expect_values(m + tensor({10, 20, 30}), {2, 3}, {11, 22, 33, 14, 25, 36});
    expect_values(m * from_vector({2, -1}, {2, 1}), {2, 3}, {2, 4, 6, -4, -5, -6});
    // [2, 1] with [1, 3] -> [2, 3]: outer sum.
    expect_values(from_vector({0, 10}, {2, 1}) + from_vector({1, 2, 3}, {1, 3}), {2, 3}, {1, 2, 3, 11, 12, 13});
    // A 0-dim tensor broadcasts to anything.
    expect_values(m - full({}, 1.0), {2, 3}, {0, 1, 2, 3, 4, 5});
    // Rank extension: [3] with [2, 1, 3] -> [2, 1, 3].
    EXPECT_EQ((tensor({1, 2, 3}) + zeros({2, 1, 3})).shape(), (Shape{2, 1, 3}));
    // Empty broadcast: [0, 3] + [3] -> [0, 3].
    EXPECT_EQ((zeros({0, 3}) + tensor({1, 2, 3})).shape(), (Shape{0, 3}));
}

TEST(Elementwise, BroadcastErrorNamesBothShapes) {
    expect_error<ShapeError>([] { add(zeros({2, 3}), zeros({4})); }, {"add", "[2, 3]", "[4]"});
    expect_error<ShapeError>([] { lt(zeros({5}), zeros({2, 4})); }, {"lt", "[5]", "[2, 4]"});
}

TEST(Elementwise, StridedInputsMatchContiguous) {
    const Tensor a = test::random_tensor({7, 9}, 1);
    const Tensor b = test::random_tensor({9, 7}, 2);
    const Tensor at = a.transpose(0, 1);  // [9, 7], not contiguous
    ASSERT_FALSE(at.is_contiguous());
    EXPECT_TRUE(test::same_values(add(at, b), add(at.contiguous(), b)));
    EXPECT_TRUE(test::same_values(mul(b, at), mul(b, at.contiguous())));
    EXPECT_TRUE(test::same_values(exp(at), exp(at.contiguous())));
    // A sliced view with an offset.
    const Tensor s = a.slice(1, 2, 8).slice(0, 1, 6);
    EXPECT_TRUE(test::same_values(tanh(s), tanh(s.contiguous())));
    EXPECT_TRUE(test::same_values(gt(s, 0.0), gt(s.contiguous(), 0.0)));
}

TEST(Elementwise, LargeTensorsSplitOverThreadsGiveSameBits) {
    // Bigger than one parallel chunk, with a broadcast operand.
    const Tensor a = test::random_tensor({300, 700}, 3);
    const Tensor b = test::random_tensor({700}, 4);
    const int saved = get_num_threads();
    set_num_threads(1);
    const Tensor one = sigmoid(a * b + 0.5);
    set_num_threads(4);
    const Tensor four = sigmoid(a * b + 0.5);
    set_num_threads(saved);
    EXPECT_TRUE(test::same_values(one, four));
    // And both equal the per-element float32 formula.
    const std::vector<double> av = a.to_vector(), bv = b.to_vector(), r = one.to_vector();
    for (size_t i = 0; i < av.size(); i += 997) {
        const float x = static_cast<float>(av[i]) * static_cast<float>(bv[i % 700]) + 0.5f;
        EXPECT_EQ(r[i], 1.0f / (1.0f + dm::exp_elementwise(-x))) << i;
    }
}

// exp, sin, cos and tanh are detmath.h's *_f32 (the GPU's bits too, within 1 ulp of libm's); log and
// sqrt are libm's.
TEST(Elementwise, UnaryMathMatchesItsDefinitionInFloat32) {
    const std::vector<double> xs = {0.1, 0.5, 1.0, 2.0, 3.75, 10.0};
    const Tensor x = tensor({0.1, 0.5, 1.0, 2.0, 3.75, 10.0});
    const std::vector<double> e = exp(x).to_vector(), l = log(x).to_vector(), s = sqrt(x).to_vector();
    const std::vector<double> si = sin(x).to_vector(), co = cos(x).to_vector(), th = tanh(x).to_vector();
    for (size_t i = 0; i < xs.size(); ++i) {
        const float f = static_cast<float>(xs[i]);
        EXPECT_EQ(e[i], dm::exp_elementwise(f));
        EXPECT_LE(std::fabs(e[i] - std::exp(f)), std::nextafter(std::exp(f), INFINITY) - std::exp(f)) << "1 ulp of libm";
        EXPECT_EQ(l[i], std::log(f));
        EXPECT_EQ(s[i], std::sqrt(f));
        EXPECT_EQ(si[i], dm::sin_f32(f));
        EXPECT_EQ(co[i], dm::cos_f32(f));
        EXPECT_EQ(th[i], dm::tanh_f32(f));
        EXPECT_LE(std::fabs(si[i] - std::sin(f)), std::fabs(std::nextafter(std::sin(f), INFINITY) - std::sin(f))) << "1 ulp";
    }
    expect_values(log(tensor({0, -1})), {2}, {-kInf, kNaN});
    expect_values(sqrt(tensor({-1})), {1}, {kNaN});
}

TEST(Elementwise, FloatFunctionsOfIntegersGiveFloat32) {
    const Tensor i = tensor({0, 1, 4}, {DType::Int64});
    EXPECT_EQ(exp(i).dtype(), DType::Float32);
    expect_values(sqrt(i), {3}, {0, 1, 2});
    EXPECT_EQ(sigmoid(tensor({1, 0}, {DType::Bool})).dtype(), DType::Float32);
    // float64 stays float64 and is computed in double.
    const Tensor d = tensor({1.0}, {DType::Float64});
    EXPECT_EQ(exp(d).item(), dm::exp_elementwise(1.0));
}

TEST(Elementwise, HalfTypesComputeInFloat32AndRound) {
    for (DType dt : {DType::Float16, DType::BFloat16}) {
        const Tensor a = tensor({1000.0, 0.1, -3.0}, {dt});
        const Tensor b = tensor({0.4, 0.2, 7.0}, {dt});
        const Tensor r = add(a, b);
        ASSERT_EQ(r.dtype(), dt);
        const std::vector<double> av = a.to_vector(), bv = b.to_vector(), rv = r.to_vector();
        for (size_t i = 0; i < 3; ++i) {
            const float f = static_cast<float>(av[i]) + static_cast<float>(bv[i]);
            const double rounded = dt == DType::Float16 ? static_cast<float>(Half(f)) : static_cast<float>(BFloat16(f));
            EXPECT_EQ(rv[i], rounded) << dtype_name(dt) << " element " << i;
        }
        const Tensor e = exp(a.slice(0, 1, 3));
        EXPECT_EQ(e.dtype(), dt);
        const float f = dm::exp_elementwise(static_cast<float>(a.to_vector()[1]));
        EXPECT_EQ(e.to_vector()[0], dt == DType::Float16 ? static_cast<float>(Half(f)) : static_cast<float>(BFloat16(f)));
    }
    // The scalar enters in float32 (PyTorch's opmath), not rounded to float16 first.
    const Tensor h = tensor({3.0}, {DType::Float16});
    const float expect = 3.0f * static_cast<float>(0.1);
    EXPECT_EQ(mul(h, 0.1).item(), static_cast<float>(Half(expect)));
}

TEST(Elementwise, IntegerArithmeticWraps) {
    const Tensor big = tensor({9.0e18}, {DType::Int64});
    // 9e18 + 9e18 wraps modulo 2^64 as in PyTorch (no UB).
    const int64_t wrapped = static_cast<int64_t>(static_cast<uint64_t>(9000000000000000000ll) * 2u);
    EXPECT_EQ((big + big).to_int_vector()[0], wrapped);
    const Tensor u = tensor({250, 10}, {DType::UInt8});
    expect_values(u + 10, {2}, {4, 20});
    expect_values(u - 20, {2}, {230, 246});
    expect_values(tensor({7, -7}, {DType::Int32}) * 3, {2}, {21, -21});
}

TEST(Elementwise, BoolArithmetic) {
    const Tensor t = tensor({1, 1, 0, 0}, {DType::Bool});
    const Tensor f = tensor({1, 0, 1, 0}, {DType::Bool});
    const Tensor s = add(t, f);
    EXPECT_EQ(s.dtype(), DType::Bool);
    expect_values(s, {4}, {1, 1, 1, 0});
    expect_values(mul(t, f), {4}, {1, 0, 0, 0});
    expect_error<DTypeError>([&] { sub(t, f); }, {"sub", "bool"});
    expect_error<DTypeError>([&] { neg(t); }, {"neg", "bool"});
    expect_values(t + 1, {4}, {2, 2, 1, 1});
    EXPECT_EQ((t + 1).dtype(), DType::Int64);
}

TEST(Elementwise, NegAbsRelu) {
    expect_values(neg(tensor({1, -2, 0})), {3}, {-1, 2, 0});
    expect_values(abs(tensor({-1.5, 2, -0.0})), {3}, {1.5, 2, 0});
    const Tensor i = tensor({-3, 4}, {DType::Int32});
    EXPECT_EQ(abs(i).dtype(), DType::Int32);
    expect_values(abs(i), {2}, {3, 4});
    expect_values(relu(tensor({-1, 0, 2.5, kNaN})), {4}, {0, 0, 2.5, kNaN});
    expect_values(relu(i), {2}, {0, 4});
    EXPECT_EQ(relu(i).dtype(), DType::Int32);
    expect_error<DTypeError>([] { abs(tensor({1}, {DType::Bool})); }, {"abs", "bool", "valid"});
}

TEST(Elementwise, Activations) {
    const Tensor x = tensor({-2.0, -0.5, 0.0, 1.0, 3.0}, {DType::Float64});
    const std::vector<double> xs = x.to_vector();
    const std::vector<double> sg = sigmoid(x).to_vector(), si = silu(x).to_vector();
    const std::vector<double> ge = gelu(x).to_vector(), gt = gelu(x, "tanh").to_vector();
    for (size_t i = 0; i < xs.size(); ++i) {
        const double v = xs[i];
        EXPECT_NEAR(sg[i], 1.0 / (1.0 + std::exp(-v)), 1e-15);
        EXPECT_NEAR(si[i], v / (1.0 + std::exp(-v)), 1e-15);
        EXPECT_NEAR(ge[i], 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))), 1e-15);
        const double inner = std::sqrt(2.0 / M_PI) * (v + 0.044715 * v * v * v);
        EXPECT_NEAR(gt[i], 0.5 * v * (1.0 + std::tanh(inner)), 1e-15);
    }
    // Known values (PyTorch): gelu(1) = 0.8413447, gelu_tanh(1) = 0.8411920, silu(1) = 0.7310586.
    EXPECT_NEAR(gelu(tensor({1.0})).item(), 0.8413447, 1e-6);
    EXPECT_NEAR(gelu(tensor({1.0}), "tanh").item(), 0.8411920, 1e-6);
    EXPECT_NEAR(silu(tensor({1.0})).item(), 0.7310586, 1e-6);
    // Saturation without overflow or NaN.
    expect_values(sigmoid(tensor({-1000, 1000})), {2}, {0, 1});
    expect_error<DTypeError>([] { silu(tensor({1}, {DType::Int64})); }, {"silu", "int64", "float32"});
    expect_error<ValueError>([] { gelu(tensor({1}), "fast"); }, {"gelu", "fast", "tanh"});
}

TEST(Elementwise, Pow) {
    const Tensor i = tensor({-2, 3, 5}, {DType::Int64});
    const Tensor sq = pow(i, 2);
    EXPECT_EQ(sq.dtype(), DType::Int64);
    expect_values(sq, {3}, {4, 9, 25});
    expect_values(pow(i, 3), {3}, {-8, 27, 125});
    expect_values(pow(i, 0), {3}, {1, 1, 1});
    const Tensor half = pow(tensor({4, 9}, {DType::Int64}), 0.5);
    EXPECT_EQ(half.dtype(), DType::Float32);
    expect_values(half, {2}, {2, 3});
    expect_error<ValueError>([&] { pow(i, -1); }, {"pow", "negative", "-1"});
    const Tensor f = tensor({2.0, 0.5});
    expect_values(pow(f, -1), {2}, {0.5, 2});
    expect_values(pow(f, -2.0), {2}, {0.25, 4});
    expect_values(pow(f, 2.5), {2}, {static_cast<double>(std::pow(2.0f, 2.5f)), static_cast<double>(std::pow(0.5f, 2.5f))});
    EXPECT_EQ(pow(tensor({3.0}, {DType::Float16}), 2).dtype(), DType::Float16);
}

TEST(Elementwise, Clamp) {
    const Tensor x = tensor({-2, -0.5, 0.5, 2, kNaN});
    expect_values(clamp(x, -1.0, 1.0), {5}, {-1, -0.5, 0.5, 1, kNaN});
    expect_values(clamp(x, 0.0), {5}, {0, 0, 0.5, 2, kNaN});
    expect_values(clamp(x, std::nullopt, 0.0), {5}, {-2, -0.5, 0, 0, kNaN});
    // min > max: everything becomes max (torch semantics: min(max(x, lo), hi)).
    expect_values(clamp(tensor({0, 5}), 3.0, 1.0), {2}, {1, 1});
    const Tensor i = tensor({-5, 0, 5}, {DType::Int64});
    EXPECT_EQ(clamp(i, -1, 1).dtype(), DType::Int64);
    expect_values(clamp(i, -1, 1), {3}, {-1, 0, 1});
    EXPECT_EQ(clamp(i, -0.5, 0.5).dtype(), DType::Float32);
    expect_values(clamp(i, -0.5, 0.5), {3}, {-0.5, 0, 0.5});
    expect_error<ValueError>([&] { clamp(x, std::nullopt, std::nullopt); }, {"clamp", "min", "max"});
}

TEST(Elementwise, Comparisons) {
    const Tensor a = tensor({1, 2, 3, kNaN});
    const Tensor b = tensor({3, 2, 1, kNaN});
    const Tensor r = lt(a, b);
    EXPECT_EQ(r.dtype(), DType::Bool);
    expect_values(r, {4}, {1, 0, 0, 0});
    expect_values(le(a, b), {4}, {1, 1, 0, 0});
    expect_values(gt(a, b), {4}, {0, 0, 1, 0});
    expect_values(ge(a, b), {4}, {0, 1, 1, 0});
    expect_values(eq(a, b), {4}, {0, 1, 0, 0});
    expect_values(ne(a, b), {4}, {1, 0, 1, 1});
    expect_values(eq(a, 2.0), {4}, {0, 1, 0, 0});
    expect_values(gt(a, 1), {4}, {0, 1, 1, 0});
    // Mixed dtypes compare in the promoted type: int64 3 < float 3.5.
    expect_values(lt(tensor({3, 4}, {DType::Int64}), 3.5), {2}, {1, 0});
    expect_values(eq(tensor({1, 2}, {DType::Int32}), tensor({1.0, 2.5})), {2}, {1, 0});
    // Broadcasting.
    expect_values(lt(from_vector({0, 5}, {2, 1}), tensor({1, 4, 6})), {2, 3}, {1, 1, 1, 0, 0, 1});
}

TEST(Elementwise, Logic) {
    const Tensor a = tensor({0, 1, kNaN, -2});
    const Tensor b = tensor({1, 0, 1, 3}, {DType::Int64});
    expect_values(logical_and(a, b), {4}, {0, 0, 1, 1});
    expect_values(logical_or(a, b), {4}, {1, 1, 1, 1});
    expect_values(logical_not(a), {4}, {1, 0, 0, 0});
    EXPECT_EQ(logical_not(a).dtype(), DType::Bool);
    expect_values(isnan(a), {4}, {0, 0, 1, 0});
    expect_values(isinf(tensor({kInf, -kInf, 1, kNaN})), {4}, {1, 1, 0, 0});
    expect_values(isfinite(tensor({kInf, -kInf, 1, kNaN})), {4}, {0, 0, 1, 0});
    expect_values(isfinite(b), {4}, {1, 1, 1, 1});
    expect_values(isnan(b), {4}, {0, 0, 0, 0});
}

TEST(Elementwise, Where) {
    const Tensor c = tensor({1, 0, 1}, {DType::Bool});
    expect_values(where(c, tensor({1, 2, 3}), tensor({-1, -2, -3})), {3}, {1, -2, 3});
    // Broadcast condition [2, 1] against [3].
    const Tensor c2 = from_vector({1, 0}, {2, 1}, {DType::Bool});
    expect_values(where(c2, tensor({1, 2, 3}), 0.0), {2, 3}, {1, 2, 3, 0, 0, 0});
    // Promotion: int64 and float32 -> float32; int64 with an int scalar stays int64.
    const Tensor i = tensor({1, 2, 3}, {DType::Int64});
    EXPECT_EQ(where(c, i, tensor({0.5, 0.5, 0.5})).dtype(), DType::Float32);
    EXPECT_EQ(where(c, i, 0).dtype(), DType::Int64);
    EXPECT_EQ(where(c, i, 0.5).dtype(), DType::Float32);
    expect_values(where(c, 1.0, 0.0), {3}, {1, 0, 1});
    EXPECT_EQ(where(c, 1, 0).dtype(), DType::Int64);
    expect_error<DTypeError>([&] { where(i, i, i); }, {"where", "int64", "bool"});
}

}  // namespace
}  // namespace nl
