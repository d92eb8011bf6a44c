// The CUDA DeviceOps against tensor/ops.h on the CPU: exact where both sides do the same IEEE
// operations (+, -, *, /, neg, abs, relu, sqrt, index_select, integer sums), within stated
// tolerances elsewhere (CUDA's math library, summation order, cuBLAS).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "gpu/kernels.h"
#include "gpu_test_util.h"
#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/ops_internal.h"
#include "tensor/random.h"

namespace nl {
namespace {

using gpu_test::cuda_ops;
using gpu_test::data;
using gpu_test::max_rel;
using gpu_test::same_bytes;
using gpu_test::same_values_nan_aware;

// Selects a matmul kernel for a scope, then puts the previous choice back.
class UseMatmulKernel {
public:
    explicit UseMatmulKernel(gpu::detail::MatmulKernel k) : previous_(gpu::detail::matmul_kernel()) {
        gpu::detail::set_matmul_kernel(k);
    }
    ~UseMatmulKernel() { gpu::detail::set_matmul_kernel(previous_); }
    UseMatmulKernel(const UseMatmulKernel&) = delete;
    UseMatmulKernel& operator=(const UseMatmulKernel&) = delete;

private:
    gpu::detail::MatmulKernel previous_;
};

TEST(GpuOps, ArithmeticIsExactWithBroadcasting) {
    NL_REQUIRE_GPU();
    ASSERT_NE(cuda_ops(), nullptr);
    EXPECT_EQ(device_ops_for({}), nullptr);
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
        const Tensor a = data({4, 1, 5}, dt, 1), b = data({3, 1}, dt, 2);
        const Tensor ga = a.to(Device::cuda()), gb = b.to(Device::cuda());
        EXPECT_EQ(device_ops_for({&ga, &gb}), cuda_ops());
        EXPECT_TRUE(same_bytes(add(a, b), cuda_ops()->binary(DeviceBinaryOp::Add, ga, gb))) << dtype_name(dt);
        EXPECT_TRUE(same_bytes(sub(a, b), cuda_ops()->binary(DeviceBinaryOp::Sub, ga, gb))) << dtype_name(dt);
        EXPECT_TRUE(same_bytes(mul(a, b), cuda_ops()->binary(DeviceBinaryOp::Mul, ga, gb))) << dtype_name(dt);
        EXPECT_TRUE(same_bytes(div(a, b), cuda_ops()->binary(DeviceBinaryOp::Div, ga, gb))) << dtype_name(dt);
    }
    // No kernel for mixed dtypes (the op converts first): an undefined result sends the caller to its own path.
    const Tensor f = zeros({2}, {Device::cuda()}), d = zeros({2}, {DType::Float64, Device::cuda()});
    EXPECT_FALSE(cuda_ops()->binary(DeviceBinaryOp::Add, f, d).defined());
}

TEST(GpuOps, UnaryMath) {
    NL_REQUIRE_GPU();
    for (DType dt : {DType::Float32, DType::Float64}) {
        const Tensor x = data({1000}, dt, 3), pos = abs(x) + 0.25;
        const Tensor gx = x.to(Device::cuda()), gp = pos.to(Device::cuda());
        const double tol = dt == DType::Float32 ? 1e-6 : 1e-14;
        EXPECT_TRUE(same_bytes(neg(x), cuda_ops()->unary(DeviceUnaryOp::Neg, gx)));
        EXPECT_TRUE(same_bytes(abs(x), cuda_ops()->unary(DeviceUnaryOp::Abs, gx)));
        EXPECT_TRUE(same_bytes(relu(x), cuda_ops()->unary(DeviceUnaryOp::Relu, gx)));
        EXPECT_TRUE(same_bytes(sqrt(pos), cuda_ops()->unary(DeviceUnaryOp::Sqrt, gp)));
        // exp and sigmoid use detmath.h's exp on both sides: the same bits.
        EXPECT_TRUE(same_bytes(exp(x), cuda_ops()->unary(DeviceUnaryOp::Exp, gx)));
        EXPECT_LT(max_rel(log(pos), cuda_ops()->unary(DeviceUnaryOp::Log, gp), 1e-6), tol);
        if (dt == DType::Float32) {  // detmath.h's sin / cos / tanh of floats: the same bits
            const Tensor big = x * 1000.0;  // arguments up to a few thousand: the reduction by pi/2
            EXPECT_TRUE(same_bytes(sin(big), cuda_ops()->unary(DeviceUnaryOp::Sin, big.to(Device::cuda()))));
            EXPECT_TRUE(same_bytes(cos(big), cuda_ops()->unary(DeviceUnaryOp::Cos, big.to(Device::cuda()))));
            EXPECT_TRUE(same_bytes(tanh(x), cuda_ops()->unary(DeviceUnaryOp::Tanh, gx)));
        } else {  // float64: each side's library
            EXPECT_LT(max_rel(sin(x), cuda_ops()->unary(DeviceUnaryOp::Sin, gx), 1e-6), tol);
            EXPECT_LT(max_rel(cos(x), cuda_ops()->unary(DeviceUnaryOp::Cos, gx), 1e-6), tol);
            EXPECT_LT(max_rel(tanh(x), cuda_ops()->unary(DeviceUnaryOp::Tanh, gx), 1e-6), tol);
        }
        EXPECT_TRUE(same_bytes(sigmoid(x), cuda_ops()->unary(DeviceUnaryOp::Sigmoid, gx)));
    }
}

TEST(GpuOps, Sum) {
    NL_REQUIRE_GPU();
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16}) {
        const Tensor x = data({1 << 20}, dt, 4);
        EXPECT_LT(max_rel(sum(x), cuda_ops()->sum(x.to(Device::cuda())), 1e-3), dt == DType::Float64 ? 1e-12 : 1e-6);
    }
    Generator g(5);
    const Tensor i = randint(-1000, 1000, {100003}, {DType::Int64}, &g);
    EXPECT_TRUE(same_bytes(sum(i), cuda_ops()->sum(i.to(Device::cuda()))));
    const Tensor u = randint(0, 255, {5000}, {DType::UInt8}, &g);
    EXPECT_TRUE(same_bytes(sum(u), cuda_ops()->sum(u.to(Device::cuda()))));
}

