// models_quality: the measurements in docs/MODELS.md, through OUR C++ forward passes and samplers.
//  - the classifier's accuracy on the 500 held-out digits of the data sheet;
//  - its accuracy on class-conditional guided diffusion samples (DDIM, --steps, --guidance);
//  - its accuracy on GAN samples (temperature 1, no truncation, and truncation 0.7);
//  - MMD^2 of 2-D diffusion samples against a held-out data sample, beside data-vs-data MMD^2;
//  - per VAE (2-D and 16-D latent): held-out -ELBO (Bernoulli recon BCE of the decoded posterior
//    mean + KL, per digit, as train_vae.py reports it), the classifier's accuracy on reconstructions
//    of the 500 held-out digits, and on decoded prior samples (z ~ N(0, I); for the 2-D one also
//    the 15 x 15 latent map over [-2.5, 2.5]^2 that `noiselab vae --latent-grid` draws): the
//    fraction it labels with confidence > 0.9 and the histogram of its labels;
//  - the char model's held-out loss is computed by train_charlm.py (see its report).
// Usage: models_quality [--per-class N] [--steps S] [--guidance G] [--points P] [--seed S]
//                       [--vae-samples N] [--no-digits] [--no-gan] [--no-toy] [--no-vae]
#include <algorithm>
#include <cmath>
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

namespace {

// Classifier verdicts on decoded VAE images [n,1,20,20] in [0, 1]: the fraction labelled with
// softmax confidence > 0.9 and how many of all n it labels as each digit.
void report_prior_samples(const DigitsClassifier& clf, const Tensor& decoded, const std::string& what) {
    const Tensor probs = softmax(clf.forward(decoded * 2.0 - 1.0), 1);
    const std::vector<double> p = probs.to_vector();
    const int64_t n = decoded.size(0);
    int64_t confident = 0;
    std::vector<int64_t> hist(10, 0), hist_conf(10, 0);
    for (int64_t i = 0; i < n; ++i) {
        const double* row = &p[i * 10];
        const int64_t k = std::max_element(row, row + 10) - row;
        ++hist[k];
        if (row[k] > 0.9) {
            ++confident;
            ++hist_conf[k];
        }
    }
    int64_t present = 0;
    for (int64_t c : hist_conf) present += c > 0;
    std::cout << "  " << what << " (" << n << "): classifier confidence > 0.9 on " << double(confident) / n
              << "; labels 0-9:";
    for (int64_t c : hist) std::cout << " " << c;
    std::cout << "; confident:";
    for (int64_t c : hist_conf) std::cout << " " << c;
    std::cout << " (" << present << "/10 digits confidently present)\n";
}

// Held-out -ELBO, reconstruction accuracy and prior-sample verdicts of one VAE (see the header).
void report_vae(const DigitsClassifier& clf, const Tensor& held, const std::vector<int64_t>& labels, int z_dim,
                int64_t samples, uint64_t seed) {
    const DigitsVAE vae(Weights::load(asset_path("digits_vae" + std::to_string(z_dim) + ".safetensors")));
    const Tensor x = (held + 1.0) * 0.5;  // the VAE's pixels are in [0, 1]
    Tensor mu, logvar;
    vae.encode(x, mu, logvar);
    const Tensor rec = vae.decode(mu);
    const std::vector<double> xv = x.to_vector(), rv = rec.to_vector(), mv = mu.to_vector(), lv = logvar.to_vector();
    double bce = 0, kl = 0;
    for (size_t i = 0; i < xv.size(); ++i)  // logs clamped at -100, as torch's binary_cross_entropy does
        bce -= xv[i] * std::max(std::log(rv[i]), -100.0) + (1 - xv[i]) * std::max(std::log1p(-rv[i]), -100.0);
    for (size_t i = 0; i < mv.size(); ++i) kl += -0.5 * (1 + lv[i] - mv[i] * mv[i] - std::exp(lv[i]));
    const double n = static_cast<double>(held.size(0));
    std::cout << "VAE " << z_dim << "-D: held-out -ELBO " << (bce + kl) / n << " (recon BCE " << bce / n << " + KL " << kl / n
              << "); reconstructions of the " << held.size(0) << " held-out digits recognised "
              << classifier_accuracy(clf, rec * 2.0 - 1.0, labels) << "\n";
    Generator gen(seed);
    report_prior_samples(clf, vae.decode(latents(samples, z_dim, gen)), "prior samples z ~ N(0, I)");
    if (z_dim == 2) report_prior_samples(clf, vae.decode(latent_grid(15, 2.5)), "latent map 15x15 over [-2.5, 2.5]^2");
}

}  // namespace

int main(int argc, char** argv) {
    int per_class = 20, steps = 50, points = 1000, vae_samples = 1000;
    double guidance = 3.0;
    uint64_t seed = 7;
    bool skip_digits = false, skip_gan = false, skip_toy = false, skip_vae = false;
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
        else if (a == "--no-vae") skip_vae = true;
        else if (a == "--vae-samples") vae_samples = std::atoi(next().c_str());
        else {
            std::cerr << "models_quality: unknown flag " << a << "\n";
            return 2;
        }
    }
    try {
        std::cout << std::fixed << std::setprecision(4);
        const DigitsClassifier clf(Weights::load(asset_path("digits_classifier.safetensors")));
        std::vector<int64_t> held_labels;
        const Tensor held = shipped_heldout_digits(500, &held_labels);
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
        if (!skip_vae) {
            if (vae_samples < 1) {
                std::cerr << "models_quality: --vae-samples must be >= 1, got " << vae_samples << "\n";
                return 2;
            }
            for (int z_dim : {2, 16}) report_vae(clf, held, held_labels, z_dim, vae_samples, seed);
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
