// Google Benchmark micro-benchmarks of the CPU elementwise math of float32 tensors (exp, sigmoid,
// silu, tanh, sin, cos: detmath.h's functions, the GPU's bits; exp / sigmoid / silu / tanh
// vectorised per SIMD level), next to the C library's float functions on the same data in the same
// run, one thread, so each op's cost per element can be read against libm's.
//   nl_bench_math --benchmark_filter=math_op/silu   (arguments: /level/threads, 0 scalar .. 3 avx512)
//   nl_bench_math --benchmark_filter=libm_op
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "tensor/ops.h"
#include "tensor/parallel.h"
#include "tensor/random.h"
#include "tensor/simd/simd.h"

namespace {

constexpr int64_t kElements = int64_t(1) << 22;

// Values where the functions do real work (not saturated): 4 * randn.
const nl::Tensor& input() {
    static const nl::Tensor x = [] {
        nl::Generator g(3);
        return nl::mul(nl::randn({kElements}, {}, &g), 4.0);
    }();
    return x;
}

template <class Op>
void math_op(benchmark::State& state, Op op) {
    const auto level = static_cast<nl::SimdLevel>(state.range(0));
    if (!nl::simd_level_supported(level)) {
        state.SkipWithError("SIMD level not supported by this CPU");
        return;
    }
    nl::set_simd_level(level);
    nl::set_num_threads(static_cast<int>(state.range(1)));
    state.SetLabel(nl::simd_level_name(level));
    const nl::Tensor& x = input();
    benchmark::DoNotOptimize(op(x));  // warm-up: the output memory is cached afterwards
    for (auto _ : state) benchmark::DoNotOptimize(op(x));
    state.SetItemsProcessed(state.iterations() * kElements);
}

void levels_and_threads(benchmark::internal::Benchmark* b) {
    for (int level = 0; level <= 3; ++level)
        for (int threads : {1, 2}) b->Args({level, threads});
    b->ArgNames({"level", "threads"})->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK_CAPTURE(math_op, exp, [](const nl::Tensor& x) { return nl::exp(x); })->Apply(levels_and_threads);
BENCHMARK_CAPTURE(math_op, sigmoid, [](const nl::Tensor& x) { return nl::sigmoid(x); })->Apply(levels_and_threads);
BENCHMARK_CAPTURE(math_op, silu, [](const nl::Tensor& x) { return nl::silu(x); })->Apply(levels_and_threads);
BENCHMARK_CAPTURE(math_op, tanh, [](const nl::Tensor& x) { return nl::tanh(x); })->Apply(levels_and_threads);
BENCHMARK_CAPTURE(math_op, sin, [](const nl::Tensor& x) { return nl::sin(x); })->Apply(levels_and_threads);
BENCHMARK_CAPTURE(math_op, cos, [](const nl::Tensor& x) { return nl::cos(x); })->Apply(levels_and_threads);

// The C library on the same values, one thread, into a preallocated array.
template <class F>
void libm_op(benchmark::State& state, F f) {
    const nl::Tensor& x = input();
    const float* in = x.data<float>();
    std::vector<float> out(static_cast<size_t>(kElements));
    for (auto _ : state) {
        for (int64_t i = 0; i < kElements; ++i) out[i] = f(in[i]);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * kElements);
}
void libm_args(benchmark::internal::Benchmark* b) { b->UseRealTime()->Unit(benchmark::kMillisecond); }

BENCHMARK_CAPTURE(libm_op, expf, [](float v) { return std::exp(v); })->Apply(libm_args);
BENCHMARK_CAPTURE(libm_op, sigmoid, [](float v) { return 1.0f / (1.0f + std::exp(-v)); })->Apply(libm_args);
BENCHMARK_CAPTURE(libm_op, silu, [](float v) { return v / (1.0f + std::exp(-v)); })->Apply(libm_args);
BENCHMARK_CAPTURE(libm_op, tanhf, [](float v) { return std::tanh(v); })->Apply(libm_args);
BENCHMARK_CAPTURE(libm_op, sinf, [](float v) { return std::sin(v); })->Apply(libm_args);
BENCHMARK_CAPTURE(libm_op, cosf, [](float v) { return std::cos(v); })->Apply(libm_args);

}  // namespace