TEST(GpuOps, Softmax) {
    NL_REQUIRE_GPU();
    for (DType dt : {DType::Float32, DType::Float64, DType::BFloat16}) {
        const Tensor x = data({7, 300, 5}, dt, 6) * 4.0;
        const Tensor gx = x.to(Device::cuda());
        const double tol = dt == DType::Float64 ? 1e-14 : dt == DType::Float32 ? 3e-7 : 8e-3;
        for (int64_t dim : {0, 1, -1}) {
            EXPECT_LT(max_rel(softmax(x, dim), cuda_ops()->softmax(gx, dim, false), 0), tol) << dtype_name(dt) << " dim " << dim;
            // Log-probabilities relative to max(|value|, 1): near 0, (x - max) - log(sum) cancels,
            // and an absolute error of 1e-17 there was a relative one of 1e-11 (H100, float64).
            EXPECT_LT(max_rel(log_softmax(x, dim), cuda_ops()->softmax(gx, dim, true), 1.0), tol) << dtype_name(dt) << " dim " << dim;
        }
    }
}

TEST(GpuOps, IndexSelectIsExact) {
    NL_REQUIRE_GPU();
    const Tensor idx = from_vector({2, 0, 2, 1}, {4}, {DType::Int64});
    for (DType dt : {DType::Float32, DType::Float16, DType::Int64, DType::UInt8, DType::Bool}) {
        Generator g(7);
        const Tensor t = randint(0, 2, {3, 4, 5}, {dt}, &g);
        for (int64_t dim : {0, 1, 2}) {
            const Tensor sel = index_select(t, dim, idx.narrow(0, 0, 3));
            EXPECT_TRUE(same_bytes(sel, cuda_ops()->index_select(t.to(Device::cuda()), dim, idx.narrow(0, 0, 3).to(Device::cuda()))))
                << dtype_name(dt) << " dim " << dim;
        }
    }
    // int64 indices are trusted (the op checks them on the host first); int32 ones are widened on
    // the host, where a bad one sends the call back to the op's own path.
    const Tensor t = zeros({3, 3}, {Device::cuda()});
    EXPECT_FALSE(cuda_ops()->index_select(t, 0, from_vector({3}, {1}, {DType::Int32}).to(Device::cuda())).defined());
}

TEST(GpuOps, MatmulThroughCublas) {
    NL_REQUIRE_GPU();
    struct Case {
        Shape a, b;
    } cases[] = {{{64, 33}, {33, 17}}, {{5, 64, 33}, {5, 33, 17}}, {{5, 64, 33}, {33, 17}}, {{33}, {33, 17}}, {{64, 33}, {33}}, {{33}, {33}}};
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16}) {
        for (const Case& c : cases) {
            const Tensor a = data(c.a, dt, 8), b = data(c.b, dt, 9);
            const Tensor cpu = matmul(a, b);
            const Tensor gpu = cuda_ops()->matmul(a.to(Device::cuda()), b.to(Device::cuda()));
            ASSERT_TRUE(gpu.defined());
            // Relative to the size of the terms (sqrt(K) * |a| |b| ~ 6 for K = 33 normals).
            const double tol = dt == DType::Float64 ? 1e-13 : dt == DType::Float32 ? 1e-5 : 2e-2;
            EXPECT_LT(max_rel(cpu, gpu, 6.0), tol) << dtype_name(dt) << " " << shape_str(c.a) << " x " << shape_str(c.b);
        }
    }
    // Integer matmul has no cuBLAS kernel: undefined.
    const Tensor i = zeros({2, 2}, {DType::Int64, Device::cuda()});
    EXPECT_FALSE(cuda_ops()->matmul(i, i).defined());
}

