// The CPU implementations of the random ops that the CPU backend (tensor/cpu_backend.cpp) and
// tensor/random.cpp call: vectorised at the SIMD level in use (simd.h), split over threads in fixed
// chunks of the element index, and bit-identical to the scalar reference at every level and for
// every thread count.
#pragma once
#include <cstdint>

#include "tensor/generator.h"
#include "tensor/random_request.h"
#include "tensor/tensor.h"

namespace nl::simd {

// Blocks per parallel task: fixed, so the split never depends on the thread count.
constexpr int64_t kBlocksPerChunk = int64_t(1) << 14;

// Backend::random_fill for the CPU: req.numel elements of req.dtype, contiguous, into out.
void cpu_random_fill(const RandomRequest& req, void* out);

// Backend::randperm for the CPU: out[0..n) = indices sorted by (key, index), key of element i the
// 64-bit word pair it reads (two elements per block from `offset`).
void cpu_randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out);

// The radix path of cpu_randperm (whatever the SIMD level). `drop` > 0 discards that many more
// low key bits from the sort values, so that keys tie on their prefix far more often: the tests use
// it to exercise the tie repair, which must still give the reference order.
void randperm_radix(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int drop);

// Words of blocks [block0, block0 + nblocks) (counter word 3 = 0) at the SIMD level in use:
// out[4*i + j] = word j of block block0 + i. Single-threaded.
void philox_words(uint64_t seed, uint32_t stream, uint64_t block0, int64_t nblocks, uint32_t* out);

// Categorical draws with replacement from rows of non-negative weights w (rows x cols, row-major),
// num_samples per row, on the stream at (seed, offset, stream): element e = row*num_samples + s
// reads words 2(e%2), 2(e%2)+1 of block offset + e/2 (docs/STREAMS.md, Note [Integer weights]).
void draw_with_replacement(const double* w, int64_t rows, int64_t cols, int64_t num_samples, uint64_t seed,
                           uint64_t offset, uint32_t stream, int64_t* out);

// sample_logits for temperature > 0 with one pass over each row of logits (CPU, float32 or
// float64, 1-D or 2-D). Reserves the generator's blocks as random.cpp does, after success only.
// Returns an undefined tensor, having consumed nothing, when the input needs the reference path
// (SIMD level scalar, another dtype or shape, or logits that random.cpp rejects with its messages).
Tensor sample_logits_fast(const Tensor& logits, double temperature, int64_t num_samples, Generator& gen);

}  // namespace nl::simd
