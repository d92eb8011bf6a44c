// matmul and linear: hand values, bit-exact agreement with the naive loop (sum over k in order, in
// the compute type) for odd shapes, strided operands, batches with broadcasting, dtypes, errors,
// and independence from the thread count.
#include "ops_test_util.h"
#include "tensor/parallel.h"

namespace nl {
namespace {
using test::expect_error;
using test::expect_values;

// The naive C = A B over the last two dims of 2-D tensors, accumulating in T from 0 over k.
template <class T>
std::vector<double> naive_mm(const Tensor& a, const Tensor& b) {
    const int64_t n = a.size(0), k = a.size(1), p = b.size(1);
    const std::vector<double> av = a.to_vector(), bv = b.to_vector();
    std::vector<double> out(static_cast<size_t>(n * p));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < p; ++j) {
            T acc = T(0);
            for (int64_t q = 0; q < k; ++q) acc += static_cast<T>(av[i * k + q]) * static_cast<T>(bv[q * p + j]);
            out[static_cast<size_t>(i * p + j)] = static_cast<double>(acc);
        }
    return out;
}

TEST(Linalg, HandValues) {
    const Tensor a = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor b = from_vector({7, 8, 9, 10, 11, 12}, {3, 2});
    expect_values(matmul(a, b), {2, 2}, {58, 64, 139, 154});
    expect_values(matmul(tensor({1, 2, 3}), tensor({4, 5, 6})), {}, {32});            // dot
    expect_values(matmul(tensor({1, 1}), from_vector({1, 2, 3, 4}, {2, 2})), {2}, {4, 6});  // vec x mat
    expect_values(matmul(from_vector({1, 2, 3, 4}, {2, 2}), tensor({1, 1})), {2}, {3, 7});  // mat x vec
    expect_values(matmul(a, b.to(DType::Float64).to(DType::Float32)), {2, 2}, {58, 64, 139, 154});
    const Tensor ai = a.to(DType::Int64), bi = b.to(DType::Int64);
    EXPECT_EQ(matmul(ai, bi).dtype(), DType::Int64);
    expect_values(matmul(ai, bi), {2, 2}, {58, 64, 139, 154});
    expect_values(matmul(a.to(DType::Int32), b.to(DType::Int32)), {2, 2}, {58, 64, 139, 154});
}

TEST(Linalg, MatchesNaiveLoopBitForBit) {
    // Shapes that cross the register tile (4 x 16), the k block (256) and the column block (256),
    // with B read in place (up to 32 rows of C) or packed (more).
    const int64_t shapes[][3] = {{1, 1, 1},     {3, 5, 7},     {4, 16, 8},   {5, 17, 33},  {13, 300, 9},
                                 {64, 64, 64},  {70, 3, 270},  {1, 513, 20}, {33, 257, 1}, {129, 40, 300},
                                 {20, 600, 100}, {32, 300, 48}, {31, 7, 400}};
    uint64_t seed = 100;
    for (const auto& s : shapes) {
        const Tensor a = test::random_tensor({s[0], s[1]}, ++seed);
        const Tensor b = test::random_tensor({s[1], s[2]}, ++seed);
        expect_values(matmul(a, b), {s[0], s[2]}, naive_mm<float>(a, b));
        const Tensor ad = a.to(DType::Float64), bd = b.to(DType::Float64);
        expect_values(matmul(ad, bd), {s[0], s[2]}, naive_mm<double>(ad, bd));
    }
}

TEST(Linalg, StridedOperands) {
    const Tensor at = test::random_tensor({37, 21}, 7).transpose(0, 1);  // [21, 37], column-major
    const Tensor bt = test::random_tensor({19, 37}, 8).transpose(0, 1);  // [37, 19]
    ASSERT_FALSE(at.is_contiguous());
    ASSERT_FALSE(bt.is_contiguous());
    expect_values(matmul(at, bt), {21, 19}, naive_mm<float>(at.contiguous(), bt.contiguous()));
    // A sliced view with an offset and a row stride larger than its width.
    const Tensor big = test::random_tensor({40, 50}, 9);
    const Tensor v = big.slice(0, 3, 23).slice(1, 5, 30);  // [20, 25]
    const Tensor w = test::random_tensor({25, 6}, 10);
    expect_values(matmul(v, w), {20, 6}, naive_mm<float>(v.contiguous(), w));
}

TEST(Linalg, BatchedWithBroadcasting) {
    const Tensor a = test::random_tensor({2, 1, 3, 4}, 11);
    const Tensor b = test::random_tensor({5, 4, 2}, 12);
    const Tensor c = matmul(a, b);
    ASSERT_EQ(c.shape(), (Shape{2, 5, 3, 2}));
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 5; ++j) {
            const Tensor ref = from_vector(naive_mm<float>(a[i][0].contiguous(), b[j].contiguous()), {3, 2});
            EXPECT_TRUE(test::same_values(c[i][j].contiguous(), ref)) << i << "," << j;
        }
    // Batch x shared matrix (folded into one GEMM) and shared matrix x batch.
    const Tensor x = test::random_tensor({6, 7, 8}, 13);
    const Tensor w = test::random_tensor({8, 9}, 14);
    const Tensor xw = matmul(x, w);
    const Tensor wx = matmul(test::random_tensor({3, 7}, 15), x);
    ASSERT_EQ(xw.shape(), (Shape{6, 7, 9}));
    ASSERT_EQ(wx.shape(), (Shape{6, 3, 8}));
    for (int64_t i = 0; i < 6; ++i)
        EXPECT_TRUE(test::same_values(xw[i].contiguous(), from_vector(naive_mm<float>(x[i].contiguous(), w), {7, 9})));
    // Batched 1-D operands: [4] x [3, 4, 5] -> [3, 5]; [3, 4, 5] x [5] -> [3, 4].
    EXPECT_EQ(matmul(tensor({1, 2, 3, 4}), zeros({3, 4, 5})).shape(), (Shape{3, 5}));
    EXPECT_EQ(matmul(zeros({3, 4, 5}), tensor({1, 2, 3, 4, 5})).shape(), (Shape{3, 4}));
    // Many small batches run in parallel; same bits as one at a time.
    const Tensor p = test::random_tensor({64, 5, 6}, 16), q = test::random_tensor({64, 6, 7}, 17);
    const Tensor pq = matmul(p, q);
    for (int64_t i = 0; i < 64; i += 9)
        EXPECT_TRUE(test::same_values(pq[i].contiguous(), matmul(p[i], q[i])));
}