// The exact kernel (opt-in: NOISELAB_MATMUL_KERNEL=exact): the CPU's bytes for every shape the
// dispatch gives it, several 64 x 64 tiles with partial edges, K over many 16-wide stages.
TEST(GpuOps, MatmulExactKernelIsTheCpusSum) {
    NL_REQUIRE_GPU();
    const UseMatmulKernel exact(gpu::detail::MatmulKernel::Exact);
    struct Case {
        Shape a, b;
    } cases[] = {{{64, 33}, {33, 17}},        {{5, 64, 33}, {5, 33, 17}}, {{5, 64, 33}, {33, 17}}, {{33}, {33, 17}},
                 {{64, 33}, {33}},            {{33}, {33}},               {{130, 70}, {70, 200}},  {{3, 1000}, {1000, 5}},
                 {{2, 3, 8, 16}, {16, 5}},    {{16, 5}, {2, 3, 5, 8}},    {{1, 1}, {1, 1}},        {{512, 64}, {64, 64}}};
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
        for (const Case& c : cases) {
            const Tensor a = data(c.a, dt, 8), b = data(c.b, dt, 9);
            const int64_t before = ops_detail::through_host_calls();
            const Tensor gpu = matmul(a.to(Device::cuda()), b.to(Device::cuda()));
            EXPECT_EQ(ops_detail::through_host_calls(), before) << "ran through the host, not the kernel";
            EXPECT_TRUE(gpu.device().is_cuda());
            EXPECT_TRUE(same_bytes(matmul(a, b), gpu)) << dtype_name(dt) << " " << shape_str(c.a) << " x " << shape_str(c.b);
        }
    }
    // A transposed operand (made dense on the device first).
    const Tensor at = data({33, 64}, DType::Float32, 13), bt = data({33, 17}, DType::Float32, 14);
    EXPECT_TRUE(same_bytes(matmul(at.transpose(0, 1), bt), matmul(at.to(Device::cuda()).transpose(0, 1), bt.to(Device::cuda()))));
    // linear (matmul with the transposed weight, made dense on the device, then + bias), and K = 0.
    const Tensor x = data({512, 32}, DType::Float32, 10), w = data({64, 32}, DType::Float32, 11), bias = data({64}, DType::Float32, 12);
    EXPECT_TRUE(same_bytes(linear(x, w, bias), linear(x.to(Device::cuda()), w.to(Device::cuda()), bias.to(Device::cuda()))));
    EXPECT_TRUE(same_bytes(matmul(zeros({3, 0}), zeros({0, 4})), matmul(zeros({3, 0}).to(Device::cuda()), zeros({0, 4}).to(Device::cuda()))));
}

