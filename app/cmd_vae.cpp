// `noiselab vae`: the digits VAEs. --latent-grid decodes a grid over the 2-D latent (a map of
// what each region of the latent space draws); the default samples the decoder from N(0, T^2 I);
// --reconstruct encodes held-out digits of the data sheet (or a .npy [n,1,20,20] in [-1, 1]) and
// shows them above their reconstructions. --latent 2 or 16 picks the model.
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "models/cli_support.h"
#include "models/latent.h"
#include "models/nets.h"
#include "models/weights.h"
#include "tensor/io/npy.h"
#include "tensor/ops.h"

namespace nl::app {

int cmd_vae(int argc, char** argv) {
    CLI::App app{"Sample, map or reconstruct digits with the VAEs (2-D or 16-D latent).", "noiselab vae"};
    models::cli::CommonFlags f;
    int latent = 2, side = 15;
    bool grid = false, reconstruct = false;
    double temperature = 1.0, extent = 2.5;
    std::string from, weights;
    app.add_option("--latent", latent, "latent size: 2 or 16")->check(CLI::IsMember({2, 16}));
    app.add_flag("--latent-grid", grid, "decode a side x side grid over the 2-D latent space (--latent 2)");
    app.add_option("--side", side, "latent grid side (2-40)")->check(CLI::Range(2, 40));
    app.add_option("--extent", extent, "latent grid covers [-extent, extent]^2")->check(CLI::Range(0.1, 10.0));
    app.add_flag("--reconstruct", reconstruct, "encode and decode held-out digits (or --from FILE.npy)");
    app.add_option("--from", from, "digits to reconstruct: .npy [n,1,20,20] in [-1, 1]");
    app.add_option("--temperature", temperature, "scales the sampled latents")->check(CLI::Range(0.0, 10.0));
    app.add_option("--weights", weights, "a weight file other than the shipped one");
    models::cli::add_common_flags(app, f);
    if (int rc = models::cli::parse(app, argc, argv, "vae"); rc >= 0) return rc;
    try {
        if (grid && reconstruct) throw ValueError("--latent-grid and --reconstruct are exclusive");
        if (grid && latent != 2) throw ValueError("--latent-grid needs --latent 2 (a 2-D latent space)");
        const Device dev = parse_device(f.device);
        const std::string file = "digits_vae" + std::to_string(latent) + ".safetensors";
        models::DigitsVAE vae(models::Weights::load(weights.empty() ? models::asset_path(file) : weights));
        vae.to(dev);
        Tensor out;
        int columns = 8;
        std::string mode;
        if (grid) {
            out = vae.decode(models::latent_grid(side, extent).to(dev)).cpu();
            columns = side;
            mode = "vae-latent-grid";
        } else if (reconstruct) {
            Tensor x;
            if (!from.empty()) {
                x = io::load_npy(from).to(DType::Float32);
                if (x.dim() != 4 || x.size(1) != 1 || x.size(2) != 20 || x.size(3) != 20)
                    throw ShapeError("--from " + from + ": expected [n, 1, 20, 20], got " + shape_str(x.shape()));
            } else {
                x = models::shipped_heldout_digits(std::min<int64_t>(f.n, 500));
            }
            Tensor mu, logvar;
            vae.encode(((x + 1.0) * 0.5).to(dev), mu, logvar);
            const Tensor rec = vae.decode(mu).cpu() * 2.0 - 1.0;
            // Rows of 8: originals above their reconstructions.
            std::vector<Tensor> rows;
            for (int64_t i = 0; i < x.size(0); i += 8) {
                const int64_t k = std::min<int64_t>(8, x.size(0) - i);
                rows.push_back(x.narrow(0, i, k));
                rows.push_back(rec.narrow(0, i, k));
            }
            out = (cat(rows, 0) + 1.0) * 0.5;
            columns = static_cast<int>(std::min<int64_t>(8, x.size(0)));
            mode = "vae-reconstruct";
        } else {
            Generator gen(f.seed);
            out = vae.decode(models::latents(f.n, vae.z_dim(), gen, temperature).to(dev)).cpu();
            mode = "vae-sample";
        }
        const render::Image img = models::cli::digits_grid(out, 0.0, 1.0, columns);
        io::Recipe r = models::cli::model_recipe(mode, out, f, models::cli::command_line(argc, argv, "vae"));
        r.params = {{"latent", double(latent)}, {"temperature", temperature}, {"side", double(side)}, {"extent", extent}};
        models::cli::write_outputs(f, &img, out, r);
        return 0;
    } catch (const Error& e) {
        std::cerr << "noiselab vae: error: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nl::app
