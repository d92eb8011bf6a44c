// Saving and restoring the app's settings. A session file is a recipe (tensor/io/recipe.h): the
// sampler's op, parameters, shape, dtype, device, seed and stream offset, with the app's own
// settings (views, live mode, seed history) in its "extra" object. PNGs exported by the app carry
// the same recipe in their "noiselab-recipe" chunk, so opening one restores what made it.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gui/app_state.h"
#include "tensor/io/png.h"
#include "tensor/io/recipe.h"

namespace nl::gui {

// The app's view settings (the recipe's "extra"), and their inverse. apply_extra ignores keys it
// does not know (a newer app's extras) but throws ValueError naming a known key with a bad value.
nlohmann::json extra_json(const AppState& s, const std::string& image_kind = "session");
void apply_extra(AppState& s, const nlohmann::json& extra);

// The recipe of the current tensor: the offset *before* its draw and the tensor's hash, so the
// recipe redraws exactly what is shown.
io::Recipe make_recipe(const AppState& s, const std::string& image_kind = "session");
// Restores sampler settings (the next update() reseeds and rewinds to r.offset) and, when present,
// the app settings in r.extra. Throws ValueError for ops the app does not sample, naming them.
void apply_recipe(AppState& s, const io::Recipe& r);

// The text chunks of a PNG made by the app: the recipe and "Software". `image_kind` says what
// the picture is: "grid", "histogram" or "window".
std::vector<io::PngText> png_texts(const AppState& s, const std::string& image_kind);

// Session files (JSON): written atomically, never over an existing file unless `overwrite`.
void save_session(const AppState& s, const std::string& path, bool overwrite);
void load_session(AppState& s, const std::string& path);
// Restores the settings of a PNG made by Noise Lab; IOError when it carries no recipe.
void open_png(AppState& s, const std::string& path);
// Opens a .png or a .json by its extension.
void open_file(AppState& s, const std::string& path);

}  // namespace nl::gui
