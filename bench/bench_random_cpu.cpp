// Google Benchmark micro-benchmarks of the CPU random paths, per SIMD level and thread count:
// the Philox word generator alone, the elementwise ops as a user calls them (new tensor) and into
// an existing tensor, and randperm / multinomial / sample_logits at the sizes of docs/PERFORMANCE.md.
//   nl_bench_cpu --benchmark_filter=Randn   (arguments: /level/threads, level 0 scalar .. 3 avx512)
#include <benchmark/benchmark.h>

#include <vector>

#include "tensor/parallel.h"
#include "tensor/random.h"
#include "tensor/simd/cpu_random.h"
#include "tensor/simd/simd.h"

namespace {

using nl::SimdLevel;

// Applies /level/threads from the arguments; false (and the run skipped) for a level the CPU lacks.
bool setup(benchmark::State& state) {
    const auto level = static_cast<SimdLevel>(state.range(0));
    if (!nl::simd_level_supported(level)) {
        state.SkipWithError("SIMD level not supported by this CPU");
        return false;
    }
    nl::set_simd_level(level);
    nl::set_num_threads(static_cast<int>(state.range(1)));
    state.SetLabel(nl::simd_level_name(level));
    return true;
}

void levels_and_threads(benchmark::internal::Benchmark* b) {
    for (int level = 0; level <= 3; ++level)
        for (int threads : {1, 2}) b->Args({level, threads});
    b->ArgNames({"level", "threads"})->UseRealTime()->Unit(benchmark::kMillisecond);
}

void vector_levels(benchmark::internal::Benchmark* b) {  // the scalar level takes seconds here
    for (int level = 1; level <= 3; ++level)
        for (int threads : {1, 2}) b->Args({level, threads});
    b->ArgNames({"level", "threads"})->UseRealTime()->Unit(benchmark::kMillisecond);
}

void BM_PhiloxWords(benchmark::State& state) {
    if (!setup(state)) return;
    const int64_t blocks = int64_t(1) << 18;
    std::vector<uint32_t> w(static_cast<size_t>(4 * blocks));
    uint64_t offset = 0;
    for (auto _ : state) {
        nl::simd::philox_words(1, 0, offset, blocks, w.data());
        offset += blocks;
        benchmark::DoNotOptimize(w.data());
    }
    state.SetItemsProcessed(state.iterations() * 4 * blocks);  // words
}
BENCHMARK(BM_PhiloxWords)->Apply([](benchmark::internal::Benchmark* b) {
    for (int level = 0; level <= 3; ++level) b->Args({level, 1});
    b->ArgNames({"level", "threads"})->Unit(benchmark::kMicrosecond);
});

template <class F>
void elementwise(benchmark::State& state, int64_t n, size_t elem_bytes, F f) {
    if (!setup(state)) return;
    nl::Generator g(1);
    benchmark::DoNotOptimize(f(n, g));  // warm-up: maps the output memory (cached afterwards)
    for (auto _ : state) benchmark::DoNotOptimize(f(n, g));
    state.SetItemsProcessed(state.iterations() * n);
    state.SetBytesProcessed(state.iterations() * n * static_cast<int64_t>(elem_bytes));
}

constexpr int64_t kBig = int64_t(1) << 24;

void BM_Rand(benchmark::State& s) {
    elementwise(s, kBig, 4, [](int64_t n, nl::Generator& g) { return nl::rand({n}, {}, &g); });
}
void BM_Randn(benchmark::State& s) {
    elementwise(s, kBig, 4, [](int64_t n, nl::Generator& g) { return nl::randn({n}, {}, &g); });
}
void BM_RandnFloat64(benchmark::State& s) {
    elementwise(s, kBig / 4, 8, [](int64_t n, nl::Generator& g) { return nl::randn({n}, {nl::DType::Float64}, &g); });
}
void BM_NormalInto(benchmark::State& s) {
    nl::Tensor t = nl::empty({kBig});
    elementwise(s, kBig, 4, [&t](int64_t, nl::Generator& g) { return nl::normal_(t, 0.0, 1.0, &g).data_ptr(); });
}
void BM_Randint(benchmark::State& s) {
    elementwise(s, kBig, 8, [](int64_t n, nl::Generator& g) { return nl::randint(0, 100, {n}, {nl::DType::Int64}, &g); });
}
void BM_Bernoulli(benchmark::State& s) {
    elementwise(s, kBig, 4, [](int64_t n, nl::Generator& g) { return nl::bernoulli(0.5, {n}, {}, &g); });
}
void BM_Exponential(benchmark::State& s) {
    nl::Tensor t = nl::empty({kBig});
    elementwise(s, kBig, 4, [&t](int64_t, nl::Generator& g) { return nl::exponential_(t, 1.0, &g).data_ptr(); });
}
BENCHMARK(BM_Rand)->Apply(vector_levels);
BENCHMARK(BM_Randn)->Apply(vector_levels);
BENCHMARK(BM_RandnFloat64)->Apply(vector_levels);
BENCHMARK(BM_NormalInto)->Apply(vector_levels);
BENCHMARK(BM_Randint)->Apply(vector_levels);
BENCHMARK(BM_Bernoulli)->Apply(vector_levels);
BENCHMARK(BM_Exponential)->Apply(vector_levels);

void BM_Randperm(benchmark::State& state) {
    if (!setup(state)) return;
    nl::Generator g(1);
    const int64_t n = 10000000;
    benchmark::DoNotOptimize(nl::randperm(n, {nl::DType::Int64}, &g));  // warm-up
    for (auto _ : state) benchmark::DoNotOptimize(nl::randperm(n, {nl::DType::Int64}, &g));
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_Randperm)->Apply(vector_levels);

void BM_Multinomial3(benchmark::State& state) {
    if (!setup(state)) return;
    nl::Generator g(1);
    const nl::Tensor p = nl::tensor({0.2, 0.5, 0.3});
    const int64_t n = 10000000;
    benchmark::DoNotOptimize(nl::multinomial(p, n, true, &g));  // warm-up
    for (auto _ : state) benchmark::DoNotOptimize(nl::multinomial(p, n, true, &g));
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_Multinomial3)->Apply(levels_and_threads);

void BM_SampleLogits(benchmark::State& state) {
    if (!setup(state)) return;
    nl::Generator g(1), gl(2);
    const nl::Tensor logits = nl::randn({64, 50000}, {}, &gl);
    benchmark::DoNotOptimize(nl::sample_logits(logits, 0.8, 1, &g));  // warm-up
    for (auto _ : state) benchmark::DoNotOptimize(nl::sample_logits(logits, 0.8, 1, &g));
    state.SetItemsProcessed(state.iterations() * logits.numel());
}
BENCHMARK(BM_SampleLogits)->Apply(levels_and_threads);

}  // namespace