// The public ops (tensor/ops.h) on CUDA tensors, through the dispatch of tensor/ops_internal.h:
// the result stays on the GPU and matches the CPU (exactly where the op runs through the host or
// on an exact kernel; within the tolerances above for CUDA's math, summation order and cuBLAS).
// Tensor::to(dtype) on the GPU (DeviceOps::convert: dtype.h's convert_element, the CPU's own
// function) for every pair of dtypes, over values that reach every rule: NaN and infinities,
// signed zeros, subnormals, saturation into the integer types, wrapping between them, rounding
// to the 16-bit types, int64 past 2^53. The same values as the CPU (integer and bool results:
// the same bytes; a NaN's payload is the GPU's). Then the promotions that use it.
TEST(GpuOps, ConversionsAreTheCpus) {
    NL_REQUIRE_GPU();
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> values = {0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 0.1, 255.0, 255.5, 256.0, -129.7, 2049.0,
                                        65504.0, 65520.0, 70000.0, 1e-40, -1e-310, 3e38, 1e39, 2147483647.5, -3e9,
                                        9.3e18, -9.3e18, 0x1p53, 1e300, inf, -inf, nan, nan, nan};
    Tensor source = from_vector(values, {static_cast<int64_t>(values.size())}, {DType::Float64});
    // NaNs keep their sign and payload between floating types as on the CPU (dtype.h's widen_float
    // / narrow_double): a negative one and a signalling one with a payload.
    for (const auto& [at, bits] : {std::pair{values.size() - 2, 0xFFF8000000000000ull},
                                   std::pair{values.size() - 1, 0x7FF4000000012345ull}})
        std::memcpy(source.data<double>() + at, &bits, 8);
    // int64 values an integer add makes exact past 2^53 (a double cannot hold them).
    const Tensor big = add(full({4}, 0x1p53, {DType::Int64}), from_vector({1, 3, -5, 7}, {4}, {DType::Int64}));
    for (DType from : kAllDTypes) {
        const Tensor s = from == DType::Int64 ? cat({source.to(from), big}) : source.to(from);
        const Tensor gs = s.to(Device::cuda());
        for (DType to : kAllDTypes) {
            if (to == from) continue;
            SCOPED_TRACE(std::string(dtype_name(from)) + " -> " + dtype_name(to));
            const Tensor want = s.to(to), got = cuda_ops()->convert(gs, to);
            ASSERT_TRUE(got.defined());
            EXPECT_TRUE(got.device().is_cuda());
            EXPECT_EQ(got.dtype(), to);
            EXPECT_TRUE(same_bytes(want, got));
            EXPECT_TRUE(same_bytes(want, gs.to(to))) << "Tensor::to(dtype) on the device";
        }
    }
    // A strided view converts by its elements.
    const Tensor m = data({5, 7}, DType::Float32, 31) * 300.0;
    EXPECT_TRUE(same_bytes(m.transpose(0, 1).to(DType::UInt8), m.to(Device::cuda()).transpose(0, 1).to(DType::UInt8)));
    // Mixed-dtype arithmetic converts on the device and runs the floating kernels, never the host.
    const Tensor h = data({6}, DType::Float16, 32), d = data({6}, DType::Float64, 33);
    const Tensor i32 = from_vector({2049, -7, 70000, 1, 2, 3}, {6}, {DType::Int32});
    const Tensor gh = h.to(Device::cuda()), gd = d.to(Device::cuda()), gi = i32.to(Device::cuda());
    const int64_t before = ops_detail::through_host_calls();
    EXPECT_TRUE(same_bytes(add(h, d), add(gh, gd)));
    EXPECT_TRUE(same_bytes(mul(i32, h), mul(gi, gh))) << "float16 result: both sides in float32, one rounding";
    EXPECT_TRUE(same_bytes(div(i32, i32), div(gi, gi))) << "true division of integers";
    EXPECT_TRUE(same_bytes(i32 * 0.25, gi * 0.25));
    EXPECT_TRUE(same_bytes(exp(i32.to(DType::Int64) / 70000), exp(gi.to(DType::Int64) / 70000)));
    EXPECT_EQ(ops_detail::through_host_calls(), before);
}

