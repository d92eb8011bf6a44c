// libFuzzer target: recipe JSON (nl::io::parse_recipe), the format of session files, lesson
// presets (assets/*.json) and the "noiselab-recipe" PNG chunk. Bad text must raise an nl::
// exception; an accepted recipe must be written and read back equal (recipe.h promises that
// whatever is written can be read back). An accepted recipe's draw (sampling/recipe.h) is read
// too: refused cleanly, or written back to a recipe that reads as the same draw.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz/fuzz_util.h"
#include "sampling/recipe.h"
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

    nl::sampling::Draw d;
    if (!nl::fuzz::expect_clean_rejection([&] { d = nl::sampling::read_draw(r); })) return 0;
    nl::io::Recipe again;
    nl::sampling::write_draw(d, again);
    const nl::sampling::Draw back = nl::sampling::read_draw(again);
    FUZZ_CHECK(back.dist == d.dist && back.engine == d.engine && back.replacement == d.replacement);
    // Bitwise, so that a NaN parameter (which JSON cannot hold, so never reaches here) would show.
    FUZZ_CHECK(std::memcmp(back.params, d.params, sizeof d.params) == 0);
    FUZZ_CHECK(back.weights.size() == d.weights.size());
    for (size_t i = 0; i < d.weights.size(); ++i) FUZZ_CHECK(back.weights[i] == d.weights[i]);
    FUZZ_CHECK(back.shape == d.shape && back.dtype == d.dtype && back.device == d.device);
    return 0;
}
