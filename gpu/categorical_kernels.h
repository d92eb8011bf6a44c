// Categorical draws from wide rows (many categories) split over several thread blocks per row, so
// that a few rows of tens of thousands of categories use the whole GPU: softmax(logits / T)
// sampling of 64 x 50,000 went from 244 us (one block per row, a serial scan of 98 tiles) to a few
// tens of microseconds. Same draws as tensor/random.cpp's Note [Integer weights] bit for bit:
// integer weights make every prefix sum exact, whatever the split.
//
// Three kernels in stream order: (1) per segment of a row, the checks of RowCheck (first bad
// column, positive count, first maximum); (2) per segment, the integer weights, each thread's
// inclusive prefix over its contiguous chunk, and the segment's total; (3) per sample, the target
// integer, then its segment, its thread's chunk and, walking the chunk, its column. The combined
// row checks are written for the host, which must look at them before using the draws (a bad row
// draws nothing).
#pragma once
#include <cstddef>
#include <cstdint>

#include "gpu/kernels.h"
#include "tensor/dtype.h"

namespace nl::gpu::detail {

// How a wide draw is split; from plan_wide_draw().
struct WideDrawPlan {
    int64_t rows = 0, cols = 0;
    int segments = 1;         // segments per row
    int64_t segment_len = 0;  // columns per segment (the last may be shorter)
    size_t scratch_bytes = 0; // device scratch the kernels need
};

constexpr int kWideThreads = 256;
// Rows narrower than this keep the one-block-per-row kernels of random_kernels.cu.
constexpr int64_t kWideMinCols = 4096;

WideDrawPlan plan_wide_draw(int64_t rows, int64_t cols, int multiprocessors);

// `in`: rows x cols contiguous floating `dtype`; `row_checks`: device array of rows, written here;
// `out`: rows x num_samples. Logits mode uses exp((l - max) / temperature) as random.cpp does.
void launch_wide_draw(const WideDrawPlan& plan, const void* in, DType dtype, RowMode mode, double temperature,
                      uint64_t seed, uint64_t offset, uint32_t philox_stream, int64_t num_samples, int64_t* out,
                      RowCheck* row_checks, void* scratch, StreamHandle stream);

}  // namespace nl::gpu::detail