// Reductions along dims (gpu/reduce_kernels.cu with tensor/reduce_formulas.h): the CPU's bytes for
// sum, mean, var, std, min / max / argmin / argmax over one, several and all dims, rows shorter
// and much longer than a block (4096), every floating dtype, integer and bool sums, NaN and ties
// in later blocks; nothing goes through the host.
TEST(GpuOps, ReductionsAlongDimsAreTheCpus) {
    NL_REQUIRE_GPU();
    const int64_t before = ops_detail::through_host_calls();
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
        SCOPED_TRACE(dtype_name(dt));
        const Tensor a = data({6, 5, 7}, dt, 41) + 2.0, longr = data({3, 20000}, dt, 42);
        const Tensor ga = a.to(Device::cuda()), gl = longr.to(Device::cuda());
        EXPECT_TRUE(same_bytes(sum(a, 1), sum(ga, 1)));
        EXPECT_TRUE(same_bytes(sum(a, {0, 2}, true), sum(ga, {0, 2}, true)));
        EXPECT_TRUE(same_bytes(mean(a, -1), mean(ga, -1)));
        EXPECT_TRUE(same_bytes(mean(a.transpose(0, 2), 0), mean(ga.transpose(0, 2), 0))) << "strided";
        EXPECT_TRUE(same_bytes(var(a, 0), var(ga, 0)));
        EXPECT_TRUE(same_bytes(nl::std(a, {1, 2}, false), nl::std(ga, {1, 2}, false)));
        EXPECT_TRUE(same_bytes(var(a), var(ga))) << "all dims";
        EXPECT_TRUE(same_bytes(sum(longr, 1), sum(gl, 1))) << "five blocks a row";
        EXPECT_TRUE(same_bytes(mean(longr, 1), mean(gl, 1)));
        EXPECT_TRUE(same_bytes(nl::std(longr, 1), nl::std(gl, 1)));
        EXPECT_TRUE(same_bytes(sum(longr, 0), sum(gl, 0))) << "20000 rows of 3";
        for (bool keep : {false, true}) {
            const ValuesIndices c = max(a, 1, keep), g = max(ga, 1, keep);
            EXPECT_TRUE(same_bytes(c.values, g.values));
            EXPECT_TRUE(same_bytes(c.indices, g.indices));
        }
        EXPECT_TRUE(same_bytes(min(a, 2).indices, min(ga, 2).indices));
        EXPECT_TRUE(same_bytes(argmax(longr, 1), argmax(gl, 1)));
        EXPECT_TRUE(same_bytes(argmin(longr), argmin(gl)));
        EXPECT_TRUE(same_bytes(max(longr), max(gl)));
    }
    // 0 / 0: the mean of empty rows, the unbiased var of one value (NaN on both sides, each its own
    // payload), and the biased var of one value (0).
    const Tensor one = data({4, 1}, DType::Float32, 44), empty = zeros({3, 0});
    EXPECT_TRUE(same_values_nan_aware(mean(empty, 1), mean(empty.to(Device::cuda()), 1)));
    EXPECT_TRUE(same_values_nan_aware(var(one, 1), var(one.to(Device::cuda()), 1)));
    EXPECT_TRUE(same_bytes(var(one, 1, false), var(one.to(Device::cuda()), 1, false)));
    EXPECT_TRUE(std::isnan(mean(empty.to(Device::cuda()), 1).cpu().to_vector()[0]));
    // NaN and ties in later blocks: the first NaN wins, else the first index of the extreme.
    Tensor t = (data({2, 12000}, DType::Float32, 43) * 0.5).contiguous();
    for (int64_t i : {10, 4100, 11000}) t.data<float>()[i] = 3.0f;
    t.data<float>()[12000 + 9000] = std::numeric_limits<float>::quiet_NaN();
    t.data<float>()[12000 + 11000] = std::numeric_limits<float>::quiet_NaN();
    const Tensor gt = t.to(Device::cuda());
    EXPECT_TRUE(same_bytes(argmax(t, 1), argmax(gt, 1)));
    EXPECT_TRUE(same_bytes(argmin(t, 1), argmin(gt, 1)));
    EXPECT_EQ(argmax(gt, 1).cpu().to_vector(), (std::vector<double>{10, 9000}));
    // Integer and bool sums (int64, wrapping), integer extremes.
    const Tensor ints = from_vector({3, -1, 4, 1, -5, 9, 2, 6}, {2, 4}, {DType::Int32});
    const Tensor flags = from_vector({1, 0, 1, 1, 0, 0, 1, 0}, {4, 2}, {DType::Bool});
    EXPECT_TRUE(same_bytes(sum(ints, 1), sum(ints.to(Device::cuda()), 1)));
    EXPECT_TRUE(same_bytes(sum(flags, 0), sum(flags.to(Device::cuda()), 0)));
    EXPECT_TRUE(same_bytes(max(ints, 0).values, max(ints.to(Device::cuda()), 0).values));
    EXPECT_TRUE(same_bytes(argmin(flags, 1), argmin(flags.to(Device::cuda()), 1)));
    EXPECT_EQ(ops_detail::through_host_calls(), before);
}

// Views copied by the strided-copy kernel (flip's negative strides, repeat's zero strides,
// transposes), where / masked_fill with scalars, and comparisons and cat across dtypes: the CPU's
// bytes, nothing through the host.
TEST(GpuOps, ViewsScalarsAndPromotionsStayOnTheGpu) {
    NL_REQUIRE_GPU();
    const Tensor x = data({3, 4, 5}, DType::Float32, 51), h = data({3, 4, 5}, DType::Float16, 52);
    const Tensor i = from_vector({3, -1, 4, 1, -5, 9}, {2, 3}, {DType::Int64});
    const Tensor gx = x.to(Device::cuda()), gh = h.to(Device::cuda()), gi = i.to(Device::cuda());
    const Tensor mask = gt(x, 0.0), gmask = gt(gx, 0.0);
    const int64_t before = ops_detail::through_host_calls();
    EXPECT_TRUE(same_bytes(flip(x, {0, 2}), flip(gx, {0, 2})));
    EXPECT_TRUE(same_bytes(flip(x.transpose(0, 2), {1}), flip(gx.transpose(0, 2), {1})));
    EXPECT_TRUE(same_bytes(repeat(i, {2, 1, 3}), repeat(gi, {2, 1, 3})));
    EXPECT_TRUE(same_bytes(permute(x, {2, 0, 1}).contiguous(), permute(gx, {2, 0, 1}).contiguous()));
    EXPECT_TRUE(same_bytes(where(mask, x, -1.5), where(gmask, gx, -1.5)));
    EXPECT_TRUE(same_bytes(where(mask, 1, 0), where(gmask, 1, 0)));
    EXPECT_TRUE(same_bytes(where(mask, h, x.to(DType::Float64)), where(gmask, gh, gx.to(DType::Float64))));
    EXPECT_TRUE(same_bytes(masked_fill(h, mask, -INFINITY), masked_fill(gh, gmask, -INFINITY)));
    EXPECT_TRUE(same_bytes(lt(i, from_vector({2.5}, {1})), lt(gi, from_vector({2.5}, {1}).to(Device::cuda()))));
    EXPECT_TRUE(same_bytes(eq(h, x), eq(gh, gx)));
    EXPECT_TRUE(same_bytes(cat({i, i.to(DType::Float16)}, 1), cat({gi, gi.to(DType::Float16)}, 1)));
    EXPECT_EQ(ops_detail::through_host_calls(), before);
}

