// A recipe: everything needed to sample a tensor again, bit for bit (op, parameters, shape, dtype,
// device, the stream position), plus the hash of the result and free-form settings for the app
// (colormap, value range...). It travels as JSON inside exported PNGs (iTXt "noiselab-recipe")
// and as lesson presets (assets/*.json). Reading validates every field and names the bad one.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "tensor/device.h"
#include "tensor/dtype.h"
#include "tensor/generator.h"
#include "tensor/tensor.h"

namespace nl::io {

constexpr const char* kRecipeFormat = "noiselab-recipe";  // the JSON's "format" field
constexpr int kRecipeVersion = 1;                          // the JSON's "version" field
// Ceiling on a recipe's element count: far beyond any tensor the app can sample (2^40 float32 is
// 4 TiB), so a larger shape is certainly a corrupt or hostile file.
constexpr int64_t kMaxRecipeNumel = int64_t(1) << 40;
constexpr size_t kMaxRecipeRank = 64;

using RecipeParam = std::variant<double, std::string>;

struct Recipe {
    std::string op;                             // "normal", "uniform", "randint", "multinomial"...
    std::map<std::string, RecipeParam> params;  // "mean": 0.0, "std": 1.0, "mode": "sigma"...
    std::vector<double> probs;                  // multinomial / categorical weights, else empty
    Shape shape;
    DType dtype = DType::Float32;
    Device device = Device::cpu();
    uint64_t seed = kDefaultSeed;
    uint64_t offset = 0;  // in Philox blocks, before the op ran
    uint32_t stream = 0;
    uint32_t stream_version = kStreamVersion;
    std::string tensor_hash;  // hash_hex(tensor_hash(result)): 16 lower-case hex digits, or empty
    nlohmann::json extra = nlohmann::json::object();  // the app's own settings (an object)

    bool operator==(const Recipe& o) const;
};

// JSON object with the fields above plus "format" and "version". Throws ValueError naming the
// field for values JSON cannot hold or from_json would refuse (NaN parameters, a bad hash...),
// so whatever is written can be read back.
nlohmann::json recipe_to_json(const Recipe& r);
// Validates and converts; ValueError "recipe field 'shape': ..." for a missing field, a wrong
// type, an out-of-range number, a negative or absurd shape, an unknown field, a newer version.
Recipe recipe_from_json(const nlohmann::json& j);

// Compact JSON text (indent < 0) or pretty-printed, and its inverse; parse_recipe throws IOError
// naming `source` for text that is not JSON, then ValueError as recipe_from_json.
std::string recipe_to_string(const Recipe& r, int indent = -1);
Recipe parse_recipe(const std::string& text, const std::string& source = "recipe");

// nlohmann-json's conversion hooks: `nlohmann::json j = recipe;` and `j.get<Recipe>()`.
void to_json(nlohmann::json& j, const Recipe& r);
void from_json(const nlohmann::json& j, Recipe& r);

}  // namespace nl::io
