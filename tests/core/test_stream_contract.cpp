// The random stream contract (DESIGN.md, docs/STREAMS.md) for every op and dtype of
// tensor/random.h, through the catalogue in op_catalog.h: offsets advance by exactly the
// documented number of blocks; prefix and batch stability; reseeding and get/set_state reproduce;
// local generators leave the default one alone; other stream ids give other values; in-place ops
// on non-contiguous views equal fresh tensors; the thread count never changes a byte.
// One TEST per property, looping over the catalogue (SCOPED_TRACE names op and dtype), so ctest
// runs a dozen processes rather than thousands.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "op_catalog.h"
#include "tensor/errors.h"
#include "tensor/parallel.h"

namespace {

using nl::DType;
using nl::Generator;
using nl::Shape;
using nl::Tensor;
using nl::testing::OpCase;
using nl::testing::op_catalog;
using nl::testing::tensor_bytes;

std::string label(const OpCase& op, DType d) { return op.name + " / " + nl::dtype_name(d); }

bool fits(const OpCase& op, DType d, int64_t numel_or_samples) {
    if (!op.max_numel) return true;
    const int64_t m = op.max_numel(d);
    return m == 0 || numel_or_samples <= m;
}

bool categorical(const OpCase& op) { return op.name.rfind("multinomial", 0) == 0 || op.name == "sample_logits"; }

// Elements per block of an elementwise op (4 or 2), from its documented block count.
int64_t per_block(const OpCase& op, DType d) { return 4 / static_cast<int64_t>(op.blocks({4}, d)); }

// Bytes of elements [from, from + count) of a flat tensor of element size es.
std::vector<uint8_t> slice_bytes(const std::vector<uint8_t>& b, size_t es, int64_t from, int64_t count) {
    return std::vector<uint8_t>(b.begin() + from * es, b.begin() + (from + count) * es);
}

// Calls f(op, dtype) for every op and dtype, with a trace naming them.
template <class F>
void for_each_op(F&& f) {
    for (const OpCase& op : op_catalog()) {
        for (DType d : op.dtypes) {
            SCOPED_TRACE(label(op, d));
            try {
                f(op, d);
            } catch (const std::exception& e) {
                ADD_FAILURE() << label(op, d) << " threw: " << e.what();
            }
        }
    }
}

constexpr uint64_t kSeed = 0x5EEDF00D12345678ull;

TEST(StreamContract, CatalogueCoversEveryOpOfRandomH) {
    // A reminder to extend op_catalog.cpp with tensor/random.h: every public op has an entry.
    std::vector<std::string> names;
    for (const OpCase& op : op_catalog()) names.push_back(op.name);
    for (const char* required :
         {"rand", "randn", "randint", "randperm", "bernoulli_tensor", "bernoulli_like", "bernoulli_shape",
          "multinomial_replacement", "multinomial_no_replacement", "normal_tensor_tensor", "normal_tensor_scalar",
          "normal_scalar_tensor", "normal_scalar", "poisson_small", "poisson_large", "uniform_", "normal_",
          "exponential_", "log_normal_", "cauchy_", "geometric_", "bernoulli_", "random_", "rand_like", "randn_like",
          "randint_like", "sample_logits"})
        EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
}

TEST(StreamContract, OffsetAdvancesByTheDocumentedBlocks) {
    for_each_op([](const OpCase& op, DType d) {
        for (const Shape& s : std::vector<Shape>{{1}, {2}, {3}, {4}, {5}, {7}, {8}, {9}, {33}, {3, 5}, {2, 3, 7}, {0}}) {
            if (!fits(op, d, s.back())) continue;
            if ((op.name == "randperm" && s.size() > 1) || (categorical(op) && s.size() > 2)) continue;
            if (s == Shape{0} && (!op.elementwise || categorical(op))) continue;  // num_samples > 0
            Generator g(kSeed);
            g.set_offset(11);
            op.run(s, d, g);
            EXPECT_EQ(g.offset(), 11 + op.blocks(s, d)) << "shape " << nl::shape_str(s);
        }
    });
}

TEST(StreamContract, PrefixStability) {
    for_each_op([](const OpCase& op, DType d) {
        if (!op.elementwise) return;
        Generator g0(kSeed);
        const Tensor big = op.run({1001}, d, g0);
        const std::vector<uint8_t> bb = tensor_bytes(big);
        const size_t es = nl::dtype_size(big.dtype());
        for (int64_t n : {1, 2, 3, 5, 37, 1000}) {
            Generator g(kSeed);
            const std::vector<uint8_t> small = tensor_bytes(op.run({n}, d, g));
            EXPECT_EQ(small, slice_bytes(bb, es, 0, n)) << "first " << n << " of 1001";
        }
    });
}

TEST(StreamContract, BatchStability) {
    // Image j of a [B, 3, 4, 5] batch does not depend on B; for the categorical ops, row r of a
    // [R, num_samples] draw does not depend on R.
    for_each_op([](const OpCase& op, DType d) {
        if (!op.elementwise && !categorical(op)) return;  // randperm
        const Shape item = categorical(op) ? Shape{4} : Shape{3, 4, 5};
        auto batch = [&](int64_t b) {
            Shape s{b};
            s.insert(s.end(), item.begin(), item.end());
            Generator g(kSeed);
            return tensor_bytes(op.run(s, d, g));
        };
        const std::vector<uint8_t> b5 = batch(5);
        const size_t item_bytes = b5.size() / 5;
        for (int64_t b : {1, 2, 4}) {
            const std::vector<uint8_t> bb = batch(b);
            ASSERT_EQ(bb.size(), item_bytes * static_cast<size_t>(b));
            EXPECT_TRUE(std::equal(bb.begin(), bb.end(), b5.begin())) << "batch " << b << " vs 5";
        }
    });
}

TEST(StreamContract, OffsetShiftsTheStream) {
    // Running at offset o equals elements [o * per, o * per + n) of a run from offset 0; and two
    // consecutive ops never share a block (the second starts at the next whole block).
    for_each_op([](const OpCase& op, DType d) {
        if (!op.elementwise || categorical(op) || op.indexed_params) return;
        const int64_t per = per_block(op, d);
        Generator probe(kSeed);
        const size_t es = nl::dtype_size(op.run({1}, d, probe).dtype());
        for (uint64_t o : {1ull, 3ull, 10ull}) {
            Generator g(kSeed);
            g.set_offset(o);
            const std::vector<uint8_t> shifted = tensor_bytes(op.run({13}, d, g));
            Generator g0(kSeed);
            const std::vector<uint8_t> full = tensor_bytes(op.run({static_cast<int64_t>(o) * per + 13}, d, g0));
            EXPECT_EQ(shifted, slice_bytes(full, es, static_cast<int64_t>(o) * per, 13)) << "offset " << o;
        }
        Generator g(kSeed);
        op.run({3}, d, g);
        const std::vector<uint8_t> second = tensor_bytes(op.run({5}, d, g));
        Generator g0(kSeed);
        const int64_t skip = per * static_cast<int64_t>(op.blocks({3}, d));  // whole blocks of the first op
        const std::vector<uint8_t> full = tensor_bytes(op.run({skip + 5}, d, g0));
        EXPECT_EQ(second, slice_bytes(full, es, skip, 5)) << "the op after a 3-element op starts at a new block";
    });
}

TEST(StreamContract, ReseedingReproduces) {
    for_each_op([](const OpCase& op, DType d) {
        const Shape s = op.elementwise ? Shape{2, 17} : Shape{7};
        nl::manual_seed(1234);
        const std::vector<uint8_t> a = tensor_bytes(op.run(s, d, nl::default_generator()));
        const std::vector<uint8_t> a2 = tensor_bytes(op.run(s, d, nl::default_generator()));
        nl::manual_seed(1234);
        EXPECT_EQ(tensor_bytes(op.run(s, d, nl::default_generator())), a);
        EXPECT_EQ(tensor_bytes(op.run(s, d, nl::default_generator())), a2);
        Generator local(99);
        local.manual_seed(1234);
        EXPECT_EQ(tensor_bytes(op.run(s, d, local)), a) << "a local generator with the same seed";
        nl::manual_seed(1235);
        EXPECT_NE(tensor_bytes(op.run(s, d, nl::default_generator())), a) << "another seed";
    });
}

TEST(StreamContract, LocalGeneratorLeavesDefaultUntouched) {
    nl::manual_seed(777);
    nl::default_generator().set_offset(5);
    const std::vector<uint8_t> before = nl::default_generator().get_state();
    for_each_op([&](const OpCase& op, DType d) {
        Generator local(kSeed);
        op.run({9}, d, local);
        EXPECT_EQ(nl::default_generator().get_state(), before);
        EXPECT_GT(local.offset(), 0u);
    });
}

TEST(StreamContract, DefaultGeneratorIsUsedWithoutALocalOne) {
    // The nullptr path of the public functions reads and advances the default CPU generator.
    nl::manual_seed(31);
    const Tensor a = nl::rand({10});
    const Tensor b = nl::randn({6}, {DType::Float64});
    const Tensor c = nl::randint(0, 7, {5});
    const Tensor p = nl::randperm(9);
    EXPECT_EQ(nl::default_generator().offset(), 3u + 3u + 2u + 5u);
    Generator g(31);
    EXPECT_EQ(tensor_bytes(nl::rand({10}, {}, &g)), tensor_bytes(a));
    EXPECT_EQ(tensor_bytes(nl::randn({6}, {DType::Float64}, &g)), tensor_bytes(b));
    EXPECT_EQ(tensor_bytes(nl::randint(0, 7, {5}, {DType::Int64}, &g)), tensor_bytes(c));
    EXPECT_EQ(tensor_bytes(nl::randperm(9, {DType::Int64}, &g)), tensor_bytes(p));
    EXPECT_EQ(nl::initial_seed(), 31u);
}

TEST(StreamContract, StateRoundTrip) {
    for_each_op([](const OpCase& op, DType d) {
        Generator g(kSeed, 3);
        op.run({5}, d, g);  // move off offset 0
        const std::vector<uint8_t> state = g.get_state();
        ASSERT_EQ(state.size(), 24u);
        const std::vector<uint8_t> a = tensor_bytes(op.run({7}, d, g));
        const uint64_t after = g.offset();
        g.set_state(state);
        EXPECT_EQ(tensor_bytes(op.run({7}, d, g)), a);
        EXPECT_EQ(g.offset(), after);
        Generator other(1);
        other.set_state(state);
        EXPECT_EQ(other.stream(), 3u);
        EXPECT_EQ(tensor_bytes(op.run({7}, d, other)), a) << "state carries seed, stream and offset";
    });
}

TEST(StreamContract, BadStateIsRejected) {
    Generator g(5);
    const std::vector<uint8_t> good = g.get_state();
    for (size_t n : {0u, 8u, 23u, 25u}) {
        std::vector<uint8_t> bad = good;
        bad.resize(n);
        try {
            g.set_state(bad);
            ADD_FAILURE() << "state of " << n << " bytes accepted";
        } catch (const nl::ValueError& e) {
            EXPECT_NE(std::string(e.what()).find(std::to_string(n)), std::string::npos) << e.what();
        }
    }
    for (uint32_t other : {nl::kStreamVersion - 1, nl::kStreamVersion + 1}) {  // an older and a newer build's
        std::vector<uint8_t> state = good;
        state[0] = static_cast<uint8_t>(other);
        try {
            g.set_state(state);
            ADD_FAILURE() << "state of stream version " << other << " accepted";
        } catch (const nl::ValueError& e) {
            EXPECT_NE(std::string(e.what()).find("version " + std::to_string(other)), std::string::npos) << e.what();
        }
    }
    EXPECT_EQ(g.get_state(), good) << "a rejected state changes nothing";
}

TEST(StreamContract, OtherStreamIdsGiveOtherValues) {
    for_each_op([](const OpCase& op, DType d) {
        const Shape s = op.elementwise ? Shape{64} : Shape{9};
        Generator g0(kSeed), g1 = Generator(kSeed).with_stream(1), g2 = Generator(kSeed).with_stream(2);
        const std::vector<uint8_t> a = tensor_bytes(op.run(s, d, g0)), b = tensor_bytes(op.run(s, d, g1)),
                                   c = tensor_bytes(op.run(s, d, g2));
        EXPECT_NE(a, b);
        EXPECT_NE(b, c);
        EXPECT_EQ(g0.offset(), g1.offset()) << "the offset advances the same on every stream";
        EXPECT_EQ(g1.stream(), 1u);
        // with_stream keeps the offset: same values as a generator moved there by hand
        Generator moved(kSeed, 1);
        moved.set_offset(g1.offset());
        Generator from_g1 = g1.with_stream(1);
        EXPECT_EQ(tensor_bytes(op.run(s, d, moved)), tensor_bytes(op.run(s, d, from_g1)));
    });
}

TEST(StreamContract, InPlaceOnNonContiguousViewsEqualsFresh) {
    for_each_op([](const OpCase& op, DType d) {
        if (!op.fill) return;
        // transposed view: every element, non-contiguous
        Tensor base = nl::zeros({7, 9}, {d});
        Tensor view = base.transpose(0, 1);
        ASSERT_FALSE(view.is_contiguous());
        Generator g1(kSeed), g2(kSeed);
        op.fill(view, g1);
        Tensor fresh = nl::empty({9, 7}, {d});
        op.fill(fresh, g2);
        EXPECT_EQ(tensor_bytes(view), tensor_bytes(fresh)) << "transpose";
        EXPECT_EQ(g1.offset(), g2.offset());
        // narrowed columns: the rest of the base stays untouched
        Tensor base2 = nl::zeros({5, 12}, {d});
        Tensor cols = base2.narrow(1, 2, 7);
        Generator g3(kSeed), g4(kSeed);
        op.fill(cols, g3);
        Tensor fresh2 = nl::empty({5, 7}, {d});
        op.fill(fresh2, g4);
        EXPECT_EQ(tensor_bytes(cols), tensor_bytes(fresh2)) << "narrow";
        const Tensor zeros_left = nl::zeros({5, 2}, {d}), zeros_right = nl::zeros({5, 3}, {d});
        EXPECT_EQ(tensor_bytes(base2.narrow(1, 0, 2)), tensor_bytes(zeros_left));
        EXPECT_EQ(tensor_bytes(base2.narrow(1, 9, 3)), tensor_bytes(zeros_right));
    });
}

TEST(StreamContract, ThreadCountNeverChangesAByte) {
    const int saved = nl::get_num_threads();
    for_each_op([](const OpCase& op, DType d) {
        // Above 2^16 elements the CPU loop splits into several chunks of 2^14 blocks.
        Shape s = categorical(op) ? Shape{3001, op.name == "multinomial_no_replacement" ? 9 : 50} : Shape{150001};
        if (!fits(op, d, s.back())) s = {op.max_numel(d)};
        std::vector<uint8_t> ref;
        for (int threads : {1, 2, 3, 8}) {
            nl::set_num_threads(threads);
            Generator g(kSeed);
            const std::vector<uint8_t> b = tensor_bytes(op.run(s, d, g));
            if (threads == 1) ref = b;
            else EXPECT_EQ(b, ref) << threads << " threads";
        }
    });
    nl::set_num_threads(saved);
}

TEST(StreamContract, EmptyOutputsConsumeNothing) {
    for_each_op([](const OpCase& op, DType d) {
        if (!op.elementwise || categorical(op)) return;
        Generator g(kSeed);
        const Tensor t = op.run({0}, d, g);
        EXPECT_EQ(t.numel(), 0);
        EXPECT_EQ(g.offset(), 0u);
    });
    Generator g(kSeed);
    EXPECT_EQ(nl::randperm(0, {DType::Int64}, &g).numel(), 0);
    EXPECT_EQ(g.offset(), 0u);
}

}  // namespace