TEST(Linalg, HalfTypesRoundTheFloat32Result) {
    const Tensor a = test::random_tensor({5, 40}, 18, DType::Float16);
    const Tensor b = test::random_tensor({40, 3}, 19, DType::Float16);
    const Tensor c = matmul(a, b);
    ASSERT_EQ(c.dtype(), DType::Float16);
    const std::vector<double> ref = naive_mm<float>(a, b);
    const std::vector<double> got = c.to_vector();
    for (size_t i = 0; i < ref.size(); ++i) EXPECT_EQ(got[i], static_cast<float>(Half(static_cast<float>(ref[i]))));
    EXPECT_EQ(matmul(a.to(DType::BFloat16), b.to(DType::BFloat16)).dtype(), DType::BFloat16);
}

TEST(Linalg, SameBitsForAnyThreadCount) {
    const Tensor a = test::random_tensor({150, 300}, 20), b = test::random_tensor({300, 520}, 21);
    const int saved = get_num_threads();
    set_num_threads(1);
    const Tensor c1 = matmul(a, b);
    set_num_threads(3);
    const Tensor c3 = matmul(a, b);
    set_num_threads(saved);
    EXPECT_TRUE(test::same_values(c1, c3));
}

TEST(Linalg, Errors) {
    expect_error<ShapeError>([] { matmul(zeros({2, 3}), zeros({4, 5})); }, {"matmul", "[2, 3]", "[4, 5]"});
    expect_error<ShapeError>([] { matmul(zeros({2, 2, 3}), zeros({3, 3, 4})); }, {"[2, 2, 3]", "[3, 3, 4]", "batch"});
    expect_error<ShapeError>([] { matmul(full({}, 1.0), zeros({3})); }, {"matmul", "[]", "[3]"});
    expect_error<DTypeError>([] { matmul(zeros({2, 2}), zeros({2, 2}, {DType::Float64})); },
                             {"matmul", "float32", "float64"});
    expect_error<DTypeError>([] { matmul(zeros({2, 2}, {DType::Bool}), zeros({2, 2}, {DType::Bool})); },
                             {"matmul", "bool", "valid"});
    expect_error<ShapeError>([] { linear(zeros({2, 3}), zeros({4, 5})); }, {"linear", "[2, 3]", "[4, 5]"});
    expect_error<ShapeError>([] { linear(zeros({2, 3}), zeros({4, 3}), zeros({5})); }, {"linear", "[5]", "[4, 3]"});
}

TEST(Linalg, Linear) {
    const Tensor x = test::random_tensor({2, 3, 10}, 30);
    const Tensor w = test::random_tensor({6, 10}, 31);
    const Tensor b = test::random_tensor({6}, 32);
    const Tensor y = linear(x, w, b);
    ASSERT_EQ(y.shape(), (Shape{2, 3, 6}));
    // x W^T + b: the GEMM sums in order, then the bias is added.
    const Tensor ref = add(matmul(x, w.transpose(0, 1)), b);
    EXPECT_TRUE(test::same_values(y, ref));
    const std::vector<double> flat = naive_mm<float>(x.view({6, 10}), w.transpose(0, 1).contiguous());
    const std::vector<double> yv = y.to_vector(), bv = b.to_vector();
    for (size_t i = 0; i < flat.size(); ++i) EXPECT_EQ(yv[i], static_cast<float>(flat[i]) + static_cast<float>(bv[i % 6]));
    EXPECT_EQ(linear(x, w).shape(), (Shape{2, 3, 6}));
    expect_values(linear(tensor({1, 2}), from_vector({1, 0, 0, 1, 1, 1}, {3, 2}), tensor({0.5, 0.5, 0.5})), {3},
                  {1.5, 2.5, 3.5});
}

}  // namespace
}  // namespace nl
