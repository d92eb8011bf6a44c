// `noiselab diffuse`: samples the diffusion models with our C++ samplers. --model digits draws
// class-conditional 20x20 digits (classifier-free guidance) as an image grid; --model moons (or
// swiss_roll, eight_gaussians, checkerboard, spiral) draws 2-D points as a scatter chart.
// --trajectory draws the intermediate x_t and predicted x_0 of the run.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "models/cli_support.h"
#include "models/diffusion.h"
#include "models/nets.h"
#include "models/toy2d.h"
#include "models/weights.h"
#include "tensor/ops.h"

namespace nl::app {

namespace {

using models::cli::CommonFlags;

struct DiffuseFlags {
    std::string model = "digits", sampler = "ddim", schedule = "cosine", trajectory, weights;
    int klass = -1;
    int steps = 50;
    double eta = 0.0, guidance = 3.0, temperature = 1.0;
};

// Frame indices shown by --trajectory: about `count` evenly spaced, first and last included.
std::vector<int> shown_frames(int total_frames, int count) {
    std::vector<int> idx;
    count = std::min(count, total_frames);
    for (int i = 0; i < count; ++i) idx.push_back(count == 1 ? total_frames - 1 : i * (total_frames - 1) / (count - 1));
    return idx;
}

// Pastes images side by side (same height), with a 4-pixel white gap.
render::Image hconcat(const std::vector<render::Image>& parts) {
    render::Image out;
    for (const auto& p : parts) {
        out.width += p.width + (out.width ? 4 : 0);
        out.height = std::max(out.height, p.height);
    }
    out.rgba.assign(static_cast<size_t>(out.width) * out.height * 4, 255);
    int x0 = 0;
    for (const auto& p : parts) {
        for (int y = 0; y < p.height; ++y)
            std::copy_n(&p.rgba[static_cast<size_t>(y) * p.width * 4], p.width * 4, &out.rgba[(static_cast<size_t>(y) * out.width + x0) * 4]);
        x0 += p.width + 4;
    }
    return out;
}

int run_digits(const DiffuseFlags& d, const CommonFlags& f, const models::SamplerConfig& cfg, const std::string& cmd) {
    models::DigitsUNet net(models::Weights::load(d.weights.empty() ? models::asset_path("digits_diffusion.safetensors") : d.weights));
    net.to(cfg.device);
    std::vector<int64_t> labels;
    for (int64_t i = 0; i < f.n; ++i) labels.push_back(d.klass >= 0 ? d.klass : i % 10);
    models::DigitsEps eps(net, labels, d.guidance);
    models::DiffusionStepper stepper(eps, f.n, cfg, f.seed);
    stepper.set_keep_history(!d.trajectory.empty());
    const Tensor x = stepper.run(models::cli::Progress{"diffuse digits", f.quiet}).cpu();
    const int columns = d.klass >= 0 ? static_cast<int>(std::min<int64_t>(f.n, 8)) : 10;
    const render::Image img = models::cli::digits_grid(x, -1.0, 1.0, columns);
    io::Recipe r = models::cli::model_recipe("diffuse-digits", x, f, cmd);
    r.params = {{"class", double(d.klass)}, {"steps", double(cfg.steps)}, {"sampler", d.sampler}, {"eta", cfg.eta},
                {"guidance", d.guidance}, {"schedule", d.schedule}, {"temperature", cfg.temperature}};
    models::cli::write_outputs(f, f.out.empty() ? nullptr : &img, x, r);
    if (!d.trajectory.empty()) {
        // Rows: for each of up to 4 samples, x_t over the run, then the predicted x_0 at each step.
        const std::vector<int> idx = shown_frames(stepper.num_frames(), 11);
        const int64_t rows = std::min<int64_t>(f.n, 4);
        std::vector<Tensor> tiles;
        for (int64_t s = 0; s < rows; ++s) {
            for (int i : idx) tiles.push_back(stepper.frame(i).x.cpu().narrow(0, s, 1));
            for (int i : idx) {
                const auto& fr = stepper.frame(i);
                tiles.push_back((fr.x0.defined() ? fr.x0 : fr.x).cpu().narrow(0, s, 1));
            }
        }
        const render::Image traj = models::cli::digits_grid(cat(tiles, 0), -1.0, 1.0, static_cast<int>(idx.size()), 3);
        io::Recipe rt = r;
        rt.extra["image"] = "diffuse-digits trajectory: per sample, a row of x_t and a row of predicted x_0";
        app::write_recipe_png(d.trajectory, traj, rt, f.force);
        if (!f.quiet) std::cerr << "wrote " << d.trajectory << "\n";
    }
    if (!f.quiet && f.out.empty() && f.npy.empty()) std::cerr << "(no --out or --npy given: nothing written)\n";
    return 0;
}

int run_toy(const DiffuseFlags& d, const CommonFlags& f, const models::SamplerConfig& cfg, const std::string& cmd) {
    const int ds = models::toy_index(d.model);
    models::Toy2DNet net(models::Weights::load(d.weights.empty() ? models::asset_path("toy2d_diffusion.safetensors") : d.weights));
    net.to(cfg.device);
    models::ToyEps eps(net, ds);
    models::DiffusionStepper stepper(eps, f.n, cfg, f.seed);
    stepper.set_keep_history(!d.trajectory.empty());
    const Tensor x = stepper.run(models::cli::Progress{"diffuse " + d.model, f.quiet}).cpu();
    render::ChartOptions co;
    co.width = co.height = 600;
    co.title = d.model + ": " + std::to_string(f.n) + " points, " + d.sampler + " " + std::to_string(cfg.steps) + " steps";
    const render::Image img = render::scatter_chart(x, co);
    io::Recipe r = models::cli::model_recipe("diffuse-" + models::toy_names()[ds], x, f, cmd);
    r.params = {{"steps", double(cfg.steps)}, {"sampler", d.sampler}, {"eta", cfg.eta}, {"schedule", d.schedule},
                {"temperature", cfg.temperature}};
    models::cli::write_outputs(f, f.out.empty() ? nullptr : &img, x, r);
    if (!d.trajectory.empty()) {
        std::vector<render::Image> parts;
        for (int i : shown_frames(stepper.num_frames(), 6)) {
            render::ChartOptions c;
            c.width = c.height = 300;
            c.title = "step " + std::to_string(i);
            parts.push_back(render::scatter_chart(stepper.frame(i).x.cpu(), c));
        }
        io::Recipe rt = r;
        rt.extra["image"] = "diffuse trajectory: x_t at evenly spaced steps";
        app::write_recipe_png(d.trajectory, hconcat(parts), rt, f.force);
        if (!f.quiet) std::cerr << "wrote " << d.trajectory << "\n";
    }
    return 0;
}

}  // namespace

int cmd_diffuse(int argc, char** argv) {
    CLI::App app{"Sample the diffusion models: class-conditional digits or 2-D toy data.", "noiselab diffuse"};
    DiffuseFlags d;
    CommonFlags f;
    f.n = -1;
    std::vector<std::string> model_names{"digits"};
    for (const std::string& toy : models::toy_names()) model_names.push_back(toy);
    app.add_option("--model", d.model, "digits (20x20, class-conditional) or a 2-D toy data set")
        ->check(CLI::IsMember(model_names));
    app.add_option("--class", d.klass, "digit class 0-9 (default: every class in turn)")->check(CLI::Range(0, 9));
    app.add_option("--steps", d.steps, "sampler steps (1-1000)")->check(CLI::Range(1, 1000));
    app.add_option("--sampler", d.sampler, "ddim or ddpm (ancestral)")->check(CLI::IsMember({"ddim", "ddpm"}));
    app.add_option("--eta", d.eta, "DDIM's eta: 0 deterministic, 1 = DDPM's noise")->check(CLI::Range(0.0, 1.0));
    app.add_option("--guidance", d.guidance, "classifier-free guidance scale (digits; 1 = none)")->check(CLI::Range(0.0, 20.0));
    app.add_option("--schedule", d.schedule, "noise schedule: linear or cosine")->check(CLI::IsMember({"linear", "cosine"}));
    app.add_option("--temperature", d.temperature, "scales the initial and per-step noise")->check(CLI::Range(0.0, 10.0));
    app.add_option("--trajectory", d.trajectory, "also write the run's x_t and predicted x_0 as a PNG");
    app.add_option("--weights", d.weights, "a weight file other than the shipped one");
    models::cli::add_common_flags(app, f);
    if (int rc = models::cli::parse(app, argc, argv, "diffuse"); rc >= 0) return rc;
    try {
        const bool digits = d.model == "digits";
        if (!digits && d.klass >= 0) throw ValueError("--class applies to --model digits only");
        if (f.n < 0) f.n = digits ? 16 : 2000;
        models::SamplerConfig cfg;
        cfg.sampler = models::parse_sampler(d.sampler);
        cfg.schedule = models::parse_schedule(d.schedule);
        cfg.steps = d.steps;
        cfg.eta = d.eta;
        cfg.temperature = d.temperature;
        cfg.device = parse_device(f.device);
        const std::string cmd = models::cli::command_line(argc, argv, "diffuse");
        return digits ? run_digits(d, f, cfg, cmd) : run_toy(d, f, cfg, cmd);
    } catch (const Error& e) {
        std::cerr << "noiselab diffuse: error: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nl::app
