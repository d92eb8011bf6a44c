// `noiselab info FILE`: what a file exported by Noise Lab holds. For a PNG, its size and the
// recipe it carries (the tensor's op, parameters, shape, dtype, seed, stream position, hash) and
// the command that reproduces it; for a .npy file, its dtype, shape and hash.
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "app/cli_output.h"
#include "app/cli_sampler.h"
#include "app/commands.h"
#include "tensor/errors.h"
#include "tensor/hash.h"
#include "tensor/io/npy.h"
#include "tensor/io/png.h"
#include "tensor/io/recipe.h"

namespace nl::app {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int info_npy(const std::string& path) {
    const Tensor t = io::load_npy(path);
    std::cout << path << ": NumPy array, " << dtype_name(t.dtype()) << " " << shape_str(t.shape()) << ", hash "
              << hash_hex(tensor_hash(t)) << "\n";
    return 0;
}

int info_png(const std::string& path, bool json_only) {
    const io::PngInfo png = io::read_png_info(path);
    const io::PngText* text = io::find_png_text(png.texts, io::kPngRecipeKey);
    if (!text)
        throw IOError(path + " has no '" + std::string(io::kPngRecipeKey) +
                      "' text chunk: it was not exported by Noise Lab, or its metadata was stripped");
    const io::Recipe r = io::parse_recipe(text->text, path);
    if (json_only) {
        std::cout << io::recipe_to_string(r, 2) << "\n";
        return 0;
    }
    std::cout << path << ": PNG " << png.width << "x" << png.height;
    if (const io::PngText* sw = io::find_png_text(png.texts, io::kPngSoftwareKey)) std::cout << ", written by " << sw->text;
    std::cout << "\n";
    if (r.extra.contains("image") && r.extra["image"].is_string())
        std::cout << "  image:     " << r.extra["image"].get<std::string>() << "\n";
    std::cout << "  op:        " << r.op << "\n";
    std::cout << "  shape:     " << shape_str(r.shape) << "\n  dtype:     " << dtype_name(r.dtype)
              << "\n  device:    " << r.device.str() << "\n  seed:      " << r.seed << "\n  stream:    " << r.stream
              << "\n  offset:    " << r.offset << " (Philox blocks)\n  streams:   version " << r.stream_version
              << "\n  hash:      " << (r.tensor_hash.empty() ? "(none)" : r.tensor_hash) << "\n";
    try {
        const SampleSpec s = from_recipe(r);
        std::cout << "  tensor:    " << describe_dist(s) << "\n";
        if (s.engine != Engine::Philox)
            std::cout << "  engine:    " << engine_name(s.engine) << " (cuRAND; its values depend on the device)\n";
        std::cout << "reproduce with:\n  noiselab sample --from " << path << "\n  noiselab sample " << to_flags(s) << "\n";
        if (r.stream_version != kStreamVersion)
            std::cout << "  (recorded with stream version " << r.stream_version << ", this build has " << kStreamVersion
                      << ": only --from checks the hash, which holds where this op's values did not change)\n";
    } catch (const Error& e) {
        // Not a distribution: a model's output (noiselab diffuse / gan / vae / lm) carries the command
        // that made it, and running it again gives the same tensor (the hash above).
        if (r.extra.contains("command") && r.extra["command"].is_string())
            std::cout << "reproduce with:\n  " << r.extra["command"].get<std::string>() << "\n";
        else
            std::cout << "  (this build cannot sample it again: " << e.what() << ")\n";
    }
    std::cout << "recipe:\n" << io::recipe_to_string(r, 2) << "\n";
    return 0;
}

int run_info(int argc, char** argv) {
    CLI::App app{"Show the recipe embedded in a PNG exported by Noise Lab (or the dtype and shape of a .npy file).",
                 "noiselab info"};
    std::string path;
    bool json_only = false;
    app.add_option("file", path, "a PNG written by noiselab sample (or a .npy file)")->required();
    app.add_flag("--json", json_only, "print only the recipe, as JSON");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "noiselab info: " << e.what() << " (see noiselab info --help)\n";
        return 2;
    }
    return ends_with(path, ".npy") ? info_npy(path) : info_png(path, json_only);
}

}  // namespace

int cmd_info(int argc, char** argv) {
    try {
        return run_info(argc, argv);
    } catch (const Error& e) {
        std::cerr << "noiselab info: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nl::app
