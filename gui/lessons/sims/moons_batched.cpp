// Lesson 15's K training runs as batched tensor ops (see moons_batched.h). Every op below has a
// device kernel on CUDA (docs/GPU.md): matmul (batched; the bias gradients are a matmul with a
// row of ones, since sum along a dim goes through the host), broadcast + - * /, relu, sigmoid,
// sqrt, comparisons with a scalar, where with two tensors, index_select.
#include "gui/lessons/sims/moons_batched.h"

#include <algorithm>
#include <cmath>

#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl::gui::sims {

namespace {

// [K, out, in] (or [K, 1, out] for a bias) from each run's parameters, uploaded to `device`.
Tensor stack_runs(const std::vector<std::vector<float>>& runs, size_t offset, int64_t rows, int64_t cols,
                  Device device) {
    const int64_t k = static_cast<int64_t>(runs.size());
    std::vector<double> v;
    v.reserve(static_cast<size_t>(k * rows * cols));
    for (const std::vector<float>& p : runs)
        for (int64_t i = 0; i < rows * cols; ++i) v.push_back(p[offset + static_cast<size_t>(i)]);
    return from_vector(v, {k, rows, cols}, {DType::Float32}).to(device);
}

Tensor t_of(const Tensor& t) { return t.transpose(-1, -2); }

}  // namespace

BatchedMoons::BatchedMoons(const TrainConfig& cfg, int k, uint64_t first_seed, const Moons& train, Device device)
    : cfg_(cfg), k_(k), device_(device), train_(&train) {
    cfg_.validate();
    if (k < 1 || k > 200)
        throw ValueError("moons: k (seeds) = " + std::to_string(k) + " must be in [1, 200]");
    const int n = train.n(), H = cfg_.hidden;
    std::vector<double> x(train.x.begin(), train.x.end()), y(train.y.begin(), train.y.end());
    x_train_ = from_vector(x, {n, 2}, {DType::Float32}).to(device);
    y_train_ = from_vector(y, {n, 1}, {DType::Float32}).to(device);
    zero_ = zeros({1}, {DType::Float32, device});
    // Each run's generator draws its initial weights first, as MoonsRun's does.
    std::vector<std::vector<float>> init;
    gens_.reserve(static_cast<size_t>(k));
    for (int r = 0; r < k; ++r) {
        gens_.emplace_back(first_seed + static_cast<uint64_t>(r));
        init.push_back(initial_params(H, &gens_.back()));
    }
    const size_t oW1 = 0, ob1 = oW1 + 2 * H, oW2 = ob1 + H, ob2 = oW2 + size_t(H) * H, oW3 = ob2 + H, ob3 = oW3 + H;
    const std::pair<Param*, Tensor> layers[] = {
        {&w1_, stack_runs(init, oW1, H, 2, device)}, {&b1_, stack_runs(init, ob1, 1, H, device)},
        {&w2_, stack_runs(init, oW2, H, H, device)}, {&b2_, stack_runs(init, ob2, 1, H, device)},
        {&w3_, stack_runs(init, oW3, 1, H, device)}, {&b3_, stack_runs(init, ob3, 1, 1, device)}};
    for (const auto& [param, value] : layers) {
        param->value = value;
        param->m = zeros(value.shape(), {DType::Float32, device});
        param->v = zeros(value.shape(), {DType::Float32, device});
    }
    new_epoch();
}

int BatchedMoons::total_steps() const {
    return cfg_.epochs * ((train_->n() + cfg_.batch - 1) / cfg_.batch);
}

void BatchedMoons::new_epoch() {
    // Each run's shuffle (shuffle=True: one randperm per epoch from its own generator), laid out
    // minibatch by minibatch so that a step's K x B indices are one contiguous slice.
    const int n = train_->n(), B = cfg_.batch;
    std::vector<std::vector<int64_t>> order;
    order.reserve(gens_.size());
    for (Generator& g : gens_) order.push_back(randperm(n, {DType::Int64}, &g).to_int_vector());
    std::vector<double> idx;
    idx.reserve(static_cast<size_t>(n) * gens_.size());
    for (int start = 0; start < n; start += B)
        for (const std::vector<int64_t>& o : order)
            for (int s = start; s < std::min(n, start + B); ++s) idx.push_back(static_cast<double>(o[static_cast<size_t>(s)]));
    epoch_index_ = from_vector(idx, {static_cast<int64_t>(idx.size())}, {DType::Int64}).to(device_);
    pos_ = 0;
}

