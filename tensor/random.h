// Random ops with PyTorch's names and semantics (torch.rand, randn, randint, randperm, bernoulli,
// multinomial, normal, Tensor.uniform_, exponential_, log_normal_, cauchy_, geometric_, poisson,
// *_like) on Noise Lab's reproducible streams (docs/STREAMS.md). Every op takes an optional local
// generator; without one it uses the default generator of the output's device. Errors follow
// PyTorch's cases and name the bad value and the valid range.
#pragma once
#include <cstdint>

#include "tensor/generator.h"
#include "tensor/tensor.h"

namespace nl {

Tensor rand(const Shape& shape, TensorOptions opts = {}, Generator* gen = nullptr);
Tensor randn(const Shape& shape, TensorOptions opts = {}, Generator* gen = nullptr);
// Integers uniform in [low, high) (high exclusive), exactly unbiased. Default dtype int64.
Tensor randint(int64_t low, int64_t high, const Shape& shape, TensorOptions opts = {DType::Int64},
               Generator* gen = nullptr);
Tensor randint(int64_t high, const Shape& shape, TensorOptions opts = {DType::Int64}, Generator* gen = nullptr);
// A uniformly random permutation of 0..n-1 (sorting 64-bit keys; ties by index).
Tensor randperm(int64_t n, TensorOptions opts = {DType::Int64}, Generator* gen = nullptr);
// 0/1 draws with the probabilities in p (any float dtype; output has p's shape and dtype).
Tensor bernoulli(const Tensor& p, Generator* gen = nullptr);
// torch.bernoulli(input, p): input's shape and dtype, scalar probability p.
Tensor bernoulli(const Tensor& like, double p, Generator* gen = nullptr);
Tensor bernoulli(double p, const Shape& shape, TensorOptions opts = {}, Generator* gen = nullptr);
// Category indices (int64) drawn from the rows of probs ([C] or [R, C], weights need not sum to 1).
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement = false,
                   Generator* gen = nullptr);
// torch.normal: mean and std broadcast against each other; std >= 0.
Tensor normal(const Tensor& mean, const Tensor& std, Generator* gen = nullptr);
Tensor normal(const Tensor& mean, double std = 1.0, Generator* gen = nullptr);
Tensor normal(double mean, const Tensor& std, Generator* gen = nullptr);
Tensor normal(double mean, double std, const Shape& shape, TensorOptions opts = {}, Generator* gen = nullptr);
// torch.poisson: counts with the rates in `rates` (>= 0), same shape and dtype.
Tensor poisson(const Tensor& rates, Generator* gen = nullptr);

// In-place fills (Tensor.uniform_ etc.); they return t.
Tensor& uniform_(Tensor& t, double from = 0.0, double to = 1.0, Generator* gen = nullptr);
Tensor& normal_(Tensor& t, double mean = 0.0, double std = 1.0, Generator* gen = nullptr);
Tensor& exponential_(Tensor& t, double lambd = 1.0, Generator* gen = nullptr);
Tensor& log_normal_(Tensor& t, double mean = 1.0, double std = 2.0, Generator* gen = nullptr);
Tensor& cauchy_(Tensor& t, double median = 0.0, double sigma = 1.0, Generator* gen = nullptr);
Tensor& geometric_(Tensor& t, double p, Generator* gen = nullptr);
Tensor& bernoulli_(Tensor& t, double p = 0.5, Generator* gen = nullptr);
Tensor& random_(Tensor& t, int64_t from, int64_t to, Generator* gen = nullptr);  // [from, to)

Tensor rand_like(const Tensor& t, Generator* gen = nullptr);
Tensor randn_like(const Tensor& t, Generator* gen = nullptr);
Tensor randint_like(const Tensor& t, int64_t low, int64_t high, Generator* gen = nullptr);

// Sampling from logits with a temperature: softmax(logits / T) per row ([V] or [R, V]), one or
// more draws with replacement. T == 0 is an explicit argmax mode (no randomness consumed, first
// index among ties); T < 0 or NaN is a ValueError. -inf logits have probability 0.
Tensor sample_logits(const Tensor& logits, double temperature, int64_t num_samples = 1,
                     Generator* gen = nullptr);
// The probabilities sample_logits draws from (float64, same shape as logits).
Tensor softmax_with_temperature(const Tensor& logits, double temperature);

}  // namespace nl
