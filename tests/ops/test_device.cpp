// The device gate: every op given a CUDA tensor throws DeviceError naming the op and the device
// (until the GPU backend hooks in), and mixed devices are refused. A host-memory stand-in for the
// CUDA backend lets the test make "cuda:0" tensors on a machine without a GPU.
#include <cstdlib>
#include <cstring>

#include "ops_test_util.h"
#include "tensor/backend.h"

namespace nl {
namespace {
using test::expect_error;

class FakeCuda final : public Backend {
public:
    const char* name() const override { return "fake-cuda"; }
    int device_count() const override { return 1; }
    size_t available_memory(int) const override { return size_t{1} << 30; }
    void* allocate(size_t bytes, int) override { return std::malloc(bytes); }
    void deallocate(void* p, size_t, int) override { std::free(p); }
    void copy_from_host(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void copy_to_host(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void copy_on_device(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void random_fill(const RandomRequest&, void*, int) override {}
    void randperm(int64_t, uint64_t, uint64_t, uint32_t, int64_t*, int) override {}
};

class DeviceGate : public ::testing::Test {
protected:
    void SetUp() override {
        previous_ = find_backend(DeviceType::CUDA);
        register_backend(DeviceType::CUDA, &fake_);
    }
    void TearDown() override { register_backend(DeviceType::CUDA, previous_); }
    FakeCuda fake_;
    Backend* previous_ = nullptr;
};

TEST_F(DeviceGate, EveryOpNamesItselfAndTheDevice) {
    const Tensor g = from_vector({1, 2, 3, 4}, {2, 2}).to(Device::cuda(0));
    ASSERT_TRUE(g.device().is_cuda());
    const Tensor gi = tensor({0, 1}, {DType::Int64}).to(Device::cuda(0));
    const Tensor gb = tensor({1, 0}, {DType::Bool}).to(Device::cuda(0));
    const Tensor g4 = zeros({1, 1, 3, 3}).to(Device::cuda(0));
    const Tensor w4 = zeros({1, 1, 1, 1}).to(Device::cuda(0));
    struct Case {
        const char* op;
        std::function<void()> f;
    };
    const Case cases[] = {
        {"add", [&] { add(g, g); }},
        {"mul", [&] { g * 2.0; }},
        {"div", [&] { 1.0 / g; }},
        {"neg", [&] { -g; }},
        {"exp", [&] { exp(g); }},
        {"gelu", [&] { gelu(g); }},
        {"pow", [&] { pow(g, 2); }},
        {"clamp", [&] { clamp(g, 0.0); }},
        {"lt", [&] { lt(g, 1.0); }},
        {"logical_and", [&] { logical_and(gb, gb); }},
        {"isnan", [&] { isnan(g); }},
        {"where", [&] { where(gb, gi, gi); }},
        {"sum", [&] { sum(g); }},
        {"var", [&] { var(g, 0); }},
        {"max", [&] { max(g, 1); }},
        {"argmax", [&] { argmax(g); }},
        {"cumsum", [&] { cumsum(g, 0); }},
        {"softmax", [&] { softmax(g); }},
        {"matmul", [&] { matmul(g, g); }},
        {"linear", [&] { linear(g, g); }},
        {"conv2d", [&] { conv2d(g4, w4); }},
        {"conv_transpose2d", [&] { conv_transpose2d(g4, w4); }},
        {"upsample_nearest2d", [&] { upsample_nearest2d(g4, 2.0); }},
        {"avg_pool2d", [&] { avg_pool2d(g4, 1); }},
        {"group_norm", [&] { group_norm(g4, 1); }},
        {"layer_norm", [&] { layer_norm(g, {2}); }},
        {"index_select", [&] { index_select(g, 0, gi); }},
        {"embedding", [&] { embedding(gi, g); }},
        {"cat", [&] { cat({g, g}); }},
        {"flip", [&] { flip(g, {0}); }},
        {"permute", [&] { permute(g, {1, 0}); }},
        {"repeat", [&] { repeat(g, {1, 2}); }},
        {"masked_fill", [&] { masked_fill(g, gb, 0.0); }},
    };
    for (const Case& c : cases) expect_error<DeviceError>(c.f, {c.op, "cuda:0"});
}

TEST_F(DeviceGate, MixedDevicesAreRefused) {
    const Tensor g = tensor({1, 2}).to(Device::cuda(0));
    expect_error<DeviceError>([&] { add(tensor({1, 2}), g); }, {"add", "cuda:0"});
}

TEST_F(DeviceGate, PrintingCopiesToTheHostAndNamesTheDevice) {
    const Tensor g = tensor({1.5, -2.0}).to(Device::cuda(0));
    EXPECT_EQ(g.str(), "tensor([ 1.5000, -2.0000], device='cuda:0')");
    EXPECT_EQ(tensor({1, 2}, {DType::Int32}).to(Device::cuda(0)).str(),
              "tensor([1, 2], device='cuda:0', dtype=torch.int32)");
}

}  // namespace
}  // namespace nl
