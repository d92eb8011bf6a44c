// Lesson 15's K training runs as batched tensor ops (see moons_batched.h). Every op of a step has
// a device kernel on CUDA (docs/GPU.md): matmul (batched; the bias gradients are a matmul with a
// row of ones, since sum along a dim goes through the host), broadcast + - * /, relu, sigmoid,
// sqrt, comparisons with a scalar, where with two tensors, cat; the minibatches arrive as one
// upload per epoch, so a step never waits for the GPU.
#include "gui/lessons/sims/moons_batched.h"

#include <algorithm>
#include <cmath>

#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl::gui::sims {

namespace {

Tensor t_of(const Tensor& t) { return t.transpose(-1, -2); }

// Host floats -> a float32 tensor of `shape` on `device` (one copy).
Tensor upload(const std::vector<double>& v, const Shape& shape, Device device) {
    return from_vector(v, shape, {DType::Float32}).to(device);
}

}  // namespace

BatchedMoons::BatchedMoons(const TrainConfig& cfg, int k, uint64_t first_seed, const Moons& train, Device device)
    : cfg_(cfg), k_(k), device_(device), train_(&train) {
    cfg_.validate();
    check_seed_count(k);
    check_training_set(cfg_, train);
    const int H = cfg_.hidden;
    for (const auto& [rows, cols] : {std::pair<int, int>{H, 2}, {1, H}, {H, H}, {1, H}, {1, H}, {1, 1}}) {
        const int64_t offset = layers_.empty() ? 0 : layers_.back().offset + int64_t{k} * layers_.back().rows * layers_.back().cols;
        layers_.push_back({offset, rows, cols});
    }
    const int64_t total = layers_.back().offset + int64_t{k} * layers_.back().rows * layers_.back().cols;
    // Each run's generator draws its initial weights first, as MoonsRun's does; MoonsRun's layout
    // (W1, b1, W2, b2, W3, b3 of one run) is regrouped layer by layer over the runs.
    std::vector<double> flat(static_cast<size_t>(total));
    gens_.reserve(static_cast<size_t>(k));
    for (int r = 0; r < k; ++r) {
        gens_.emplace_back(first_seed + static_cast<uint64_t>(r));
        const std::vector<float> p = initial_params(H, &gens_.back());
        size_t from = 0;
        for (const Layer& L : layers_) {
            const size_t n = static_cast<size_t>(L.rows * L.cols);
            std::copy(p.begin() + static_cast<std::ptrdiff_t>(from), p.begin() + static_cast<std::ptrdiff_t>(from + n),
                      flat.begin() + L.offset + static_cast<int64_t>(r) * L.rows * L.cols);
            from += n;
        }
    }
    params_ = upload(flat, {total}, device);
    m_ = zeros({total}, {DType::Float32, device});
    v_ = zeros({total}, {DType::Float32, device});
    zero_ = zeros({1}, {DType::Float32, device});
    new_epoch();
}

Tensor BatchedMoons::layer(const Tensor& flat, int i) const {
    const Layer& L = layers_[static_cast<size_t>(i)];
    return flat.narrow(0, L.offset, int64_t{k_} * L.rows * L.cols).view({k_, L.rows, L.cols});
}

void BatchedMoons::new_epoch() {
    // Each run's shuffle (shuffle=True: one randperm per epoch from its own generator), its
    // minibatches gathered here, laid out step by step so that a step's K x B points are one slice.
    const int n = train_->n(), B = cfg_.batch;
    std::vector<std::vector<int64_t>> order;
    order.reserve(gens_.size());
    for (Generator& g : gens_) order.push_back(randperm(n, {DType::Int64}, &g).to_int_vector());
    std::vector<double> xs, ys;
    xs.reserve(static_cast<size_t>(2 * n) * gens_.size());
    ys.reserve(static_cast<size_t>(n) * gens_.size());
    for (int start = 0; start < n; start += B)
        for (const std::vector<int64_t>& o : order)
            for (int s = start; s < std::min(n, start + B); ++s) {
                const size_t i = static_cast<size_t>(o[static_cast<size_t>(s)]);
                xs.push_back(train_->x[2 * i]);
                xs.push_back(train_->x[2 * i + 1]);
                ys.push_back(train_->y[i]);
            }
    epoch_x_ = upload(xs, {static_cast<int64_t>(xs.size())}, device_);
    epoch_y_ = upload(ys, {static_cast<int64_t>(ys.size())}, device_);
    pos_ = 0;
}

