// `noiselab gan`: samples the class-conditional digits GAN. Latents come from --seed (with
// --temperature scaling them and --truncation redrawing large entries); --interp A,B walks from
// seed A's latent to seed B's in --steps images, linearly or with --slerp, one row per class.
#include <iostream>
#include <string>
#include <vector>

#include "app/cli_parse.h"
#include "app/commands.h"
#include "models/cli_support.h"
#include "models/latent.h"
#include "models/nets.h"
#include "models/weights.h"
#include "tensor/ops.h"

namespace nl::app {

int cmd_gan(int argc, char** argv) {
    CLI::App app{"Sample the class-conditional digits GAN, or interpolate between two seeds' latents.", "noiselab gan"};
    models::cli::CommonFlags f;
    int klass = -1, steps = 10;
    double truncation = 0.0, temperature = 1.0;
    bool slerp = false;
    std::string interp, weights;
    app.add_option("--class", klass, "digit class 0-9 (default: every class in turn)")->check(CLI::Range(0, 9));
    app.add_option("--truncation", truncation, "redraw latent entries with |z| above this (0 = off, else 0.05-100)");
    app.add_option("--temperature", temperature, "scales the latents")->check(CLI::Range(0.0, 10.0));
    app.add_option("--interp", interp, "A,B: interpolate from seed A's latent to seed B's");
    app.add_option("--steps", steps, "images along an interpolation (2-100)")->check(CLI::Range(2, 100));
    app.add_flag("--slerp", slerp, "spherical instead of linear interpolation");
    app.add_option("--weights", weights, "a weight file other than the shipped one");
    models::cli::add_common_flags(app, f);
    if (int rc = models::cli::parse(app, argc, argv, "gan"); rc >= 0) return rc;
    try {
        const Device dev = parse_device(f.device);
        models::DigitsGenerator G(models::Weights::load(weights.empty() ? models::asset_path("digits_gan.safetensors") : weights));
        G.to(dev);
        Tensor z;
        std::vector<double> labels;
        int columns = 10;
        if (!interp.empty()) {
            const std::vector<double> ab = parse_double_list(interp, "--interp", 2);
            if (ab.size() != 2 || ab[0] < 0 || ab[1] < 0 || ab[0] != static_cast<double>(static_cast<uint64_t>(ab[0])) ||
                ab[1] != static_cast<double>(static_cast<uint64_t>(ab[1])))
                throw ValueError("--interp '" + interp + "': expected two seeds A,B (non-negative integers)");
            Generator ga(static_cast<uint64_t>(ab[0])), gb(static_cast<uint64_t>(ab[1]));
            const Tensor za = models::latents(1, G.z_dim(), ga, temperature, truncation)[0];
            const Tensor zb = models::latents(1, G.z_dim(), gb, temperature, truncation)[0];
            const Tensor path = models::interpolate(za, zb, steps, slerp);
            std::vector<Tensor> rows;
            const int first = klass >= 0 ? klass : 0, last = klass >= 0 ? klass : 9;
            for (int c = first; c <= last; ++c) {
                rows.push_back(path);
                for (int s = 0; s < steps; ++s) labels.push_back(c);
            }
            z = cat(rows, 0);
            columns = steps;
        } else {
            Generator gen(f.seed);
            z = models::latents(f.n, G.z_dim(), gen, temperature, truncation);
            for (int64_t i = 0; i < f.n; ++i) labels.push_back(klass >= 0 ? klass : static_cast<double>(i % 10));
            if (klass >= 0) columns = static_cast<int>(std::min<int64_t>(f.n, 8));
        }
        const Tensor lab = from_vector(labels, {static_cast<int64_t>(labels.size())}, {DType::Int64});
        const Tensor x = G.forward(z.to(dev), lab.to(dev)).cpu();
        const render::Image img = models::cli::digits_grid(x, -1.0, 1.0, columns);
        io::Recipe r = models::cli::model_recipe("gan-digits", x, f, models::cli::command_line(argc, argv, "gan"));
        r.params = {{"class", double(klass)}, {"truncation", truncation}, {"temperature", temperature},
                    {"interp", interp}, {"steps", double(steps)}, {"slerp", slerp ? 1.0 : 0.0}};
        models::cli::write_outputs(f, &img, x, r);
        return 0;
    } catch (const Error& e) {
        std::cerr << "noiselab gan: error: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nl::app
