// Lesson 12's simulator: PyTorch's launch policy and element -> Philox word mapping for CUDA
// random ops, against Noise Lab's grid-independent mapping (see gpu_repro.h).
#include "gui/lessons/sims/gpu_repro.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "tensor/errors.h"
#include "tensor/philox.h"
#include "tensor/transforms.h"

namespace nl::gui::sims {

const std::vector<GpuModel>& gpu_models() {
    // Catalogue figures (CUDA programming guide's compute-capability table and the vendors'
    // specifications): SM count and the maximum resident threads per SM.
    static const std::vector<GpuModel> models = {
        {"V100", 80, 2048},
        {"A100", 108, 2048},
        {"H100 SXM", 132, 2048},
        {"RTX 4090", 128, 1536},
        {"RTX 2080 Max-Q (laptop)", 46, 1024},
    };
    return models;
}

LaunchConfig pytorch_launch(int64_t n, int sms, int max_threads_per_sm) {
    if (n < 1) throw ValueError("gpu_repro: n = " + std::to_string(n) + " must be >= 1");
    if (sms < 1 || sms > 100000) throw ValueError("gpu_repro: SM count " + std::to_string(sms) + " must be in [1, 100000]");
    if (max_threads_per_sm < 256 || max_threads_per_sm > 65536)
        throw ValueError("gpu_repro: max threads per SM " + std::to_string(max_threads_per_sm) +
                         " must be in [256, 65536]");
    constexpr uint64_t kUnroll = 4;  // curand4_engine_calls: one curand_uniform4 per iteration
    LaunchConfig c;
    const uint64_t un = static_cast<uint64_t>(n);
    const uint64_t wanted = (un + c.block - 1) / c.block;
    const uint64_t blocks_per_sm = static_cast<uint64_t>(max_threads_per_sm) / c.block;
    const uint64_t limit = static_cast<uint64_t>(sms) * blocks_per_sm;
    c.grid = std::min(limit, wanted);
    c.capped = limit < wanted;
    c.threads = c.grid * c.block;
    c.counter_offset = ((un - 1) / (c.threads * kUnroll) + 1) * 4;
    return c;
}

ElementSource pytorch_source(int64_t i, const LaunchConfig& launch) {
    const uint64_t S = launch.threads;
    const uint64_t u = static_cast<uint64_t>(i);
    ElementSource s;
    s.iteration = u / (4 * S);
    const uint64_t r = u % (4 * S);
    s.lane = static_cast<uint32_t>(r / S);
    s.thread = r % S;
    return s;
}

float pytorch_rand_value(uint64_t seed, uint64_t offset_words, int64_t i, const LaunchConfig& launch) {
    const ElementSource s = pytorch_source(i, launch);
    // curand_init(seed, subsequence = thread, offset): counter words 0-1 = offset / 4 + calls so
    // far, words 2-3 = subsequence; our philox_block puts block in 0-1 and (stream, attempt) in 2-3.
    const PhiloxCounter b = philox_block(seed, offset_words / 4 + s.iteration, static_cast<uint32_t>(s.thread),
                                         static_cast<uint32_t>(s.thread >> 32));
    const uint32_t w = b.v[s.lane];
    // _curand_uniform: x * CURAND_2POW32_INV + CURAND_2POW32_INV / 2 (nvcc contracts it to an fma).
    const float inv = 2.3283064e-10f;
    const float u = std::fma(static_cast<float>(w), inv, inv / 2.0f);
    return u == 1.0f ? 0.0f : u;  // uniform_kernel: "reverse_bound_rand"
}

float noiselab_rand_value(uint64_t seed, uint64_t offset_blocks, int64_t i) {
    const uint64_t u = static_cast<uint64_t>(i);
    const PhiloxCounter b = philox_block(seed, offset_blocks + u / 4, 0);
    return xf::uniform_f32(b.v[u % 4]);
}

std::vector<float> noiselab_grid_stride_rand(int64_t n, uint64_t seed, uint64_t threads) {
    if (n < 0) throw ValueError("gpu_repro: n = " + std::to_string(n) + " must be >= 0");
    if (threads < 1) throw ValueError("gpu_repro: threads must be >= 1");
    std::vector<float> out(static_cast<size_t>(n));
    // Thread t visits t, t + threads, ... exactly as a CUDA grid-stride loop; the value depends
    // on the element index alone, so the order and the thread count cannot matter.
    for (uint64_t t = 0; t < threads; ++t)
        for (uint64_t i = t; i < static_cast<uint64_t>(n); i += threads)
            out[i] = noiselab_rand_value(seed, 0, static_cast<int64_t>(i));
    return out;
}

ReproComparison compare_gpus(int64_t n, const GpuModel& ref, const GpuModel& other, int cells) {
    if (cells < 1) throw ValueError("gpu_repro: cells = " + std::to_string(cells) + " must be >= 1");
    ReproComparison c;
    c.n = n;
    c.ref = pytorch_launch(n, ref.sms, ref.max_threads_per_sm);
    c.other = pytorch_launch(n, other.sms, other.max_threads_per_sm);
    const int64_t ncell = std::min<int64_t>(cells, n);
    c.per_cell = (n + ncell - 1) / ncell;
    const int64_t used = (n + c.per_cell - 1) / c.per_cell;
    c.cell_fraction.assign(static_cast<size_t>(used), 0.0f);
    const bool same_launch = c.ref.threads == c.other.threads;
    for (int64_t cell = 0; cell < used; ++cell) {
        const int64_t lo = cell * c.per_cell, hi = std::min(n, lo + c.per_cell);
        int64_t d = 0;
        if (!same_launch)
            for (int64_t i = lo; i < hi; ++i)
                if (!(pytorch_source(i, c.ref) == pytorch_source(i, c.other))) {
                    if (c.first_differ < 0) c.first_differ = i;
                    ++d;
                }
        c.differ += d;
        c.cell_fraction[static_cast<size_t>(cell)] = static_cast<float>(d) / static_cast<float>(hi - lo);
    }
    return c;
}

int64_t capped_from(const GpuModel& g) {
    return static_cast<int64_t>(g.sms) * (g.max_threads_per_sm / 256) * 256 + 1;
}

}  // namespace nl::gui::sims
