// cuRAND's engines on the GPU: reproducible per (engine, device), the same shapes and dtypes as
// on the CPU; whether the CPU and GPU values agree is reported per engine (cuRAND does not
// promise it for every engine; docs/GPU.md records what the device run found).
#include <gtest/gtest.h>

#include <cstdio>

#include "gpu_test_util.h"
#include "tensor/engine.h"

namespace nl {
namespace {

using gpu_test::same_bytes;

TEST(GpuEngines, ReproducibleOnTheGpu) {
    NL_REQUIRE_GPU();
    for (Engine e : kAllEngines) {
        SCOPED_TRACE(engine_name(e));
        const Shape shape = is_quasi_random(e) ? Shape{1001, 3} : Shape{100001};
        for (DType dt : {DType::Float32, DType::Float64, DType::Float16}) {
            Generator a(7), b(7);
            const Tensor x = randn(shape, {dt, Device::cuda()}, e, &a);
            const Tensor y = randn(shape, {dt, Device::cuda()}, e, &b);
            EXPECT_TRUE(same_bytes(x, y)) << dtype_name(dt);
            EXPECT_EQ(a.offset(), b.offset());
            const Tensor z = randn(shape, {dt, Device::cuda()}, e, &a);
            EXPECT_FALSE(same_bytes(x, z)) << "consecutive calls must differ";
        }
        Generator p(3), q(3);
        EXPECT_TRUE(same_bytes(poisson(5.0, {4099}, {DType::Int64, Device::cuda()}, e, &p),
                               poisson(5.0, {4099}, {DType::Int64, Device::cuda()}, e, &q)));
        Generator r(3), s(3);
        EXPECT_TRUE(same_bytes(random_bits({4099}, Device::cuda(), e, &r), random_bits({4099}, Device::cuda(), e, &s)));
    }
}

TEST(GpuEngines, CpuAndGpuAgreement) {
    NL_REQUIRE_GPU();
    for (Engine e : kAllEngines) {
        if (e == Engine::MT19937 || e == Engine::MRG32k3a) continue;  // slow host set-up (seconds)
        const Shape shape = is_quasi_random(e) ? Shape{257, 2} : Shape{4097};
        Generator a(11), b(11), c(11), d(11);
        const bool uniform_same = static_cast<bool>(same_bytes(rand(shape, {}, e, &a), rand(shape, {Device::cuda()}, e, &b)));
        const bool bits_same = static_cast<bool>(
            same_bytes(random_bits(shape, Device::cpu(), e, &c), random_bits(shape, Device::cuda(), e, &d)));
        std::printf("engine %-18s CPU == GPU: uniform %s, raw bits %s\n", engine_name(e), uniform_same ? "yes" : "no",
                    bits_same ? "yes" : "no");
        RecordProperty(std::string(engine_name(e)) + "_cpu_equals_gpu", uniform_same ? "yes" : "no");
        if (e == Engine::Philox) {
            EXPECT_TRUE(uniform_same && bits_same);
        }
    }
}

}  // namespace
}  // namespace nl
