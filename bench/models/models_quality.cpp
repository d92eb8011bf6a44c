// models_quality: the measurements in docs/MODELS.md, through OUR C++ forward passes and samplers.
//  - the classifier's accuracy on the 500 held-out digits of the data sheet;
//  - its accuracy on class-conditional guided diffusion samples (DDIM, --steps, --guidance);
//  - its accuracy on GAN samples (temperature 1, no truncation, and truncation 0.7);
//  - MMD^2 of 2-D diffusion samples against a held-out data sample, beside data-vs-data MMD^2;
//  - the char model's held-out loss is computed by train_charlm.py (see its report).
// Usage: models_quality [--per-class N] [--steps S] [--guidance G] [--points P] [--seed S]
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "models/diffusion.h"
#include "models/latent.h"
#include "models/metrics.h"
#include "models/toy2d.h"
#include "tensor/ops.h"

using namespace nl;
using namespace nl::models;

int main(int argc, char** argv) {
    int per_class = 20, steps = 50, points = 1000;
    double guidance = 3.0;
    uint64_t seed = 7;
    bool skip_digits = false, skip_gan = false, skip_toy = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string("0"); };
        if (a == "--per-class") per_class = std::atoi(next().c_str());
        else if (a == "--steps") steps = std::atoi(next().c_str());
        else if (a == "--guidance") guidance = std::atof(next().c_str());
        else if (a == "--points") points = std::atoi(next().c_str());
        else if (a == "--seed") seed = std::strtoull(next().c_str(), nullptr, 10);
        else if (a == "--no-digits") skip_digits = true;
        else if (a == "--no-gan") skip_gan = true;
        else if (a == "--no-toy") skip_toy = true;
        else {
            std::cerr << "models_quality: unknown flag " << a << "\n";
            return 2;
        }
    }
    try {
        std::cout << std::fixed << std::setprecision(4);
        const DigitsClassifier clf(Weights::load(asset_path("digits_classifier.safetensors")));
        std::vector<int64_t> held_labels;
        const Tensor held = heldout_digits(load_digits_sheet(default_digits_path()), 500, &held_labels);
        std::cout << "classifier held-out accuracy (500 digits, C++ forward): " << classifier_accuracy(clf, held, held_labels) << "\n";
        std::vector<int64_t> labels;
        for (int i = 0; i < 10 * per_class; ++i) labels.push_back(i % 10);
        if (!skip_digits) {
            const DigitsUNet unet(Weights::load(asset_path("digits_diffusion.safetensors")));
            for (Schedule sch : {Schedule::Cosine, Schedule::Linear}) {
                DigitsEps eps(unet, labels, guidance);
                SamplerConfig cfg;
                cfg.steps = steps;
                cfg.schedule = sch;
                const Tensor x = diffusion_sample(eps, static_cast<int64_t>(labels.size()), cfg, seed, [](int d, int t) {
                    std::cerr << "\rdiffusion step " << d << "/" << t << std::flush;
                });
                std::cerr << "\n";
                std::cout << "diffusion digits: DDIM " << steps << " steps, " << schedule_name(sch) << ", guidance " << guidance
                          << ", " << labels.size() << " samples: classifier accuracy " << classifier_accuracy(clf, x, labels) << "\n";
            }
        }
        if (!skip_gan) {
            const DigitsGenerator G(Weights::load(asset_path("digits_gan.safetensors")));
            const Tensor lab = from_vector(std::vector<double>(labels.begin(), labels.end()), {int64_t(labels.size())}, {DType::Int64});
            for (double trunc : {0.0, 0.7}) {
                Generator gen(seed);
                const Tensor x = G.forward(latents(static_cast<int64_t>(labels.size()), G.z_dim(), gen, 1.0, trunc), lab);
                std::cout << "GAN digits (truncation " << trunc << ", " << labels.size()
                          << " samples): classifier accuracy " << classifier_accuracy(clf, x, labels) << "\n";
            }
        }
        if (!skip_toy) {
            const Toy2DNet toy(Weights::load(asset_path("toy2d_diffusion.safetensors")));
            std::cout << "toy2d MMD^2 (" << points << " points; DDIM 100 steps, cosine):\n";
            for (int ds = 0; ds < 5; ++ds) {
                ToyEps eps(toy, ds);
                SamplerConfig cfg;
                cfg.steps = 100;
                const Tensor s = diffusion_sample(eps, points, cfg, seed + ds);
                Generator g1(1000 + ds), g2(2000 + ds);
                const Tensor d1 = toy_data(ds, points, g1), d2 = toy_data(ds, points, g2);
                std::cout << "  " << std::setw(16) << std::left << toy_names()[ds] << std::right << " samples vs data "
                          << std::setprecision(5) << mmd2(s, d1) << "   data vs data " << mmd2(d2, d1) << "\n";
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "models_quality: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
