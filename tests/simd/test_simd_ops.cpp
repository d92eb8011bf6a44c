// Every elementwise random op and dtype gives the same bytes at every SIMD level and thread count
// {1, 2, 3, 8} as the scalar reference on one thread: sizes around the vector widths and across
// the parallel chunks, a stream offset, an output view that starts one element in (unaligned, and
// guard elements that must stay untouched), outputs large enough for non-temporal stores.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "simd_test_util.h"
#include "tensor/host_allocator.h"
#include "tensor/random_block.h"
#include "tensor/simd/kernels.h"
#include "tensor/random.h"

namespace nl {
namespace {

using simdtest::expect_same_everywhere;

const std::vector<DType> kFloat = {DType::Float32, DType::Float16, DType::BFloat16, DType::Float64};
const std::vector<DType> kAll = {DType::Float32, DType::Float16, DType::BFloat16, DType::Float64,
                                 DType::Int64,   DType::Int32,   DType::UInt8,    DType::Bool};
// Around W = 4, 8, 16 lanes and 2, 4, 8 blocks per unit, and 3 parallel chunks (2^16 one-word
// elements each) plus a partial block.
const std::vector<int64_t> kSizes = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 1001,
                                     3 * 65536 + 5};

using InPlace = std::function<void(Tensor&, Generator&)>;

// Fills base[1 .. n] (a view starting one element in) with op, base[0] and base[n+1] are guards.
Tensor run_in_place(const InPlace& op, DType dtype, int64_t n, uint64_t gen_offset) {
    Tensor base = full({n + 2}, 1.0, {dtype});
    Tensor view = base.narrow(0, 1, n);
    Generator g(20261126, 3);
    g.set_offset(gen_offset);
    op(view, g);
    return base;
}

void check_in_place(const std::string& name, const std::vector<DType>& dtypes, const InPlace& op,
                    const std::vector<int64_t>& sizes = kSizes) {
    for (DType d : dtypes) {
        for (int64_t n : sizes) {
            for (uint64_t off : {uint64_t(0), uint64_t(987654321)}) {
                const std::string what = name + " " + dtype_name(d) + " n=" + std::to_string(n) +
                                         " offset=" + std::to_string(off);
                expect_same_everywhere(what, [&] { return run_in_place(op, d, n, off); });
                if (::testing::Test::HasFatalFailure()) return;
            }
        }
    }
}

TEST(SimdOps, Uniform) {
    check_in_place("uniform_(0,1)", kFloat, [](Tensor& t, Generator& g) { uniform_(t, 0.0, 1.0, &g); });
    check_in_place("uniform_(-2.5,3.25)", kFloat, [](Tensor& t, Generator& g) { uniform_(t, -2.5, 3.25, &g); });
    // Rounding reaches b for many draws: the clamp to the value below b must match.
    check_in_place("uniform_(1,1+eps)", kFloat, [](Tensor& t, Generator& g) { uniform_(t, 1.0, 1.0000001, &g); });
    check_in_place("uniform_(5,5)", kFloat, [](Tensor& t, Generator& g) { uniform_(t, 5.0, 5.0, &g); });
    check_in_place("uniform_(-0,1)", kFloat, [](Tensor& t, Generator& g) { uniform_(t, -0.0, 1.0, &g); });
}

TEST(SimdOps, NormalAndLogNormal) {
    check_in_place("normal_(0,1)", kFloat, [](Tensor& t, Generator& g) { normal_(t, 0.0, 1.0, &g); });
    check_in_place("normal_(2,0.5)", kFloat, [](Tensor& t, Generator& g) { normal_(t, 2.0, 0.5, &g); });
    check_in_place("normal_(0,0)", kFloat, [](Tensor& t, Generator& g) { normal_(t, 0.0, 0.0, &g); });
    check_in_place("normal_(0,1e38)", kFloat, [](Tensor& t, Generator& g) { normal_(t, 0.0, 1e38, &g); });  // overflow
    check_in_place("log_normal_(1,2)", kFloat, [](Tensor& t, Generator& g) { log_normal_(t, 1.0, 2.0, &g); });
    // exp's subnormal and overflow branches: v ranges over [-140, 100].
    check_in_place("log_normal_(-20,25)", kFloat, [](Tensor& t, Generator& g) { log_normal_(t, -20.0, 25.0, &g); });
}

TEST(SimdOps, ExponentialCauchyGeometric) {
    check_in_place("exponential_(1)", kFloat, [](Tensor& t, Generator& g) { exponential_(t, 1.0, &g); });
    check_in_place("exponential_(1e-3)", kFloat, [](Tensor& t, Generator& g) { exponential_(t, 1e-3, &g); });
    check_in_place("cauchy_(0,1)", kFloat, [](Tensor& t, Generator& g) { cauchy_(t, 0.0, 1.0, &g); });
    check_in_place("cauchy_(-1,1e-3)", kFloat, [](Tensor& t, Generator& g) { cauchy_(t, -1.0, 1e-3, &g); });
    std::vector<DType> no_bool(kAll.begin(), kAll.end() - 1);
    check_in_place("geometric_(0.3)", no_bool, [](Tensor& t, Generator& g) { geometric_(t, 0.3, &g); });
    check_in_place("geometric_(1e-4)", no_bool, [](Tensor& t, Generator& g) { geometric_(t, 1e-4, &g); });
}

TEST(SimdOps, Bernoulli) {
    for (double p : {0.5, 0.0, 1.0, 1e-9, 0.999999999})
        check_in_place("bernoulli_(" + std::to_string(p) + ")", kAll, [p](Tensor& t, Generator& g) { bernoulli_(t, p, &g); });
}

TEST(SimdOps, RandInt) {
    // Ranges per dtype within check_int_range; 2^31 + 7 rejects almost half of the words.
    auto ranges = [](DType d) -> std::vector<std::pair<int64_t, int64_t>> {
        switch (d) {
            case DType::Bool: return {{0, 2}, {1, 2}};
            case DType::UInt8: return {{0, 256}, {3, 200}};
            case DType::Float16: return {{-2048, 2049}, {-7, 11}};
            case DType::BFloat16: return {{-256, 257}, {0, 3}};
            case DType::Float32: return {{-(1 << 24), (1 << 24) + 1}, {-5, 100}};
            case DType::Float64: return {{-(int64_t(1) << 53), int64_t(1) << 53}, {0, 1000}};
            case DType::Int32: return {{int64_t(INT32_MIN) + 2, 9}, {INT32_MIN, int64_t(INT32_MAX) + 1}, {0, 10}};
            case DType::Int64:
                return {{0, 10},
                        {-3, (int64_t(1) << 31) + 7},
                        {-(int64_t(1) << 31), int64_t(1) << 31},  // exactly 2^32: no multiply
                        {int64_t(1) << 40, (int64_t(1) << 40) + 3},
                        {0, int64_t(1) << 40},                    // two words per element
                        {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}};
        }
        return {};
    };
    for (DType d : kAll)
        for (auto [lo, hi] : ranges(d))
            check_in_place("random_(" + std::to_string(lo) + "," + std::to_string(hi) + ")", {d},
                           [lo = lo, hi = hi](Tensor& t, Generator& g) { random_(t, lo, hi, &g); });
}

TEST(SimdOps, PerElementParameters) {
    for (int64_t n : {int64_t(0), int64_t(5), int64_t(33), int64_t(70001)}) {
        for (DType d : kFloat) {
            const std::string sz = std::string(dtype_name(d)) + " n=" + std::to_string(n);
            expect_same_everywhere("bernoulli(p tensor) " + sz, [&] {
                Generator gp(1);
                const Tensor p = rand({n}, {d}, &gp);
                Generator g(7);
                return bernoulli(p, &g);
            });
            expect_same_everywhere("normal(mean, std tensors) " + sz, [&] {
                Generator gp(2);
                const Tensor m = randn({n}, {d}, &gp);
                const Tensor s = rand({n}, {d}, &gp);
                Generator g(8);
                return normal(m, s, &g);
            });
            expect_same_everywhere("poisson(rates) " + sz, [&] {
                Generator gp(3);
                Tensor r = rand({n}, {d}, &gp);
                uniform_(r, 0.0, 40.0, &gp);  // both methods: inversion below 10, PTRS above
                Generator g(9);
                return poisson(r, &g);
            });
        }
    }
}

// Large outputs: many chunks over the threads (and, with NOISELAB_STREAM_STORES_MB set, streaming
// stores where the destination is aligned).
TEST(SimdOps, LargeOutputs) {
    const int64_t n = (int64_t(1) << 22) + 3;
    expect_same_everywhere("rand 2^22+3 float32", [&] {
        Generator g(11);
        return rand({n}, {}, &g);
    });
    expect_same_everywhere("randn 2^22+3 float32", [&] {
        Generator g(12);
        return randn({n}, {}, &g);
    });
    expect_same_everywhere("rand 2^21+3 float64", [&] {
        Generator g(13);
        return rand({(int64_t(1) << 21) + 3}, {DType::Float64}, &g);
    });
    expect_same_everywhere("bernoulli 2^22+3 float32", [&] {
        Generator g(14);
        return bernoulli(0.25, {n}, {}, &g);
    });
    expect_same_everywhere("randint int64 with rejections, 2^21+3", [&] {  // fix-ups next to streaming stores
        Generator g(16);
        return randint(-3, (int64_t(1) << 31) + 7, {(int64_t(1) << 21) + 3}, {DType::Int64}, &g);
    });
    expect_same_everywhere("randint int32 with rejections, 2^22+3", [&] {
        Generator g(17);
        return randint(int64_t(INT32_MIN) + 2, 9, {n}, {DType::Int32}, &g);
    });
    expect_same_everywhere("randn into an unaligned view, 2^22", [&] {
        Tensor base = zeros({n + 2});
        Tensor v = base.narrow(0, 1, n);
        Generator g(15);
        normal_(v, 0.0, 1.0, &g);
        return base;
    });
}

// Non-temporal stores (off by default; NOISELAB_STREAM_STORES_MB turns them on) give the same bytes,
// including the RandInt lanes recomputed after a rejection.
TEST(SimdOps, StreamingStoresKernel) {
    struct Req {
        RandomKind kind;
        DType dtype;
        double a, b;
        int64_t low;
        uint64_t range;
    };
    const std::vector<Req> reqs = {
        {RandomKind::Uniform, DType::Float32, 0.0, 1.0, 0, 0},
        {RandomKind::Uniform, DType::Float32, -1.0, 3.0, 0, 0},
        {RandomKind::Uniform, DType::Float64, 0.0, 1.0, 0, 0},
        {RandomKind::Normal, DType::Float32, 0.0, 1.0, 0, 0},
        {RandomKind::Exponential, DType::Float32, 2.0, 0.0, 0, 0},
        {RandomKind::Bernoulli, DType::Float32, 0.3, 0.0, 0, 0},
        {RandomKind::Bernoulli, DType::Int64, 0.3, 0.0, 0, 0},
        {RandomKind::RandInt, DType::Int64, 0.0, 0.0, -3, (uint64_t(1) << 31) + 7},
        {RandomKind::RandInt, DType::Int32, 0.0, 0.0, -3, (uint64_t(1) << 31) + 7},
        {RandomKind::RandInt, DType::Int64, 0.0, 0.0, 5, uint64_t(1) << 32},
    };
    for (SimdLevel level : supported_simd_levels()) {
        const simd::Kernels* k = simd::kernels_for(level);
        if (!k) continue;
        for (const Req& q : reqs) {
            RandomRequest r;
            r.kind = q.kind;
            r.dtype = q.dtype;
            r.numel = 40000;
            r.seed = 99;
            r.offset = 1234;
            r.stream = 5;
            r.a = q.a;
            r.b = q.b;
            r.low = q.low;
            r.range = q.range;
            const int per = elements_per_block(r.kind, r.dtype, r.range);
            const size_t bytes = static_cast<size_t>(r.numel) * dtype_size(r.dtype);
            std::vector<unsigned char> want(bytes);
            dispatch_dtype(r.dtype, [&](auto tag) {
                using T = decltype(tag);
                for (int64_t b = 0; b < r.numel / per; ++b) xf::random_block<T>(r, static_cast<uint64_t>(b), reinterpret_cast<T*>(want.data()));
            });
            void* out = host_allocate(bytes);  // 64-byte aligned
            simd::FillArgs args = simd::make_fill_args(r);
            args.stream_stores = true;
            ASSERT_TRUE(k->fill(args, out, 0, r.numel / per)) << random_kind_name(r.kind);
            EXPECT_EQ(std::memcmp(out, want.data(), bytes), 0)
                << random_kind_name(r.kind) << " " << dtype_name(r.dtype) << " at level " << simd_level_name(level);
            host_deallocate(out);
        }
    }
}

// Prefix stability holds through the vector paths too: the first k values do not depend on n.
TEST(SimdOps, PrefixStable) {
    for (SimdLevel level : supported_simd_levels()) {
        simdtest::LevelScope s(level, 3);
        Generator g1(5), g2(5);
        const Tensor a = randn({100003}, {}, &g1);
        const Tensor b = randn({37}, {}, &g2);
        EXPECT_TRUE(simdtest::same_bytes(a.narrow(0, 0, 37), b)) << simd_level_name(level);
    }
}

}  // namespace
}  // namespace nl
