// index_select, t[index], gather, embedding, cat, stack, flip, permute, repeat, masked_fill.
#include <limits>

#include "ops_test_util.h"

namespace nl {
namespace {
using test::expect_error;
using test::expect_values;

const Tensor& m34() {
    static const Tensor t = arange(0.0, 12.0, 1.0, {DType::Float32}).view({3, 4});
    return t;
}
Tensor idx(std::initializer_list<double> v) { return tensor(v, {DType::Int64}); }

TEST(Index, IndexSelect) {
    expect_values(index_select(m34(), 0, idx({2, 0, 2})), {3, 4}, {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11});
    expect_values(index_select(m34(), 1, idx({3, 1})), {3, 2}, {3, 1, 7, 5, 11, 9});
    expect_values(index_select(m34(), -1, tensor({0}, {DType::Int32})), {3, 1}, {0, 4, 8});
    expect_values(index_select(m34(), 0, full({}, 1.0, {DType::Int64})), {1, 4}, {4, 5, 6, 7});
    // Strided input.
    expect_values(index_select(m34().transpose(0, 1), 0, idx({1})), {1, 3}, {1, 5, 9});
    expect_error<ShapeError>([] { index_select(m34(), 0, idx({3})); }, {"index_select", "3", "size 3"});
    expect_error<ShapeError>([] { index_select(m34(), 0, idx({-1})); }, {"index_select", "-1"});
    expect_error<DTypeError>([] { index_select(m34(), 0, tensor({0})); }, {"index_select", "float32", "int64"});
}

TEST(Index, IndexRowsAndEmbedding) {
    // X[idx] with a 2-D index and a negative entry.
    const Tensor r = index(m34(), from_vector({0, -1, 1, 1}, {2, 2}, {DType::Int64}));
    expect_values(r, {2, 2, 4}, {0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 4, 5, 6, 7});
    expect_error<ShapeError>([] { index(m34(), idx({-4})); }, {"index", "-4", "size 3"});
    // embedding(indices, weight[V, D]) -> [*indices.shape, D].
    const Tensor e = embedding(from_vector({2, 0, 1, 2}, {2, 2}, {DType::Int64}), m34());
    expect_values(e, {2, 2, 4}, {8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    expect_error<ShapeError>([] { embedding(idx({-1}), m34()); }, {"embedding", "-1"});
    expect_error<ShapeError>([] { embedding(idx({0}), zeros({3})); }, {"embedding", "[3]"});
    // Integer weights keep their dtype.
    EXPECT_EQ(embedding(idx({1}), m34().to(DType::Int64)).dtype(), DType::Int64);
}

TEST(Index, Gather) {
    const Tensor t = from_vector({1, 2, 3, 4}, {2, 2});
    expect_values(gather(t, 1, from_vector({0, 0, 1, 0}, {2, 2}, {DType::Int64})), {2, 2}, {1, 1, 4, 3});
    expect_values(gather(t, 0, from_vector({1, 0}, {1, 2}, {DType::Int64})), {1, 2}, {3, 2});
    expect_values(gather(m34(), 1, from_vector({3, 2, 1}, {3, 1}, {DType::Int64})), {3, 1}, {3, 6, 9});
    expect_error<ShapeError>([&] { gather(t, 1, from_vector({2, 0}, {1, 2}, {DType::Int64})); }, {"gather", "2"});
    expect_error<ShapeError>([&] { gather(t, 1, idx({0})); }, {"gather", "[1]", "[2, 2]"});
}

TEST(Index, Cat) {
    const Tensor a = from_vector({1, 2, 3, 4}, {2, 2});
    const Tensor b = from_vector({5, 6}, {1, 2});
    expect_values(cat({a, b}), {3, 2}, {1, 2, 3, 4, 5, 6});
    expect_values(cat({a, b.transpose(0, 1).contiguous().view({2, 1})}, 1), {2, 3}, {1, 2, 5, 3, 4, 6});
    expect_values(cat({a, a}, -1), {2, 4}, {1, 2, 1, 2, 3, 4, 3, 4});
    // Promotion: int64 with float32 -> float32.
    const Tensor c = cat({tensor({1, 2}, {DType::Int64}), tensor({0.5})});
    EXPECT_EQ(c.dtype(), DType::Float32);
    expect_values(c, {3}, {1, 2, 0.5});
    // Legacy: a 1-D empty tensor is skipped.
    expect_values(cat({zeros({0}), a}), {2, 2}, {1, 2, 3, 4});
    expect_error<ShapeError>([&] { cat({a, zeros({2, 3})}); }, {"cat", "[2, 2]", "[2, 3]"});
    expect_error<ValueError>([] { cat({}); }, {"cat", "non-empty"});
}

TEST(Index, Stack) {
    const Tensor a = tensor({1, 2}), b = tensor({3, 4});
    expect_values(stack({a, b}), {2, 2}, {1, 2, 3, 4});
    expect_values(stack({a, b}, 1), {2, 2}, {1, 3, 2, 4});
    expect_values(stack({a, b}, -1), {2, 2}, {1, 3, 2, 4});
    EXPECT_EQ(stack({full({}, 1.0), full({}, 2.0)}).shape(), (Shape{2}));
    expect_error<ShapeError>([&] { stack({a, tensor({1, 2, 3})}); }, {"stack", "[2]", "[3]"});
}

TEST(Index, FlipPermuteRepeat) {
    expect_values(flip(m34(), {0}), {3, 4}, {8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3});
    expect_values(flip(m34(), {1}), {3, 4}, {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8});
    expect_values(flip(m34(), {0, -1}), {3, 4}, {11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
    // flip copies (PyTorch's flip is not a view).
    const Tensor f = flip(m34(), {0});
    EXPECT_NE(f.storage(), m34().storage());
    const Tensor c = arange(0.0, 24.0, 1.0, {DType::Float32}).view({2, 3, 4});
    const Tensor p = permute(c, {2, 0, 1});
    EXPECT_EQ(p.shape(), (Shape{4, 2, 3}));
    EXPECT_EQ(p.storage(), c.storage());  // a view
    EXPECT_EQ(p.at({3, 1, 2}), c.at({1, 2, 3}));
    expect_error<ShapeError>([&] { permute(c, {0, 1}); }, {"permute", "[2, 3, 4]"});
    expect_error<ShapeError>([&] { permute(c, {0, 1, 1}); }, {"permute", "more than once"});
    expect_values(repeat(tensor({1, 2}), {3}), {6}, {1, 2, 1, 2, 1, 2});
    expect_values(repeat(tensor({1, 2}), {2, 2}), {2, 4}, {1, 2, 1, 2, 1, 2, 1, 2});
    expect_values(repeat(from_vector({1, 2}, {2, 1}), {1, 3}), {2, 3}, {1, 1, 1, 2, 2, 2});
    expect_values(repeat(m34().transpose(0, 1), {1, 1}), {4, 3}, {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    EXPECT_EQ(repeat(tensor({1, 2}), {0, 1}).shape(), (Shape{0, 2}));
    expect_error<ShapeError>([] { repeat(zeros({2, 2}), {2}); }, {"repeat", "[2, 2]"});
}

TEST(Index, MaskedFill) {
    const Tensor mask = from_vector({1, 0, 0, 1}, {1, 4}, {DType::Bool});
    const Tensor r = masked_fill(m34(), mask, -1.0);
    expect_values(r, {3, 4}, {-1, 1, 2, -1, -1, 5, 6, -1, -1, 9, 10, -1});
    // The input is untouched and the dtype kept (7.5 into int64 truncates, as torch casts).
    EXPECT_EQ(m34().at({0, 0}), 0.0);
    const Tensor i = masked_fill(tensor({1, 2}, {DType::Int64}), tensor({0, 1}, {DType::Bool}), 7.5);
    EXPECT_EQ(i.dtype(), DType::Int64);
    expect_values(i, {2}, {1, 7});
    expect_values(masked_fill(tensor({1, 2}), tensor({1, 1}, {DType::Bool}), -std::numeric_limits<double>::infinity()),
                  {2}, {-std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()});
    expect_error<ValueError>([] { masked_fill(zeros({2}, {DType::Int32}), ones({2}, {DType::Bool}), 1e30); },
                             {"masked_fill", "int32"});
    expect_error<DTypeError>([] { masked_fill(zeros({2}), zeros({2}), 1.0); }, {"masked_fill", "float32", "bool"});
    expect_error<ShapeError>([] { masked_fill(zeros({2}), zeros({3, 2}, {DType::Bool}), 1.0); },
                             {"masked_fill", "[3, 2]", "[2]"});
}

}  // namespace
}  // namespace nl
