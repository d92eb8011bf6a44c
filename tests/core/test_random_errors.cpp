// Bad input of the random ops (tensor/random.h): every error case of tensor/random.cpp and of
// PyTorch's equivalents raises the documented nl:: exception type, its message names the bad value
// (and the valid range where there is one), the generator has not moved, and nothing large was
// allocated before the check.
#include <gtest/gtest.h>

#include <malloc.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <typeinfo>
#include <vector>

#include "tensor/errors.h"
#include "tensor/parallel.h"
#include "tensor/random.h"

namespace {

using nl::DType;
using nl::Generator;
using nl::Tensor;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

size_t heap_in_use() {
    const struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

// Runs f with a fresh local generator and expects exception E whose message contains every string
// of `needles`; the generator must not have moved and the heap must not have grown by > 1 MiB.
template <class E>
void expect_error(const std::string& what, const std::function<void(Generator&)>& f,
                  const std::vector<std::string>& needles) {
    SCOPED_TRACE(what);
    Generator g(123);
    const size_t heap_before = heap_in_use();
    try {
        f(g);
        ADD_FAILURE() << what << ": no exception";
        return;
    } catch (const E& e) {
        const std::string msg = e.what();
        for (const std::string& n : needles)
            EXPECT_NE(msg.find(n), std::string::npos) << what << ": message \"" << msg << "\" does not name \"" << n << "\"";
    } catch (const std::exception& e) {
        ADD_FAILURE() << what << ": expected " << typeid(E).name() << ", got " << typeid(e).name() << ": " << e.what();
        return;
    }
    EXPECT_EQ(g.offset(), 0u) << what << ": the generator moved before the error";
    const size_t heap_after = heap_in_use();
    EXPECT_LT(heap_after, heap_before + (1u << 20)) << what << ": " << heap_after - heap_before << " bytes still allocated";
}

Tensor f32(std::initializer_list<double> v) { return nl::tensor(v); }

TEST(RandomErrors, Randint) {
    expect_error<nl::ValueError>("randint low == high", [](Generator& g) { nl::randint(5, 5, {3}, {DType::Int64}, &g); },
                                 {"low=5", "high=5"});
    expect_error<nl::ValueError>("randint low > high", [](Generator& g) { nl::randint(7, -2, {3}, {DType::Int64}, &g); },
                                 {"low=7", "high=-2"});
    expect_error<nl::ValueError>("randint(high=0)", [](Generator& g) { nl::randint(0, {3}, {DType::Int64}, &g); },
                                 {"high=0"});
    expect_error<nl::ValueError>("randint uint8 high", [](Generator& g) { nl::randint(0, 300, {3}, {DType::UInt8}, &g); },
                                 {"299", "uint8", "[0, 255]"});
    expect_error<nl::ValueError>("randint uint8 low", [](Generator& g) { nl::randint(-1, 5, {3}, {DType::UInt8}, &g); },
                                 {"low=-1", "uint8"});
    expect_error<nl::ValueError>("randint float16 range", [](Generator& g) { nl::randint(0, 3000, {3}, {DType::Float16}, &g); },
                                 {"2999", "float16", "2048"});
    expect_error<nl::ValueError>("randint bool range", [](Generator& g) { nl::randint(0, 3, {3}, {DType::Bool}, &g); },
                                 {"bool", "[0, 1]"});
    expect_error<nl::ValueError>("random_ from >= to", [](Generator& g) {
        Tensor t = nl::empty({4}, {DType::Int32});
        nl::random_(t, 3, 3, &g);
    }, {"from=3", "to=3"});
    expect_error<nl::ShapeError>("randint negative size", [](Generator& g) { nl::randint(0, 5, {3, -2}, {DType::Int64}, &g); },
                                 {"-2"});
}

TEST(RandomErrors, Bernoulli) {
    for (double p : {-0.1, 1.5, kNaN, kInf}) {
        const std::string ps = std::isnan(p) ? "nan" : std::isinf(p) ? "inf" : p < 0 ? "-0.1" : "1.5";
        expect_error<nl::ValueError>("bernoulli_ p=" + ps, [p](Generator& g) {
            Tensor t = nl::empty({4});
            nl::bernoulli_(t, p, &g);
        }, {ps, "[0, 1]"});
        expect_error<nl::ValueError>("bernoulli(p, shape) p=" + ps, [p](Generator& g) { nl::bernoulli(p, {4}, {}, &g); },
                                     {ps});
        expect_error<nl::ValueError>("bernoulli(like, p) p=" + ps, [p](Generator& g) { nl::bernoulli(nl::zeros({4}), p, &g); },
                                     {ps});
        expect_error<nl::ValueError>("bernoulli(p tensor) with " + ps, [p](Generator& g) {
            nl::bernoulli(nl::tensor({0.5, p, 0.25}, {DType::Float64}), &g);
        }, {ps});
    }
    expect_error<nl::DTypeError>("bernoulli(int p)", [](Generator& g) { nl::bernoulli(nl::zeros({3}, {DType::Int64}), &g); },
                                 {"int64"});
}

TEST(RandomErrors, Multinomial) {
    const Tensor good = f32({0.2, 0.3, 0.5});
    expect_error<nl::ValueError>("negative probability", [](Generator& g) { nl::multinomial(f32({0.2, -0.5, 1.0}), 1, true, &g); },
                                 {"-0.5", ">= 0"});
    expect_error<nl::ValueError>("NaN probability", [](Generator& g) { nl::multinomial(f32({0.2, kNaN}), 1, true, &g); },
                                 {"nan"});
    expect_error<nl::ValueError>("inf probability", [](Generator& g) { nl::multinomial(f32({kInf, 1.0}), 1, true, &g); },
                                 {"inf"});
    expect_error<nl::ValueError>("all-zero row", [](Generator& g) {
        nl::multinomial(nl::tensor({1.0, 2.0, 0.0, 0.0}).reshape({2, 2}), 1, true, &g);
    }, {"row 1", "sum"});
    for (int64_t ns : {0, -3})
        expect_error<nl::ValueError>("num_samples " + std::to_string(ns),
                                     [&](Generator& g) { nl::multinomial(good, ns, true, &g); }, {std::to_string(ns)});
    expect_error<nl::ValueError>("more samples than categories without replacement",
                                 [&](Generator& g) { nl::multinomial(good, 4, false, &g); }, {"4", "3"});
    expect_error<nl::ValueError>("too few non-zero categories", [](Generator& g) {
        nl::multinomial(f32({0.0, 0.3, 0.0, 0.5}), 3, false, &g);
    }, {"2 non-zero", "3 samples"});
    expect_error<nl::ShapeError>("0-d probabilities", [](Generator& g) { nl::multinomial(nl::full({}, 1.0), 1, true, &g); },
                                 {"[]"});
    expect_error<nl::ShapeError>("3-d probabilities", [](Generator& g) { nl::multinomial(nl::ones({2, 2, 2}), 1, true, &g); },
                                 {"[2, 2, 2]"});
    expect_error<nl::ShapeError>("no categories", [](Generator& g) { nl::multinomial(nl::ones({0}), 1, true, &g); },
                                 {"categories"});
    expect_error<nl::ShapeError>("too many categories", [](Generator& g) {
        nl::multinomial(nl::ones({(int64_t(1) << 23) + 1}), 1, true, &g);
    }, {"8388609", "8388608"});
    expect_error<nl::DTypeError>("integer probabilities", [](Generator& g) {
        nl::multinomial(nl::ones({3}, {DType::Int64}), 1, true, &g);
    }, {"int64"});
    expect_error<nl::MemoryError>("huge num_samples", [&](Generator& g) { nl::multinomial(good, int64_t(1) << 42, true, &g); },
                                  {"TiB"});
}

TEST(RandomErrors, NormalFamily) {
    for (double s : {-1.0, kNaN, kInf}) {
        const std::string ss = std::isnan(s) ? "nan" : std::isinf(s) ? "inf" : "-1";
        expect_error<nl::ValueError>("normal_ std=" + ss, [s](Generator& g) {
            Tensor t = nl::empty({4});
            nl::normal_(t, 0.0, s, &g);
        }, {ss, "std"});
        expect_error<nl::ValueError>("normal(mean, std, shape) std=" + ss,
                                     [s](Generator& g) { nl::normal(0.0, s, {4}, {}, &g); }, {ss});
        expect_error<nl::ValueError>("normal(Tensor, double) std=" + ss,
                                     [s](Generator& g) { nl::normal(nl::zeros({4}), s, &g); }, {ss});
        expect_error<nl::ValueError>("normal(double, Tensor) std element " + ss,
                                     [s](Generator& g) { nl::normal(0.0, nl::tensor({1.0, s}, {DType::Float64}), &g); }, {ss});
        expect_error<nl::ValueError>("normal(Tensor, Tensor) std element " + ss, [s](Generator& g) {
            nl::normal(nl::zeros({2}), nl::tensor({1.0, s}, {DType::Float64}), &g);
        }, {ss});
        expect_error<nl::ValueError>("log_normal_ std=" + ss, [s](Generator& g) {
            Tensor t = nl::empty({4});
            nl::log_normal_(t, 0.0, s, &g);
        }, {ss});
    }
    expect_error<nl::ValueError>("log_normal_ std=0", [](Generator& g) {
        Tensor t = nl::empty({4});
        nl::log_normal_(t, 0.0, 0.0, &g);
    }, {"std=0", "> 0"});
    expect_error<nl::ValueError>("normal_ mean=inf", [](Generator& g) {
        Tensor t = nl::empty({4});
        nl::normal_(t, kInf, 1.0, &g);
    }, {"mean", "inf"});
    // float32 / 16-bit values are computed in float32: parameters beyond its range are refused
    // (they would give infinities and NaNs); float64 tensors take them.
    expect_error<nl::ValueError>("normal_ std=1e39 float32", [](Generator& g) {
        Tensor t = nl::empty({4});
        nl::normal_(t, 0.0, 1e39, &g);
    }, {"std=1e+39", "float32", "3.40282e+38"});
    expect_error<nl::ValueError>("normal(mean, std, shape) mean=1e39 bfloat16", [](Generator& g) {
        nl::normal(1e39, 1.0, {2}, {DType::BFloat16}, &g);
    }, {"mean=1e+39", "bfloat16"});
    expect_error<nl::ValueError>("log_normal_ mean=-1e39 float16", [](Generator& g) {
        Tensor t = nl::empty({4}, {DType::Float16});
        nl::log_normal_(t, -1e39, 1.0, &g);
    }, {"mean=-1e+39"});
    expect_error<nl::ValueError>("cauchy_ sigma=1e39 float32", [](Generator& g) {
        Tensor t = nl::empty({4});
        nl::cauchy_(t, 0.0, 1e39, &g);
    }, {"sigma=1e+39"});
    // The mixed forms' scalar too (it reaches the kernel as a float64 tensor of one element).
    expect_error<nl::ValueError>("normal(Tensor, double) std=1e39 float32", [](Generator& g) {
        nl::normal(nl::zeros({3}), 1e39, &g);
    }, {"std=1e+39", "float32"});
    expect_error<nl::ValueError>("normal(double, Tensor) mean=-1e39 float16", [](Generator& g) {
        nl::normal(-1e39, nl::ones({3}, {DType::Float16}), &g);
    }, {"mean=-1e+39", "float16"});
    {
        Tensor t64 = nl::empty({4}, {DType::Float64});
        nl::normal_(t64, 0.0, 1e39);
        EXPECT_TRUE(std::isfinite(t64.to_vector()[0])) << "float64 tensors keep such parameters";
        EXPECT_TRUE(std::isfinite(nl::normal(nl::zeros({3}, {DType::Float64}), 1e39).to_vector()[0]));
        EXPECT_TRUE(std::isfinite(nl::normal(1e39, nl::ones({3}, {DType::Float64})).to_vector()[0]));
    }
    expect_error<nl::ValueError>("normal(double, Tensor) mean=nan",
                                 [](Generator& g) { nl::normal(kNaN, nl::ones({2}), &g); }, {"mean", "nan"});
    expect_error<nl::ShapeError>("normal(Tensor, Tensor) shapes", [](Generator& g) {
        nl::normal(nl::zeros({3}), nl::ones({4}), &g);
    }, {"[3]", "[4]"});
    expect_error<nl::DTypeError>("normal(int mean)", [](Generator& g) {
        nl::normal(nl::zeros({3}, {DType::Int64}), nl::ones({3}), &g);
    }, {"int64"});
    expect_error<nl::DTypeError>("normal(int mean, double)", [](Generator& g) {
        nl::normal(nl::zeros({3}, {DType::Int32}), 1.0, &g);
    }, {"int32"});
    expect_error<nl::DTypeError>("normal(double, int std)", [](Generator& g) {
        nl::normal(0.0, nl::ones({3}, {DType::UInt8}), &g);
    }, {"uint8"});
}

TEST(RandomErrors, OtherDistributions) {
    for (double l : {0.0, -2.0, kNaN, kInf}) {
        const std::string ls = std::isnan(l) ? "nan" : std::isinf(l) ? "inf" : l == 0 ? "lambda=0" : "-2";
        expect_error<nl::ValueError>("exponential_ " + ls, [l](Generator& g) {
            Tensor t = nl::empty({4});
            nl::exponential_(t, l, &g);
        }, {ls});
    }
    for (double s : {0.0, -1.0, kNaN}) {
        const std::string ss = std::isnan(s) ? "nan" : s == 0 ? "sigma=0" : "-1";
        expect_error<nl::ValueError>("cauchy_ " + ss, [s](Generator& g) {
            Tensor t = nl::empty({4});
            nl::cauchy_(t, 0.0, s, &g);
        }, {ss});
    }
    for (double p : {0.0, 1.0, -0.5, kNaN}) {
        const std::string ps = std::isnan(p) ? "nan" : p == 0 ? "p=0" : p == 1 ? "p=1" : "-0.5";
        expect_error<nl::ValueError>("geometric_ " + ps, [p](Generator& g) {
            Tensor t = nl::empty({4});
            nl::geometric_(t, p, &g);
        }, {ps, "(0, 1)"});
    }
    expect_error<nl::DTypeError>("geometric_ bool", [](Generator& g) {
        Tensor t = nl::empty({4}, {DType::Bool});
        nl::geometric_(t, 0.5, &g);
    }, {"bool"});
    for (double r : {-1.0, kNaN, kInf}) {
        const std::string rs = std::isnan(r) ? "nan" : std::isinf(r) ? "inf" : "-1";
        expect_error<nl::ValueError>("poisson rate " + rs,
                                     [r](Generator& g) { nl::poisson(nl::tensor({1.0, r}), &g); }, {rs, ">= 0"});
    }
    expect_error<nl::DTypeError>("poisson int rates", [](Generator& g) { nl::poisson(nl::ones({2}, {DType::Int64}), &g); },
                                 {"int64"});
    expect_error<nl::ValueError>("uniform_ from > to", [](Generator& g) {
        Tensor t = nl::empty({4});
        nl::uniform_(t, 2.0, 1.0, &g);
    }, {"from=2", "to=1"});
    expect_error<nl::ValueError>("uniform_ from nan", [](Generator& g) {
        Tensor t = nl::empty({4});
        nl::uniform_(t, kNaN, 1.0, &g);
    }, {"from", "nan"});
    expect_error<nl::ValueError>("uniform_ to inf", [](Generator& g) {
        Tensor t = nl::empty({4});
        nl::uniform_(t, 0.0, kInf, &g);
    }, {"to", "inf"});
    expect_error<nl::ValueError>("uniform_ float16 range", [](Generator& g) {
        Tensor t = nl::empty({4}, {DType::Float16});
        nl::uniform_(t, -40000.0, 40000.0, &g);
    }, {"65504", "float16"});
}

TEST(RandomErrors, Temperature) {
    const Tensor logits = f32({0.1, 2.0, -1.0});
    for (double t : {-0.5, kNaN, kInf, -kInf}) {
        const std::string ts = std::isnan(t) ? "nan" : std::isinf(t) ? "inf" : "-0.5";
        expect_error<nl::ValueError>("sample_logits T=" + ts, [&](Generator& g) { nl::sample_logits(logits, t, 1, &g); },
                                     {ts, ">= 0"});
        expect_error<nl::ValueError>("softmax_with_temperature T=" + ts,
                                     [&](Generator&) { nl::softmax_with_temperature(logits, t); }, {ts});
    }
    expect_error<nl::ValueError>("NaN logit", [](Generator& g) { nl::sample_logits(f32({0.0, kNaN}), 1.0, 1, &g); },
                                 {"nan", "column 1"});
    expect_error<nl::ValueError>("+inf logit", [](Generator& g) { nl::sample_logits(f32({kInf, 0.0}), 1.0, 1, &g); },
                                 {"inf", "column 0"});
    expect_error<nl::ValueError>("all -inf row", [](Generator& g) {
        nl::sample_logits(nl::tensor({0.0, 1.0, -kInf, -kInf}).reshape({2, 2}), 1.0, 1, &g);
    }, {"row 1", "-inf"});
    expect_error<nl::ValueError>("num_samples 0", [&](Generator& g) { nl::sample_logits(logits, 1.0, 0, &g); }, {"0"});
    expect_error<nl::ShapeError>("3-d logits", [](Generator& g) { nl::sample_logits(nl::ones({2, 2, 2}), 1.0, 1, &g); },
                                 {"[2, 2, 2]"});
}

TEST(RandomErrors, UnsupportedDtypes) {
    for (DType d : {DType::Int64, DType::Int32, DType::UInt8, DType::Bool}) {
        const std::string name = nl::dtype_name(d);
        expect_error<nl::DTypeError>("rand " + name, [d](Generator& g) { nl::rand({3}, {d}, &g); }, {name, "float32"});
        expect_error<nl::DTypeError>("randn " + name, [d](Generator& g) { nl::randn({3}, {d}, &g); }, {name});
        expect_error<nl::DTypeError>("normal " + name, [d](Generator& g) { nl::normal(0.0, 1.0, {3}, {d}, &g); }, {name});
        for (const char* op : {"uniform_", "normal_", "exponential_", "log_normal_", "cauchy_"}) {
            expect_error<nl::DTypeError>(std::string(op) + " " + name, [d, op](Generator& g) {
                Tensor t = nl::zeros({3}, {d});
                const std::string o = op;
                if (o == "uniform_") nl::uniform_(t, 0.0, 1.0, &g);
                else if (o == "normal_") nl::normal_(t, 0.0, 1.0, &g);
                else if (o == "exponential_") nl::exponential_(t, 1.0, &g);
                else if (o == "log_normal_") nl::log_normal_(t, 0.0, 1.0, &g);
                else nl::cauchy_(t, 0.0, 1.0, &g);
            }, {name});
        }
        expect_error<nl::DTypeError>("rand_like " + name, [d](Generator& g) { nl::rand_like(nl::zeros({3}, {d}), &g); }, {name});
    }
    expect_error<nl::DTypeError>("randperm bool", [](Generator& g) { nl::randperm(4, {DType::Bool}, &g); }, {"bool"});
    expect_error<nl::ValueError>("randperm float16 too long", [](Generator& g) { nl::randperm(5000, {DType::Float16}, &g); },
                                 {"4999", "float16"});
}

TEST(RandomErrors, SizesAndMemory) {
    expect_error<nl::ShapeError>("negative size", [](Generator& g) { nl::rand({-1}, {}, &g); }, {"-1", ">= 0"});
    expect_error<nl::ShapeError>("negative size in randn", [](Generator& g) { nl::randn({4, -7}, {}, &g); }, {"-7"});
    expect_error<nl::ValueError>("randperm negative n", [](Generator& g) { nl::randperm(-3, {DType::Int64}, &g); }, {"-3"});
    // element count beyond int64
    expect_error<nl::ShapeError>("numel overflow", [](Generator& g) { nl::rand({int64_t(1) << 62, 4}, {}, &g); },
                                 {"2^63"});
    // No elements, but a stride (the product of the sizes after it, zeros counted as 1) beyond
    // int64: refused. The shape fuzz_npy found is fine for a tensor (its first size enters no
    // stride) and, under UBSan (CI's sanitized build), makes no overflow on the way.
    expect_error<nl::ShapeError>("zero-size shape whose strides overflow",
                                 [](Generator& g) { nl::rand({2, 0, int64_t(1) << 40, int64_t(1) << 40}, {}, &g); },
                                 {"2^63", "strides"});
    EXPECT_EQ(nl::rand({14000000, 0, 801, 2370752836200}).numel(), 0);
    // byte count beyond 2^63 (2^61 float32 elements)
    expect_error<nl::MemoryError>("byte overflow", [](Generator& g) { nl::rand({int64_t(1) << 61}, {}, &g); },
                                  {"2^63 bytes"});
    // larger than the machine: the message names the bytes needed
    expect_error<nl::MemoryError>("rand 4 TiB", [](Generator& g) { nl::rand({int64_t(1) << 40}, {}, &g); },
                                  {"4.00 TiB", "available"});
    expect_error<nl::MemoryError>("randn float64 8 TiB",
                                  [](Generator& g) { nl::randn({int64_t(1) << 40}, {DType::Float64}, &g); }, {"8.00 TiB"});
    expect_error<nl::MemoryError>("randint 8 TiB",
                                  [](Generator& g) { nl::randint(0, 9, {int64_t(1) << 40}, {DType::Int64}, &g); }, {"8.00 TiB"});
    expect_error<nl::MemoryError>("randperm 8 TiB", [](Generator& g) { nl::randperm(int64_t(1) << 40, {DType::Int64}, &g); },
                                  {"8.00 TiB"});
    expect_error<nl::MemoryError>("bernoulli 1 TiB",
                                  [](Generator& g) { nl::bernoulli(0.5, {int64_t(1) << 40}, {DType::Bool}, &g); }, {"1.00 TiB"});
}

TEST(RandomErrors, ErrorsLeaveTheDefaultGeneratorAlone) {
    nl::manual_seed(9);
    const std::vector<uint8_t> before = nl::default_generator().get_state();
    EXPECT_THROW(nl::rand({-1}), nl::ShapeError);
    EXPECT_THROW(nl::randint(3, 3, {2}), nl::ValueError);
    EXPECT_THROW(nl::multinomial(f32({0.0, 0.0}), 1, true), nl::ValueError);
    EXPECT_THROW(nl::sample_logits(f32({1.0}), -1.0), nl::ValueError);
    EXPECT_THROW(nl::randperm(int64_t(1) << 40), nl::MemoryError);
    EXPECT_EQ(nl::default_generator().get_state(), before);
}

TEST(RandomErrors, ThreadCount) {
    const int saved = nl::get_num_threads();
    for (int n : {0, -1, 1025}) {
        try {
            nl::set_num_threads(n);
            ADD_FAILURE() << n << " threads accepted";
        } catch (const nl::ValueError& e) {
            EXPECT_NE(std::string(e.what()).find(std::to_string(n)), std::string::npos) << e.what();
        }
    }
    EXPECT_EQ(nl::get_num_threads(), saved);
}

}  // namespace
