// `noiselab sample`: draws a tensor from a distribution (or again from a PNG's recipe with --from),
// prints its hash, and writes an image grid, a histogram, a scatter plot, a .npy file and a
// statistics table as asked. Exit status: 0 ok, 2 bad input (message names the value and the
// valid range), 1 anything else (a --from hash that does not match).
#include <sys/stat.h>

#include <cstdio>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli_flags.h"
#include "app/cli_output.h"
#include "app/cli_parse.h"
#include "app/cli_sampler.h"
#include "app/commands.h"
#include "gui/render/image.h"
#include "tensor/errors.h"
#include "tensor/hash.h"
#include "tensor/io/npy.h"
#include "tensor/stats.h"

namespace nl::app {

namespace {

struct OutputFlags {
    std::string from, out, npy, hist, scatter;
    std::string colormap, range;
    bool stats = false, hist_log = false, force = false;
};

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// Every output path is checked before anything is sampled or written, so a refused run leaves
// no partial set of files behind.
void check_outputs(const OutputFlags& o) {
    std::set<std::string> seen;
    for (const auto& [flag, path] : {std::pair<const char*, const std::string*>{"--out", &o.out},
                                     {"--npy", &o.npy}, {"--hist", &o.hist}, {"--scatter", &o.scatter}}) {
        if (path->empty()) continue;
        if (!seen.insert(*path).second) throw ValueError(std::string(flag) + " " + *path + ": the same file is given twice");
        if (!o.force && file_exists(*path))
            throw IOError(std::string(flag) + " " + *path + " already exists; use --force to overwrite it");
    }
}

nlohmann::json image_extra(const char* image, const render::GridOptions& g, uint64_t next_offset) {
    nlohmann::json e = nlohmann::json::object();
    e["image"] = image;
    e["colormap"] = render::colormap_name(g.colormap);
    e["range"] = value_range_str(g.range);
    e["next_offset"] = next_offset;
    e["software"] = software_name();
    return e;
}

int run_sample(int argc, char** argv) {
    CLI::App app{"Sample a random tensor with PyTorch's semantics on Noise Lab's reproducible Philox streams.\n"
                 "Example: noiselab sample --dist normal --shape 64,1,28,28 --seed 1234 --out grid.png --hist hist.png --stats",
                 "noiselab sample"};
    SamplerFlags sf;
    add_sampler_flags(app, sf);
    OutputFlags of;
    const std::string g = "Output";
    app.add_option("--from", of.from, "sample again from the recipe in a PNG exported by Noise Lab (checks the hash)")->group(g);
    app.add_option("--out", of.out, "write an image grid of the tensor (PNG with its recipe)")->group(g);
    app.add_option("--npy", of.npy, "write the tensor as a NumPy .npy file")->group(g);
    app.add_option("--hist", of.hist, "write a histogram with the theoretical density or mass (PNG with its recipe)")->group(g);
    app.add_option("--scatter", of.scatter, "write a scatter plot of the tensor as [N, 2] points (last dimension 2)")->group(g);
    app.add_flag("--stats", of.stats, "print mean, std, skewness, kurtosis, min, max next to theory, and a KS / chi-square test")
        ->group(g);
    app.add_option("--colormap", of.colormap, "gray, viridis or diverging (image grids of one channel; default gray)")->group(g);
    app.add_option("--range", of.range, "value range of the image grid: minmax, sigma:K, quantile:Q or fixed:LO,HI (default minmax)")->group(g);
    app.add_flag("--hist-log", of.hist_log, "histogram with a log-scale y axis")->group(g);
    app.add_flag("--force", of.force, "overwrite existing output files")->group(g);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "noiselab sample: " << e.what() << " (see noiselab sample --help)\n";
        return 2;
    }

    // Render options first: a bad --range must fail before a long sampling run.
    render::GridOptions grid;
    io::Recipe source;
    SampleSpec spec;
    if (!of.from.empty()) {
        const std::string flag = first_sampler_flag_given(app);
        if (!flag.empty()) throw ValueError(flag + " cannot be combined with --from: the recipe in " + of.from + " sets it");
        source = read_recipe_png(of.from);
        spec = from_recipe(source);
        if (app.count("--device")) spec.device = parse_device(sf.device);
        if (source.extra.contains("colormap") && source.extra["colormap"].is_string())
            grid.colormap = render::parse_colormap(source.extra["colormap"].get<std::string>());
        if (source.extra.contains("range") && source.extra["range"].is_string())
            grid.range = parse_value_range(source.extra["range"].get<std::string>(), "recipe range");
    } else {
        spec = spec_from_flags(sf, app);
    }
    if (!of.colormap.empty()) {
        try {
            grid.colormap = render::parse_colormap(of.colormap);
        } catch (const ValueError& e) {
            throw ValueError(std::string("--colormap: ") + e.what());
        }
    }
    if (!of.range.empty()) grid.range = parse_value_range(of.range);
    if (!of.scatter.empty() && spec.shape.back() != 2)
        throw ShapeError("--scatter needs points: the last dimension of --shape must be 2, got " + shape_str(spec.shape));
    check_outputs(of);

