// Categorical draws on the GPU (gpu::multinomial, gpu::sample_logits, Backend::categorical and
// categorical_without_replacement) give
// the CPU's values (random.cpp, Note [Integer weights]) and the CPU's errors, leaving the
// generator where the CPU leaves it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gpu/random_ops.h"
#include "gpu_test_util.h"
#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl {
namespace {

using gpu_test::same_bytes;

template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return typeid(e).name() + std::string(": ") + e.what();
    }
    return "(no error)";
}

Tensor logits_64x50000() {
    Generator g(2);
    return randn({64, 50000}, {}, &g);
}

TEST(GpuCategorical, SampleLogitsMatchesTheCpu) {
    NL_REQUIRE_GPU();
    const Tensor l = logits_64x50000();
    const Tensor lg = l.to(Device::cuda());
    for (double temp : {0.8, 1.0, 0.05, 3.0}) {
        for (int64_t ns : {1, 5}) {
            Generator a(10), b(10);
            const Tensor c = sample_logits(l, temp, ns, &a);
            const Tensor g = gpu::sample_logits(lg, temp, ns, &b);
            EXPECT_TRUE(g.device().is_cuda());
            EXPECT_TRUE(same_bytes(c, g)) << "T = " << temp << ", samples " << ns;
            EXPECT_EQ(a.offset(), b.offset());
        }
    }
    // Lower precision logits, 1-D, -inf entries.
    Tensor v = from_vector({0.5, -std::numeric_limits<double>::infinity(), 2.0, 2.0, -1.0}, {5});
    for (DType dt : {DType::Float16, DType::BFloat16, DType::Float64}) {
        Generator a(1), b(1);
        EXPECT_TRUE(same_bytes(sample_logits(v.to(dt), 0.7, 1000, &a), gpu::sample_logits(v.to(dt).to(Device::cuda()), 0.7, 1000, &b)))
            << dtype_name(dt);
    }
}

// Rows of 4096 categories or more take the wide kernels (gpu/categorical_kernels.h: several
// blocks per row, then segment -> thread -> column search): the same draws as the CPU for every
// dtype, for zero weights in whole segments, -inf logits, many samples, and the CPU's errors.
TEST(GpuCategorical, WideRowsMatchTheCpu) {
    NL_REQUIRE_GPU();
    const double inf = std::numeric_limits<double>::infinity();
    Generator pg(41);
    Tensor p = rand({5, 9000}, {DType::Float64}, &pg);
    std::vector<double> pv = p.to_vector();
    for (int64_t j = 0; j < 9000; ++j) {
        if (j < 6000) pv[static_cast<size_t>(1 * 9000 + j)] = 0.0;      // row 1: zero except the last 3000
        if (j != 8999) pv[static_cast<size_t>(2 * 9000 + j)] = 0.0;     // row 2: only the last column
        if (j % 2) pv[static_cast<size_t>(3 * 9000 + j)] = 1e-30;       // row 3: tiny weights raised to 1
    }
    p = from_vector(pv, {5, 9000}, {DType::Float64});
    for (DType dt : {DType::Float64, DType::Float32, DType::Float16, DType::BFloat16}) {
        for (int64_t ns : {1, 2000}) {
            Generator a(5), b(5);
            const Tensor c = multinomial(p.to(dt), ns, true, &a);
            const Tensor g = gpu::multinomial(p.to(dt).to(Device::cuda()), ns, true, &b);
            EXPECT_TRUE(same_bytes(c, g)) << dtype_name(dt) << ", samples " << ns;
            EXPECT_EQ(a.offset(), b.offset());
        }
    }
    Tensor l = randn({3, 70001}, {}, &pg);
    std::vector<double> lv = l.to_vector();
    for (int64_t j = 0; j < 70001; j += 3) lv[static_cast<size_t>(j)] = -inf;  // row 0: every third -inf
    for (int64_t j = 0; j < 70000; ++j) lv[static_cast<size_t>(70001 + j)] = -inf;  // row 1: the last one only
    l = from_vector(lv, {3, 70001});
    for (DType dt : {DType::Float32, DType::Float64, DType::BFloat16}) {
        Generator a(6), b(6);
        EXPECT_TRUE(same_bytes(sample_logits(l.to(dt), 0.9, 300, &a), gpu::sample_logits(l.to(dt).to(Device::cuda()), 0.9, 300, &b)))
            << dtype_name(dt);
        EXPECT_EQ(a.offset(), b.offset());
    }
    const Tensor one_d = randn({4096}, {}, &pg);
    Generator a(7), b(7);
    EXPECT_TRUE(same_bytes(sample_logits(one_d, 2.0, 64, &a), gpu::sample_logits(one_d.to(Device::cuda()), 2.0, 64, &b)));
    // Errors in a wide row: the CPU's message, and the generator where the CPU leaves it.
    std::vector<double> bad = randn({4, 40000}, {}, &pg).to_vector();
    bad[static_cast<size_t>(2 * 40000 + 30000)] = std::numeric_limits<double>::quiet_NaN();
    const Tensor bl = from_vector(bad, {4, 40000});
    Generator c(8), d(8);
    const std::string ec = error_of([&] { sample_logits(bl, 1.0, 1, &c); });
    EXPECT_NE(ec, "(no error)");
    EXPECT_EQ(ec, error_of([&] { gpu::sample_logits(bl.to(Device::cuda()), 1.0, 1, &d); }));
    EXPECT_EQ(c.offset(), d.offset());
    std::vector<double> neg = rand({2, 5000}, {DType::Float64}, &pg).to_vector();
    neg[7000] = -0.5;
    const Tensor np = from_vector(neg, {2, 5000}, {DType::Float64});
    Generator e(9), f(9);
    EXPECT_EQ(error_of([&] { multinomial(np, 1, true, &e); }), error_of([&] { gpu::multinomial(np.to(Device::cuda()), 1, true, &f); }));
    EXPECT_EQ(e.offset(), f.offset());
}

