// Reductions, cumsum and softmax: hand-computed values, dims/keepdim shapes, dtype rules, NaN
// handling, double accumulation in a fixed order (checked against a reference loop and across
// thread counts).
#include <cmath>
#include <limits>

#include "ops_test_util.h"
#include "tensor/parallel.h"

namespace nl {
namespace {
using test::expect_error;
using test::expect_values;

using test::kInf;
using test::kNaN;

const Tensor& m23() {
    static const Tensor t = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
    return t;
}

TEST(Reduce, SumAndMean) {
    expect_values(sum(m23()), {}, {21});
    expect_values(sum(m23(), 0), {3}, {5, 7, 9});
    expect_values(sum(m23(), 1), {2}, {6, 15});
    expect_values(sum(m23(), -1, true), {2, 1}, {6, 15});
    expect_values(mean(m23()), {}, {3.5});
    expect_values(mean(m23(), 1), {2}, {2, 5});
    expect_values(mean(m23(), 0, true), {1, 3}, {2.5, 3.5, 4.5});
    const Tensor c = arange(0.0, 24.0, 1.0, {DType::Float32}).view({2, 3, 4});
    // dims {0, 2}: sum over i and k of 12 i + 4 j + k for each j.
    expect_values(sum(c, std::vector<int64_t>{0, 2}), {3}, {60, 92, 124});
    expect_values(sum(c, std::vector<int64_t>{2, 0}, true), {1, 3, 1}, {60, 92, 124});
    expect_values(sum(c, std::vector<int64_t>{}), {}, {276});
    // Non-contiguous input.
    expect_values(sum(m23().transpose(0, 1), 1), {3}, {5, 7, 9});
    // 0-dim input reduces to itself.
    expect_values(sum(full({}, 4.0), 0), {}, {4});
}

TEST(Reduce, DtypeRules) {
    const Tensor i = from_vector({1, 2, 3, 4}, {2, 2}, {DType::Int32});
    EXPECT_EQ(sum(i).dtype(), DType::Int64);
    expect_values(sum(i, 0), {2}, {4, 6});
    const Tensor b = tensor({1, 0, 1, 1}, {DType::Bool});
    EXPECT_EQ(sum(b).dtype(), DType::Int64);
    expect_values(sum(b), {}, {3});
    EXPECT_EQ(sum(tensor({1, 2}, {DType::Float16})).dtype(), DType::Float16);
    expect_error<DTypeError>([&] { mean(i); }, {"mean", "int32", "float32"});
    expect_error<DTypeError>([&] { var(i); }, {"var", "int32"});
    expect_error<ShapeError>([] { sum(m23(), 2); }, {"sum", "2", "[-2, 1]"});
    expect_error<ShapeError>([] { sum(m23(), std::vector<int64_t>{1, -1}); }, {"sum", "more than once"});
}

TEST(Reduce, EmptyReductions) {
    expect_values(sum(zeros({0})), {}, {0});
    expect_values(sum(zeros({2, 0}), 1), {2}, {0, 0});
    expect_values(mean(zeros({0})), {}, {kNaN});
    expect_values(sum(zeros({0}, {DType::Int32})), {}, {0});
    expect_values(sum(zeros({2, 0}, {DType::Bool}), 1), {2}, {0, 0});
    expect_values(cumsum(zeros({0, 3}, {DType::UInt8}), 1), {0, 3}, {});
    EXPECT_EQ(add(zeros({0, 2}, {DType::Int32}), 1).shape(), (Shape{0, 2}));
    expect_error<ShapeError>([] { max(zeros({0})); }, {"max", "empty", "[0]"});
    expect_error<ShapeError>([] { argmin(zeros({3, 0}), 1); }, {"argmin", "[3, 0]"});
    // Reducing a non-empty dim of a tensor with no elements gives an empty result.
    EXPECT_EQ(max(zeros({0, 3}), 1).values.shape(), (Shape{0}));
}

TEST(Reduce, VarStd) {
    expect_values(var(m23()), {}, {3.5});
    expect_values(var(m23(), false), {}, {17.5 / 6.0}, 1e-7);
    expect_values(var(m23(), 1), {2}, {1, 1});
    expect_values(var(m23(), 0, false), {3}, {2.25, 2.25, 2.25});
    expect_values(std(m23()), {}, {static_cast<float>(std::sqrt(3.5))});
    expect_values(std(m23(), 1, true, true), {2, 1}, {1, 1});
    expect_values(std(m23(), std::vector<int64_t>{0, 1}, false), {}, {static_cast<float>(std::sqrt(17.5 / 6.0))});
    // One element: unbiased gives nan (n - 1 = 0), biased gives 0.
    expect_values(var(tensor({5})), {}, {kNaN});
    expect_values(var(tensor({5}), false), {}, {0});
    // Two passes in double: no cancellation for a large offset.
    const Tensor big = tensor({1e8 + 1, 1e8 + 3}, {DType::Float64});
    expect_values(var(big), {}, {2});
}

TEST(Reduce, MinMaxArg) {
    const Tensor t = from_vector({3, 1, 3, 2, 2, 5}, {2, 3});
    ValuesIndices mx = max(t, 1);
    expect_values(mx.values, {2}, {3, 5});
    expect_values(mx.indices, {2}, {0, 2});  // ties: the first index
    EXPECT_EQ(mx.indices.dtype(), DType::Int64);
    ValuesIndices mn = min(t, 1, true);
    expect_values(mn.values, {2, 1}, {1, 2});
    expect_values(mn.indices, {2, 1}, {1, 0});
    ValuesIndices m0 = max(t, 0);
    expect_values(m0.values, {3}, {3, 2, 5});
    expect_values(m0.indices, {3}, {0, 1, 1});
    expect_values(max(t), {}, {5});
    expect_values(min(t), {}, {1});
    expect_values(argmax(t), {}, {5});
    expect_values(argmin(t), {}, {1});
    expect_values(argmax(t, 0), {3}, {0, 1, 1});
    expect_values(argmin(t, -1, true), {2, 1}, {1, 0});
    // NaN propagates and is its own arg.
    const Tensor n = tensor({1, kNaN, 3, kNaN});
    expect_values(max(n), {}, {kNaN});
    expect_values(min(n), {}, {kNaN});
    expect_values(argmax(n), {}, {1});
    expect_values(argmin(n), {}, {1});
    // Integer and bool keep their dtype.
    const Tensor i = tensor({-7, 4, 9}, {DType::Int32});
    EXPECT_EQ(max(i).dtype(), DType::Int32);
    expect_values(max(i), {}, {9});
    expect_values(max(tensor({0, 1, 0}, {DType::Bool})), {}, {1});
    expect_values(argmax(tensor({0, 1, 1}, {DType::Bool})), {}, {1});
    // float16 compares as float.
    expect_values(argmax(tensor({0.5, -2, 0.75}, {DType::Float16})), {}, {2});
}

TEST(Reduce, Cumsum) {
    expect_values(cumsum(tensor({1, 2, 3, 4}), 0), {4}, {1, 3, 6, 10});
    expect_values(cumsum(m23(), 0), {2, 3}, {1, 2, 3, 5, 7, 9});
    expect_values(cumsum(m23(), -1), {2, 3}, {1, 3, 6, 4, 9, 15});
    const Tensor i = tensor({1, 2, 3}, {DType::Int32});
    EXPECT_EQ(cumsum(i, 0).dtype(), DType::Int64);
    expect_values(cumsum(tensor({1, 0, 1}, {DType::Bool}), 0), {3}, {1, 1, 2});
    // Double accumulation: 1e8 + 1 - 1e8 is 1, not the 0 of a float32 running sum.
    expect_values(cumsum(tensor({1e8, 1, -1e8}), 0), {3}, {1e8, 1e8, 1});
}

TEST(Reduce, DoubleAccumulationInFixedBlocks) {
    expect_values(sum(tensor({1e8, 1, -1e8})), {}, {1});
    // The documented order: sequential double sums over blocks of 4096, added in block order.
    const Tensor x = test::random_tensor({3, 20000}, 11);
    const std::vector<double> v = x.to_vector();
    std::vector<double> expected;
    for (int r = 0; r < 3; ++r) {
        double total = 0;
        for (int b = 0; b < 20000; b += 4096) {
            double s = 0;
            for (int i = b; i < std::min(20000, b + 4096); ++i) s += v[static_cast<size_t>(r * 20000 + i)];
            total += s;
        }
        expected.push_back(static_cast<float>(total));
    }
    expect_values(sum(x, 1), {3}, expected);
    // Same bits with 1 and 4 threads, for one long row and for many rows.
    const Tensor big = test::random_tensor({1 << 19}, 12);
    const int saved = get_num_threads();
    set_num_threads(1);
    const Tensor s1 = sum(big), v1 = var(big), r1 = sum(big.view({512, 1024}), 0);
    set_num_threads(4);
    const Tensor s4 = sum(big), v4 = var(big), r4 = sum(big.view({512, 1024}), 0);
    set_num_threads(saved);
    EXPECT_TRUE(test::same_values(s1, s4));
    EXPECT_TRUE(test::same_values(v1, v4));
    EXPECT_TRUE(test::same_values(r1, r4));
}

TEST(Reduce, Softmax) {
    const Tensor x = tensor({1, 2, 3});
    const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
    expect_values(softmax(x), {3}, {std::exp(1.0) / z, std::exp(2.0) / z, std::exp(3.0) / z}, 1e-7);
    expect_values(log_softmax(x), {3}, {1 - std::log(z), 2 - std::log(z), 3 - std::log(z)}, 1e-7);
    // Stable for large logits.
    expect_values(softmax(tensor({1000, 1001})), {2}, {0.2689414213699951, 0.7310585786300049}, 1e-7);
    expect_values(log_softmax(tensor({-1000, 0})), {2}, {-1000, 0}, 1e-7);
    // -inf logits get probability 0.
    expect_values(softmax(tensor({-kInf, 0, 0})), {3}, {0, 0.5, 0.5});
    // Rows of a 2-D tensor sum to 1; dim 0 equals the transposed dim -1.
    const Tensor r = test::random_tensor({5, 7}, 21, DType::Float64, -5, 5);
    const std::vector<double> s = sum(softmax(r, 1), 1).to_vector();
    for (double v : s) EXPECT_NEAR(v, 1.0, 1e-15);
    EXPECT_TRUE(test::same_values(softmax(r, 0), softmax(r.transpose(0, 1), -1).transpose(0, 1).contiguous()));
    const Tensor a = test::random_tensor({2, 3, 4}, 22);
    EXPECT_TRUE(test::same_values(log_softmax(a, 1), log_softmax(a.transpose(1, 2), 2).transpose(1, 2).contiguous()));
    // float16 in, float16 out, computed in double then rounded.
    const Tensor h = softmax(tensor({0, 1}, {DType::Float16}));
    EXPECT_EQ(h.dtype(), DType::Float16);
    EXPECT_EQ(h.to_vector()[0], static_cast<float>(Half(static_cast<float>(1.0 / (1.0 + std::exp(1.0))))));
    expect_error<DTypeError>([] { softmax(tensor({1, 2}, {DType::Int64})); }, {"softmax", "int64", "float32"});
}

}  // namespace
}  // namespace nl