    SampleResult res = sample(spec);
    for (const std::string& n : res.notes) std::cerr << "noiselab sample: note: " << n << "\n";
    const Tensor& t = res.tensor;
    io::Recipe recipe = to_recipe(spec, t, res.device);
    std::cout << describe_dist(spec) << " " << shape_str(spec.shape) << " " << dtype_name(spec.dtype) << " on "
              << res.device.str() << ", seed " << spec.seed << ", stream " << spec.stream << ", offset " << spec.offset
              << (spec.engine == Engine::Philox ? std::string() : std::string(", engine ") + engine_name(spec.engine))
              << "\nhash " << recipe.tensor_hash << "\n";
    if (!of.from.empty()) {
        const bool older = source.stream_version != kStreamVersion;
        if (!source.tensor_hash.empty() && source.tensor_hash != recipe.tensor_hash) {
            std::cerr << "noiselab sample: hash mismatch: the recipe in " << of.from << " says " << source.tensor_hash
                      << ", this build sampled " << recipe.tensor_hash;
            if (older)
                std::cerr << ": the recipe was sampled with stream version " << source.stream_version
                          << " and this build has version " << kStreamVersion
                          << ", so this op's values most likely changed since (docs/STREAMS.md, History)";
            else if (spec.engine != Engine::Philox && res.device != source.device)
                std::cerr << ": engine " << engine_name(spec.engine) << "'s values depend on the device, and the recipe was sampled on "
                          << source.device.str() << ", this run on " << res.device.str();
            std::cerr << "; nothing written\n";
            return 1;
        }
        std::cout << (source.tensor_hash.empty() ? "sampled from the recipe in " + of.from + " (it records no hash)"
                                                 : "reproduced: the hash matches the recipe in " + of.from)
                  << (older ? " (recorded with stream version " + std::to_string(source.stream_version) +
                                  "; this op's values did not change since)"
                            : std::string())
                  << "\n";
    }

    // Every image is rendered before any file is written, so that a picture that cannot be drawn
    // (too many pixels...) leaves no half set of outputs behind.
    struct Png {
        std::string path;
        render::Image image;
        io::Recipe recipe;
        std::string note;
    };
    std::vector<Png> pngs;
    if (!of.out.empty()) {
        std::string note;
        const Tensor view = grid_view(t, note);
        grid.scale = grid_scale(view);
        recipe.extra = image_extra("grid", grid, res.next_offset);
        pngs.push_back({of.out, render::image_grid(view, grid), recipe, note});
    }
    render::ChartOptions co;
    co.title = describe_dist(spec) + ", seed " + std::to_string(spec.seed) +
               (spec.engine == Engine::Philox ? std::string() : std::string(", engine ") + engine_name(spec.engine));
    if (!of.hist.empty()) {
        co.log_scale = of.hist_log;
        const stats::Distribution d = theory(spec);
        recipe.extra = image_extra("histogram", grid, res.next_offset);
        const bool overlay = theory_missing(spec).empty();
        pngs.push_back({of.hist, render::histogram_chart(histogram_for(t, spec), overlay ? &d : nullptr, co), recipe, ""});
    }
    if (!of.scatter.empty()) {
        co.log_scale = false;
        recipe.extra = image_extra("scatter", grid, res.next_offset);
        pngs.push_back({of.scatter, render::scatter_chart(t.reshape({-1, 2}), co), recipe, ""});
    }
    if (!of.npy.empty()) {
        io::save_npy(of.npy, t, of.force);
        std::cout << "wrote " << of.npy << "\n";
    }
    for (const Png& p : pngs) {
        write_recipe_png(p.path, p.image, p.recipe, of.force);
        std::cout << "wrote " << p.path << (p.note.empty() ? "" : " (" + p.note + ")") << "\n";
    }
    if (of.stats) print_stats(std::cout, t, spec);
    return 0;
}

}  // namespace

int cmd_sample(int argc, char** argv) {
    try {
        return run_sample(argc, argv);
    } catch (const Error& e) {
        std::cerr << "noiselab sample: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nl::app
