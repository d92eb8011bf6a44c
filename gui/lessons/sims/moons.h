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
#include <optional>
#include <vector>

#include "tensor/device.h"
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
// Minibatch steps of one run: epochs * ceil(n_train / batch).
int steps_per_run(const TrainConfig& cfg);
// ValueError unless 1 <= k <= 200 (seeds in one sweep).
void check_seed_count(int k);
// ValueError unless `train` has cfg.n_train points (the step count follows n_train).
void check_training_set(const TrainConfig& cfg, const Moons& train);

// P(y = 1 | x) of the 2-H-H-1 network whose parameters `p` are laid out as MoonsRun::params().
float mlp_probability(const std::vector<float>& p, int hidden, float x0, float x1);

// nn.Linear's default init of the three layers (weight, then bias, layer by layer), drawn from
// `gen` in that order, in MoonsRun::params()'s layout.
std::vector<float> initial_params(int hidden, Generator* gen);

class BatchedMoons;

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
    float predict(float x0, float x1) const { return mlp_probability(p_, H_, x0, x1); }
    // W1 [H,2], b1 [H], W2 [H,H], b2 [H], W3 [1,H], b3 [1], one after another.
    const std::vector<float>& params() const { return p_; }
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

// K runs with seeds first_seed .. first_seed + K - 1, advanced a bounded number of steps per call:
// one run after another (MoonsRun, hand-written on the CPU), or, given a device, all K at once as
// batched tensor ops on it (BatchedMoons: K seeds in parallel on a GPU).
class SeedSweep {
public:
    // ValueError for k outside 1..200; DeviceError when `batched_on` is unusable.
    SeedSweep(const TrainConfig& cfg, int k, uint64_t first_seed, std::optional<Device> batched_on = std::nullopt);
    ~SeedSweep();
    // Not copied or moved: the runs keep pointers to train_.
    SeedSweep(const SeedSweep&) = delete;
    SeedSweep& operator=(const SeedSweep&) = delete;
    // Runs at most `budget` single-run steps in total (one run after another: finishing runs in
    // seed order; batched: budget / K steps of all runs, at least one); true when all are done.
    bool advance(int budget);
    bool batched() const { return batched_ != nullptr; }
    std::optional<Device> batched_device() const;
    // Wall time of the training: setting up the runs and every advance() (a GPU's one-time start,
    // such as loading cuBLAS, is done before the clock starts).
    double train_ms() const { return train_ms_; }
    bool done() const { return static_cast<int>(accuracy_.size()) == k_; }
    int runs_done() const { return static_cast<int>(accuracy_.size()); }
    int k() const { return k_; }
    double progress() const;  // 0..1 over all steps
    const std::vector<double>& accuracies() const { return accuracy_; }  // validation, per finished seed
    double mean() const;
    double stddev() const;  // sample std (n - 1), 0 for fewer than 2 runs
    const Moons& train() const { return train_; }
    const Moons& val() const { return val_; }
    // The run shown in the decision-boundary picture (one after another: the run in progress, or
    // the last finished one; batched: the first seed's): its parameters, and a number that changes
    // whenever they do (for redrawing only then).
    std::vector<float> shown_params() const;
    int64_t shown_version() const;
    uint64_t first_seed() const { return first_seed_; }
    const TrainConfig& config() const { return cfg_; }

private:
    TrainConfig cfg_;
    int k_;
    uint64_t first_seed_;
    Moons train_, val_;
    std::unique_ptr<MoonsRun> run_, last_;
    std::unique_ptr<BatchedMoons> batched_;
    std::vector<double> accuracy_;
    long long steps_total_ = 0, steps_done_ = 0;
    double train_ms_ = 0;
};

}  // namespace nl::gui::sims
