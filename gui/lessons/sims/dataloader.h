// Lesson 14's simulator (compute only, no ImGui): a torch.utils.data.DataLoader over a
// TensorDataset of n samples, shuffled, in batches, loaded by worker processes that each apply a
// random augmentation (torch.rand(4, generator=self.g) in __getitem__).
//
// Modelled on PyTorch's loader (torch/utils/data): each epoch the loader draws base_seed from the
// main generator, then RandomSampler draws a seed for its own generator and yields randperm(n);
// batch b is handed to worker b % num_workers; workers are forked afresh each epoch
// (persistent_workers=False), each with torch seeded to base_seed + worker_id.
//   naive:   the dataset's generator is made once in __init__ (torch.Generator().manual_seed(s));
//            every forked worker gets a copy in the same state, so the k-th sample of worker 0
//            gets the same augmentation as the k-th sample of worker 1 -- and every epoch again.
//   correct: worker_init_fn re-seeds the copy with torch.initial_seed() (= base_seed + worker_id),
//            so every worker, every epoch, has its own stream.
// With num_workers = 0 the main process loads everything with one generator: no repeats.
// Simplified: Noise Lab's streams replace PyTorch's CPU generator (other numbers, same logic).
#pragma once
#include <cstdint>
#include <vector>

namespace nl::gui::sims {

struct LoaderConfig {
    int n = 24;            // dataset size, 1..256
    int batch_size = 4;    // 1..64
    int num_workers = 2;   // 0..8
    bool correct_seeding = false;
    bool shuffle = true;
    bool drop_last = false;
    uint64_t seed = 0;          // torch.manual_seed(seed) in the main process
    uint64_t dataset_seed = 1234;  // the dataset's own generator (naive mode)
    int epoch = 0;              // 0..99: which epoch to show (earlier ones are simulated first)
    void validate() const;      // ValueError naming the field and its range
};

// What torch.rand(4, generator=g) in __getitem__ becomes: angle = 60 r0 - 30 degrees,
// flip = r1 < 0.5, dx = floor(7 r2) - 3, dy = floor(7 r3) - 3 pixels.
struct Augment {
    float r[4] = {0, 0, 0, 0};
    float angle_deg() const { return 60.0f * r[0] - 30.0f; }
    bool flip() const { return r[1] < 0.5f; }
    int dx() const;
    int dy() const;
    bool operator==(const Augment& o) const {
        return r[0] == o.r[0] && r[1] == o.r[1] && r[2] == o.r[2] && r[3] == o.r[3];
    }
};

struct LoadedSample {
    int64_t index = 0;       // dataset index
    int worker = 0;          // -1: the main process (num_workers = 0)
    int worker_position = 0; // the k-th sample this worker loaded this epoch
    Augment aug;
    int duplicate_group = -1;  // >= 0: shares its augmentation with other samples of this epoch
};

struct LoaderEpoch {
    uint64_t base_seed = 0;      // drawn from the main generator this epoch
    uint64_t sampler_seed = 0;   // RandomSampler's seed this epoch
    std::vector<uint64_t> worker_seeds;  // torch.initial_seed() in each worker (base_seed + id)
    std::vector<std::vector<LoadedSample>> batches;  // in the order the loader yields them
    std::vector<int> batch_worker;                   // which worker loaded each batch (-1: main)
    int duplicate_groups = 0;    // augmentations that occur more than once
    int duplicated_samples = 0;  // samples whose augmentation another sample shares
};

LoaderEpoch simulate_loader(const LoaderConfig& cfg);

}  // namespace nl::gui::sims
