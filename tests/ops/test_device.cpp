// Ops on a device: every op given device tensors runs there (with the backend's kernel where it
// has one, else on host copies) and returns the CPU's exact result on that device; kernels are
// preferred where they apply and skipped where they do not; mixed devices are refused. A
// host-memory stand-in for the CUDA backend (tests/support) lets the test make "cuda:0" tensors
// on a machine without a GPU; the stand-in kernels here count their calls.
#include <cstring>
#include <map>
#include <string>

#include "ops_test_util.h"
#include "tensor/backend.h"
#include "tests/support/host_memory_backend.h"

namespace nl {
namespace {
using test::expect_error;

// Stand-in kernels: each counts its calls and computes on host copies with the CPU ops (so the
// values are the CPU's), returning its result on the tensors' device. Like CudaOps, they decline
// (undefined Tensor) what a real kernel would: mixed or non-floating dtypes.
class FakeKernels final : public DeviceOps {
public:
    std::map<std::string, int> calls;
    Tensor binary(DeviceBinaryOp op, const Tensor& a, const Tensor& b) override {
        if (a.dtype() != b.dtype() || !is_floating(a.dtype())) return Tensor();
        ++calls["binary"];
        const Tensor x = a.cpu(), y = b.cpu();
        switch (op) {
            case DeviceBinaryOp::Add: return add(x, y).to(a.device());
            case DeviceBinaryOp::Sub: return sub(x, y).to(a.device());
            case DeviceBinaryOp::Mul: return mul(x, y).to(a.device());
            case DeviceBinaryOp::Div: return div(x, y).to(a.device());
        }
        return Tensor();
    }
    Tensor unary(DeviceUnaryOp op, const Tensor& t) override {
        if (!is_floating(t.dtype())) return Tensor();
        ++calls["unary"];
        const Tensor x = t.cpu();
        switch (op) {
            case DeviceUnaryOp::Neg: return neg(x).to(t.device());
            case DeviceUnaryOp::Exp: return exp(x).to(t.device());
            case DeviceUnaryOp::Relu: return relu(x).to(t.device());
            default: --calls["unary"]; return Tensor();  // the test uses only these
        }
    }
    Tensor sum(const Tensor& t) override {
        ++calls["sum"];
        return nl::sum(t.cpu()).to(t.device());
    }
    Tensor softmax(const Tensor& t, int64_t dim, bool log) override {
        ++calls["softmax"];
        dims.push_back(dim);
        return (log ? log_softmax(t.cpu(), dim) : nl::softmax(t.cpu(), dim)).to(t.device());
    }
    Tensor matmul(const Tensor& a, const Tensor& b) override {
        ++calls["matmul"];
        return nl::matmul(a.cpu(), b.cpu()).to(a.device());
    }
    Tensor index_select(const Tensor& t, int64_t dim, const Tensor& index) override {
        ++calls["index_select"];
        dims.push_back(dim);
        return nl::index_select(t.cpu(), dim, index.cpu()).to(t.device());
    }
    std::vector<int64_t> dims;  // the dims softmax and index_select were given (already wrapped)
};

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
    x * 2.0;
    3.0 - d;
    EXPECT_EQ(calls["binary"], 3) << "float32 / float64 tensor-tensor and tensor-scalar arithmetic";
    add(ints, ints);
    h * 2.0;  // float16 computes with the scalar in float32: no kernel matches that
    add(h, d);  // mixed dtypes promote on the host
    EXPECT_EQ(calls["binary"], 3) << "int64, float16 with a scalar, and mixed dtypes go through the host";
    exp(x);
    -x;
    relu(x);
    EXPECT_EQ(calls["unary"], 3);
    -ints;
    exp(ints);  // int64 -> float32 result: no kernel for the conversion
    tanh(x);    // declined by this stand-in: falls back
    EXPECT_EQ(calls["unary"], 3);
    sum(x);
    sum(x, 0);  // per-dim sums have no kernel
    EXPECT_EQ(calls["sum"], 1);
    softmax(x, -1);
    log_softmax(x, 0);
    EXPECT_EQ(calls["softmax"], 2);
    matmul(x, x.transpose(0, 1));
    linear(x, x, dev(test::random_tensor({2}, 4)));
    EXPECT_EQ(calls["matmul"], 2);
    index_select(x, -1, dev(tensor({0, 2}, {DType::Int64})));
    EXPECT_EQ(calls["index_select"], 1);
    EXPECT_EQ(kernels_.dims, (std::vector<int64_t>{1, 0, 1})) << "kernels get wrapped dims";
    // Indices are checked before any kernel sees them.
    expect_error<ShapeError>([&] { index_select(x, 1, dev(tensor({3}, {DType::Int64}))); }, {"index 3", "out of bounds"});
    EXPECT_EQ(calls["index_select"], 1);
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