// Integer arithmetic (the binary kernel in int64, wrapping), pow's exact exponents, logic and the
// float predicates, from the kernels: the CPU's bytes, nothing through the host.
TEST(GpuOps, IntegersLogicAndPowStayOnTheGpu) {
    NL_REQUIRE_GPU();
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const Tensor big = mul(full({3}, 0x1p62, {DType::Int64}), from_vector({2, 3, -1}, {3}, {DType::Int64}));
    const Tensor i32 = from_vector({70000, -3, 5}, {3}, {DType::Int32}), u8 = from_vector({200, 7, 255}, {3}, {DType::UInt8});
    const Tensor f = from_vector({nan, inf, -inf, -0.0, 0.0, 2.5}, {6}), h = data({4, 5}, DType::Float16, 61);
    auto g = [](const Tensor& t) { return t.to(Device::cuda()); };
    const int64_t before = ops_detail::through_host_calls();
    EXPECT_TRUE(same_bytes(add(big, big), add(g(big), g(big)))) << "wraps modulo 2^64";
    EXPECT_TRUE(same_bytes(mul(i32, u8), mul(g(i32), g(u8))));
    EXPECT_TRUE(same_bytes(u8 - 1, g(u8) - 1));
    EXPECT_TRUE(same_bytes(3 * i32, 3 * g(i32)));
    EXPECT_TRUE(same_bytes(-u8, -g(u8)));
    EXPECT_TRUE(same_bytes(abs(i32), abs(g(i32))));
    EXPECT_TRUE(same_bytes(relu(big), relu(g(big))));
    EXPECT_TRUE(same_bytes(clamp(i32, -4, 6), clamp(g(i32), -4, 6)));
    EXPECT_TRUE(same_bytes(clamp(u8, std::nullopt, 100), clamp(g(u8), std::nullopt, 100)));
    EXPECT_TRUE(same_bytes(clamp(i32, 0.5), clamp(g(i32), 0.5))) << "a float bound: a float32 result";
    for (double e : {2.0, 3.0, 0.5, -1.0, -2.0}) {
        EXPECT_TRUE(same_bytes(pow(h, e), pow(g(h), e))) << "float16 ^ " << e;
        EXPECT_TRUE(same_bytes(pow(f, e), pow(g(f), e))) << "float32 ^ " << e;
    }
    EXPECT_TRUE(same_bytes(logical_and(f, i32.narrow(0, 0, 1)), logical_and(g(f), g(i32.narrow(0, 0, 1)))));
    EXPECT_TRUE(same_bytes(logical_or(f, flip(f, {0})), logical_or(g(f), flip(g(f), {0}))));
    EXPECT_TRUE(same_bytes(logical_not(f), logical_not(g(f))));
    for (const Tensor& t : {f, f.to(DType::BFloat16), f.to(DType::Float64), i32}) {
        EXPECT_TRUE(same_bytes(isnan(t), isnan(g(t))));
        EXPECT_TRUE(same_bytes(isinf(t), isinf(g(t))));
        EXPECT_TRUE(same_bytes(isfinite(t), isfinite(g(t))));
    }
    EXPECT_TRUE(same_bytes(ge(i32, 1.5), ge(g(i32), 1.5)));
    EXPECT_EQ(ops_detail::through_host_calls(), before);
}

