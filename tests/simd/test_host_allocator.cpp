// The caching host allocator: alignment, reuse of freed large blocks (the reason it exists: fresh
// pages cost a fault each), the cap, and releasing the cache.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "tensor/host_allocator.h"
#include "tensor/random.h"

namespace nl {
namespace {

TEST(HostAllocator, AlignedAndWritable) {
    for (size_t bytes : {size_t(1), size_t(63), size_t(4096), size_t(1) << 20, (size_t(5) << 20) + 3}) {
        void* p = host_allocate(bytes);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u) << bytes;
        std::memset(p, 0xAB, bytes);
        EXPECT_EQ(static_cast<unsigned char*>(p)[bytes - 1], 0xAB);
        host_deallocate(p);
    }
    host_deallocate(nullptr);  // allowed, like free
}

TEST(HostAllocator, LargeBlocksAreReused) {
    host_cache_release();
    const HostCacheStats s0 = host_cache_stats();
    if (s0.cache_limit < (size_t(64) << 20)) GTEST_SKIP() << "cache limited to " << s0.cache_limit << " bytes";
    void* a = host_allocate(size_t(48) << 20);
    host_deallocate(a);
    EXPECT_GE(host_cache_stats().cached_bytes, size_t(48) << 20);
    void* b = host_allocate((size_t(48) << 20) - 100);  // same size class
    EXPECT_EQ(a, b);
    const HostCacheStats s1 = host_cache_stats();
    EXPECT_EQ(s1.hits, s0.hits + 1);
    EXPECT_EQ(s1.misses, s0.misses + 1);
    EXPECT_EQ(s1.cached_bytes, 0u);
    host_deallocate(b);
    host_cache_release();
    EXPECT_EQ(host_cache_stats().cached_bytes, 0u);
}

// Blocks of 64 KiB to 1 MiB (a small model's activations on the CPU) are kept too: glibc would
// return them to the system, and each new one would fault its pages in again. Below 64 KiB the C
// allocator serves them, uncounted.
TEST(HostAllocator, MediumBlocksAreReusedSmallOnesAreNotCounted) {
    host_cache_release();
    const HostCacheStats s0 = host_cache_stats();
    if (s0.cache_limit < (size_t(1) << 20)) GTEST_SKIP() << "cache limited to " << s0.cache_limit << " bytes";
    void* a = host_allocate(size_t(200) << 10);
    host_deallocate(a);
    EXPECT_EQ(host_cache_stats().cached_bytes, size_t(200) << 10);
    void* b = host_allocate(size_t(190) << 10);  // fits, wastes less than a quarter
    EXPECT_EQ(a, b);
    void* c = host_allocate(size_t(32) << 10);
    host_deallocate(c);
    const HostCacheStats s1 = host_cache_stats();
    EXPECT_EQ(s1.hits, s0.hits + 1);
    EXPECT_EQ(s1.misses, s0.misses + 1);
    EXPECT_EQ(s1.cached_bytes, 0u);
    host_deallocate(b);
    void* d = host_allocate(size_t(40) << 10 << 1);  // 80 KiB: would waste more than a quarter of 200
    EXPECT_NE(d, b);
    host_deallocate(d);
    host_cache_release();
    EXPECT_EQ(host_cache_stats().cached_bytes, 0u);
}

// NOISELAB_HOST_CACHE_MB=0 (ctest simd_host_cache_off runs this file so): every block goes back to
// the system on free, medium and large alike.
TEST(HostAllocator, WithCachingOffNothingIsKept) {
    const HostCacheStats s0 = host_cache_stats();
    if (s0.cache_limit != 0) GTEST_SKIP() << "runs with NOISELAB_HOST_CACHE_MB=0 (ctest simd_host_cache_off)";
    for (size_t bytes : {size_t(100) << 10, (size_t(1) << 20) - 1, size_t(3) << 20}) {
        void* p = host_allocate(bytes);
        std::memset(p, 1, bytes);
        host_deallocate(p);
        EXPECT_EQ(host_cache_stats().cached_bytes, 0u) << bytes;
    }
    EXPECT_EQ(host_cache_stats().hits, s0.hits);
}

TEST(HostAllocator, MuchLargerBlocksAreNotHandedOut) {
    host_cache_release();
    // (Uncached, the 40 MiB block is unmapped and the system may map the next one at its address.)
    if (host_cache_stats().cache_limit < (size_t(64) << 20)) GTEST_SKIP() << "cache limited";
    void* big = host_allocate(size_t(40) << 20);
    host_deallocate(big);
    void* small = host_allocate(size_t(8) << 20);  // would waste 32 MiB: a new mapping instead
    EXPECT_NE(small, big);
    host_deallocate(small);
    host_cache_release();
}

TEST(HostAllocator, CacheStaysUnderItsLimit) {
    host_cache_release();
    const uint64_t limit = host_cache_stats().cache_limit;
    std::vector<void*> blocks;
    for (int i = 0; i < 8; ++i) blocks.push_back(host_allocate(limit / 4 + 1));
    for (void* p : blocks) host_deallocate(p);
    EXPECT_LE(host_cache_stats().cached_bytes, limit);
    host_cache_release();
}

// Tensors go through it: a second tensor of the same size reuses the first one's memory.
TEST(HostAllocator, TensorsReuseMemory) {
    host_cache_release();
    if (host_cache_stats().cache_limit < (size_t(64) << 20)) GTEST_SKIP() << "cache limited";
    const void* first;
    {
        const Tensor t = randn({int64_t(1) << 21});
        first = t.data_ptr();
    }
    const Tensor u = rand({int64_t(1) << 21});
    EXPECT_EQ(u.data_ptr(), first);
}

}  // namespace
}  // namespace nl
