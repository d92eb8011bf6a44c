// Lesson 15's K training runs as one computation: every parameter is a [K, ...] tensor and each
// minibatch step is one batched matmul per layer for all K seeds, built from tensor/ ops so that
// it runs on any device (on cuda:0 the K runs share every kernel launch, which is how K seeds are
// trained in parallel on a GPU). Each run draws exactly what MoonsRun draws from its seed (the
// initial weights, then one randperm per epoch), so run r trains the same network as
// MoonsRun(seed first_seed + r); the batched matmuls sum in another order, so the weights agree
// with MoonsRun's to rounding, not bit for bit. On one device, the same K seeds give the same
// bits every time.
#pragma once
#include <cstdint>
#include <map>
#include <vector>

#include "gui/lessons/sims/moons.h"
#include "tensor/device.h"
#include "tensor/generator.h"
#include "tensor/tensor.h"

namespace nl::gui::sims {

class BatchedMoons {
public:
    // ValueError for a bad config or k outside 1..200; DeviceError when `device` is unusable.
    BatchedMoons(const TrainConfig& cfg, int k, uint64_t first_seed, const Moons& train, Device device);
    // Runs up to max_steps minibatch steps, each moving all K runs; returns the number run.
    int step(int max_steps);
    bool done() const { return epoch_ >= cfg_.epochs; }
    int steps_done() const { return steps_; }
    int total_steps() const { return steps_per_run(cfg_); }
    int k() const { return k_; }
    Device device() const { return device_; }
    // Accuracy of every run on `data`, by MoonsRun::accuracy's test (P(y = 1) >= 0.5 against the label).
    std::vector<double> accuracies(const Moons& data) const;
    // Run r's parameters in MoonsRun::params()'s layout (copied from the device).
    std::vector<float> params(int r) const;

private:
    // Every parameter of every run in one flat float32 tensor, layer after layer (W1, b1, W2, b2,
    // W3, b3), each layer a contiguous [K, rows, cols] block: the optimiser updates all of them
    // with one set of elementwise ops. Weights are [K, out, in], biases [K, 1, out].
    struct Layer {
        int64_t offset, rows, cols;
    };
    Tensor layer(const Tensor& flat, int i) const;  // layer i of a flat tensor, viewed [K, rows, cols]
    void new_epoch();
    // Logits [K, B, 1] for inputs x ([K, B, 2], or [B, 2] shared by all runs); the hidden
    // activations are kept when h1 / h2 are given (the backward pass needs them).
    Tensor forward(const Tensor& x, Tensor* h1 = nullptr, Tensor* h2 = nullptr) const;

    TrainConfig cfg_;
    int k_;
    Device device_;
    const Moons* train_;           // the sweep's training set, which outlives this
    std::vector<Layer> layers_;
    Tensor params_, m_, v_;        // flat [K * P]: parameters and Adam's moments, on the device
    Tensor zero_;                  // float32 0 on the device, for where()
    std::map<int, Tensor> ones_rows_;  // [1, B] of ones per minibatch size B (sums over the batch)
    std::vector<Generator> gens_;  // one per run, as MoonsRun's
    // This epoch's minibatches, gathered on the host in each run's order and uploaded at once (no
    // index_select on the device, which would read its indices back: a wait for the GPU per step):
    // the step starting at point s holds [K, B, 2] inputs at 2 * K * s and [K, B, 1] labels at K * s.
    Tensor epoch_x_, epoch_y_;
    int epoch_ = 0, pos_ = 0, steps_ = 0;
};

}  // namespace nl::gui::sims
