// Recipes: JSON round trip (through text and through a PNG), and validation naming the field.
#include "tensor/io/recipe.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tensor/errors.h"
#include "tensor/io/png.h"

namespace nl::io {
namespace {

using json = nlohmann::json;

Recipe full_recipe() {
    Recipe r;
    r.op = "multinomial";
    r.params = {{"num_samples", 16.0}, {"replacement", 1.0}, {"temperature", 0.7}, {"mode", std::string("sigma")}};
    r.probs = {0.1, 0.2, 0.7, 0.0};
    r.shape = {64, 1, 28, 28};
    r.dtype = DType::BFloat16;
    r.device = Device::cuda(1);
    r.seed = std::numeric_limits<uint64_t>::max();  // beyond 2^53: must stay exact
    r.offset = (uint64_t(1) << 60) + 3;
    r.stream = 4000000000u;
    r.stream_version = 1;
    r.tensor_hash = "0123456789abcdef";
    r.extra = {{"colormap", "viridis"}, {"range", {{"mode", "sigma"}, {"k", 3}}}, {"note", "σ ✓"}};
    return r;
}

// The ValueError message for a recipe JSON with one field changed (or removed when null).
std::string error_with(const char* field, const json& value, bool remove = false) {
    json j = recipe_to_json(full_recipe());
    if (remove) j.erase(field);
    else j[field] = value;
    try {
        recipe_from_json(j);
    } catch (const ValueError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no ValueError for field " << field << " = " << value.dump();
    return {};
}

TEST(Recipe, RoundTripThroughText) {
    const Recipe r = full_recipe();
    EXPECT_EQ(parse_recipe(recipe_to_string(r)), r);
    EXPECT_EQ(parse_recipe(recipe_to_string(r, 2)), r);
    const json j = r;  // nlohmann's hooks
    EXPECT_EQ(j.get<Recipe>(), r);
    EXPECT_EQ(j["format"], "noiselab-recipe");
    EXPECT_EQ(j["version"], 1);
    EXPECT_EQ(j["dtype"], "bfloat16");
    EXPECT_EQ(j["device"], "cuda:1");
    EXPECT_EQ(j["seed"].get<uint64_t>(), std::numeric_limits<uint64_t>::max());
    // Doubles survive text exactly (shortest round-trip representation).
    Recipe p;
    p.op = "normal";
    p.shape = {3};
    p.params = {{"mean", 0.1}, {"std", 1.0 / 3.0}, {"tiny", 5e-324}};
    EXPECT_EQ(parse_recipe(recipe_to_string(p)), p);
}

TEST(Recipe, OptionalFieldsDefault) {
    const Recipe r = parse_recipe(
        R"({"op":"rand","shape":[2,3],"dtype":"float","device":"cpu","seed":1,"offset":0,"stream":0,"stream_version":1})");
    EXPECT_EQ(r.op, "rand");
    EXPECT_EQ(r.dtype, DType::Float32);
    EXPECT_TRUE(r.params.empty());
    EXPECT_TRUE(r.probs.empty());
    EXPECT_TRUE(r.tensor_hash.empty());
    EXPECT_TRUE(r.extra.is_object() && r.extra.empty());
}

TEST(Recipe, RoundTripThroughPng) {
    const Recipe r = full_recipe();
    const std::vector<uint8_t> px(4 * 4, 128);
    const auto png = encode_png(px.data(), 4, 4, 1,
                                {{kPngRecipeKey, recipe_to_string(r), PngTextKind::Utf8},
                                 {kPngSoftwareKey, "Noise Lab", PngTextKind::Latin1}});
    const auto texts = parse_png_info(png.data(), png.size(), "mem").texts;
    const PngText* t = find_png_text(texts, kPngRecipeKey);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(parse_recipe(t->text, "mem"), r);
}

TEST(Recipe, ErrorsNameTheField) {
    struct Case {
        const char* field;
        json value;
        bool remove;
        const char* expect;
    };
    const std::vector<Case> cases = {
        {"op", nullptr, true, "'op': missing"},
        {"op", 3, false, "'op': expected a string, got number"},
        {"op", "no spaces", false, "'op': 'no spaces' is not a valid op name"},
        {"shape", nullptr, true, "'shape': missing"},
        {"shape", "2x3", false, "'shape': expected an array"},
        {"shape", {2, -3}, false, "'shape[1]': -3 is negative"},
        {"shape", {2, 1.5}, false, "'shape[1]': expected a non-negative integer, got number 1.5"},
        {"shape", {1 << 20, 1 << 20, 1 << 20}, false, "'shape': [1048576,1048576,1048576] has more than 2^40"},
        {"shape", json::array({uint64_t(1) << 41}), false, "'shape[0]': 2199023255552 is above the maximum"},
        {"shape", json(std::vector<int>(65, 1)), false, "'shape': 65 dimensions"},
        {"dtype", "float8", false, "'dtype': unknown dtype"},
        {"dtype", nullptr, true, "'dtype': missing"},
        {"device", "tpu", false, "'device': unknown device 'tpu'"},
        {"seed", -1, false, "'seed': -1 is negative"},
        {"seed", 1.0, false, "'seed': expected a non-negative integer"},
        {"seed", "42", false, "'seed': expected a non-negative integer, got string"},
        {"offset", nullptr, true, "'offset': missing"},
        {"stream", uint64_t(1) << 32, false, "'stream': 4294967296 is above the maximum 4294967295"},
        {"stream_version", 0, false, "'stream_version': 0 is not a stream version"},
        {"tensor_hash", "ABCDEF0123456789", false, "'tensor_hash': 'ABCDEF0123456789' is not 16 lower-case hex"},
        {"tensor_hash", "abc", false, "'tensor_hash'"},
        {"params", {{"replacement", true}}, false, "'params.replacement': expected a number or a string, got boolean"},
        {"params", json::array(), false, "'params': expected an object"},
        {"probs", {0.5, -0.1}, false, "'probs[1]'"},
        {"probs", {0.5, "x"}, false, "'probs[1]': expected a number, got string"},
        {"extra", json::array(), false, "'extra': expected an object"},
        {"sead", 1, false, "'sead': unknown field"},
        {"version", 2, false, "'version': version 2 is not supported"},
        {"format", "png", false, "'format': expected \"noiselab-recipe\""},
    };
    for (const Case& c : cases) {
        const std::string msg = error_with(c.field, c.value, c.remove);
        EXPECT_NE(msg.find(c.expect), std::string::npos) << "message: " << msg << "\nexpected: " << c.expect;
    }
}

TEST(Recipe, TextThatIsNotARecipe) {
    EXPECT_THROW(parse_recipe("{not json", "x.png"), IOError);
    try {
        parse_recipe("[1, 2]", "x.png");
        FAIL();
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("must be a JSON object"), std::string::npos);
    }
    try {
        parse_recipe("{\"op\": ", "x.png");
        FAIL();
    } catch (const IOError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("x.png: ", 0), 0u) << e.what();
    }
}

TEST(Recipe, WriterRefusesWhatCouldNotBeReadBack) {
    Recipe r = full_recipe();
    r.params["std"] = std::nan("");
    EXPECT_THROW(recipe_to_json(r), ValueError);
    r = full_recipe();
    r.probs[0] = INFINITY;
    EXPECT_THROW(recipe_to_json(r), ValueError);
    r = full_recipe();
    r.shape = {-1, 3};
    EXPECT_THROW(recipe_to_json(r), ValueError);
    r = full_recipe();
    r.tensor_hash = "xyz";
    EXPECT_THROW(recipe_to_json(r), ValueError);
    r = full_recipe();
    r.op = "bad\xFFname";
    EXPECT_THROW(recipe_to_string(r), ValueError);
    r = full_recipe();
    r.extra["bytes"] = "\xFF";
    EXPECT_THROW(recipe_to_string(r), ValueError);
}

}  // namespace
}  // namespace nl::io
