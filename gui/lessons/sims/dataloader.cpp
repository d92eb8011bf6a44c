// Lesson 14's simulator: DataLoader epochs with naive or correct worker seeding (dataloader.h).
#include "gui/lessons/sims/dataloader.h"

#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "gui/lessons/sims/param_range.h"
#include "tensor/errors.h"
#include "tensor/generator.h"
#include "tensor/random.h"

namespace nl::gui::sims {

namespace {

// torch.empty((), dtype=torch.int64).random_(generator=g): a non-negative 63-bit seed.
uint64_t draw_seed(Generator& g) {
    return static_cast<uint64_t>(
        randint(0, std::numeric_limits<int64_t>::max(), {1}, {DType::Int64}, &g).to_int_vector()[0]);
}

Augment draw_augment(Generator& g) {
    const std::vector<double> v = rand({4}, {}, &g).to_vector();
    Augment a;
    for (int k = 0; k < 4; ++k) a.r[k] = static_cast<float>(v[static_cast<size_t>(k)]);
    return a;
}

}  // namespace

int Augment::dx() const { return static_cast<int>(std::floor(7.0f * r[2])) - 3; }
int Augment::dy() const { return static_cast<int>(std::floor(7.0f * r[3])) - 3; }

void LoaderConfig::validate() const {
    check_int_range("dataloader", "n", n, 1, 256);
    check_int_range("dataloader", "batch_size", batch_size, 1, 64);
    check_int_range("dataloader", "num_workers", num_workers, 0, 8);
    check_int_range("dataloader", "epoch", epoch, 0, 99);
}

LoaderEpoch simulate_loader(const LoaderConfig& cfg) {
    cfg.validate();
    Generator main_gen(cfg.seed);              // torch.manual_seed(seed)
    Generator dataset_gen(cfg.dataset_seed);   // made in Dataset.__init__, in the main process
    LoaderEpoch ep;
    for (int e = 0; e <= cfg.epoch; ++e) {
        ep = LoaderEpoch{};
        // _BaseDataLoaderIter.__init__ draws base_seed; the sampler's first next() draws its seed.
        ep.base_seed = draw_seed(main_gen);
        std::vector<int64_t> order;
        if (cfg.shuffle) {
            ep.sampler_seed = draw_seed(main_gen);
            Generator sg(ep.sampler_seed);
            order = randperm(cfg.n, {DType::Int64}, &sg).to_int_vector();
        } else {
            for (int64_t i = 0; i < cfg.n; ++i) order.push_back(i);
        }
        // BatchSampler.
        std::vector<std::vector<int64_t>> batches;
        for (size_t s = 0; s < order.size(); s += static_cast<size_t>(cfg.batch_size)) {
            std::vector<int64_t> b(order.begin() + static_cast<std::ptrdiff_t>(s),
                                   order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), s + cfg.batch_size)));
            if (cfg.drop_last && static_cast<int>(b.size()) < cfg.batch_size) break;
            batches.push_back(std::move(b));
        }
        // Workers: forked copies of the dataset (and of its generator) made this epoch.
        const int W = cfg.num_workers;
        std::vector<Generator> worker_gen;
        std::vector<int> worker_count(static_cast<size_t>(std::max(W, 1)), 0);
        for (int w = 0; w < W; ++w) {
            ep.worker_seeds.push_back(ep.base_seed + static_cast<uint64_t>(w));
            worker_gen.push_back(cfg.correct_seeding ? Generator(ep.base_seed + static_cast<uint64_t>(w)) : dataset_gen);
        }
        for (size_t b = 0; b < batches.size(); ++b) {
            const int w = W > 0 ? static_cast<int>(b % static_cast<size_t>(W)) : -1;
            Generator& g = W > 0 ? worker_gen[static_cast<size_t>(w)] : dataset_gen;
            std::vector<LoadedSample> out;
            for (int64_t idx : batches[b]) {
                LoadedSample s;
                s.index = idx;
                s.worker = w;
                s.worker_position = worker_count[static_cast<size_t>(std::max(w, 0))]++;
                s.aug = draw_augment(g);
                out.push_back(s);
            }
            ep.batches.push_back(std::move(out));
            ep.batch_worker.push_back(w);
        }
    }
    // Group equal augmentations (exact float equality of the four draws), numbered in the order
    // the loader yields their first sample.
    std::map<std::vector<float>, std::vector<LoadedSample*>> groups;
    std::vector<std::vector<LoadedSample*>*> in_order;
    for (auto& b : ep.batches)
        for (auto& s : b) {
            auto& g = groups[{s.aug.r[0], s.aug.r[1], s.aug.r[2], s.aug.r[3]}];
            if (g.empty()) in_order.push_back(&g);
            g.push_back(&s);
        }
    for (auto* g : in_order) {
        if (g->size() < 2) continue;
        for (LoadedSample* s : *g) s->duplicate_group = ep.duplicate_groups;
        ep.duplicated_samples += static_cast<int>(g->size());
        ++ep.duplicate_groups;
    }
    return ep;
}

}  // namespace nl::gui::sims
