// Ops on a device: every op given device tensors runs there (with the backend's kernel where it
// has one, else on host copies) and returns the CPU's exact result on that device; kernels are
// preferred where they apply, get the arguments the CPU op would use, and are skipped where they
// do not apply; mixed devices are refused. A host-memory stand-in for the CUDA backend
// (tests/support) lets the test make "cuda:0" tensors on a machine without a GPU; the stand-in
// kernels count their calls and record their arguments.
#include <cmath>
#include <cstring>
#include <map>
#include <string>

#include "ops_test_util.h"
#include "tensor/backend.h"
#include "tensor/ops_internal.h"
#include "tensor/random.h"
#include "tests/support/fake_device_ops.h"
#include "tests/support/host_memory_backend.h"

namespace nl {
namespace {
using test::expect_error;

// Stand-in kernels (tests/support/fake_device_ops.h): each counts its calls and computes with the
// CPU ops on host copies.
using FakeKernels = test::FakeDeviceOps;

::testing::AssertionResult same_on_device(const Tensor& cpu, const Tensor& dev) {
    if (!dev.device().is_cuda()) return ::testing::AssertionFailure() << "result on " << dev.device().str();
    const Tensor back = dev.cpu();
    if (back.shape() != cpu.shape() || back.dtype() != cpu.dtype())
        return ::testing::AssertionFailure() << "got " << back.str() << ", CPU " << cpu.str();
    const Tensor a = cpu.contiguous(), b = back.contiguous();
    if (std::memcmp(a.data_ptr(), b.data_ptr(), a.nbytes()) != 0)
        return ::testing::AssertionFailure() << "got " << back.str() << ", CPU " << cpu.str();
    return ::testing::AssertionSuccess();
}

class DeviceOpsTest : public ::testing::Test {
protected:
    static Tensor dev(const Tensor& t) { return t.to(Device::cuda(0)); }
    void use_kernels(bool on) { fake_.kernels = on ? &kernels_ : nullptr; }
    test::HostMemoryCuda fake_;
    test::HostMemoryCuda::Install installed_{fake_};
    FakeKernels kernels_;
};

// Each op once on CPU tensors and once on the same values on the device, with and without
// stand-in kernels: the device result lives on the device and has the CPU's bytes.
TEST_F(DeviceOpsTest, EveryOpRunsOnTheDeviceWithTheCpusResult) {
    const Tensor x = test::random_tensor({2, 3}, 1), y = test::random_tensor({2, 3}, 2, DType::Float32, 0.5, 2.0);
    const Tensor sq = test::random_tensor({3, 3}, 3), w = test::random_tensor({4, 3}, 4), bias = test::random_tensor({4}, 5);
    const Tensor i = tensor({2, 0}, {DType::Int64}), ib = tensor({1, 0, 1, 1, 0, 0}, {DType::Bool}).view({2, 3});
    const Tensor im = test::random_tensor({1, 2, 4, 4}, 6), k = test::random_tensor({2, 2, 3, 3}, 7);
    const Tensor half = test::random_tensor({2, 3}, 8, DType::Float16), ints = tensor({3, -1, 4, 1, -5, 9}, {DType::Int64});
    const Tensor im5 = test::random_tensor({3, 2, 5, 5}, 9), k44 = test::random_tensor({2, 3, 4, 4}, 10);
    const Tensor mean2 = test::random_tensor({2}, 11), var2 = test::random_tensor({2}, 12, DType::Float32, 0.5, 2.0);
    // Rows of 10000 (three blocks of reduce_formulas.h): row 1 has a NaN in its third block.
    Tensor long_rows = test::random_tensor({3, 10000}, 13).contiguous();
    long_rows.data<float>()[10000 + 9000] = std::nanf("");
    // Rows whose extreme value appears in several blocks (the first must win).
    Tensor long_ties = (test::random_tensor({2, 9000}, 14) * 0.5).contiguous();
    for (int64_t i : {100, 5000, 8999}) long_ties.data<float>()[i] = 3.0f, long_ties.data<float>()[9000 + i] = -3.0f;
    struct Case {
        const char* name;
        std::function<Tensor(const std::function<Tensor(const Tensor&)>&)> run;  // the op on place(inputs)
    };
    const Case cases[] = {
        {"add", [&](auto p) { return add(p(x), p(y)); }},
        {"add broadcast", [&](auto p) { return add(p(x), p(bias.narrow(0, 0, 3))); }},
        {"add int64", [&](auto p) { return add(p(ints), p(ints)); }},
        {"add float16", [&](auto p) { return add(p(half), p(half)); }},
        {"mul scalar", [&](auto p) { return p(x) * 2.5; }},
        {"scalar div", [&](auto p) { return 1.0 / p(y); }},
        {"int64 div scalar", [&](auto p) { return div(p(ints), 2); }},
        {"neg", [&](auto p) { return -p(x); }},
        {"neg int64", [&](auto p) { return -p(ints); }},
        {"relu", [&](auto p) { return relu(p(x)); }},
        {"exp", [&](auto p) { return exp(p(x)); }},
        {"log", [&](auto p) { return log(p(y)); }},
        {"silu", [&](auto p) { return silu(p(x)); }},
        {"gelu", [&](auto p) { return gelu(p(x)); }},
        {"pow", [&](auto p) { return pow(p(x), 3); }},
        {"clamp", [&](auto p) { return clamp(p(x), -0.5, 0.5); }},
        {"lt", [&](auto p) { return lt(p(x), 0.0); }},
        {"eq", [&](auto p) { return eq(p(x), p(x)); }},
        {"logical_and", [&](auto p) { return logical_and(p(ib), p(ib)); }},
        {"logical_not", [&](auto p) { return logical_not(p(ib)); }},
        {"isnan", [&](auto p) { return isnan(p(x)); }},
        {"where", [&](auto p) { return where(p(ib), p(x), p(y)); }},
        {"where scalar", [&](auto p) { return where(p(ib), p(x), 0.0); }},
        {"sum", [&](auto p) { return sum(p(x)); }},
        {"sum dim", [&](auto p) { return sum(p(x), 1); }},
        {"mean", [&](auto p) { return mean(p(x), 0); }},
        {"var", [&](auto p) { return var(p(x), 1); }},
        {"max values", [&](auto p) { return max(p(x), 1).values; }},
        {"max indices", [&](auto p) { return max(p(x), 1).indices; }},
        {"argmax", [&](auto p) { return argmax(p(x)); }},
        {"cumsum", [&](auto p) { return cumsum(p(x), 1); }},
        {"softmax", [&](auto p) { return softmax(p(x), -1); }},
        {"log_softmax", [&](auto p) { return log_softmax(p(x), 0); }},
        {"matmul", [&](auto p) { return matmul(p(sq), p(sq)); }},
        {"linear", [&](auto p) { return linear(p(sq), p(w.narrow(1, 0, 3)), p(bias)); }},
        {"conv2d", [&](auto p) { return conv2d(p(im), p(k), Tensor(), {1, 1}, {1, 1}); }},
        {"conv_transpose2d", [&](auto p) { return conv_transpose2d(p(im), p(k)); }},
        {"upsample_nearest2d", [&](auto p) { return upsample_nearest2d(p(im), 2.0); }},
        {"avg_pool2d", [&](auto p) { return avg_pool2d(p(im), 2); }},
        {"group_norm", [&](auto p) { return group_norm(p(im), 2); }},
        {"layer_norm", [&](auto p) { return layer_norm(p(x), {3}); }},
        {"index_select", [&](auto p) { return index_select(p(x), -1, p(i)); }},
        {"index", [&](auto p) { return nl::index(p(x), p(i.narrow(0, 1, 1))); }},
        {"embedding", [&](auto p) { return embedding(p(i), p(sq)); }},
        {"gather", [&](auto p) { return gather(p(x), 1, p(tensor({0, 2, 1, 1, 0, 2}, {DType::Int64}).view({2, 3}))); }},
        {"cat", [&](auto p) { return cat({p(x), p(y)}, 1); }},
        {"stack", [&](auto p) { return stack({p(x), p(y)}); }},
        {"flip", [&](auto p) { return flip(p(x), {0, 1}); }},
        {"permute", [&](auto p) { return permute(p(x), {1, 0}); }},
        {"repeat", [&](auto p) { return repeat(p(x), {2, 1}); }},
        {"masked_fill", [&](auto p) { return masked_fill(p(x), p(ib), -7.0); }},
        // Edge shapes and strided inputs (a view with a storage offset, transposed).
        {"matmul empty batch", [&](auto p) { return matmul(p(zeros({0, 3, 3})), p(sq)); }},
        {"matmul 1-D", [&](auto p) { return matmul(p(x.select(0, 1)), p(sq)); }},
        {"linear no bias, 1-D input", [&](auto p) { return linear(p(x.select(0, 0)), p(w)); }},
        {"sum 0-dim", [&](auto p) { return sum(p(full({}, 2.5))); }},
        {"softmax 0-dim", [&](auto p) { return softmax(p(full({}, 2.5)), 0); }},
        {"exp of a strided view", [&](auto p) { return exp(p(sq).narrow(0, 1, 2).transpose(0, 1)); }},
        {"add strided views", [&](auto p) { return add(p(sq).narrow(1, 1, 2), p(sq).narrow(0, 1, 2).transpose(0, 1)); }},
        // The models' layers, with the options and edge cases their kernels must honour.
        {"float16 * scalar", [&](auto p) { return p(half) * 0.1; }},
        {"scalar - float16", [&](auto p) { return 0.3 - p(half); }},
        {"float64 / scalar", [&](auto p) { return p(sq.to(DType::Float64)) / 3.0; }},
        {"scalar / strided", [&](auto p) { return 1.5 / p(sq).transpose(0, 1); }},
        {"gelu tanh", [&](auto p) { return gelu(p(x), "tanh"); }},
        {"silu float16", [&](auto p) { return silu(p(half)); }},
        {"clamp min only", [&](auto p) { return clamp(p(x), -0.25); }},
        {"clamp max only", [&](auto p) { return clamp(p(x), std::nullopt, 0.25); }},
        {"clamp int64", [&](auto p) { return clamp(p(ints), 0, 3); }},
        {"clamp int64 by a float", [&](auto p) { return clamp(p(ints), 0.5, 3); }},
        {"clamp int32 above only", [&](auto p) { return clamp(p(tensor({-7, 3, 70000}, {DType::Int32})), std::nullopt, 5); }},
        {"clamp uint8 below -5 and above 200", [&](auto p) { return clamp(p(tensor({0, 100, 255}, {DType::UInt8})), -5, 200); }},
        {"clamp float16", [&](auto p) { return clamp(p(half), -0.3, 0.3); }},
        {"conv2d stride 2, bias", [&](auto p) { return conv2d(p(im5), p(k), p(bias.narrow(0, 0, 2)), 2, 1); }},
        {"conv2d 1x1", [&](auto p) { return conv2d(p(im5), p(k.narrow(2, 0, 1).narrow(3, 0, 1)), p(bias.narrow(0, 0, 2))); }},
        {"conv2d unbatched, dilation", [&](auto p) { return conv2d(p(im5.select(0, 1)), p(k), Tensor(), 1, 2, 2); }},
        {"conv2d groups, rectangular", [&](auto p) { return conv2d(p(im5), p(k.narrow(1, 0, 1)), Tensor(), {2, 1}, {0, 1}, 1, 2); }},
        {"conv2d empty batch", [&](auto p) { return conv2d(p(im5.narrow(0, 0, 0)), p(k)); }},
        {"conv2d strided input", [&](auto p) { return conv2d(p(im5).transpose(2, 3), p(k), Tensor(), 1, 1); }},
        {"upsample 1.5", [&](auto p) { return upsample_nearest2d(p(im5), 1.5, 0.6); }},
        {"upsample unbatched", [&](auto p) { return upsample_nearest2d(p(im5.select(0, 0)), 2.0); }},
        {"group_norm affine", [&](auto p) { return group_norm(p(im5), 2, p(bias.narrow(0, 0, 2)), p(bias.narrow(0, 2, 2))); }},
        {"group_norm 3-D", [&](auto p) { return group_norm(p(im5.reshape({3, 2, 25})), 1); }},
        {"group_norm float64 weight", [&](auto p) { return group_norm(p(im5), 2, p(bias.narrow(0, 0, 2).to(DType::Float64))); }},
        {"conv2d_add residual", [&](auto p) { return conv2d_add(p(im5), p(k), p(bias.narrow(0, 0, 2)), p(im5), 1, 1); }},
        {"conv2d_add channel bias, strided view", [&](auto p) {
             return conv2d_add(p(im5), p(k), Tensor(), p(w).narrow(0, 0, 3).narrow(1, 1, 2).unsqueeze(2).unsqueeze(3), 1, 1);
         }},
        {"conv2d_add float16, a row", [&](auto p) {
             return conv2d_add(p(im5.to(DType::Float16)), p(k.to(DType::Float16)), Tensor(), p(im5.to(DType::Float16)).select(0, 0).select(0, 0).select(0, 0), 1, 1);
         }},
        {"conv2d_add unbatched, stride 2", [&](auto p) { return conv2d_add(p(im5.select(0, 1)), p(k), Tensor(), p(x.select(0, 0)), 2, 1); }},
        {"group_norm_silu affine", [&](auto p) { return group_norm_silu(p(im5), 2, p(bias.narrow(0, 0, 2)), p(bias.narrow(0, 2, 2))); }},
        {"group_norm_silu float16", [&](auto p) { return group_norm_silu(p(im5.to(DType::Float16)), 1); }},
        {"cat dim 0", [&](auto p) { return cat({p(x), p(y), p(x)}, 0); }},
        {"cat negative dim, strided part", [&](auto p) { return cat({p(sq).transpose(0, 1), p(x.transpose(0, 1))}, -1); }},
        {"cat int64", [&](auto p) { return cat({p(ints), p(ints)}); }},
        {"cat mixed dtypes", [&](auto p) { return cat({p(x), p(x.to(DType::Float64))}, 0); }},
        {"cat skips 1-D empty", [&](auto p) { return cat({p(x), p(zeros({0}))}, 1); }},
        {"cat only 1-D empty", [&](auto p) { return cat({p(zeros({0})), p(zeros({0}))}); }},
        {"cat many parts", [&](auto p) {
             std::vector<Tensor> ps;
             for (int r = 0; r < 11; ++r) ps.push_back(p(x).narrow(1, r % 3, 1));
             return cat(ps, 1);
         }},
        // Views copied on the device, promotions converted there.
        {"flip one dim of a strided view", [&](auto p) { return flip(p(im5).transpose(1, 3), {2}); }},
        {"flip all dims, int64", [&](auto p) { return flip(p(ints.view({2, 3})), {0, 1}); }},
        {"repeat with new leading dims", [&](auto p) { return repeat(p(x), {2, 1, 3}); }},
        {"repeat zero times", [&](auto p) { return repeat(p(x), {0, 2}); }},
        {"permute then contiguous", [&](auto p) { return permute(p(im5), {3, 1, 0, 2}).contiguous(); }},
        {"masked_fill broadcast mask, int64", [&](auto p) { return masked_fill(p(ints.view({2, 3})), p(ib.narrow(0, 0, 1)), 7); }},
        {"masked_fill float16 with -inf", [&](auto p) { return masked_fill(p(half), p(ib), -INFINITY); }},
        {"where scalar first", [&](auto p) { return where(p(ib), 2.5, p(x)); }},
        {"where two scalars", [&](auto p) { return where(p(ib), 1, 0); }},
        {"where mixed dtypes", [&](auto p) { return where(p(ib), p(half), p(ints.view({2, 3}))); }},
        {"lt mixed dtypes", [&](auto p) { return lt(p(ints.view({2, 3})), p(half)); }},
        {"eq int32 and float64", [&](auto p) { return eq(p(tensor({1, 2, 3}, {DType::Int32})), p(tensor({1.0, 2.5, 3.0}, {DType::Float64}))); }},
        {"cat int64 and float16", [&](auto p) { return cat({p(ints.view({2, 3})), p(half)}, 0); }},
        {"stack mixed", [&](auto p) { return stack({p(x), p(half)}, 1); }},
        // Integer arithmetic (int64, wrapping), pow's exact exponents, logic and predicates.
        {"abs int32 with its minimum", [&](auto p) { return abs(p(tensor({-2147483648.0, -7, 0, 9}, {DType::Int32}))); }},
        {"relu int64, neg uint8", [&](auto p) { return cat({relu(p(ints)).to(DType::UInt8), -p(tensor({0, 1, 255}, {DType::UInt8}))}); }},
        {"int64 + int64 wraps", [&](auto p) { return add(p(full({2}, 0x1p62, {DType::Int64}) * 2), p(full({2}, 0x1p62, {DType::Int64}) * 2)); }},
        {"int32 * uint8", [&](auto p) { return mul(p(tensor({70000, -3, 5}, {DType::Int32})), p(tensor({200, 7, 255}, {DType::UInt8}))); }},
        {"uint8 - 1 wraps", [&](auto p) { return p(tensor({0, 5, 255}, {DType::UInt8})) - 1; }},
        {"2 - int64", [&](auto p) { return 2 - p(ints); }},
        {"bool + bool", [&](auto p) { return add(p(ib), p(ib)); }},
        {"bool * 3", [&](auto p) { return p(ib) * 3; }},
        {"pow 2, float16", [&](auto p) { return pow(p(half), 2); }},
        {"pow 3", [&](auto p) { return pow(p(x), 3); }},
        {"pow 0.5", [&](auto p) { return pow(p(y), 0.5); }},
        {"pow -1, int64 to float", [&](auto p) { return pow(p(ints), -1.0); }},
        {"pow -2, float64", [&](auto p) { return pow(p(x.to(DType::Float64)), -2); }},
        {"pow 1.7 (through the host)", [&](auto p) { return pow(p(y), 1.7); }},
        {"logical_and broadcast, mixed", [&](auto p) { return logical_and(p(x), p(ints.narrow(0, 0, 3))); }},
        {"logical_or with NaN and -0", [&](auto p) { return logical_or(p(tensor({std::nan(""), -0.0, 0.0, 1.0})), p(tensor({0, 0, 0, 0}, {DType::Bool}))); }},
        {"logical_not float16", [&](auto p) { return logical_not(p(half * 0.0)); }},
        {"isnan, isinf, isfinite", [&](auto p) {
             const Tensor v = p(tensor({std::nan(""), INFINITY, -INFINITY, 0.0, -2.5}));
             return cat({isnan(v), isinf(v), isfinite(v), isinf(v.to(DType::BFloat16))});
         }},
        {"isfinite int64", [&](auto p) { return isfinite(p(ints)); }},
        {"isnan int64", [&](auto p) { return isnan(p(ints)); }},
        {"ge int64 with a float scalar", [&](auto p) { return ge(p(ints), 1.5); }},
        {"linear float16 with bias", [&](auto p) { return linear(p(sq.to(DType::Float16)), p(w.narrow(1, 0, 3).to(DType::Float16)), p(bias.to(DType::Float16))); }},
        {"linear bfloat16 no bias", [&](auto p) { return linear(p(x.to(DType::BFloat16)), p(w.narrow(1, 0, 3).to(DType::BFloat16))); }},
        // Indexing with wrapped indices, and running sums, on the device.
        {"index with negative indices", [&](auto p) { return nl::index(p(sq), p(tensor({-1, 0, 2, -3}, {DType::Int64}).view({2, 2}))); }},
        {"gather negative, strided input", [&](auto p) { return gather(p(sq).transpose(0, 1), 1, p(tensor({-1, 0, 2, 1, 1, -2}, {DType::Int64}).view({3, 2}))); }},
        {"gather int32 index, dim 0, float16", [&](auto p) { return gather(p(half), 0, p(tensor({1, 0, 1}, {DType::Int32}).view({1, 3}))); }},
        {"cumsum dim 1", [&](auto p) { return cumsum(p(im5), 1); }},
        {"cumsum long, float16", [&](auto p) { return cumsum(p(long_ties.to(DType::Float16)), -1); }},
        {"cumsum int32 and bool", [&](auto p) { return cat({cumsum(p(tensor({2147483647, 1, 5}, {DType::Int32})), 0), cumsum(p(ib.view({6})), 0)}); }},
        {"cumsum of a strided view", [&](auto p) { return cumsum(p(im5).transpose(0, 3), 0); }},
        // Reductions along dims (reduce_formulas.h on both sides): several dims, keepdim, integer
        // and bool sums, 16-bit types, rows longer than a block, NaN and ties across blocks.
        {"sum dims keepdim", [&](auto p) { return sum(p(im5), {0, 2}, true); }},
        {"sum int64 dim", [&](auto p) { return sum(p(ints.view({2, 3})), 0); }},
        {"sum bool", [&](auto p) { return sum(p(ib), -1); }},
        {"sum float16 dim", [&](auto p) { return sum(p(half), 1); }},
        {"mean all dims, keepdim", [&](auto p) { return mean(p(im5), {0, 1, 2, 3}, true); }},
        {"mean float64 of a strided view", [&](auto p) { return mean(p(sq.to(DType::Float64)).transpose(0, 1), 1); }},
        {"var all", [&](auto p) { return var(p(im5)); }},
        {"std biased, 2 dims", [&](auto p) { return nl::std(p(im5), {1, 3}, false); }},
        {"var of one value (0 / 0)", [&](auto p) { return var(p(x), 0, true).narrow(0, 0, 1) + var(p(x.narrow(0, 0, 1)), 0); }},
        {"sum long rows", [&](auto p) { return sum(p(long_rows), 1); }},
        {"std long rows", [&](auto p) { return nl::std(p(long_rows), 1); }},
        {"mean empty rows", [&](auto p) { return mean(p(zeros({3, 0})), 1); }},
        {"max long rows (NaN in a later block)", [&](auto p) { return max(p(long_rows), 1).values; }},
        {"argmax long rows (ties across blocks)", [&](auto p) { return argmax(p(long_ties), 1); }},
        {"argmin long rows", [&](auto p) { return argmin(p(long_ties), 1); }},
        {"min indices dim 0", [&](auto p) { return min(p(im5), 0).indices; }},
        {"max int64", [&](auto p) { return max(p(ints.view({3, 2})), 1).values; }},
        {"argmax bool", [&](auto p) { return argmax(p(ib), 1); }},
        {"max float16 keepdim", [&](auto p) { return max(p(half), 0, true).values; }},
        {"argmin all", [&](auto p) { return argmin(p(im5)); }},
        // Conversions and promotions on the device (DeviceOps::convert, then the floating kernels).
        {"to float16", [&](auto p) { return p(x * 1000.0).to(DType::Float16); }},
        {"to int32 saturating, NaN to 0", [&](auto p) { return p(tensor({1e10, -1e10, std::nan(""), -2.7, 2.7})).to(DType::Int32); }},
        {"to uint8 of a strided view", [&](auto p) { return (p(sq) * 300.0).transpose(0, 1).to(DType::UInt8); }},
        {"int64 past 2^53 to float32 and float64", [&](auto p) {
             const Tensor big = add(full({3}, 0x1p53, {DType::Int64}), tensor({1, 3, -5}, {DType::Int64}));  // exact in int64
             return cat({p(big).to(DType::Float32).to(DType::Float64), p(big).to(DType::Float64)});
         }},
        {"int64 wraps to uint8", [&](auto p) { return p(tensor({300, -1, 255}, {DType::Int64})).to(DType::UInt8); }},
        {"bool to bfloat16", [&](auto p) { return p(ib).to(DType::BFloat16); }},
        {"float64 to bool", [&](auto p) { return p(tensor({0.0, -0.0, 1e-300, std::nan("")}, {DType::Float64})).to(DType::Bool); }},
        {"float16 + float64", [&](auto p) { return add(p(half), p(x.to(DType::Float64))); }},
        {"int32 * float16", [&](auto p) { return mul(p(tensor({2049, -7, 70000, 1, 2, 3}, {DType::Int32}).view({2, 3})), p(half)); }},
        {"bool - float32", [&](auto p) { return sub(p(ib), p(x)); }},
        {"int64 / int64", [&](auto p) { return div(p(ints), p(flip(ints, {0}))); }},
        {"int64 * 2.5", [&](auto p) { return p(ints) * 2.5; }},
        {"uint8 tensor / scalar", [&](auto p) { return p(tensor({0, 7, 255}, {DType::UInt8})) / 3; }},
        {"exp of int64", [&](auto p) { return exp(p(ints)); }},
        {"sigmoid of bool", [&](auto p) { return sigmoid(p(ib)); }},
        // conv_transpose2d: stride, padding, output_padding, dilation, groups, bias, dtypes; the GAN's
        // and VAE's 4x4 / stride 2 / padding 1 upsampling.
        {"conv_transpose2d 4x4 stride 2, bias", [&](auto p) { return conv_transpose2d(p(im5), p(k44), p(bias.narrow(0, 0, 3)), 2, 1); }},
        {"conv_transpose2d output_padding", [&](auto p) { return conv_transpose2d(p(im5), p(k), Tensor(), 2, 1, 1); }},
        {"conv_transpose2d groups, dilation", [&](auto p) { return conv_transpose2d(p(im5), p(k.narrow(1, 0, 1)), Tensor(), 1, 0, 0, 2, 2); }},
        {"conv_transpose2d rectangular", [&](auto p) { return conv_transpose2d(p(im5), p(k44), Tensor(), {2, 1}, {1, 0}, {1, 0}, 1, {1, 2}); }},
        {"conv_transpose2d unbatched", [&](auto p) { return conv_transpose2d(p(im5.select(0, 2)), p(k), p(bias.narrow(0, 1, 2))); }},
        {"conv_transpose2d float16", [&](auto p) { return conv_transpose2d(p(im5.to(DType::Float16)), p(k44.to(DType::Float16)), Tensor(), 2, 1); }},
        {"conv_transpose2d float64", [&](auto p) { return conv_transpose2d(p(im5.to(DType::Float64)), p(k44.to(DType::Float64)), p(bias.narrow(0, 0, 3).to(DType::Float64)), 2, 1); }},
        {"conv_transpose2d strided input", [&](auto p) { return conv_transpose2d(p(im5).transpose(2, 3), p(k), Tensor(), 2); }},
        {"conv_transpose2d empty batch", [&](auto p) { return conv_transpose2d(p(im5.narrow(0, 0, 0)), p(k)); }},
        // avg_pool2d: padding (counted or not), ceil mode, stride, dtypes, unbatched.
        {"avg_pool2d 3x3 stride 1 padding 1", [&](auto p) { return avg_pool2d(p(im5), 3, 1, 1); }},
        {"avg_pool2d padding not counted", [&](auto p) { return avg_pool2d(p(im5), 3, 2, 1, false, false); }},
        {"avg_pool2d ceil mode", [&](auto p) { return avg_pool2d(p(im5), 2, std::nullopt, 0, true); }},
        {"avg_pool2d rectangular", [&](auto p) { return avg_pool2d(p(im5), {3, 2}, Size2{1, 2}, {1, 0}, true, false); }},
        {"avg_pool2d float16 unbatched", [&](auto p) { return avg_pool2d(p(im5.select(0, 1).to(DType::Float16)), 2); }},
        {"avg_pool2d float64", [&](auto p) { return avg_pool2d(p(im5.to(DType::Float64)), 2, 1); }},
        // batch_norm (running statistics) and layer_norm, with and without affine parameters.
        {"batch_norm affine", [&](auto p) { return batch_norm(p(im5), p(mean2), p(var2), p(bias.narrow(0, 0, 2)), p(bias.narrow(0, 2, 2))); }},
        {"batch_norm plain, eps", [&](auto p) { return batch_norm(p(im5), p(mean2), p(var2), Tensor(), Tensor(), 0.1); }},
        {"batch_norm [N, C]", [&](auto p) { return batch_norm(p(x.transpose(0, 1)), p(bias.narrow(0, 0, 2)), p(var2), p(var2)); }},
        {"batch_norm float16", [&](auto p) { return batch_norm(p(im5.to(DType::Float16)), p(mean2.to(DType::Float16)), p(var2.to(DType::Float16))); }},
        {"batch_norm float64 input, float32 statistics", [&](auto p) { return batch_norm(p(im5.to(DType::Float64)), p(mean2), p(var2)); }},
        {"layer_norm 2 dims, affine", [&](auto p) { return layer_norm(p(im5), {5, 5}, p(im5.select(0, 0).select(0, 0)), p(im5.select(0, 1).select(0, 1))); }},
        {"layer_norm float64", [&](auto p) { return layer_norm(p(im5.to(DType::Float64)), {2, 5, 5}); }},
        {"embedding 2-D indices", [&](auto p) { return embedding(p(tensor({2, 0, 1, 2}, {DType::Int64}).view({2, 2})), p(sq)); }},
        {"embedding int32 0-dim", [&](auto p) { return embedding(p(full({}, 1, {DType::Int32})), p(sq)); }},
    };
    for (bool kernels : {false, true}) {
        use_kernels(kernels);
        for (const Case& c : cases) {
            SCOPED_TRACE(std::string(c.name) + (kernels ? ", with kernels" : ", no kernels"));
            const Tensor on_cpu = c.run([](const Tensor& t) { return t; });
            EXPECT_TRUE(same_on_device(on_cpu, c.run([](const Tensor& t) { return dev(t); })));
        }
    }
}

// Where the backend has a kernel for the arguments it is used; where it declines, the op still
// runs (on the host).
TEST_F(DeviceOpsTest, KernelsAreUsedWhereTheyApply) {
    use_kernels(true);
    auto& calls = kernels_.calls;
    const Tensor x = dev(test::random_tensor({2, 3}, 1)), ints = dev(tensor({1, 2, 3}, {DType::Int64}));
    const Tensor h = dev(test::random_tensor({3}, 2, DType::Float16)), d = dev(test::random_tensor({3}, 3, DType::Float64));
    add(x, x);
    EXPECT_EQ(calls["binary"], 1) << "float32 tensor-tensor arithmetic";
    x * 2.0;
    3.0 - d;
    h * 0.1;  // float16 computes with the scalar in float32, as the kernel does
    EXPECT_EQ(calls["binary_scalar"], 3) << "tensor-scalar arithmetic of floating tensors";
    EXPECT_EQ(kernels_.scalar_first, (std::vector<bool>{false, true, false}));
    EXPECT_EQ(kernels_.scalars, (std::vector<double>{2.0, 3.0, static_cast<double>(0.1f)}))
        << "the scalar in the tensor's compute dtype";
    const int64_t before = ops_detail::through_host_calls();
    add(ints, ints);
    ints * 2;
    EXPECT_EQ(calls["binary"], 3) << "integer arithmetic: int64 wrapping kernels";
    EXPECT_EQ(ops_detail::through_host_calls(), before);
    ints / 2;   // true division: int64 converted to float32 on the device, then the kernel
    add(h, d);  // mixed dtypes: float16 converted to the float64 result dtype, then the kernel
    add(h, dev(tensor({1, 0, 1}, {DType::Bool})));  // float16 result: both sides in float32, rounded once
    EXPECT_EQ(ops_detail::through_host_calls(), before);
    EXPECT_EQ(calls["binary"], 5);
    EXPECT_EQ(calls["binary_scalar"], 4);
    EXPECT_EQ(calls["convert"], 5) << "int64 -> float32, float16 -> float64, float16 and bool -> float32, float32 -> float16";
    exp(x);
    -x;
    relu(x);
    EXPECT_EQ(calls["unary"], 3);
    exp(ints);  // a float32 result: the int64 input converted on the device
    EXPECT_EQ(calls["unary"], 4);
    EXPECT_EQ(calls["convert"], 6);
    -ints;      // neg keeps int64: 0 - x by the int64 kernel
    log(x);     // declined by this stand-in: falls back
    EXPECT_EQ(calls["unary"], 4);
    EXPECT_EQ(ops_detail::through_host_calls(), before + 1) << "the declined log only";
    sum(x);
    sum(x, 0);
    mean(x, {0, 1}, true);
    nl::std(x, 1);
    EXPECT_EQ(calls["sum"], 1) << "all elements: the sum kernel";
    EXPECT_EQ(calls["reduce_rows"], 3) << "along dims: the row reductions";
    EXPECT_EQ(kernels_.reduce_ops, (std::vector<DeviceReduceOp>{DeviceReduceOp::Sum, DeviceReduceOp::Mean, DeviceReduceOp::Std}));
    EXPECT_EQ(kernels_.reduce_shapes, (std::vector<Shape>{{3, 2}, {1, 6}, {2, 3}})) << "rows [outer, inner]";
    argmax(x, 0, true);
    EXPECT_EQ(calls["extreme_rows"], 1);
    softmax(x, -1);
    log_softmax(x, 0);
    EXPECT_EQ(calls["softmax"], 2);
    matmul(x, x.transpose(0, 1));
    linear(x, x, dev(test::random_tensor({2}, 4)));
    linear(h.view({1, 3}), h.view({1, 3}), h.narrow(0, 0, 1));  // float16: in float32, one rounding
    EXPECT_EQ(calls["matmul"], 3);
    index_select(x, -1, dev(tensor({0, 2}, {DType::Int64})));
    EXPECT_EQ(calls["index_select"], 1);
    EXPECT_EQ(kernels_.dims, (std::vector<int64_t>{1, 0, 1})) << "kernels get wrapped dims";
    // Indices are checked before any kernel sees them.
    expect_error<ShapeError>([&] { index_select(x, 1, dev(tensor({3}, {DType::Int64}))); }, {"index 3", "out of bounds"});
    EXPECT_EQ(calls["index_select"], 1);
    // Views, promotions and scalars stay on the device too.
    const int64_t host_before = ops_detail::through_host_calls();
    flip(x, {1});
    repeat(x, {2, 2});
    x.transpose(0, 1).contiguous();
    EXPECT_EQ(calls["contiguous"], 3) << "flip, repeat and a transpose: the device's strided copy";
    add(ints, ints);
    ints * 2;
    pow(x, 2);
    logical_and(x, ints.narrow(0, 0, 3));
    logical_not(ints);
    isinf(x);
    isnan(ints);
    ge(ints, 1.5);
    gather(x, 1, dev(tensor({0, 2, -1, 1}, {DType::Int64}).view({2, 2})));
    nl::index(x, dev(tensor({1, -1}, {DType::Int64})));
    cumsum(x, 0);
    EXPECT_EQ(calls["gather"], 1);
    EXPECT_EQ(calls["cumsum"], 1);
    where(gt(x, 0.0), x, 0.0);
    masked_fill(x, gt(x, 0.0), 1.0);
    lt(ints, d);
    cat({x, ints.view({1, 3})}, 0);
    EXPECT_EQ(ops_detail::through_host_calls(), host_before);
}

// The models' layers reach their kernels with the arguments the CPU op uses, and nothing goes
// through the host; what a kernel declines still runs (through the host).
TEST_F(DeviceOpsTest, LayerKernelsGetTheCpusArguments) {
    use_kernels(true);
    auto& calls = kernels_.calls;
    const Tensor im = dev(test::random_tensor({2, 4, 7, 7}, 1)), k = dev(test::random_tensor({6, 2, 3, 3}, 2));
    const Tensor b6 = dev(test::random_tensor({6}, 3)), w4 = dev(test::random_tensor({4}, 4));
    const int64_t before = ops_detail::through_host_calls();
    conv2d(im, k, b6, {2, 1}, {1, 0}, {1, 2}, 2);
    conv2d(im.select(0, 0), k.narrow(1, 0, 1).narrow(0, 0, 4), Tensor(), 1, 0, 1, 4);  // unbatched, depthwise
    ASSERT_EQ(calls["conv2d"], 2);
    const DeviceConvOptions& o = kernels_.conv_options[0];
    EXPECT_EQ(std::vector<int64_t>({o.stride_h, o.stride_w, o.pad_h, o.pad_w, o.dil_h, o.dil_w, o.groups}),
              std::vector<int64_t>({2, 1, 1, 0, 1, 2, 2}));
    EXPECT_EQ(kernels_.shapes[1], (Shape{1, 4, 7, 7})) << "an unbatched input reaches the kernel as [1, C, H, W]";
    group_norm(im, 2, w4, w4);
    group_norm(im, 4);
    EXPECT_EQ(calls["group_norm"], 2);
    silu(im);
    gelu(im);
    gelu(im, "tanh");
    EXPECT_EQ(kernels_.unary_ops, (std::vector<DeviceUnaryOp>{DeviceUnaryOp::Silu, DeviceUnaryOp::Gelu, DeviceUnaryOp::GeluTanh}));
    upsample_nearest2d(im, 2.0);
    EXPECT_EQ(calls["upsample_nearest2d"], 1);
    cat({im, im.narrow(1, 0, 1)}, -3);
    EXPECT_EQ(calls["cat"], 1);
    EXPECT_EQ(kernels_.dims.back(), 1) << "cat gets the wrapped dim";
    EXPECT_EQ(kernels_.shapes.back(), (Shape{2, 5, 7, 7}));
    clamp(im, -1.0, 1.0);
    EXPECT_EQ(calls["clamp"], 1);
    // The GAN's and VAE's layers, and the classifier's pooling.
    conv_transpose2d(im, k.narrow(0, 0, 4).narrow(1, 0, 1), b6.narrow(0, 0, 2), 2, 1, 1, 2, {1, 2});
    ASSERT_EQ(calls["conv_transpose2d"], 1);
    const layer::ConvTransposeGeometry& t = kernels_.transposed[0];
    EXPECT_EQ(std::vector<int64_t>({t.C, t.H, t.W, t.O, t.Ho, t.Wo, t.kh, t.kw, t.groups, t.sh, t.sw, t.ph, t.pw, t.dh, t.dw}),
              std::vector<int64_t>({4, 7, 7, 2, 14, 16, 3, 3, 2, 2, 2, 1, 1, 1, 2}));
    avg_pool2d(im.select(0, 1), 3, 2, 1, true, false);
    ASSERT_EQ(calls["avg_pool2d"], 1);
    const layer::PoolGeometry& pg = kernels_.pools[0];
    EXPECT_EQ(kernels_.shapes.back(), (Shape{1, 4, 7, 7})) << "an unbatched input reaches the kernel as [1, C, H, W]";
    EXPECT_EQ(std::vector<int64_t>({pg.H, pg.W, pg.Ho, pg.Wo, pg.kh, pg.kw, pg.sh, pg.sw, pg.ph, pg.pw}),
              std::vector<int64_t>({7, 7, 4, 4, 3, 3, 2, 2, 1, 1}));
    EXPECT_FALSE(pg.count_include_pad);
    batch_norm(im, w4, w4 * w4 + 0.5, w4, w4);
    batch_norm(im, w4, w4 * w4 + 0.5);
    EXPECT_EQ(calls["batch_norm"], 2);
    layer_norm(im, {7, 7});
    EXPECT_EQ(calls["layer_norm"], 1);
    EXPECT_EQ(kernels_.sizes.back(), 49);
    embedding(dev(tensor({1, 0, 1}, {DType::Int64})), dev(test::random_tensor({2, 5}, 5)));
    EXPECT_EQ(calls["index_select"], 1) << "embedding selects rows";
    EXPECT_EQ(kernels_.dims.back(), 0);
    EXPECT_EQ(ops_detail::through_host_calls(), before) << "every call above ran on its kernel";
    // Declined by the kernels: mixed-dtype parameters go through the host (cat converts first;
    // integer clamp runs on the comparison and where kernels).
    cat({im, im.to(DType::Float64)}, 1);  // converted on the device, then the kernel
    group_norm(im, 2, w4.to(DType::Float64));
    clamp(dev(tensor({1, 5}, {DType::Int64})), 0, 3);
    batch_norm(im, w4.to(DType::Float64), w4 * w4 + 0.5);
    layer_norm(im, {7}, dev(test::random_tensor({7}, 7, DType::Float64)));
    EXPECT_EQ(calls["cat"], 2);
    EXPECT_EQ(calls["group_norm"], 2);
    EXPECT_EQ(calls["clamp"], 1);
    EXPECT_EQ(calls["batch_norm"] + calls["layer_norm"], 2 + 1);
    EXPECT_EQ(ops_detail::through_host_calls(), before + 3);
    // Bad arguments are refused before any kernel, with the CPU's messages.
    expect_error<ShapeError>([&] { conv2d(im, k); }, {"conv2d", "groups=1"});
    expect_error<ValueError>([&] { group_norm(im, 3); }, {"group_norm", "num_groups"});
    expect_error<ShapeError>([&] { group_norm(im, 2, b6); }, {"group_norm", "weight"});
    expect_error<ShapeError>([&] { cat({im, dev(test::random_tensor({2, 4, 7, 6}, 6))}, 1); }, {"cat", "must match"});
    expect_error<ShapeError>([&] { embedding(dev(tensor({2}, {DType::Int64})), dev(test::random_tensor({2, 5}, 5))); },
                             {"embedding", "out of bounds"});
    expect_error<ValueError>([&] { clamp(im, std::nullopt, std::nullopt); }, {"clamp", "at least one"});
    EXPECT_EQ(calls["conv2d"] + calls["group_norm"] + calls["cat"] + calls["index_select"] + calls["clamp"], 2 + 2 + 2 + 1 + 1);
}

// The fused layers reach one kernel each: conv2d_add hands its addend over as a view of the
// output's shape (a broadcast or a narrowed matrix is not copied first), group_norm_silu its flag.
TEST_F(DeviceOpsTest, FusedLayersReachOneKernelEach) {
    use_kernels(true);
    auto& calls = kernels_.calls;
    const Tensor im = dev(test::random_tensor({2, 4, 7, 7}, 1)), k = dev(test::random_tensor({6, 4, 3, 3}, 2));
    const Tensor emb = dev(test::random_tensor({2, 10}, 3));
    const int64_t before = ops_detail::through_host_calls();
    conv2d_add(im, k, Tensor(), emb.narrow(1, 3, 6).unsqueeze(2).unsqueeze(3), 1, 1);  // [2, 6, 1, 1] of a [2, 10]
    conv2d_add(im, k, Tensor(), dev(test::random_tensor({2, 6, 7, 7}, 4)), 1, 1);
    ASSERT_EQ(calls["conv2d_add"], 2);
    EXPECT_EQ(calls["conv2d"], 0);
    EXPECT_EQ(calls["binary"], 0) << "no separate addition";
    EXPECT_EQ(kernels_.addend_strides[0], (std::vector<int64_t>{10, 1, 0, 0}));
    EXPECT_EQ(kernels_.addend_strides[1], (std::vector<int64_t>{294, 49, 7, 1}));
    group_norm_silu(im, 2, dev(test::random_tensor({4}, 5)));
    EXPECT_EQ(calls["group_norm_silu"], 1);
    EXPECT_EQ(calls["group_norm"] + calls["unary"], 0) << "no separate norm or silu";
    EXPECT_EQ(ops_detail::through_host_calls(), before);
    // Bad addends are refused before any kernel, with the CPU's messages.
    expect_error<ShapeError>([&] { conv2d_add(im, k, Tensor(), dev(zeros({2, 6, 7, 6})), 1, 1); },
                             {"conv2d_add", "[2, 6, 7, 6]", "[2, 6, 7, 7]"});
    expect_error<DTypeError>([&] { conv2d_add(im, k, Tensor(), dev(zeros({6, 1, 1}, {DType::Float64})), 1, 1); },
                             {"conv2d_add", "addend", "float64"});
    expect_error<DeviceError>([&] { conv2d_add(im, k, Tensor(), zeros({6, 1, 1}), 1, 1); }, {"conv2d_add"});
    EXPECT_EQ(calls["conv2d_add"], 2);
}

// With kernels on, bad arguments give the CPU's messages (the op checks before a kernel runs).
TEST_F(DeviceOpsTest, ErrorsAreTheCpusWithKernels) {
    use_kernels(true);
    const Tensor a = test::random_tensor({2, 3}, 1), b = test::random_tensor({4}, 2);
    expect_error<ShapeError>([&] { add(dev(a), dev(b)); }, {"add:", "broadcast"});
    expect_error<ShapeError>([&] { matmul(dev(a), dev(a)); }, {"matmul"});
    expect_error<ShapeError>([&] { softmax(dev(a), 2); }, {"softmax"});
    expect_error<DTypeError>([&] { softmax(dev(tensor({1, 2}, {DType::Int64})), 0); }, {"softmax"});
    EXPECT_EQ(kernels_.calls["binary"] + kernels_.calls["softmax"], 0);
}

// multinomial without replacement on the device runs the backend's race (here the stand-in's,
// which computes as race_kernels.cu does): the CPU's draws for the same generator state, and the
// generator moves as far.
TEST_F(DeviceOpsTest, MultinomialWithoutReplacementRunsOnTheDevice) {
    const Tensor rows = test::random_tensor({4, 300}, 21, DType::Float32, 0.0, 1.0);
    Tensor sparse = rows.contiguous().clone();
    for (int64_t j = 0; j < 300; j += 3) sparse.data<float>()[j] = 0.0f;  // a third of the weights zero
    struct Case {
        Tensor probs;
        int64_t n;
    } cases[] = {{rows, 5}, {rows.select(0, 2), 300}, {sparse, 200}, {rows.to(DType::Float64), 1},
                 {full({2, 7}, 1.0), 7}};  // equal weights: ties only where keys tie
    for (const Case& c : cases) {
        Generator a(17), b(17);
        const Tensor want = multinomial(c.probs, c.n, false, &a);
        const int64_t before = fake_.race_draws;
        const Tensor got = multinomial(dev(c.probs), c.n, false, &b);
        EXPECT_EQ(fake_.race_draws, before + 1) << "the backend's kernel drew";
        EXPECT_TRUE(same_on_device(want, got)) << shape_str(c.probs.shape()) << " n=" << c.n;
        EXPECT_EQ(a.offset(), b.offset());
    }
    // Invalid rows are refused before any draw, with the CPU's message.
    expect_error<ValueError>([&] { multinomial(dev(sparse), 250, false); }, {"multinomial", "non-zero categories"});
}

TEST_F(DeviceOpsTest, MixedDevicesAreRefused) {
    const Tensor g = tensor({1, 2}).to(Device::cuda(0));
    expect_error<DeviceError>([&] { add(tensor({1, 2}), g); }, {"add", "cuda:0", "cpu"});
    expect_error<DeviceError>([&] { matmul(tensor({1.0, 2.0}), g); }, {"matmul", "same device"});
    expect_error<DeviceError>([&] { cat({g, tensor({3, 4})}); }, {"cat", "same device"});
    expect_error<DeviceError>([&] { where(tensor({1, 0}, {DType::Bool}), g, g); }, {"where", "same device"});
}

TEST_F(DeviceOpsTest, PrintingCopiesToTheHostAndNamesTheDevice) {
    const Tensor g = tensor({1.5, -2.0}).to(Device::cuda(0));
    EXPECT_EQ(g.str(), "tensor([ 1.5000, -2.0000], device='cuda:0')");
    EXPECT_EQ(tensor({1, 2}, {DType::Int32}).to(Device::cuda(0)).str(),
              "tensor([1, 2], device='cuda:0', dtype=torch.int32)");
}

}  // namespace
}  // namespace nl
