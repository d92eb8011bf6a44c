// libFuzzer target: recipe JSON (nl::io::parse_recipe), the format of session files, lesson
// presets (assets/*.json) and the "noiselab-recipe" PNG chunk. Bad text must raise an nl::
// exception; an accepted recipe must be written and read back equal (recipe.h promises that
// whatever is written can be read back).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "tensor/io/recipe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    nl::io::Recipe r;
    if (!nl::fuzz::expect_clean_rejection([&] { r = nl::io::parse_recipe(text, "fuzz.json"); })) return 0;
    FUZZ_CHECK(r.shape.size() <= nl::io::kMaxRecipeRank);
    for (int64_t d : r.shape) FUZZ_CHECK(d >= 0);
    const std::string compact = nl::io::recipe_to_string(r);
    FUZZ_CHECK(nl::io::parse_recipe(compact, "fuzz-rewritten.json") == r);
    FUZZ_CHECK(nl::io::parse_recipe(nl::io::recipe_to_string(r, 2), "fuzz-pretty.json") == r);
    return 0;
}
