// CPU == GPU, bit for bit (docs/STREAMS.md): every random op and dtype over 2^24 + 3 elements,
// other offsets and stream ids, misaligned outputs (the generic kernel), launch shapes (the
// results never depend on them), and randperm.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "gpu/conversion_check.h"
#include "gpu/random_ops.h"
#include "gpu_test_util.h"
#include "tensor/random.h"
#include "tensor/random_block.h"

namespace nl {
namespace {

using gpu_test::parity_n;
using gpu_test::same_bytes;

struct Case {
    std::string name;
    std::function<Tensor(int64_t n, Device d, Generator& g)> make;
};

Tensor filled(int64_t n, DType dt, Device d, const std::function<Tensor&(Tensor&)>& fill) {
    Tensor t = Tensor::empty({n}, {dt, d});
    fill(t);
    return t;
}

std::vector<Case> all_cases() {
    std::vector<Case> c;
    const DType floats[] = {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16};
    for (DType dt : floats) {
        const std::string s = dtype_name(dt);
        c.push_back({"rand " + s, [dt](int64_t n, Device d, Generator& g) { return rand({n}, {dt, d}, &g); }});
        c.push_back({"randn " + s, [dt](int64_t n, Device d, Generator& g) { return randn({n}, {dt, d}, &g); }});
        c.push_back({"uniform_(-2,3) " + s, [dt](int64_t n, Device d, Generator& g) {
                         return filled(n, dt, d, [&](Tensor& t) -> Tensor& { return uniform_(t, -2.0, 3.0, &g); });
                     }});
        c.push_back({"normal_(1.5,0.25) " + s, [dt](int64_t n, Device d, Generator& g) {
                         return filled(n, dt, d, [&](Tensor& t) -> Tensor& { return normal_(t, 1.5, 0.25, &g); });
                     }});
        if (dt == DType::Float16 || dt == DType::BFloat16) {
            // The 16-bit rounding of the fast normal kernel (a packing conversion) at the ends of the
            // range: many subnormal results, and overflow to infinity.
            const double tiny = dt == DType::Float16 ? 1e-5 : 1e-39, huge = dt == DType::Float16 ? 3e4 : 1e38;
            c.push_back({"normal_(0,tiny) " + s, [dt, tiny](int64_t n, Device d, Generator& g) {
                             return filled(n, dt, d, [&](Tensor& t) -> Tensor& { return normal_(t, 0.0, tiny, &g); });
                         }});
            c.push_back({"normal_(0,huge) " + s, [dt, huge](int64_t n, Device d, Generator& g) {
                             return filled(n, dt, d, [&](Tensor& t) -> Tensor& { return normal_(t, 0.0, huge, &g); });
                         }});
        }
        c.push_back({"log_normal_ " + s, [dt](int64_t n, Device d, Generator& g) {
                         return filled(n, dt, d, [&](Tensor& t) -> Tensor& { return log_normal_(t, 0.5, 0.75, &g); });
                     }});
        c.push_back({"exponential_ " + s, [dt](int64_t n, Device d, Generator& g) {
                         return filled(n, dt, d, [&](Tensor& t) -> Tensor& { return exponential_(t, 2.5, &g); });
                     }});
        c.push_back({"cauchy_ " + s, [dt](int64_t n, Device d, Generator& g) {
                         return filled(n, dt, d, [&](Tensor& t) -> Tensor& { return cauchy_(t, 0.5, 2.0, &g); });
                     }});
        c.push_back({"geometric_ " + s, [dt](int64_t n, Device d, Generator& g) {
                         return filled(n, dt, d, [&](Tensor& t) -> Tensor& { return geometric_(t, 0.3, &g); });
                     }});
        c.push_back({"bernoulli(0.3) " + s, [dt](int64_t n, Device d, Generator& g) { return bernoulli(0.3, {n}, {dt, d}, &g); }});
        c.push_back({"randint(-50,200) " + s, [dt](int64_t n, Device d, Generator& g) {
                         return randint(-50, 200, {n}, {dt, d}, &g);
                     }});
    }
    for (DType dt : {DType::Int64, DType::Int32, DType::UInt8, DType::Bool}) {
        const std::string s = dtype_name(dt);
        c.push_back({"bernoulli(0.7) " + s, [dt](int64_t n, Device d, Generator& g) { return bernoulli(0.7, {n}, {dt, d}, &g); }});
        if (dt != DType::Bool) {
            c.push_back({"randint(0,200) " + s, [dt](int64_t n, Device d, Generator& g) { return randint(0, 200, {n}, {dt, d}, &g); }});
            c.push_back({"geometric_ " + s, [dt](int64_t n, Device d, Generator& g) {
                             return filled(n, dt, d, [&](Tensor& t) -> Tensor& { return geometric_(t, 0.01, &g); });
                         }});
        }
    }
    c.push_back({"randint int64 wide range", [](int64_t n, Device d, Generator& g) {
                     return randint(-(int64_t(1) << 40), int64_t(1) << 41, {n}, {DType::Int64, d}, &g);
                 }});
    c.push_back({"randint int64 full range", [](int64_t n, Device d, Generator& g) {
                     return randint(INT64_MIN, INT64_MAX, {n}, {DType::Int64, d}, &g);
                 }});
    c.push_back({"randint int64 range 2^32", [](int64_t n, Device d, Generator& g) {
                     return randint(0, int64_t(1) << 32, {n}, {DType::Int64, d}, &g);
                 }});
    c.push_back({"randint(0,3) int64 (rejections)", [](int64_t n, Device d, Generator& g) {
                     return randint(0, 3, {n}, {DType::Int64, d}, &g);
                 }});
    // Per-element parameters (the generic kernel reads them from device memory).
    for (DType dt : {DType::Float32, DType::Float64}) {
        const std::string s = dtype_name(dt);
        c.push_back({"normal(mean, std tensors) " + s, [dt](int64_t n, Device d, Generator& g) {
                         const Tensor mean = arange(0.0, static_cast<double>(n), 1.0, {dt}).to(d);
                         const Tensor std = full({n}, 0.5, {dt, d});
                         return normal(mean, std, &g);
                     }});
        // NaN means (one element in 5, sign and payload varying, signalling ones too) give their
        // own NaN quieted on both devices (random_block.h), not the GPU's canonical NaN.
        c.push_back({"normal(mean with NaNs, std tensors) " + s, [dt](int64_t n, Device d, Generator& g) {
                         Tensor mean = arange(0.0, static_cast<double>(n), 1.0, {dt}).contiguous();
                         for (int64_t i = 0; i < n; i += 5) {
                             const uint64_t payload = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull;
                             if (dt == DType::Float64) {
                                 const uint64_t b = (payload & 0x800FFFFFFFFFFFFFull) | 0x7FF0000000000001ull;
                                 std::memcpy(mean.data<double>() + i, &b, 8);
                             } else {
                                 const uint32_t b = (static_cast<uint32_t>(payload >> 32) & 0x807FFFFFu) | 0x7F800001u;
                                 std::memcpy(mean.data<float>() + i, &b, 4);
                             }
                         }
                         return normal(mean.to(d), full({n}, 0.5, {dt, d}), &g);
                     }});
        c.push_back({"bernoulli(p tensor) " + s, [dt](int64_t n, Device d, Generator& g) {
                         Generator pg(7);
                         const Tensor p = rand({n}, {dt}, &pg).to(d);
                         return bernoulli(p, &g);
                     }});
        c.push_back({"poisson(rates) " + s, [dt](int64_t n, Device d, Generator& g) {
                         Generator rg(8);
                         // Rates in [0, 40): both the inversion (< 10) and the PTRS (>= 10) paths.
                         Tensor rates = Tensor::empty({n}, {dt});
                         uniform_(rates, 0.0, 40.0, &rg);
                         return poisson(rates.to(d), &g);
                     }});
    }
    return c;
}

Tensor run_on(const Case& c, int64_t n, Device d, uint64_t seed, uint64_t offset, uint32_t stream) {
    Generator g = Generator(seed).with_stream(stream);
    g.set_offset(offset);
    return c.make(n, d, g);
}

TEST(GpuParity, EveryOpAndDtypeBitForBit) {
    NL_REQUIRE_GPU();
    const int64_t n = parity_n();
    for (const Case& c : all_cases()) {
        SCOPED_TRACE(c.name + ", n = " + std::to_string(n));
        const Tensor cpu = run_on(c, n, Device::cpu(), 20261126, 0, 0);
        const Tensor gpu = run_on(c, n, Device::cuda(), 20261126, 0, 0);
        EXPECT_TRUE(gpu.device().is_cuda());
        EXPECT_TRUE(same_bytes(cpu, gpu));
    }
}

// Device code converts float32 to float16 with the GPU's instruction, the CPU with the integer
// definition of tensor/half.h: the two must agree on every input for float16 tensors to match.
TEST(GpuParity, HalfConversionInstructionEqualsTheDefinitionOnAllInputs) {
    NL_REQUIRE_GPU();
    const gpu::ConversionMismatch m = gpu::check_half_conversion(0);
    EXPECT_EQ(m.count, 0u) << "first differing float32 bits: 0x" << std::hex << m.first_input;
}

// The Box-Muller radius's square root on the GPU comes from the approximate reciprocal square root
// refined twice (dm::sqrt_radius): it must be the IEEE square root for every input it can get.
TEST(GpuParity, RadiusSqrtEqualsTheIeeeSquareRootOnAllItsInputs) {
    NL_REQUIRE_GPU();
    const gpu::ConversionMismatch m = gpu::check_radius_sqrt(0);
    EXPECT_EQ(m.count, 0u) << "first differing input bits: 0x" << std::hex << m.first_input;
}

TEST(GpuParity, OffsetsAndStreamIds) {
    NL_REQUIRE_GPU();
    const struct {
        uint64_t seed, offset;
        uint32_t stream;
    } states[] = {{0, 1, 0}, {1, 0, 1}, {67280421310721ull, 123456789, 3}, {~0ull, (uint64_t(1) << 40) + 5, 0xFFFFFFFFu}};
    const int64_t n = 65536 + 5;
    for (const Case& c : all_cases())
        for (const auto& s : states) {
            SCOPED_TRACE(c.name + " seed " + std::to_string(s.seed) + " offset " + std::to_string(s.offset) + " stream " +
                         std::to_string(s.stream));
            EXPECT_TRUE(same_bytes(run_on(c, n, Device::cpu(), s.seed, s.offset, s.stream),
                                   run_on(c, n, Device::cuda(), s.seed, s.offset, s.stream)));
        }
    // The big runs of the main ops at a nonzero offset and stream too.
    for (const Case& c : all_cases()) {
        if (c.name != "randn float32" && c.name != "rand float32") continue;
        SCOPED_TRACE(c.name + " at offset 2^33, stream 9, n = " + std::to_string(parity_n()));
        EXPECT_TRUE(same_bytes(run_on(c, parity_n(), Device::cpu(), 5, uint64_t(1) << 33, 9),
                               run_on(c, parity_n(), Device::cuda(), 5, uint64_t(1) << 33, 9)));
    }
}

TEST(GpuParity, SmallSizesAndTails) {
    NL_REQUIRE_GPU();
    for (int64_t n : {0, 1, 2, 3, 4, 5, 7, 8, 9, 1023}) {
        Generator a(99), b(99);
        EXPECT_TRUE(same_bytes(randn({n}, {}, &a), randn({n}, {Device::cuda()}, &b))) << n;
        EXPECT_EQ(a.offset(), b.offset());
    }
}

TEST(GpuParity, MisalignedOutputsUseTheGenericKernel) {
    NL_REQUIRE_GPU();
    // A view starting one element in: not 16-byte aligned, so the vector kernel cannot store.
    for (DType dt : {DType::Float32, DType::Float16, DType::Int64}) {
        Tensor cpu = Tensor::empty({1001}, {dt}), gpu = Tensor::empty({1001}, {dt, Device::cuda()});
        Tensor vc = cpu.narrow(0, 1, 1000), vg = gpu.narrow(0, 1, 1000);
        Generator a(3), b(3);
        if (dt == DType::Int64) {
            random_(vc, -7, 70, &a);
            random_(vg, -7, 70, &b);
        } else {
            normal_(vc, 0.0, 1.0, &a);
            normal_(vg, 0.0, 1.0, &b);
        }
        EXPECT_TRUE(same_bytes(vc, vg)) << dtype_name(dt);
    }
}

TEST(GpuParity, LaunchShapesNeverChangeResults) {
    NL_REQUIRE_GPU();
    const int64_t n = 300001;
    const gpu::LaunchConfig shapes[] = {{0, 0}, {1, 32}, {3, 64}, {7, 96}, {1000, 1024}, {100000, 256}};
    RandomRequest reqs[4];
    reqs[0].kind = RandomKind::Normal;
    reqs[1].kind = RandomKind::Uniform;
    reqs[1].dtype = DType::Float16;
    reqs[2].kind = RandomKind::RandInt;
    reqs[2].dtype = DType::Int64;
    reqs[2].low = -3;
    reqs[2].range = 11;
    reqs[3].kind = RandomKind::Cauchy;  // generic kernel only
    reqs[3].dtype = DType::Float64;
    for (RandomRequest& r : reqs) {
        r.numel = n;
        r.seed = 12345;
        r.offset = 77;
        r.stream = 2;
        Tensor ref;
        for (const gpu::LaunchConfig& cfg : shapes) {
            Tensor out = Tensor::empty({n}, {r.dtype, Device::cuda()});
            gpu::random_fill(r, out.data_ptr(), 0, cfg);
            if (!ref.defined()) {
                ref = out;
                Tensor cpu = Tensor::empty({n}, {r.dtype});
                backend_for(Device::cpu()).random_fill(r, cpu.data_ptr(), 0);
                EXPECT_TRUE(same_bytes(cpu, out)) << random_kind_name(r.kind);
            } else {
                EXPECT_TRUE(same_bytes(ref, out)) << random_kind_name(r.kind) << " grid " << cfg.grid << " block " << cfg.block;
            }
        }
    }
}

// How many neighbours share the high 32 bits of their randperm keys (after sorting), for the
// stream of `g` at its offset: the cases the GPU's run-ordering pass must get right.
int64_t equal_high_halves(const Generator& g, int64_t n) {
    std::vector<uint32_t> high(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const PhiloxCounter c = philox_block(g.initial_seed(), g.offset() + static_cast<uint64_t>(i / 2), g.stream());
        high[static_cast<size_t>(i)] = (i % 2) ? c.v[3] : c.v[1];
    }
    std::sort(high.begin(), high.end());
    int64_t equal = 0;
    for (size_t i = 1; i < high.size(); ++i) equal += high[i] == high[i - 1];
    return equal;
}

TEST(GpuParity, RandpermKeysTieInTheirHighHalves) {
    // Not a GPU test by itself: it shows that the n used below exercises the tie path.
    Generator g(31);
    EXPECT_GT(equal_high_halves(g, (int64_t(1) << 22) + 5), 1000);
}

TEST(GpuParity, Randperm) {
    NL_REQUIRE_GPU();
    // 2^22 + 5 elements hold about 2,000 pairs of keys with equal high halves, which the GPU's
    // 32-bit sort leaves to its run-ordering pass (gpu/random_kernels.cu).
    for (int64_t n : {int64_t(0), int64_t(1), int64_t(2), int64_t(3), int64_t(1000), int64_t(1000001),
                      (int64_t(1) << 22) + 5}) {
        for (uint64_t off : {uint64_t(0), uint64_t(999)}) {
            Generator a(31), b(31);
            a.set_offset(off);
            b.set_offset(off);
            const Tensor c = randperm(n, {DType::Int64}, &a);
            const Tensor g = randperm(n, {DType::Int64, Device::cuda()}, &b);
            EXPECT_TRUE(same_bytes(c, g)) << "n = " << n << " offset " << off;
            EXPECT_EQ(a.offset(), b.offset());
        }
    }
    // Launch shapes do not matter either.
    Tensor x = Tensor::empty({4097}, {DType::Int64, Device::cuda()}), y = Tensor::empty({4097}, {DType::Int64, Device::cuda()});
    gpu::randperm(4097, 1, 2, 3, x.data<int64_t>(), 0, {1, 32});
    gpu::randperm(4097, 1, 2, 3, y.data<int64_t>(), 0, {});
    EXPECT_TRUE(same_bytes(x, y));
}

TEST(GpuParity, TensorCopiesRoundTrip) {
    NL_REQUIRE_GPU();
    Generator g(1);
    const Tensor c = randn({3, 5, 7}, {DType::Float64}, &g);
    const Tensor d = c.to(Device::cuda());
    EXPECT_TRUE(d.device().is_cuda());
    EXPECT_TRUE(same_bytes(c, d.cpu()));
    EXPECT_TRUE(same_bytes(c, d.clone().cpu()));
    EXPECT_TRUE(same_bytes(c.transpose(0, 2).contiguous(), d.transpose(0, 2).contiguous().cpu()));
}

}  // namespace
}  // namespace nl
