// group_norm, layer_norm and batch_norm (eval) against the textbook formulas computed in double.
#include <cmath>

#include "ops_test_util.h"

namespace nl {
namespace {
using test::expect_error;
using test::expect_values;

// (x - mean) / sqrt(var + eps) over consecutive groups of `len` values (biased variance).
std::vector<double> normalize_groups(const std::vector<double>& x, size_t len, double eps) {
    std::vector<double> out(x.size());
    for (size_t g = 0; g < x.size() / len; ++g) {
        double m = 0, v = 0;
        for (size_t i = 0; i < len; ++i) m += x[g * len + i];
        m /= static_cast<double>(len);
        for (size_t i = 0; i < len; ++i) v += (x[g * len + i] - m) * (x[g * len + i] - m);
        v /= static_cast<double>(len);
        for (size_t i = 0; i < len; ++i) out[g * len + i] = (x[g * len + i] - m) / std::sqrt(v + eps);
    }
    return out;
}

TEST(Norm, LayerNorm) {
    const Tensor x = test::random_tensor({3, 4, 5}, 60, DType::Float64, -3, 3);
    std::vector<double> ref = normalize_groups(x.to_vector(), 5, 1e-5);
    expect_values(layer_norm(x, {5}), {3, 4, 5}, ref, 1e-12);
    ref = normalize_groups(x.to_vector(), 20, 1e-3);
    expect_values(layer_norm(x, {4, 5}, Tensor{}, Tensor{}, 1e-3), {3, 4, 5}, ref, 1e-12);
    // Affine: weight and bias per normalised element.
    const Tensor w = test::random_tensor({5}, 61, DType::Float64), b = test::random_tensor({5}, 62, DType::Float64);
    ref = normalize_groups(x.to_vector(), 5, 1e-5);
    const std::vector<double> wv = w.to_vector(), bv = b.to_vector();
    for (size_t i = 0; i < ref.size(); ++i) ref[i] = ref[i] * wv[i % 5] + bv[i % 5];
    expect_values(layer_norm(x, {5}, w, b), {3, 4, 5}, ref, 1e-12);
    // Hand value: [1, 3] -> [-1, 1] (eps 0).
    expect_values(layer_norm(tensor({1, 3}), {2}, Tensor{}, Tensor{}, 0.0), {2}, {-1, 1});
    // float32 in, float32 out (computed in double, rounded).
    EXPECT_EQ(layer_norm(x.to(DType::Float32), {5}).dtype(), DType::Float32);
    expect_error<ShapeError>([&] { layer_norm(x, {4}); }, {"layer_norm", "[3, 4, 5]", "[4]"});
    expect_error<ShapeError>([&] { layer_norm(x, {5}, zeros({4}, {DType::Float64})); }, {"layer_norm", "weight", "[4]"});
}

TEST(Norm, GroupNorm) {
    const Tensor x = test::random_tensor({2, 6, 3, 2}, 63, DType::Float64, -2, 2);
    // 3 groups of 2 channels: each group is 2 * 6 = 12 consecutive values.
    std::vector<double> ref = normalize_groups(x.to_vector(), 12, 1e-5);
    expect_values(group_norm(x, 3), {2, 6, 3, 2}, ref, 1e-12);
    // Per-channel affine.
    const Tensor w = test::random_tensor({6}, 64, DType::Float64), b = test::random_tensor({6}, 65, DType::Float64);
    const std::vector<double> wv = w.to_vector(), bv = b.to_vector();
    for (size_t i = 0; i < ref.size(); ++i) {
        const size_t c = (i / 6) % 6;
        ref[i] = ref[i] * wv[c] + bv[c];
    }
    expect_values(group_norm(x, 3, w, b), {2, 6, 3, 2}, ref, 1e-12);
    // One group equals layer_norm over [C, H, W].
    expect_values(group_norm(x, 1), {2, 6, 3, 2}, layer_norm(x, {6, 3, 2}).to_vector(), 1e-12);
    expect_error<ValueError>([&] { group_norm(x, 4); }, {"group_norm", "4", "6", "[2, 6, 3, 2]"});
    expect_error<ShapeError>([&] { group_norm(x, 3, zeros({5}, {DType::Float64})); }, {"group_norm", "weight", "[5]"});
}

// group_norm_silu is silu(group_norm(...)) exactly, in every floating dtype, with and without
// the affine parameters, for rows shorter and longer than the in-place silu's chunk (1024).
TEST(Norm, GroupNormSiluIsSiluOfGroupNorm) {
    const Shape shapes[] = {{2, 6, 3, 2}, {3, 8, 20, 20}, {1, 4, 37}, {2, 2, 1500}};
    int seed = 80;
    for (const Shape& shape : shapes) {
        const int64_t C = shape[1];
        const Tensor x = test::random_tensor(shape, ++seed, DType::Float32, -4, 4);
        const Tensor w = test::random_tensor({C}, ++seed), b = test::random_tensor({C}, ++seed);
        for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
            const Tensor xd = x.to(dt), wd = w.to(dt), bd = b.to(dt);
            for (int64_t groups : {int64_t{1}, C / 2}) {
                const Tensor got = group_norm_silu(xd, groups, wd, bd);
                ASSERT_EQ(got.dtype(), dt);
                EXPECT_TRUE(test::same_values(got, silu(group_norm(xd, groups, wd, bd))))
                    << dtype_name(dt) << " " << shape_str(shape) << " groups " << groups;
                EXPECT_TRUE(test::same_values(group_norm_silu(xd, groups), silu(group_norm(xd, groups))));
            }
        }
    }
    // Hand values: [1, 3] normalises to [-1, 1] (eps 0); silu(v) = v / (1 + exp(-v)).
    const double s1 = 1.0 / (1.0 + std::exp(-1.0));
    expect_values(group_norm_silu(from_vector({1, 3}, {1, 1, 2}, {DType::Float64}), 1, Tensor{}, Tensor{}, 0.0), {1, 1, 2},
                  {-(1.0 - s1), s1}, 1e-15);
    // A NaN makes its group NaN (and only its group).
    const Tensor with_nan = from_vector({1, 2, test::kNaN, 4, 5, 6, 7, 8}, {1, 4, 2});
    const std::vector<double> v = group_norm_silu(with_nan, 2).to_vector();
    for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(std::isnan(v[i]), i < 4) << "element " << i;
    expect_error<ValueError>([&] { group_norm_silu(zeros({2, 6, 3}), 4); }, {"group_norm_silu", "4", "6"});
    expect_error<DTypeError>([&] { group_norm_silu(zeros({2, 6, 3}, {DType::Int64}), 2); }, {"group_norm_silu", "int64"});
}

TEST(Norm, BatchNormEval) {
    const Tensor x = test::random_tensor({4, 3, 2, 2}, 66, DType::Float64);
    const Tensor rm = tensor({0.5, -1, 2}, {DType::Float64}), rv = tensor({1, 4, 0.25}, {DType::Float64});
    const Tensor w = tensor({2, 1, -1}, {DType::Float64}), b = tensor({0, 1, 3}, {DType::Float64});
    const std::vector<double> xv = x.to_vector();
    std::vector<double> ref(xv.size()), ref_plain(xv.size());
    const double m[] = {0.5, -1, 2}, v[] = {1, 4, 0.25}, g[] = {2, 1, -1}, be[] = {0, 1, 3};
    for (size_t i = 0; i < xv.size(); ++i) {
        const size_t c = (i / 4) % 3;
        ref_plain[i] = (xv[i] - m[c]) / std::sqrt(v[c] + 1e-5);
        ref[i] = ref_plain[i] * g[c] + be[c];
    }
    expect_values(batch_norm(x, rm, rv, w, b), {4, 3, 2, 2}, ref, 1e-12);
    expect_values(batch_norm(x, rm, rv), {4, 3, 2, 2}, ref_plain, 1e-12);
    // [N, C] input works too.
    expect_values(batch_norm(from_vector({1.5, 3}, {1, 2}), tensor({0.5, 1}), tensor({1, 4}), Tensor{}, Tensor{}, 0.0),
                  {1, 2}, {1, 1});
    expect_error<ShapeError>([&] { batch_norm(x, tensor({0, 0}, {DType::Float64}), rv); }, {"batch_norm", "running_mean"});
    expect_error<ValueError>([&] { batch_norm(x, rm, rv, Tensor{}, Tensor{}, -1.0); }, {"batch_norm", "eps"});
}

}  // namespace
}  // namespace nl
