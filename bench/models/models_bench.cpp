// models_bench: wall-clock timings of the samplers on the CPU (median of --repeats runs):
// 2-D diffusion of 2,000 points through 100 DDIM steps, and a 50-step DDIM batch of 16 guided
// digits (guidance 3: 32 UNet evaluations per step). Prints a small table in milliseconds.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "models/diffusion.h"
#include "tensor/parallel.h"

using namespace nl;
using namespace nl::models;

namespace {

template <class F>
double median_ms(int repeats, F&& f) {
    std::vector<double> ms;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int repeats = 3;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--repeats") repeats = std::max(1, std::atoi(argv[i + 1]));
    const Toy2DNet toy(Weights::load(asset_path("toy2d_diffusion.safetensors")));
    const DigitsUNet unet(Weights::load(asset_path("digits_diffusion.safetensors")));
    ToyEps moons(toy, 0);
    SamplerConfig toy_cfg;
    toy_cfg.steps = 100;
    const double toy_ms = median_ms(repeats, [&] { diffusion_sample(moons, 2000, toy_cfg, 1); });
    std::vector<int64_t> labels;
    for (int i = 0; i < 16; ++i) labels.push_back(i % 10);
    DigitsEps digits(unet, labels, 3.0);
    SamplerConfig dcfg;
    dcfg.steps = 50;
    const double digits_ms = median_ms(repeats, [&] { diffusion_sample(digits, 16, dcfg, 1); });
    std::cout << "models_bench (CPU, median of " << repeats << ")\n"
              << "  toy2d diffusion, 2000 points x 100 DDIM steps : " << toy_ms << " ms\n"
              << "  digits DDIM 50 steps, batch 16, guidance 3     : " << digits_ms << " ms ("
              << digits_ms / 50 << " ms/step, UNet width " << unet.channels() << ")\n";
    return 0;
}
