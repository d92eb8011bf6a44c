// Shared plumbing of the model subcommands (app/cmd_diffuse.cpp, cmd_gan.cpp, cmd_vae.cpp,
// cmd_lm.cpp): the common flags (--seed, --n, --device, --out, --npy, --force, --quiet), progress
// on stderr, and output files: a PNG carrying a recipe (the command line that reproduces it and
// the result's hash) and a .npy of the raw tensor. Header-only; used by the app only.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "app/cli_output.h"
#include "gui/render/image.h"
#include "tensor/device.h"
#include "tensor/errors.h"
#include "tensor/hash.h"
#include "tensor/io/npy.h"
#include "tensor/io/recipe.h"

namespace nl::models::cli {

struct CommonFlags {
    uint64_t seed = 7;
    int64_t n = 16;
    std::string device = "cpu";
    std::string out, npy;
    bool force = false, quiet = false;
};

inline void add_common_flags(CLI::App& app, CommonFlags& f) {
    app.add_option("--seed", f.seed, "seed of the run's generator (default 7)");
    app.add_option("--n", f.n, "how many samples")->check(CLI::Range(int64_t(1), int64_t(10000)));
    app.add_option("--device", f.device, "cpu or cuda[:N] (the forward passes run there)");
    app.add_option("--out", f.out, "write a PNG (with the recipe: noiselab info FILE shows it)");
    app.add_option("--npy", f.npy, "write the samples as a .npy file");
    app.add_flag("--force", f.force, "overwrite existing output files");
    app.add_flag("--quiet", f.quiet, "no progress on stderr");
}

// CLI11 parsing with the project's conventions: --help exits 0, bad flags print one line and 2.
// Returns -1 when parsing succeeded.
inline int parse(CLI::App& app, int argc, char** argv, const char* name) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "noiselab " << name << ": " << e.what() << " (see noiselab " << name << " --help)\n";
        return 2;
    }
    return -1;
}

inline std::string command_line(int argc, char** argv, const char* name) {
    std::string s = std::string("noiselab ") + name;
    for (int i = 1; i < argc; ++i) s += std::string(" ") + argv[i];
    return s;
}

// "\r<name>: step 12/50" on stderr, only for runs of more than one step and without --quiet.
// On a terminal one line rewritten at every step; into a file or a pipe (a log, CI) a line at each
// tenth of the run, so the log does not get one "\r"-joined line of a thousand steps.
struct Progress {
    std::string name;
    bool quiet = false;
    bool terminal = isatty(STDERR_FILENO) != 0;
    void operator()(int done, int total) const {
        if (quiet || total <= 1) return;
        if (terminal) {
            std::cerr << "\r" << name << ": step " << done << "/" << total << std::flush;
            if (done == total) std::cerr << "\n";
        } else if (done == total || done * 10 / total != (done - 1) * 10 / total) {
            std::cerr << name << ": step " << done << "/" << total << "\n";
        }
    }
};

inline io::Recipe model_recipe(const std::string& op, const Tensor& result, const CommonFlags& f,
                               const std::string& command) {
    io::Recipe r;
    r.op = op;
    r.shape = result.shape();
    r.dtype = result.dtype();
    r.device = parse_device(f.device);
    r.seed = f.seed;
    r.tensor_hash = hash_hex(tensor_hash(result));
    r.extra["command"] = command;
    r.extra["image"] = op;
    return r;
}

// Writes the PNG (img) and/or the .npy (t) the flags ask for, and says where on stderr.
inline void write_outputs(const CommonFlags& f, const render::Image* img, const Tensor& t, const io::Recipe& recipe) {
    if (!f.out.empty()) {
        if (!img) throw ValueError("--out: this mode writes no image; use --npy");
        app::write_recipe_png(f.out, *img, recipe, f.force);
        if (!f.quiet) std::cerr << "wrote " << f.out << " (" << img->width << "x" << img->height << ")\n";
    }
    if (!f.npy.empty()) {
        io::save_npy(f.npy, t.cpu(), f.force);
        if (!f.quiet) std::cerr << "wrote " << f.npy << " " << shape_str(t.shape()) << "\n";
    }
}

// A grid of digits [n,1,20,20] with values in [lo, hi], `columns` per row, upscaled.
inline render::Image digits_grid(const Tensor& images, double lo, double hi, int columns, int scale = 4) {
    render::GridOptions g;
    g.range.mode = render::ValueRange::Mode::Fixed;
    g.range.lo = lo;
    g.range.hi = hi;
    g.columns = columns;
    g.scale = scale;
    g.padding = 1;
    return render::image_grid(images.cpu(), g);
}

}  // namespace nl::models::cli
