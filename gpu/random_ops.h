// The CUDA random ops: the fused Philox kernels behind Backend::random_fill / randperm (callable
// here with an explicit launch shape, which never changes a result: the tests check it), and the
// categorical ops on CUDA tensors, drawing the same values as tensor/random.h does on the CPU
// (random.cpp, Note [Integer weights]). Plain C++: no CUDA headers.
#pragma once
#include <cstdint>

#include "tensor/generator.h"
#include "tensor/random_request.h"
#include "tensor/tensor.h"

namespace nl::gpu {

// Threads per block and blocks per grid of a grid-stride launch; 0 picks them automatically
// (256 threads, enough blocks to fill every multiprocessor).
struct LaunchConfig {
    int grid = 0;
    int block = 0;
};

// Fills `out` (device memory, req.numel elements of req.dtype, contiguous) on the current stream.
void random_fill(const RandomRequest& req, void* out, int device, LaunchConfig cfg = {});
// randperm: keys = Philox word pairs, CUB stable radix sort of (key, index) pairs.
void randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int device,
              LaunchConfig cfg = {});
// Draws with replacement from `rows` x `cols` non-negative float64 weights on the device (each row
// with a positive weight), as random.cpp's draw_with_replacement: element e = r*num_samples + s
// reads words (2(e%2), 2(e%2)+1) of block offset + e/2.
void categorical(const double* weights, int64_t rows, int64_t cols, int64_t num_samples, uint64_t seed,
                 uint64_t offset, uint32_t stream, int64_t* out, int device);

// torch.multinomial on a CUDA tensor (any float dtype, [C] or [R, C]); validation and error
// messages as nl::multinomial; the draws run on the GPU, with replacement by Note [Integer
// weights], without by the exponential race (race_kernels.cu), the values nl::multinomial draws.
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement = false, Generator* gen = nullptr);
// nl::sample_logits on a CUDA tensor: softmax(logits / T) weights, integer prefix sums and the
// draws all on the GPU; T == 0 is argmax (no randomness consumed).
Tensor sample_logits(const Tensor& logits, double temperature, int64_t num_samples = 1, Generator* gen = nullptr);

}  // namespace nl::gpu