// gather and t[index] (indices checked and wrapped on the host, then the kernels) and cumsum (a
// chain in double per line, as the CPU's): the CPU's bytes, nothing through the host.
TEST(GpuOps, IndexingAndCumsumAreTheCpus) {
    NL_REQUIRE_GPU();
    const Tensor x = data({7, 9, 11}, DType::Float32, 71), h = data({3, 5000}, DType::Float16, 72);
    const Tensor idx = from_vector({-1, 0, 8, 3, -9, 2}, {1, 6, 1}, {DType::Int64});
    const Tensor rows = from_vector({6, -7, 0, 3}, {2, 2}, {DType::Int64});
    const Tensor ints = from_vector({2147483647, 1, -5, 9}, {4}, {DType::Int32});
    auto g = [](const Tensor& t) { return t.to(Device::cuda()); };
    const int64_t before = ops_detail::through_host_calls();
    EXPECT_TRUE(same_bytes(gather(x, 1, idx), gather(g(x), 1, g(idx))));
    EXPECT_TRUE(same_bytes(gather(x.transpose(0, 2), 1, idx), gather(g(x).transpose(0, 2), 1, g(idx))));
    EXPECT_TRUE(same_bytes(nl::index(x, rows), nl::index(g(x), g(rows))));
    for (int64_t d : {0, 1, 2}) EXPECT_TRUE(same_bytes(cumsum(x, d), cumsum(g(x), d))) << "dim " << d;
    EXPECT_TRUE(same_bytes(cumsum(h, 1), cumsum(g(h), 1)));
    EXPECT_TRUE(same_bytes(cumsum(x.to(DType::Float64).transpose(0, 1), 0), cumsum(g(x).to(DType::Float64).transpose(0, 1), 0)));
    EXPECT_TRUE(same_bytes(cumsum(ints, 0), cumsum(g(ints), 0)));
    EXPECT_EQ(ops_detail::through_host_calls(), before);
}

