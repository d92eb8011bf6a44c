// multinomial(replacement=false) on the GPU: random.cpp's exponential race. Every category gets
// its key from tensor/transforms.h's race_key (the CPU's own function, the same Philox word), a
// stable segmented sort orders each row's keys descending with ties in index order (the CPU's
// partial_sort comparator), and the first num_samples indices of each row are the draws.
#include <cub/device/device_segmented_sort.cuh>

#include <cstdint>

#include "gpu/allocator.h"
#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "gpu/kernels.h"
#include "tensor/philox.h"
#include "tensor/transforms.h"

namespace nl::gpu::detail {

namespace {

// keys[e] and idx[e] = e % cols for e = r * cols + j; row_start[r] = r * cols (r <= rows).
__global__ void k_race_keys(const double* w, int64_t rows, int64_t cols, uint64_t seed, uint64_t offset,
                            uint32_t philox_stream, double* keys, int32_t* idx, int64_t* row_start) {
    const uint64_t total = static_cast<uint64_t>(rows * cols);
    for (uint64_t e = global_thread(); e < total; e += grid_threads()) {
        const PhiloxCounter c = philox_block(seed, offset + e / 4, philox_stream);
        keys[e] = xf::race_key(w[e], c.v[e % 4]);
        idx[e] = static_cast<int32_t>(e % static_cast<uint64_t>(cols));
    }
    for (uint64_t r = global_thread(); r <= static_cast<uint64_t>(rows); r += grid_threads())
        row_start[r] = static_cast<int64_t>(r) * cols;
}

__global__ void k_race_take(const int32_t* sorted_idx, int64_t rows, int64_t cols, int64_t num_samples, int64_t* out) {
    const uint64_t total = static_cast<uint64_t>(rows * num_samples);
    for (uint64_t i = global_thread(); i < total; i += grid_threads()) {
        const uint64_t r = i / static_cast<uint64_t>(num_samples), s = i % static_cast<uint64_t>(num_samples);
        out[i] = sorted_idx[r * static_cast<uint64_t>(cols) + s];
    }
}

}  // namespace

void launch_race_draw(const double* weights, int64_t rows, int64_t cols, int64_t num_samples, uint64_t seed,
                      uint64_t offset, uint32_t philox_stream, int64_t* out, int device, StreamHandle stream) {
    if (rows <= 0 || cols <= 0 || num_samples <= 0) return;
    const int64_t total = rows * cols;
    const size_t n = static_cast<size_t>(total);
    DeviceBuffer keys_in(n * sizeof(double), device), keys_out(n * sizeof(double), device);
    DeviceBuffer idx_in(n * sizeof(int32_t), device), idx_out(n * sizeof(int32_t), device);
    DeviceBuffer row_start(static_cast<size_t>(rows + 1) * sizeof(int64_t), device);
    k_race_keys<<<grid_for(total), 256, 0, stream>>>(weights, rows, cols, seed, offset, philox_stream,
                                                      keys_in.as<double>(), idx_in.as<int32_t>(), row_start.as<int64_t>());
    NL_CUDA_CHECK_LAUNCH("k_race_keys");
    const int64_t* begins = row_start.as<int64_t>();
    size_t temp_bytes = 0;
    NL_CUDA_CHECK(cub::DeviceSegmentedSort::StableSortPairsDescending(
        nullptr, temp_bytes, keys_in.as<double>(), keys_out.as<double>(), idx_in.as<int32_t>(), idx_out.as<int32_t>(),
        total, rows, begins, begins + 1, stream));
    DeviceBuffer temp(temp_bytes, device);
    NL_CUDA_CHECK(cub::DeviceSegmentedSort::StableSortPairsDescending(
        temp.get(), temp_bytes, keys_in.as<double>(), keys_out.as<double>(), idx_in.as<int32_t>(), idx_out.as<int32_t>(),
        total, rows, begins, begins + 1, stream));
    k_race_take<<<grid_for(rows * num_samples), 256, 0, stream>>>(idx_out.as<int32_t>(), rows, cols, num_samples, out);
    NL_CUDA_CHECK_LAUNCH("k_race_take");
}

}  // namespace nl::gpu::detail
