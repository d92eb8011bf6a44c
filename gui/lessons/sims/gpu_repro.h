// Lesson 12's simulator (compute only, no ImGui): why the same seed gives different torch.rand
// tensors on different GPU models in PyTorch, and why Noise Lab's do not.
//
// PyTorch's CUDA random kernels (ATen/native/cuda/DistributionTemplates.h) launch a grid-stride
// loop whose grid is min(SMs * blocks_per_SM, ceil(n / 256)); thread t runs curand_init(seed,
// subsequence = t, offset) and, per iteration, one curand_uniform4 call gives 4 values for the
// elements t, t + S, t + 2S, t + 3S (S = grid * 256 threads), then it moves on by 4S. So which
// Philox word an element gets depends on S, i.e. on the number of multiprocessors, once the tensor
// is large enough for the grid to be capped. Noise Lab's element i always reads word i % 4 of block
// offset + i / 4 (docs/STREAMS.md), whoever computes it.
//
// Simplified here (said so in the lesson): float32 torch.rand only (randn uses the same element ->
// word mapping with curand_normal4); a contiguous output; the first op after manual_seed (offset 0)
// -- later ops differ even more, because the offset each op advances by depends on the grid too;
// no 32-bit index splitting of huge tensors; the GPU table holds catalogue figures.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nl::gui::sims {

struct GpuModel {
    std::string name;             // "A100"
    int sms = 0;                  // multiprocessors (cudaDeviceProp::multiProcessorCount)
    int max_threads_per_sm = 0;   // cudaDeviceProp::maxThreadsPerMultiProcessor
};
// V100, A100, H100, RTX 4090, a laptop RTX 2080 Max-Q: catalogue figures.
const std::vector<GpuModel>& gpu_models();

// PyTorch's calc_execution_policy for n elements (block 256, unroll 4).
struct LaunchConfig {
    uint64_t block = 256;
    uint64_t grid = 0;            // blocks
    uint64_t threads = 0;         // grid * block: the grid stride S
    uint64_t counter_offset = 0;  // words the generator's offset advances by after the op
    bool capped = false;          // grid limited by SMs * blocks_per_SM (so it depends on the GPU)
};
// ValueError for n < 1, sms < 1 or max_threads_per_sm < 256.
LaunchConfig pytorch_launch(int64_t n, int sms, int max_threads_per_sm);

// Which cuRAND call produced element i: thread (= Philox subsequence), loop iteration (= Philox
// block within the subsequence, after the offset) and lane (word 0..3 of that block).
struct ElementSource {
    uint64_t thread = 0;
    uint64_t iteration = 0;
    uint32_t lane = 0;
    bool operator==(const ElementSource& o) const {
        return thread == o.thread && iteration == o.iteration && lane == o.lane;
    }
};
ElementSource pytorch_source(int64_t i, const LaunchConfig& launch);

// The float32 torch.rand value of element i on that launch: curand's uniform of the word,
// x * 2^-32 + 2^-33 in (0, 1], with 1.0 mapped to 0 as PyTorch's uniform kernel does. The word
// is computed with our Philox (tensor/philox.h), which equals cuRAND's Philox4x32-10 block for
// block (offset / 4 + iteration) of subsequence `thread` (docs/STREAMS.md, cuRAND correspondence).
float pytorch_rand_value(uint64_t seed, uint64_t offset_words, int64_t i, const LaunchConfig& launch);

// Noise Lab's rand value of element i (float32, generator offset in blocks, stream 0) as a CUDA
// thread of any grid computes it: only i enters.
float noiselab_rand_value(uint64_t seed, uint64_t offset_blocks, int64_t i);
// torch-free simulation of Noise Lab's CUDA kernel: a grid-stride loop over `threads` threads,
// each thread filling its elements with noiselab_rand_value. The test compares it with nl::rand.
std::vector<float> noiselab_grid_stride_rand(int64_t n, uint64_t seed, uint64_t threads);

// Element-by-element comparison of PyTorch's torch.rand(n) on two GPUs (same seed, offset 0),
// summarised into `cells` equal runs of elements for the coloured grid.
struct ReproComparison {
    int64_t n = 0;
    LaunchConfig ref, other;
    int64_t differ = 0;           // elements whose word comes from another (thread, iteration, lane)
    int64_t first_differ = -1;    // -1 when none
    std::vector<float> cell_fraction;  // per cell: fraction of its elements that differ
    int64_t per_cell = 1;              // elements per cell (the last cell may hold fewer)
};
// Sources differ <=> values differ (up to a 2^-32 chance of two Philox words coinciding; the
// tests check the values too). ValueError for cells < 1 and the launch errors.
ReproComparison compare_gpus(int64_t n, const GpuModel& ref, const GpuModel& other, int cells);

// The tensor size from which a GPU's grid is capped: SMs * blocks_per_SM * 256 elements. Below
// it, every GPU launches one thread per 256-element block and the results agree.
int64_t capped_from(const GpuModel& g);

}  // namespace nl::gui::sims