TEST(GpuOps, PublicOpsDispatchToTheGpu) {
    NL_REQUIRE_GPU();
    const Device gpu = Device::cuda();
    const Tensor x = data({64, 33}, DType::Float32, 21), y = data({64, 33}, DType::Float32, 22);
    const Tensor w = data({17, 33}, DType::Float32, 23), b = data({17}, DType::Float32, 24);
    const Tensor im = data({2, 4, 9, 9}, DType::Float32, 25), k = data({8, 4, 3, 3}, DType::Float32, 26);
    const Tensor gx = x.to(gpu), gy = y.to(gpu), gw = w.to(gpu), gb = b.to(gpu), gim = im.to(gpu), gk = k.to(gpu);
    auto on_gpu = [](const Tensor& t) { return t.device().is_cuda(); };
    // Exact: kernels doing the CPU's IEEE operations (conv2d, clamp, where, cat included), and ops
    // that run through the host.
    for (const auto& [cpu, dev] : std::vector<std::pair<Tensor, Tensor>>{
             {x + y, gx + gy},
             {x * 0.25, gx * 0.25},
             {relu(x), relu(gx)},
             {clamp(x, -1.0, 1.0), clamp(gx, -1.0, 1.0)},
             {where(gt(x, 0.0), x, y), where(gt(gx, 0.0), gx, gy)},
             {sum(x, 1), sum(gx, 1)},
             {conv2d(im, k, Tensor(), {1, 1}, {1, 1}), conv2d(gim, gk, Tensor(), {1, 1}, {1, 1})},
             {cat({x, y}, 1), cat({gx, gy}, 1)},
             {permute(x, {1, 0}).contiguous(), permute(gx, {1, 0}).contiguous()},
         }) {
        EXPECT_TRUE(on_gpu(dev));
        EXPECT_TRUE(same_bytes(cpu, dev));
    }
    // Within tolerance: CUDA's exp, softmax in double, cuBLAS, group_norm's summation order.
    EXPECT_LT(max_rel(exp(x), exp(gx).cpu(), 0), 1e-6);
    EXPECT_LT(max_rel(silu(x), silu(gx).cpu(), 1e-30), 1e-6);
    EXPECT_LT(max_rel(group_norm(im, 2), group_norm(gim, 2).cpu(), 1.0), 2.5e-7);
    EXPECT_LT(max_rel(softmax(x, -1), softmax(gx, -1).cpu(), 1e-30), 3e-7);
    const Tensor lin = linear(x, w, b), glin = linear(gx, gw, gb);
    EXPECT_TRUE(on_gpu(glin));
    // As for matmul: relative to the size of the terms (sqrt(K) |x| |w| ~ 6 for K = 33), since a
    // sum that cancels to near 0 has cuBLAS's rounding in another order (2.6e-5 of a value near
    // 1e-2 on the H100).
    EXPECT_LT(max_rel(lin, glin.cpu(), 6.0), 1e-5);
    // weight^T reaches cuBLAS as a transpose flag (no copy): also under a batch of inputs, and
    // equal to the product with a dense copy of weight^T.
    const Tensor x3 = stack({x, x * 0.5}), gx3 = x3.to(gpu);
    EXPECT_LT(max_rel(linear(x3, w, b), linear(gx3, gw, gb).cpu(), 6.0), 1e-5);
    EXPECT_LT(max_rel(matmul(x3, w.transpose(0, 1)), matmul(gx3, gw.transpose(0, 1).contiguous()).cpu(), 6.0), 1e-5);
    // No copy: the product allocates its output and nothing else (a dense copy of weight^T would be
    // a second allocation, as the exact kernel, which reads dense operands, shows).
    auto allocations_of = [&](const Tensor& left) {
        const gpu::MemoryStats s0 = gpu::memory_stats(0);
        const Tensor product = matmul(left, gw.transpose(0, 1));
        const gpu::MemoryStats s1 = gpu::memory_stats(0);
        EXPECT_TRUE(on_gpu(product));
        return (s1.device_allocations + s1.cache_hits) - (s0.device_allocations + s0.cache_hits);
    };
    {
        const UseMatmulKernel cublas(gpu::detail::MatmulKernel::Cublas);  // whatever NOISELAB_MATMUL_KERNEL says
        EXPECT_EQ(allocations_of(gx), 1u) << "weight^T copied before cuBLAS";
        EXPECT_EQ(allocations_of(gx3), 1u) << "weight^T copied before cuBLAS (batched input)";
    }
    {
        const UseMatmulKernel exact(gpu::detail::MatmulKernel::Exact);
        EXPECT_EQ(allocations_of(gx), 2u) << "the exact kernel's dense copy is seen by this count";
    }
    // ... a weight narrowed to fewer rows (a storage offset), one output, and one input feature.
    const int64_t rows = w.size(0);
    EXPECT_LT(max_rel(linear(x, w.narrow(0, 1, rows - 1)), linear(gx, gw.narrow(0, 1, rows - 1)).cpu(), 6.0), 1e-5);
    EXPECT_LT(max_rel(linear(x, w.narrow(0, 2, 1)), linear(gx, gw.narrow(0, 2, 1)).cpu(), 6.0), 1e-5);
    EXPECT_LT(max_rel(linear(x.narrow(1, 0, 1), w.narrow(1, 0, 1)), linear(gx.narrow(1, 0, 1), gw.narrow(1, 0, 1)).cpu(), 6.0),
              1e-5);
    // float16: in float32 on the GPU too, the bias added before the one rounding; cuBLAS's order
    // can move a result by one float16 step (2^-11 of it, against the floor of 6).
    const Tensor x16 = x.to(DType::Float16), w16 = w.to(DType::Float16), b16 = b.to(DType::Float16);
    const Tensor l16 = linear(x16, w16, b16), gl16 = linear(x16.to(gpu), w16.to(gpu), b16.to(gpu));
    EXPECT_TRUE(on_gpu(gl16));
    EXPECT_EQ(gl16.dtype(), DType::Float16);
    EXPECT_LT(max_rel(l16.to(DType::Float32), gl16.cpu().to(DType::Float32), 6.0), 2e-3);
    EXPECT_THROW(add(x, gy), DeviceError);
    // Signed zeros and NaNs: abs clears the sign (std::abs), relu passes -0 and NaN unchanged.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const Tensor z = from_vector({-0.0, 0.0, -nan, nan, -1.5, 2.0}, {6}), gz = z.to(gpu);
    EXPECT_TRUE(same_bytes(abs(z), abs(gz)));
    EXPECT_TRUE(same_bytes(relu(z), relu(gz)));
    EXPECT_TRUE(same_bytes(-z, -gz));
    // The exact math's NaNs: the CPU's bits (exp and tanh return x; sigmoid -x quieted, silu x
    // quieted: x86's rule, which gpu/device_util.cuh's arith follows), float32 with payloads too.
    Tensor zf = Tensor::empty({8});
    const uint32_t nan_bits[8] = {0x7FC00000u, 0xFFC00000u, 0x7FC12345u, 0xFF812345u, 0x7F800001u, 0x80000000u, 0u, 0x7F800000u};
    for (int i = 0; i < 8; ++i) std::memcpy(zf.data<float>() + i, &nan_bits[i], 4);
    for (const Tensor& t : {z, zf}) {
        const Tensor gt = t.to(gpu);
        EXPECT_TRUE(same_bytes(exp(t), exp(gt)));
        EXPECT_TRUE(same_bytes(sigmoid(t), sigmoid(gt)));
        EXPECT_TRUE(same_bytes(silu(t), silu(gt)));
        // (sin and cos of NaN and inf are each side's library: not compared.)
        if (t.dtype() == DType::Float32) {
            EXPECT_TRUE(same_bytes(tanh(t), tanh(gt)));
        }
    }
    // Empty operands: nothing computed, the CPU's shapes.
    EXPECT_TRUE(same_bytes(matmul(zeros({0, 4, 5}), w.narrow(1, 0, 5).transpose(0, 1)),
                           matmul(zeros({0, 4, 5}).to(gpu), gw.narrow(1, 0, 5).transpose(0, 1))));
    EXPECT_TRUE(same_bytes(matmul(x.narrow(0, 0, 0), w.transpose(0, 1)), matmul(gx.narrow(0, 0, 0), gw.transpose(0, 1))));
}

}  // namespace
}  // namespace nl
