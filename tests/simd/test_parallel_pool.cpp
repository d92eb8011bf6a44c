// parallel_for on the persistent pool: every chunk runs exactly once whatever the thread count,
// exceptions reach the caller, nested and concurrent calls complete, and ops give the same bytes
// after many pool reuses with changing thread counts.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "simd_test_util.h"
#include "tensor/parallel.h"
#include "tensor/random.h"

namespace nl {
namespace {

TEST(ParallelPool, EveryIndexOnce) {
    const int before = get_num_threads();
    for (int t : {1, 2, 3, 8, 5, 1, 16}) {
        set_num_threads(t);
        for (int64_t n : {int64_t(1), int64_t(7), int64_t(1000), int64_t(100003)}) {
            for (int64_t grain : {int64_t(1), int64_t(3), int64_t(64), int64_t(1) << 20}) {
                std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
                parallel_for(n, grain, [&](int64_t b, int64_t e) {
                    for (int64_t i = b; i < e; ++i) hits[i].fetch_add(1);
                });
                for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "t=" << t << " n=" << n << " i=" << i;
            }
        }
    }
    set_num_threads(before);
}

TEST(ParallelPool, ExceptionsReachTheCaller) {
    simdtest::LevelScope s(simd_level(), 4);
    EXPECT_THROW(parallel_for(100, 1, [](int64_t b, int64_t) {
                     if (b == 57) throw std::runtime_error("chunk 57");
                 }),
                 std::runtime_error);
    // The pool still works afterwards.
    std::atomic<int64_t> sum{0};
    parallel_for(100, 1, [&](int64_t b, int64_t e) { sum += e - b; });
    EXPECT_EQ(sum.load(), 100);
}

TEST(ParallelPool, NestedCallsRunInline) {
    simdtest::LevelScope s(simd_level(), 3);
    std::atomic<int64_t> total{0};
    parallel_for(8, 1, [&](int64_t, int64_t) {
        parallel_for(1000, 10, [&](int64_t b, int64_t e) { total += e - b; });
    });
    EXPECT_EQ(total.load(), 8000);
}

TEST(ParallelPool, ConcurrentCallersBothFinish) {
    simdtest::LevelScope s(simd_level(), 2);
    std::atomic<int64_t> a{0}, b{0};
    std::thread other([&] {
        for (int i = 0; i < 200; ++i) parallel_for(1000, 7, [&](int64_t x, int64_t y) { a += y - x; });
    });
    for (int i = 0; i < 200; ++i) parallel_for(1000, 7, [&](int64_t x, int64_t y) { b += y - x; });
    other.join();
    EXPECT_EQ(a.load(), 200000);
    EXPECT_EQ(b.load(), 200000);
}

// A forked child (a death test, a subprocess launcher) gets a working pool of its own.
TEST(ParallelPool, WorksAfterFork) {
    simdtest::LevelScope s(simd_level(), 3);
    std::atomic<int64_t> warm{0};
    parallel_for(100, 1, [&](int64_t b, int64_t e) { warm += e - b; });  // workers exist now
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        std::atomic<int64_t> sum{0};
        parallel_for(1000, 3, [&](int64_t b, int64_t e) { sum += e - b; });
        _exit(sum.load() == 1000 ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(ParallelPool, RepeatedOpsKeepTheirBits) {
    Tensor ref;
    {
        simdtest::LevelScope s(SimdLevel::Scalar, 1);
        Generator g(3);
        ref = randn({300001}, {}, &g);
    }
    for (int rep = 0; rep < 30; ++rep) {
        simdtest::LevelScope s(best_simd_level(), 1 + rep % 5);
        Generator g(3);
        ASSERT_TRUE(simdtest::same_bytes(ref, randn({300001}, {}, &g))) << "repeat " << rep;
    }
}

}  // namespace
}  // namespace nl