TEST(GpuCategorical, ArgmaxAtTemperatureZero) {
    NL_REQUIRE_GPU();
    const Tensor v = from_vector({0.5, 3.0, 2.0, 3.0, -1.0, 7.0, 7.0, 1.0}, {2, 4});
    Generator a(1), b(1);
    const Tensor c = sample_logits(v, 0.0, 3, &a);
    const Tensor g = gpu::sample_logits(v.to(Device::cuda()), 0.0, 3, &b);
    EXPECT_TRUE(same_bytes(c, g));
    EXPECT_EQ(g.cpu().to_int_vector(), (std::vector<int64_t>{1, 1, 1, 1, 1, 1}));
    EXPECT_EQ(b.offset(), 0u);
}

TEST(GpuCategorical, MultinomialMatchesTheCpu) {
    NL_REQUIRE_GPU();
    Generator pg(4);
    const Tensor p = rand({16, 1000}, {DType::Float64}, &pg);
    for (bool repl : {true, false}) {
        Generator a(6), b(6);
        const Tensor c = multinomial(p, 20, repl, &a);
        const Tensor g = gpu::multinomial(p.to(Device::cuda()), 20, repl, &b);
        EXPECT_TRUE(same_bytes(c, g)) << "replacement " << repl;
        EXPECT_EQ(a.offset(), b.offset());
    }
    // Zero weights are never drawn; tiny weights are raised to 1 of 2^40 (Note [Integer weights]).
    const Tensor w = from_vector({0.0, 1e-20, 1.0, 0.0}, {4}, {DType::Float32});
    Generator a(8), b(8);
    EXPECT_TRUE(same_bytes(multinomial(w, 5000, true, &a), gpu::multinomial(w.to(Device::cuda()), 5000, true, &b)));
}

TEST(GpuCategorical, BackendHookMatchesTheCpuDraws) {
    NL_REQUIRE_GPU();
    Generator pg(5);
    const Tensor p = rand({3, 257}, {DType::Float64}, &pg);
    Backend& be = backend_for(Device::cuda());
    Tensor out = Tensor::empty({3, 11}, {DType::Int64, Device::cuda()});
    const Tensor pd = p.to(Device::cuda());
    Generator ref(12);
    const Tensor expected = multinomial(p, 11, true, &ref);
    ASSERT_TRUE(be.categorical(pd.data<double>(), 3, 257, 11, 12, 0, 0, out.data<int64_t>(), 0));
    EXPECT_TRUE(same_bytes(expected, out));
    // Wide rows take the wide kernels (no read-back of the row checks).
    const Tensor wide = rand({2, 5000}, {DType::Float64}, &pg);
    Tensor wout = Tensor::empty({2, 7}, {DType::Int64, Device::cuda()});
    const Tensor wd = wide.to(Device::cuda());
    Generator wref(13);
    const Tensor wexpected = multinomial(wide, 7, true, &wref);
    ASSERT_TRUE(be.categorical(wd.data<double>(), 2, 5000, 7, 13, 0, 0, wout.data<int64_t>(), 0));
    EXPECT_TRUE(same_bytes(wexpected, wout));
}

