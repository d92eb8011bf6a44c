// The samplers behind tests/golden/models/sampler_hashes.txt (see sampler_hashes.h).
#include "sampler_hashes.h"

#include <fstream>
#include <sstream>

#include "model_test_util.h"
#include "models/charlm.h"
#include "models/diffusion.h"
#include "models/latent.h"
#include "tensor/hash.h"

namespace nl::models::testing {

namespace {
std::string hash_of(const Tensor& t) { return hash_hex(tensor_hash(t.cpu())); }
}  // namespace

std::string sampler_hashes_path() { return golden("sampler_hashes.txt"); }

std::map<std::string, std::string> sampler_hashes(Device dev) {
    std::map<std::string, std::string> h;
    {
        DigitsUNet net(Weights::load(asset("digits_diffusion.safetensors")));
        net.to(dev);
        DigitsEps eps(net, {0, 1, 2, 3}, 3.0);
        SamplerConfig cfg;
        cfg.steps = 5;
        cfg.device = dev;
        h["digits_ddim_cosine_g3"] = hash_of(diffusion_sample(eps, 4, cfg, 7));
        DigitsEps eps2(net, {7, 10}, 2.0);
        cfg.sampler = SamplerKind::DDPM;
        cfg.schedule = Schedule::Linear;
        cfg.temperature = 0.9;
        h["digits_ddpm_linear_g2_t0.9"] = hash_of(diffusion_sample(eps2, 2, cfg, 8));
    }
    {
        Toy2DNet net(Weights::load(asset("toy2d_diffusion.safetensors")));
        net.to(dev);
        ToyEps moons(net, 0), spiral(net, 4);
        SamplerConfig cfg;
        cfg.steps = 20;
        cfg.eta = 0.5;
        cfg.device = dev;
        h["moons_ddim_eta0.5"] = hash_of(diffusion_sample(moons, 64, cfg, 7));
        cfg.sampler = SamplerKind::DDPM;
        cfg.temperature = 0.8;
        h["spiral_ddpm_t0.8"] = hash_of(diffusion_sample(spiral, 64, cfg, 7));
    }
    if (file_exists(asset("digits_gan.safetensors"))) {
        DigitsGenerator G(Weights::load(asset("digits_gan.safetensors")));
        G.to(dev);
        Generator gen(7);
        const Tensor z = latents(8, G.z_dim(), gen, 1.0, 0.7).to(dev);
        h["gan_trunc0.7"] = hash_of(G.forward(z, from_vector({0, 1, 2, 3, 4, 5, 6, 7}, {8}, {DType::Int64}).to(dev)));
        Generator ga(7), gb(8);
        const Tensor path = interpolate(latents(1, G.z_dim(), ga)[0], latents(1, G.z_dim(), gb)[0], 5, true).to(dev);
        h["gan_slerp_7_8"] = hash_of(G.forward(path, full({5}, 3, {DType::Int64}).to(dev)));
    }
    {
        DigitsVAE v2(Weights::load(asset("digits_vae2.safetensors"))), v16(Weights::load(asset("digits_vae16.safetensors")));
        v2.to(dev);
        v16.to(dev);
        h["vae2_grid5"] = hash_of(v2.decode(latent_grid(5).to(dev)));
        Generator gen(7);
        h["vae16_sample"] = hash_of(v16.decode(latents(4, 16, gen).to(dev)));
    }
    {
        CharMLP lm(Weights::load(asset("charlm.safetensors")));
        lm.to(dev);
        CharSampling s;
        s.temperature = 0.8;
        s.top_k = 10;
        s.top_p = 0.9;
        std::string words;
        for (const auto& w : sample_words(lm, 20, s, 7)) words += w + "\n";
        h["lm_t0.8_k10_p0.9"] = hash_hex(fnv1a64(words.data(), words.size()));
    }
    return h;
}

std::map<std::string, std::string> golden_sampler_hashes() {
    std::ifstream f(sampler_hashes_path());
    std::map<std::string, std::string> want;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream is(line);
        std::string k, v;
        is >> k >> v;
        want[k] = v;
    }
    return want;
}

}  // namespace nl::models::testing
