// Lesson 15's simulator: two moons, a tiny ReLU MLP trained by hand, and a sweep over seeds.
#include "gui/lessons/sims/moons.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "gui/lessons/sims/moons_batched.h"
#include "gui/lessons/sims/param_range.h"
#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl::gui::sims {

namespace {

constexpr double kPi = 3.14159265358979323846;

float sigmoid(float z) { return 1.0f / (1.0f + std::exp(-z)); }

}  // namespace

Moons make_moons(int n, double noise, uint64_t seed) {
    check_int_range("moons", "n", n, 2, 100000);
    check_real_range("moons", "noise", noise, 0.0, 10.0);
    Generator g(seed);
    const int n_out = n / 2, n_in = n - n_out;
    std::vector<float> x(static_cast<size_t>(2 * n));
    std::vector<int> y(static_cast<size_t>(n));
    for (int i = 0; i < n_out; ++i) {
        const double t = n_out > 1 ? kPi * i / (n_out - 1) : 0.0;
        x[2 * i] = static_cast<float>(std::cos(t));
        x[2 * i + 1] = static_cast<float>(std::sin(t));
        y[i] = 0;
    }
    for (int i = 0; i < n_in; ++i) {
        const double t = n_in > 1 ? kPi * i / (n_in - 1) : 0.0;
        x[2 * (n_out + i)] = static_cast<float>(1.0 - std::cos(t));
        x[2 * (n_out + i) + 1] = static_cast<float>(1.0 - std::sin(t) - 0.5);
        y[n_out + i] = 1;
    }
    // sklearn shuffles, then adds the noise to the shuffled points.
    const std::vector<int64_t> perm = randperm(n, {DType::Int64}, &g).to_int_vector();
    const std::vector<double> eps = randn({n, 2}, {}, &g).to_vector();
    Moons m;
    m.x.resize(x.size());
    m.y.resize(y.size());
    for (int i = 0; i < n; ++i) {
        const int64_t j = perm[static_cast<size_t>(i)];
        m.x[2 * i] = x[2 * j] + static_cast<float>(noise * eps[2 * i]);
        m.x[2 * i + 1] = x[2 * j + 1] + static_cast<float>(noise * eps[2 * i + 1]);
        m.y[i] = y[j];
    }
    return m;
}

int steps_per_run(const TrainConfig& cfg) { return cfg.epochs * ((cfg.n_train + cfg.batch - 1) / cfg.batch); }

void check_training_set(const TrainConfig& cfg, const Moons& train) {
    if (train.n() != cfg.n_train)
        throw ValueError("moons: the training set has " + std::to_string(train.n()) + " points but n_train = " +
                         std::to_string(cfg.n_train));
}

void check_seed_count(int k) { check_int_range("moons", "k (seeds)", k, 1, 200); }

void TrainConfig::validate() const {
    check_int_range("moons", "hidden", hidden, 2, 64);
    check_int_range("moons", "epochs", epochs, 1, 500);
    check_int_range("moons", "batch", batch, 1, 512);
    check_real_range("moons", "lr", lr, 1e-6, 10.0);
    check_int_range("moons", "n_train", n_train, 8, 5000);
    check_int_range("moons", "n_val", n_val, 8, 5000);
    check_real_range("moons", "noise", noise, 0.0, 1.0);
}

std::vector<float> initial_params(int hidden, Generator* gen) {
    std::vector<float> p;
    auto init = [&](int out, int in) {
        const double bound = 1.0 / std::sqrt(static_cast<double>(in));
        for (const Shape& s : {Shape{out, in}, Shape{out}}) {
            Tensor t = empty(s);
            uniform_(t, -bound, bound, gen);
            for (double v : t.to_vector()) p.push_back(static_cast<float>(v));
        }
    };
    init(hidden, 2);
    init(hidden, hidden);
    init(1, hidden);
    return p;
}

MoonsRun::MoonsRun(const TrainConfig& cfg, uint64_t seed, const Moons* train)
    : cfg_(cfg), train_(train), H_(cfg.hidden), gen_(seed) {
    cfg_.validate();
    check_training_set(cfg_, *train_);
    p_ = initial_params(H_, &gen_);
    grad_.assign(p_.size(), 0.0f);
    m_.assign(p_.size(), 0.0f);
    v_.assign(p_.size(), 0.0f);
    new_epoch();
}

