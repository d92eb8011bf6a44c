// models_bench: wall-clock timings of the samplers (median of --repeats runs, after one warm-up
// run on a GPU): 2-D diffusion of 2,000 points through 100 DDIM steps, and a 50-step DDIM batch of
// guided digits (guidance 3: the UNet runs on 2 x batch images per step). Prints a small table in
// milliseconds.
//
//   models_bench [--repeats 3] [--device cpu|cuda:0] [--batch 16] [--only digits]
// bench/models/torch_ddim.py times PyTorch eager on the same weights and the same batch.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "models/diffusion.h"
#include "tensor/backend.h"
#include "tensor/hash.h"
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
    int64_t batch = 16;
    std::string device_name = "cpu", only;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--repeats") repeats = std::max(1, std::atoi(value.c_str()));
        else if (flag == "--batch") batch = std::max(1, std::atoi(value.c_str()));
        else if (flag == "--device") device_name = value;
        else if (flag == "--only") only = value;
        else {
            std::cerr << "models_bench: unknown flag " << flag << " (--repeats, --batch, --device, --only)\n";
            return 2;
        }
    }
    try {
        const Device device = parse_device(device_name);
        const bool on_gpu = device.type == DeviceType::CUDA;
        std::cout << "models_bench (" << device_name << ", median of " << repeats << ")\n";
        if (only.empty() || only == "toy") {
            Toy2DNet toy(Weights::load(asset_path("toy2d_diffusion.safetensors")));
            toy.to(device);
            ToyEps moons(toy, 0);
            SamplerConfig toy_cfg;
            toy_cfg.steps = 100;
            toy_cfg.device = device;
            if (on_gpu) diffusion_sample(moons, 2000, toy_cfg, 1);  // warm-up: allocator, cuBLAS
            const double toy_ms = median_ms(repeats, [&] { diffusion_sample(moons, 2000, toy_cfg, 1).cpu(); });
            std::cout << "  toy2d diffusion, 2000 points x 100 DDIM steps : " << toy_ms << " ms\n";
        }
        if (only.empty() || only == "digits") {
            DigitsUNet unet(Weights::load(asset_path("digits_diffusion.safetensors")));
            unet.to(device);
            std::vector<int64_t> labels;
            for (int64_t i = 0; i < batch; ++i) labels.push_back(i % 10);
            DigitsEps digits(unet, labels, 3.0);
            SamplerConfig dcfg;
            dcfg.steps = 50;
            dcfg.device = device;
            if (on_gpu) diffusion_sample(digits, batch, dcfg, 1);
            // Also the time until the sampler returns, before the result is copied back: on a GPU,
            // when it is close to the total the host's launching of kernels is the limit (the
            // GPU waits for work), else the kernels are.
            std::vector<double> issue;
            uint64_t samples_hash = 0;
            const double digits_ms = median_ms(repeats, [&] {
                const auto t0 = std::chrono::steady_clock::now();
                const Tensor x = diffusion_sample(digits, batch, dcfg, 1);
                issue.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
                samples_hash = tensor_hash(x.cpu());
            });
            std::sort(issue.begin(), issue.end());
            std::cout << "  digits DDIM 50 steps, batch " << batch << ", guidance 3 : " << digits_ms << " ms ("
                      << digits_ms / 50 << " ms/step, UNet width " << unet.channels() << ")\n";
            if (on_gpu)
                std::cout << "    host time until the sampler returned (kernels queued): " << issue[issue.size() / 2]
                          << " ms\n";
            // Kernel variants that keep the same arithmetic (NOISELAB_CONV_KERNEL) give the same hash.
            std::cout << "    samples hash " << std::hex << samples_hash << std::dec << "\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "models_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