Tensor BatchedMoons::forward(const Tensor& x, Tensor* h1_out, Tensor* h2_out) const {
    const Tensor h1 = relu(matmul(x, t_of(w1_.value)) + b1_.value);
    const Tensor h2 = relu(matmul(h1, t_of(w2_.value)) + b2_.value);
    if (h1_out) *h1_out = h1;
    if (h2_out) *h2_out = h2;
    return matmul(h2, t_of(w3_.value)) + b3_.value;
}

void BatchedMoons::update(Param& p, const Tensor& grad) {
    // The hand-written loop's update (MoonsRun::step), in the same order of float operations.
    const float lr = static_cast<float>(cfg_.lr);
    if (cfg_.optim == Optim::SGD) {
        p.value = p.value - lr * grad;
        return;
    }
    const float b1c = 1.0f - std::pow(0.9f, static_cast<float>(steps_));
    const float b2c = 1.0f - std::pow(0.999f, static_cast<float>(steps_));
    p.m = 0.9f * p.m + 0.1f * grad;
    p.v = 0.999f * p.v + 0.001f * grad * grad;
    p.value = p.value - lr * (p.m / b1c) / (sqrt(p.v / b2c) + 1e-8f);
}

int BatchedMoons::step(int max_steps) {
    const int n = train_->n();
    int ran = 0;
    while (ran < max_steps && !done()) {
        const int end = std::min(n, pos_ + cfg_.batch), b = end - pos_;
        const Tensor idx = epoch_index_.narrow(0, static_cast<int64_t>(k_) * pos_, static_cast<int64_t>(k_) * b);
        const Tensor x = index_select(x_train_, 0, idx).view({k_, b, 2});
        const Tensor y = index_select(y_train_, 0, idx).view({k_, b, 1});
        Tensor h1, h2;
        const Tensor z = forward(x, &h1, &h2);
        // BCEWithLogitsLoss, the mean over each run's minibatch: dL/dz = (sigmoid(z) - y) / B.
        const Tensor dz = (sigmoid(z) - y) * (1.0f / static_cast<float>(b));
        Tensor& ones_row = ones_rows_[b];  // sums over the minibatch (a full one and the last, shorter)
        if (!ones_row.defined()) ones_row = ones({1, b}, {DType::Float32, device_});
        const Tensor d2 = where(gt(h2, 0.0f), matmul(dz, w3_.value), zero_);
        const Tensor d1 = where(gt(h1, 0.0f), matmul(d2, w2_.value), zero_);
        ++steps_;
        update(w3_, matmul(t_of(dz), h2));
        update(b3_, matmul(ones_row, dz));
        update(w2_, matmul(t_of(d2), h1));
        update(b2_, matmul(ones_row, d2));
        update(w1_, matmul(t_of(d1), x));
        update(b1_, matmul(ones_row, d1));
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
    const Tensor xs = from_vector(x, {data.n(), 2}, {DType::Float32}).to(device_);
    const std::vector<double> z = forward(xs).cpu().to_vector();  // [K, n, 1]
    std::vector<double> acc(static_cast<size_t>(k_));
    for (int r = 0; r < k_; ++r) {
        int ok = 0;
        for (int i = 0; i < data.n(); ++i) {
            // MoonsRun::accuracy's test, on the same float logit.
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
    std::vector<float> p;
    for (const Param* q : {&w1_, &b1_, &w2_, &b2_, &w3_, &b3_})
        for (double v : q->value.select(0, r).cpu().to_vector()) p.push_back(static_cast<float>(v));
    return p;
}

}  // namespace nl::gui::sims
