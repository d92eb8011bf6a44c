// The golden forward-pass cases (inputs and PyTorch outputs written by models/train/*.py), run on
// a device; shared by the CPU tests and the GPU tests. Each returns the relative error
// ||ours - torch|| / ||torch||.
#pragma once
#include "model_test_util.h"
#include "models/nets.h"

namespace nl::models::testing {

inline double forward_error(const std::string& which, Device dev) {
    if (which == "classifier") {
        auto g = io::load_safetensors(golden("classifier_forward.safetensors")).tensors;
        DigitsClassifier m(Weights::load(asset("digits_classifier.safetensors")));
        m.to(dev);
        return rel_error(m.forward(g["x"].to(dev)), g["logits"]);
    }
    if (which == "toy2d") {
        auto g = io::load_safetensors(golden("toy2d_forward.safetensors")).tensors;
        Toy2DNet m(Weights::load(asset("toy2d_diffusion.safetensors")));
        m.to(dev);
        return rel_error(m.forward(g["x"].to(dev), g["alpha_bar"].to(dev), g["dataset"].to(dev)), g["eps"]);
    }
    if (which == "digits_diffusion") {
        auto g = io::load_safetensors(golden("digits_diffusion_forward.safetensors")).tensors;
        DigitsUNet m(Weights::load(asset("digits_diffusion.safetensors")));
        m.to(dev);
        return rel_error(m.forward(g["x"].to(dev), g["alpha_bar"].to(dev), g["label"].to(dev)), g["eps"]);
    }
    if (which == "gan") {
        auto g = io::load_safetensors(golden("gan_forward.safetensors")).tensors;
        DigitsGenerator m(Weights::load(asset("digits_gan.safetensors")));
        m.to(dev);
        return rel_error(m.forward(g["z"].to(dev), g["label"].to(dev)), g["image"]);
    }
    if (which == "vae2" || which == "vae16") {
        const std::string z = which.substr(3);
        auto g = io::load_safetensors(golden("vae" + z + "_forward.safetensors")).tensors;
        DigitsVAE m(Weights::load(asset("digits_vae" + z + ".safetensors")));
        m.to(dev);
        Tensor mu, logvar;
        m.encode(g["x"].to(dev), mu, logvar);
        return std::max({rel_error(m.decode(g["z"].to(dev)), g["decoded"]), rel_error(mu, g["mu"]),
                         rel_error(logvar, g["logvar"])});
    }
    if (which == "charlm") {
        auto g = io::load_safetensors(golden("charlm_forward.safetensors")).tensors;
        CharMLP m(Weights::load(asset("charlm.safetensors")));
        m.to(dev);
        return rel_error(m.forward(g["context"].to(dev)), g["logits"]);
    }
    throw ValueError("unknown forward case " + which);
}

// The weight file a case needs.
inline std::string forward_asset(const std::string& which) {
    if (which == "classifier") return asset("digits_classifier.safetensors");
    if (which == "toy2d") return asset("toy2d_diffusion.safetensors");
    if (which == "digits_diffusion") return asset("digits_diffusion.safetensors");
    if (which == "gan") return asset("digits_gan.safetensors");
    if (which == "charlm") return asset("charlm.safetensors");
    return asset("digits_vae" + which.substr(3) + ".safetensors");
}

inline const char* const kForwardCases[] = {"classifier", "toy2d", "digits_diffusion", "gan", "vae2", "vae16", "charlm"};

}  // namespace nl::models::testing