Tensor BatchedMoons::forward(const Tensor& x, Tensor* h1_out, Tensor* h2_out) const {
    const Tensor h1 = relu(matmul(x, t_of(layer(params_, 0))) + layer(params_, 1));
    const Tensor h2 = relu(matmul(h1, t_of(layer(params_, 2))) + layer(params_, 3));
    if (h1_out) *h1_out = h1;
    if (h2_out) *h2_out = h2;
    return matmul(h2, t_of(layer(params_, 4))) + layer(params_, 5);
}

int BatchedMoons::step(int max_steps) {
    const int n = train_->n();
    const int64_t K = k_;
    int ran = 0;
    while (ran < max_steps && !done()) {
        const int end = std::min(n, pos_ + cfg_.batch), b = end - pos_;
        const Tensor x = epoch_x_.narrow(0, 2 * K * pos_, 2 * K * b).view({K, b, 2});
        const Tensor y = epoch_y_.narrow(0, K * pos_, K * b).view({K, b, 1});
        Tensor h1, h2;
        const Tensor z = forward(x, &h1, &h2);
        // BCEWithLogitsLoss, the mean over each run's minibatch: dL/dz = (sigmoid(z) - y) / B.
        const Tensor dz = (sigmoid(z) - y) * (1.0f / static_cast<float>(b));
        Tensor& ones_row = ones_rows_[b];
        if (!ones_row.defined()) ones_row = ones({1, b}, {DType::Float32, device_});
        const Tensor d2 = where(gt(h2, 0.0f), matmul(dz, layer(params_, 4)), zero_);
        const Tensor d1 = where(gt(h1, 0.0f), matmul(d2, layer(params_, 2)), zero_);
        // The gradients in the parameters' flat layout (each a contiguous [K, rows, cols]).
        const Tensor grad = cat({matmul(t_of(d1), x).flatten(), matmul(ones_row, d1).flatten(),
                                 matmul(t_of(d2), h1).flatten(), matmul(ones_row, d2).flatten(),
                                 matmul(t_of(dz), h2).flatten(), matmul(ones_row, dz).flatten()},
                                0);
        ++steps_;
        // MoonsRun::step's update, in the same order of float operations, on every parameter at once.
        const float lr = static_cast<float>(cfg_.lr);
        if (cfg_.optim == Optim::SGD) {
            params_ = params_ - lr * grad;
        } else {
            const float b1c = 1.0f - std::pow(0.9f, static_cast<float>(steps_));
            const float b2c = 1.0f - std::pow(0.999f, static_cast<float>(steps_));
            m_ = 0.9f * m_ + 0.1f * grad;
            v_ = 0.999f * v_ + 0.001f * grad * grad;
            params_ = params_ - lr * (m_ / b1c) / (sqrt(v_ / b2c) + 1e-8f);
        }
        pos_ = end;
        if (pos_ >= n) {
            ++epoch_;
            if (!done()) new_epoch();
        }
        ++ran;
    }
    return ran;
}

std::vector<double> BatchedMoons::accuracies(const Moons& data) const {
    std::vector<double> x(data.x.begin(), data.x.end());
    const std::vector<double> z = forward(upload(x, {data.n(), 2}, device_)).cpu().to_vector();  // [K, n, 1]
    std::vector<double> acc(static_cast<size_t>(k_));
    for (int r = 0; r < k_; ++r) {
        int ok = 0;
        for (int i = 0; i < data.n(); ++i) {
            const float zi = static_cast<float>(z[static_cast<size_t>(r) * data.n() + i]);
            ok += (1.0f / (1.0f + std::exp(-zi)) >= 0.5f) == (data.y[i] == 1);
        }
        acc[static_cast<size_t>(r)] = static_cast<double>(ok) / data.n();
    }
    return acc;
}

std::vector<float> BatchedMoons::params(int r) const {
    if (r < 0 || r >= k_)
        throw ValueError("moons: run " + std::to_string(r) + " must be in [0, " + std::to_string(k_ - 1) + "]");
    const std::vector<double> all = params_.cpu().to_vector();
    std::vector<float> p;
    for (const Layer& L : layers_) {
        const int64_t from = L.offset + int64_t{r} * L.rows * L.cols;
        for (int64_t i = 0; i < L.rows * L.cols; ++i) p.push_back(static_cast<float>(all[static_cast<size_t>(from + i)]));
    }
    return p;
}

}  // namespace nl::gui::sims