int MoonsRun::total_steps() const { return steps_per_run(cfg_); }

void MoonsRun::new_epoch() {
    order_ = randperm(train_->n(), {DType::Int64}, &gen_).to_int_vector();  // shuffle=True
    pos_ = 0;
}

float mlp_probability(const std::vector<float>& p, int H, float x0, float x1) {
    const float *W1 = p.data(), *b1 = W1 + 2 * H, *W2 = b1 + H, *b2 = W2 + H * H, *W3 = b2 + H, *b3 = W3 + H;
    std::vector<float> h1(static_cast<size_t>(H));
    for (int j = 0; j < H; ++j) h1[j] = std::max(0.0f, W1[2 * j] * x0 + W1[2 * j + 1] * x1 + b1[j]);
    float z = b3[0];
    for (int j = 0; j < H; ++j) {
        float a = b2[j];
        for (int k = 0; k < H; ++k) a += W2[j * H + k] * h1[k];
        z += W3[j] * std::max(0.0f, a);
    }
    return sigmoid(z);
}

double MoonsRun::accuracy(const Moons& data) const {
    int ok = 0;
    for (int i = 0; i < data.n(); ++i)
        ok += (predict(data.x[2 * i], data.x[2 * i + 1]) >= 0.5f) == (data.y[i] == 1);
    return static_cast<double>(ok) / data.n();
}

