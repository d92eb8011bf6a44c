// Devices, streams, events and the caching allocator on a real GPU.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gpu/allocator.h"
#include "gpu/device.h"
#include "gpu_test_util.h"
#include "tensor/errors.h"
#include "tensor/memory.h"
#include "tensor/random.h"

namespace nl {
namespace {

using gpu_test::same_bytes;

TEST(GpuDevice, QueryAndSelection) {
    NL_REQUIRE_GPU();
    ASSERT_GE(gpu::device_count(), 1);
    const gpu::DeviceInfo i = gpu::device_info(0);
    EXPECT_FALSE(i.name.empty());
    EXPECT_GE(i.major, 7);
    EXPECT_GT(i.total_memory, size_t(1) << 30);
    EXPECT_GT(i.multiprocessors, 0);
    std::printf("%s", gpu::describe_devices().c_str());
    EXPECT_NE(gpu::describe_devices().find(i.name), std::string::npos);
    EXPECT_THROW(gpu::device_info(gpu::device_count()), DeviceError);
    EXPECT_THROW(gpu::set_device(-1), DeviceError);
    gpu::set_device(0);
    EXPECT_EQ(gpu::current_device(), 0);
    {
        gpu::DeviceGuard guard(0);
        EXPECT_EQ(gpu::current_device(), 0);
    }
    EXPECT_THROW(Tensor::empty({1}, Device::cuda(gpu::device_count())), DeviceError);
    EXPECT_GT(available_memory(Device::cuda()), uint64_t(1) << 30);
}

TEST(GpuAllocator, FreedBlocksAreReused) {
    NL_REQUIRE_GPU();
    gpu::empty_cache(0);
    const gpu::MemoryStats s0 = gpu::memory_stats(0);
    void* first = nullptr;
    {
        Tensor t = Tensor::empty({1000, 1000}, {Device::cuda()});
        first = t.data_ptr();
        EXPECT_GE(gpu::memory_stats(0).allocated_bytes, s0.allocated_bytes + 4000000);
    }
    EXPECT_GE(gpu::memory_stats(0).cached_bytes, 4000000u);
    Tensor u = Tensor::empty({999, 1000}, {Device::cuda()});  // rounds to the same 4 MiB class
    EXPECT_EQ(u.data_ptr(), first);
    EXPECT_EQ(gpu::memory_stats(0).cache_hits, s0.cache_hits + 1);
    EXPECT_EQ(gpu::memory_stats(0).device_allocations, s0.device_allocations + 1);
    u = Tensor();
    gpu::empty_cache(0);
    EXPECT_EQ(gpu::memory_stats(0).cached_bytes, 0u);
}

TEST(GpuAllocator, TooLargeIsAMemoryError) {
    NL_REQUIRE_GPU();
    // Refused before allocating (the device's free memory is known) ...
    EXPECT_THROW(Tensor::empty({int64_t(1) << 45}, {Device::cuda()}), MemoryError);
    // ... and cudaMalloc's own failure is typed too, naming the device.
    try {
        gpu::allocator(0).allocate(size_t(1) << 50, gpu::current_stream(0));
        FAIL() << "no error";
    } catch (const MemoryError& e) {
        EXPECT_NE(std::string(e.what()).find("cuda:0 is out of memory"), std::string::npos) << e.what();
    }
    // The device still works afterwards.
    Generator a(1), b(1);
    EXPECT_TRUE(same_bytes(rand({100}, {}, &a), rand({100}, {Device::cuda()}, &b)));
}

TEST(GpuStreams, OpsRunOnTheCurrentStream) {
    NL_REQUIRE_GPU();
    EXPECT_EQ(gpu::current_stream(0), gpu::default_stream(0));
    gpu::Stream s(0);
    Tensor on_s;
    {
        gpu::StreamGuard guard(s);
        EXPECT_EQ(gpu::current_stream(0), s.handle());
        Generator g(5);
        on_s = randn({1 << 20}, {Device::cuda()}, &g);
        s.synchronize();
        EXPECT_TRUE(s.done());
    }
    EXPECT_EQ(gpu::current_stream(0), gpu::default_stream(0));
    Generator g(5);
    EXPECT_TRUE(same_bytes(on_s, randn({1 << 20}, {}, &g)));
}

TEST(GpuStreams, EventsTime) {
    NL_REQUIRE_GPU();
    gpu::Event start(0), stop(0);
    const gpu::StreamHandle s = gpu::current_stream(0);
    start.record(s);
    Tensor t = randn({1 << 22}, {Device::cuda()});
    stop.record(s);
    stop.synchronize();
    EXPECT_GT(stop.elapsed_ms(start), 0.0f);
    gpu::synchronize();
}

// Copies from the host go through pinned staging buffers (gpu/host_staging.h): they return while
// earlier kernels still run, the source may be reused at once, and many copies in flight (more
// than the ring's buffers) all land intact; copies larger than a buffer stay synchronous.
TEST(GpuStreams, HostToDeviceCopiesDoNotWaitAndKeepTheirBytes) {
    NL_REQUIRE_GPU();
    gpu::Stream s(0);
    gpu::StreamGuard guard(s);
    Generator g(8);
    Tensor busy = randn({int64_t(1) << 29}, {Device::cuda()}, &g);  // about a millisecond of work
    std::vector<double> values(1000);
    for (size_t i = 0; i < values.size(); ++i) values[i] = 0.5 * static_cast<double>(i);
    Tensor first = from_vector(values, {1000}, {DType::Float64}).to(Device::cuda());
    EXPECT_FALSE(s.done()) << "the copy waited for the randn kernel queued before it";
    std::vector<Tensor> copies;
    std::vector<std::vector<double>> want;
    for (int k = 0; k < 50; ++k) {
        for (size_t i = 0; i < values.size(); ++i) values[i] = k * 1000.0 + static_cast<double>(i);
        Tensor host = from_vector(values, {1000}, {DType::Float64});
        copies.push_back(host.to(Device::cuda()));
        want.push_back(values);
        double* h = host.data<double>();  // the source changes at once: the device copy must not see it
        for (int64_t i = 0; i < host.numel(); ++i) h[i] = -1.0;
    }
    for (size_t i = 0; i < values.size(); ++i) values[i] = 0.5 * static_cast<double>(i);
    EXPECT_EQ(first.cpu().to_vector(), values);
    for (int k = 0; k < 50; ++k) EXPECT_EQ(copies[static_cast<size_t>(k)].cpu().to_vector(), want[static_cast<size_t>(k)]) << k;
    // Larger than a staging buffer: the synchronous path, same bytes.
    const Tensor big = randn({int64_t(3) << 20}, {DType::Float32}, &g);  // 12 MiB
    EXPECT_TRUE(same_bytes(big.to(Device::cuda()).cpu(), big));
}

}  // namespace
}  // namespace nl
