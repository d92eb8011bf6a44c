// Type promotion: torch.promote_types' table, torch.result_type with Scalars and 0-dim tensors, and
// the dtypes the binary ops actually return.
#include "ops_test_util.h"

namespace nl {
namespace {
using D = DType;

TEST(Promotion, PromoteTypesTable) {
    struct Case {
        D a, b, out;
    };
    const Case cases[] = {
        {D::Int64, D::Float32, D::Float32},   {D::Int32, D::Int64, D::Int64},     {D::UInt8, D::Int32, D::Int32},
        {D::Bool, D::UInt8, D::UInt8},        {D::Bool, D::Float16, D::Float16},  {D::Float16, D::BFloat16, D::Float32},
        {D::Float16, D::Float32, D::Float32}, {D::BFloat16, D::Float64, D::Float64}, {D::Int64, D::Float16, D::Float16},
        {D::Float32, D::Float64, D::Float64}, {D::Bool, D::Bool, D::Bool},        {D::UInt8, D::Int64, D::Int64},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(promote_types(c.a, c.b), c.out) << dtype_name(c.a) << " + " << dtype_name(c.b);
        EXPECT_EQ(promote_types(c.b, c.a), c.out) << dtype_name(c.b) << " + " << dtype_name(c.a);
    }
    for (D d : kAllDTypes) EXPECT_EQ(promote_types(d, d), d);
}

TEST(Promotion, BinaryOpResultDtypes) {
    const Tensor i64 = tensor({1, 2}, {D::Int64}), f32 = tensor({1, 2}), i32 = tensor({1, 2}, {D::Int32});
    const Tensor u8 = tensor({1, 2}, {D::UInt8}), f16 = tensor({1, 2}, {D::Float16});
    const Tensor bf16 = tensor({1, 2}, {D::BFloat16}), b = tensor({1, 0}, {D::Bool});
    EXPECT_EQ(add(i64, f32).dtype(), D::Float32);
    EXPECT_EQ(mul(i32, i64).dtype(), D::Int64);
    EXPECT_EQ(sub(u8, i32).dtype(), D::Int32);
    EXPECT_EQ(add(f16, bf16).dtype(), D::Float32);
    EXPECT_EQ(add(b, u8).dtype(), D::UInt8);
    EXPECT_EQ(add(b, b).dtype(), D::Bool);
    // True division of integers and bools is float32.
    EXPECT_EQ(div(i64, i64).dtype(), D::Float32);
    test::expect_values(div(tensor({7, -7}, {D::Int64}), 2), {2}, {3.5, -3.5});
    EXPECT_EQ(div(b, b).dtype(), D::Float32);
    EXPECT_EQ(div(f16, 2).dtype(), D::Float16);
    // Comparisons are bool whatever the operands.
    EXPECT_EQ(lt(i64, f32).dtype(), D::Bool);
    EXPECT_EQ(eq(f16, 1).dtype(), D::Bool);
}

TEST(Promotion, ScalarsOnlyLiftTheCategory) {
    const Tensor i64 = tensor({1, 2}, {D::Int64}), u8 = tensor({10, 20}, {D::UInt8});
    const Tensor f16 = tensor({1, 2}, {D::Float16}), i32 = tensor({1, 2}, {D::Int32});
    const Tensor b = tensor({1, 0}, {D::Bool});
    EXPECT_EQ(result_type(i64, Scalar(2)), D::Int64);
    EXPECT_EQ(result_type(i64, Scalar(2.5)), D::Float32);  // the default dtype, not float64
    EXPECT_EQ(result_type(f16, Scalar(2.5)), D::Float16);
    EXPECT_EQ(result_type(i32, Scalar(int64_t{5})), D::Int32);
    EXPECT_EQ(result_type(u8, Scalar(300)), D::UInt8);
    EXPECT_EQ(result_type(b, Scalar(1)), D::Int64);
    EXPECT_EQ(result_type(b, Scalar(true)), D::Bool);
    EXPECT_EQ(result_type(b, Scalar(0.5)), D::Float32);
    EXPECT_EQ((i64 * 2).dtype(), D::Int64);
    EXPECT_EQ((i64 * 2.0).dtype(), D::Float32);
    EXPECT_EQ((f16 * 2.5).dtype(), D::Float16);
    EXPECT_EQ((i32 + 1).dtype(), D::Int32);
    // uint8 + 300 stays uint8 and wraps: 10 + 300 = 310 = 54 (mod 256).
    test::expect_values(u8 + 300, {2}, {54, 64});
}

TEST(Promotion, ZeroDimTensorsRankBelowDimensionedOnes) {
    const Tensor f32 = tensor({1, 2, 3});
    const Tensor d0 = full({}, 2.0, {D::Float64});  // 0-dim float64
    EXPECT_EQ(result_type(f32, d0), D::Float32);
    EXPECT_EQ(add(f32, d0).dtype(), D::Float32);
    // ... but a higher category still wins: int32 [3] + 0-dim float64 -> float64.
    const Tensor i32 = tensor({1, 2, 3}, {D::Int32});
    EXPECT_EQ(result_type(i32, d0), D::Float64);
    // Two 0-dim tensors promote normally.
    EXPECT_EQ(result_type(full({}, 1.0, {D::Int64}), d0), D::Float64);
    // int64 0-dim with a uint8 [2]: same category, the dimensioned dtype wins.
    EXPECT_EQ(result_type(tensor({1, 2}, {D::UInt8}), full({}, 1.0, {D::Int64})), D::UInt8);
}

}  // namespace
}  // namespace nl