// Without replacement (race_kernels.cu: transforms.h's race keys, a stable segmented sort): the
// CPU's draws through the backend hook and through gpu::multinomial, for narrow and wide rows,
// all categories, a third of the weights zero, every floating dtype, and 64 x 50,000.
TEST(GpuCategorical, WithoutReplacementIsTheCpusRace) {
    NL_REQUIRE_GPU();
    Generator pg(14);
    Backend& be = backend_for(Device::cuda());
    const Tensor p = rand({5, 3000}, {DType::Float64}, &pg);
    for (int64_t n : {1, 17, 3000}) {
        Tensor out = Tensor::empty({5, n}, {DType::Int64, Device::cuda()});
        Generator ref(15);
        const Tensor expected = multinomial(p, n, false, &ref);
        ASSERT_TRUE(be.categorical_without_replacement(p.to(Device::cuda()).data<double>(), 5, 3000, n, 15, 0, 0,
                                                       out.data<int64_t>(), 0));
        EXPECT_TRUE(same_bytes(expected, out)) << "n = " << n;
    }
    Tensor sparse = rand({3, 999}, {DType::Float64}, &pg).contiguous();
    for (int64_t i = 0; i < sparse.numel(); i += 3) sparse.data<double>()[i] = 0.0;
    for (DType dt : {DType::Float64, DType::Float32, DType::Float16, DType::BFloat16}) {
        const Tensor s = sparse.to(dt);
        Generator a(16), b(16), c(16);
        const Tensor want = multinomial(s, 600, false, &a);
        EXPECT_TRUE(same_bytes(want, multinomial(s.to(Device::cuda()), 600, false, &b))) << dtype_name(dt);
        EXPECT_TRUE(same_bytes(want, gpu::multinomial(s.to(Device::cuda()), 600, false, &c))) << dtype_name(dt);
        EXPECT_EQ(a.offset(), b.offset());
        EXPECT_EQ(a.offset(), c.offset());
    }
    if (gpu_test::small_sizes()) return;  // the 64 x 50,000 sort under compute-sanitizer: too slow
    const Tensor wide = softmax(logits_64x50000() / 0.8, -1);
    Generator a(18), b(18);
    EXPECT_TRUE(same_bytes(multinomial(wide, 8, false, &a), multinomial(wide.to(Device::cuda()), 8, false, &b)));
}

// The public nl::multinomial / nl::sample_logits given CUDA tensors draw through the backend's
// kernel (tensor/random.cpp): the result stays on the GPU and has the CPU's draws.
TEST(GpuCategorical, PublicOpsOnCudaTensorsDrawOnTheGpu) {
    NL_REQUIRE_GPU();
    Generator pg(7);
    const Tensor p = rand({8, 300}, {DType::Float64}, &pg), logits = randn({8, 300}, {}, &pg);
    for (bool repl : {true, false}) {
        Generator a(9), b(9);
        const Tensor c = multinomial(p, 12, repl, &a), g = multinomial(p.to(Device::cuda()), 12, repl, &b);
        EXPECT_TRUE(g.device().is_cuda());
        EXPECT_TRUE(same_bytes(c, g)) << "replacement " << repl;
        EXPECT_EQ(a.offset(), b.offset());
    }
    Generator a(10), b(10);
    const Tensor g = sample_logits(logits.to(Device::cuda()), 0.8, 3, &b);
    EXPECT_TRUE(g.device().is_cuda());
    EXPECT_TRUE(same_bytes(sample_logits(logits, 0.8, 3, &a), g));
}


TEST(GpuCategorical, ErrorsAreTheCpuErrors) {
    NL_REQUIRE_GPU();
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const std::vector<std::pair<Tensor, int64_t>> bad_probs = {
        {from_vector({0.2, nan, 0.3}, {3}), 1},
        {from_vector({0.2, 0.1, -0.3, 1.0}, {2, 2}), 1},
        {from_vector({0.0, 0.0, 1.0, 1.0}, {2, 2}), 1},
        {from_vector({0.2, inf}, {2}), 1},
        {from_vector({1.0, 2.0}, {2}), 0},
        {from_vector({1.0}, {1, 1, 1}), 1},
    };
    for (const auto& [p, ns] : bad_probs) {
        Generator a(1), b(1);
        const std::string ec = error_of([&] { multinomial(p, ns, true, &a); });
        const std::string eg = error_of([&] { gpu::multinomial(p.to(Device::cuda()), ns, true, &b); });
        EXPECT_NE(ec, "(no error)");
        EXPECT_EQ(ec, eg);
        EXPECT_EQ(a.offset(), b.offset());
    }
    // Without replacement: too few non-zero categories.
    const Tensor sparse = from_vector({0.0, 1.0, 0.0, 1.0}, {4});
    Generator a(1), b(1);
    EXPECT_EQ(error_of([&] { multinomial(sparse, 3, false, &a); }),
              error_of([&] { gpu::multinomial(sparse.to(Device::cuda()), 3, false, &b); }));
    // Logits: NaN, +inf, every logit -inf, bad temperature.
    const std::vector<Tensor> bad_logits = {from_vector({0.2, nan}, {2}), from_vector({0.2, inf}, {2}),
                                            from_vector({1.0, 2.0, -inf, -inf}, {2, 2})};
    for (const Tensor& l : bad_logits) {
        Generator c(1), d(1);
        const std::string ec = error_of([&] { sample_logits(l, 1.0, 1, &c); });
        EXPECT_NE(ec, "(no error)");
        EXPECT_EQ(ec, error_of([&] { gpu::sample_logits(l.to(Device::cuda()), 1.0, 1, &d); }));
        EXPECT_EQ(c.offset(), d.offset());
    }
    const Tensor ok = from_vector({1.0, 2.0}, {2});
    EXPECT_EQ(error_of([&] { sample_logits(ok, -1.0, 1); }), error_of([&] { gpu::sample_logits(ok.to(Device::cuda()), -1.0, 1); }));
    EXPECT_THROW(gpu::sample_logits(ok, 1.0, 1), DeviceError);  // a CPU tensor
}

}  // namespace
}  // namespace nl