int MoonsRun::step(int max_steps) {
    const int H = H_;
    int ran = 0;
    std::vector<float> h1(static_cast<size_t>(H)), h2(static_cast<size_t>(H)), d2(static_cast<size_t>(H)),
        d1(static_cast<size_t>(H));
    while (ran < max_steps && !done()) {
        float *W1 = p_.data(), *b1 = W1 + 2 * H, *W2 = b1 + H, *b2 = W2 + H * H, *W3 = b2 + H, *b3 = W3 + H;
        std::fill(grad_.begin(), grad_.end(), 0.0f);
        float *gW1 = grad_.data(), *gb1 = gW1 + 2 * H, *gW2 = gb1 + H, *gb2 = gW2 + H * H, *gW3 = gb2 + H,
              *gb3 = gW3 + H;
        const int n = train_->n();
        const int end = std::min(n, pos_ + cfg_.batch);
        const float inv_b = 1.0f / static_cast<float>(end - pos_);
        for (int s = pos_; s < end; ++s) {
            const int i = static_cast<int>(order_[static_cast<size_t>(s)]);
            const float x0 = train_->x[2 * i], x1 = train_->x[2 * i + 1];
            for (int j = 0; j < H; ++j) h1[j] = std::max(0.0f, W1[2 * j] * x0 + W1[2 * j + 1] * x1 + b1[j]);
            float z = b3[0];
            for (int j = 0; j < H; ++j) {
                float a = b2[j];
                for (int k = 0; k < H; ++k) a += W2[j * H + k] * h1[k];
                h2[j] = std::max(0.0f, a);
                z += W3[j] * h2[j];
            }
            // BCEWithLogitsLoss (mean over the batch): dL/dz = (sigmoid(z) - y) / B.
            const float dz = (sigmoid(z) - static_cast<float>(train_->y[i])) * inv_b;
            gb3[0] += dz;
            for (int j = 0; j < H; ++j) {
                gW3[j] += dz * h2[j];
                d2[j] = h2[j] > 0.0f ? dz * W3[j] : 0.0f;
            }
            std::fill(d1.begin(), d1.end(), 0.0f);
            for (int j = 0; j < H; ++j) {
                if (d2[j] == 0.0f) continue;
                gb2[j] += d2[j];
                for (int k = 0; k < H; ++k) {
                    gW2[j * H + k] += d2[j] * h1[k];
                    d1[k] += d2[j] * W2[j * H + k];
                }
            }
            for (int k = 0; k < H; ++k) {
                if (h1[k] <= 0.0f) continue;
                gb1[k] += d1[k];
                gW1[2 * k] += d1[k] * x0;
                gW1[2 * k + 1] += d1[k] * x1;
            }
        }
        ++steps_;
        const float lr = static_cast<float>(cfg_.lr);
        if (cfg_.optim == Optim::SGD) {
            for (size_t q = 0; q < p_.size(); ++q) p_[q] -= lr * grad_[q];
        } else {
            const float b1c = 1.0f - std::pow(0.9f, static_cast<float>(steps_));
            const float b2c = 1.0f - std::pow(0.999f, static_cast<float>(steps_));
            for (size_t q = 0; q < p_.size(); ++q) {
                m_[q] = 0.9f * m_[q] + 0.1f * grad_[q];
                v_[q] = 0.999f * v_[q] + 0.001f * grad_[q] * grad_[q];
                const float mh = m_[q] / b1c, vh = v_[q] / b2c;
                p_[q] -= lr * mh / (std::sqrt(vh) + 1e-8f);
            }
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

SeedSweep::SeedSweep(const TrainConfig& cfg, int k, uint64_t first_seed, std::optional<Device> batched_on)
    : cfg_(cfg), k_(k), first_seed_(first_seed) {
    cfg_.validate();
    check_seed_count(k);
    train_ = make_moons(cfg_.n_train, cfg_.noise, cfg_.data_seed);
    val_ = make_moons(cfg_.n_val, cfg_.noise, cfg_.data_seed + 1);
    steps_total_ = static_cast<long long>(steps_per_run(cfg_)) * k_;
    if (batched_on) {
        if (batched_on->is_cuda()) {
            // The device's one-time start (context, cuBLAS) is not the training's time.
            const Tensor one = ones({1, 1}, {DType::Float32, *batched_on});
            matmul(one, one).cpu();
        }
        const auto t0 = std::chrono::steady_clock::now();
        batched_ = std::make_unique<BatchedMoons>(cfg_, k_, first_seed_, train_, *batched_on);
        train_ms_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
}

SeedSweep::~SeedSweep() = default;

std::optional<Device> SeedSweep::batched_device() const {
    if (!batched_) return std::nullopt;
    return batched_->device();
}

bool SeedSweep::advance(int budget) {
    const auto t0 = std::chrono::steady_clock::now();
    if (batched_) {
        if (!done()) {
            steps_done_ += static_cast<long long>(batched_->step(std::max(1, budget / k_))) * k_;
            if (batched_->done()) accuracy_ = batched_->accuracies(val_);
        }
    } else {
        while (budget > 0 && !done()) {
            if (!run_) run_ = std::make_unique<MoonsRun>(cfg_, first_seed_ + accuracy_.size(), &train_);
            const int ran = run_->step(budget);
            budget -= ran;
            steps_done_ += ran;
            if (run_->done()) {
                accuracy_.push_back(run_->accuracy(val_));
                last_ = std::move(run_);
            }
        }
    }
    train_ms_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return done();
}

std::vector<float> SeedSweep::shown_params() const {
    if (batched_) return batched_->params(0);
    const MoonsRun* r = run_ ? run_.get() : last_.get();
    return r ? r->params() : std::vector<float>{};
}

int64_t SeedSweep::shown_version() const {
    if (batched_) return batched_->steps_done();
    const MoonsRun* r = run_ ? run_.get() : last_.get();
    // Steps taken by every run so far, plus one per finished run (the shown run changes then).
    return r ? steps_done_ + static_cast<int64_t>(accuracy_.size()) : -1;
}

double SeedSweep::progress() const {
    return steps_total_ > 0 ? static_cast<double>(steps_done_) / static_cast<double>(steps_total_) : 1.0;
}

double SeedSweep::mean() const {
    if (accuracy_.empty()) return 0.0;
    double s = 0;
    for (double a : accuracy_) s += a;
    return s / static_cast<double>(accuracy_.size());
}

double SeedSweep::stddev() const {
    if (accuracy_.size() < 2) return 0.0;
    const double m = mean();
    double s = 0;
    for (double a : accuracy_) s += (a - m) * (a - m);
    return std::sqrt(s / static_cast<double>(accuracy_.size() - 1));
}

}  // namespace nl::gui::sims
