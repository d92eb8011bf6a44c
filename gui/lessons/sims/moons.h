// Lesson 15's simulator (compute only, no ImGui): a 2-H-H-1 ReLU MLP trained on the two-moons
// data with K training seeds, to show how much the validation accuracy moves with the seed alone.
// The data (sklearn.datasets.make_moons's construction, drawn with Noise Lab's randn/rand) is the
// same for every run; the training seed decides the initial weights (nn.Linear's default
// U(-1/sqrt(fan_in), 1/sqrt(fan_in))) and the minibatch order (randperm each epoch). Forward and
// backward passes are written by hand in float32 (the net is tiny); the optimiser is plain SGD or
// Adam (PyTorch's defaults: betas 0.9, 0.999, eps 1e-8). The sweep runs a bounded number of
// steps per call, so the GUI advances it a little each frame and never freezes.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "tensor/generator.h"

namespace nl::gui::sims {

struct Moons {
    std::vector<float> x;  // n x 2, row-major
    std::vector<int> y;    // n labels 0 / 1
    int n() const { return static_cast<int>(y.size()); }
};
// n points (n / 2 on the first moon, the rest on the second, as sklearn), Gaussian noise of std `noise`,
// order shuffled: a pure function of the arguments.
Moons make_moons(int n, double noise, uint64_t seed);

enum class Optim { SGD, Adam };

struct TrainConfig {
    int hidden = 16;        // 2..64
    int epochs = 20;        // 1..500
    int batch = 32;         // 1..512
    double lr = 0.01;       // (0, 10]
    Optim optim = Optim::Adam;
    int n_train = 200, n_val = 1000;  // 8..5000 each
    double noise = 0.25;    // [0, 1]
    uint64_t data_seed = 0; // the data set (fixed across the sweep)
    void validate() const;  // ValueError naming the field and its range
};

// One training run: init from `seed`, then step() until done().
class MoonsRun {
public:
    MoonsRun(const TrainConfig& cfg, uint64_t seed, const Moons* train);
    // Runs up to max_steps minibatch steps; returns the number run.
    int step(int max_steps);
    bool done() const { return epoch_ >= cfg_.epochs; }
    int steps_done() const { return steps_; }
    int total_steps() const;
    // P(y = 1 | x) of the current network.
    float predict(float x0, float x1) const;
    double accuracy(const Moons& data) const;

private:
    void new_epoch();
    TrainConfig cfg_;
    const Moons* train_;
    int H_;
    // Parameters in one vector: W1 [H,2], b1 [H], W2 [H,H], b2 [H], W3 [1,H], b3 [1].
    std::vector<float> p_, grad_, m_, v_;
    std::vector<int64_t> order_;
    int epoch_ = 0, pos_ = 0, steps_ = 0;
    Generator gen_;  // torch.manual_seed(seed): the init draws, then one randperm per epoch
};

// K runs with seeds first_seed .. first_seed + K - 1, advanced a bounded number of steps per call.
class SeedSweep {
public:
    SeedSweep(const TrainConfig& cfg, int k, uint64_t first_seed);  // ValueError for k outside 1..200
    // Runs at most `budget` steps in total (finishing runs in seed order); true when all are done.
    bool advance(int budget);
    bool done() const { return static_cast<int>(accuracy_.size()) == k_; }
    int runs_done() const { return static_cast<int>(accuracy_.size()); }
    int k() const { return k_; }
    double progress() const;  // 0..1 over all steps
    const std::vector<double>& accuracies() const { return accuracy_; }  // validation, per finished seed
    double mean() const;
    double stddev() const;  // sample std (n - 1), 0 for fewer than 2 runs
    const Moons& train() const { return train_; }
    const Moons& val() const { return val_; }
    // The run in progress, or the last finished one (for the decision-boundary picture).
    const MoonsRun* current() const { return run_.get() ? run_.get() : last_.get(); }
    uint64_t first_seed() const { return first_seed_; }
    const TrainConfig& config() const { return cfg_; }

private:
    TrainConfig cfg_;
    int k_;
    uint64_t first_seed_;
    Moons train_, val_;
    std::unique_ptr<MoonsRun> run_, last_;
    std::vector<double> accuracy_;
    long long steps_total_ = 0, steps_done_ = 0;
};

}  // namespace nl::gui::sims
