// libFuzzer target: the PNG chunk walker (nl::io::parse_png_info) on arbitrary bytes, as used to
// read the "noiselab-recipe" chunk of an exported image. Malformed files must raise an nl::
// exception; an accepted header must be self-consistent, and its recipe text (when present) goes
// through the recipe parser as opening the PNG in the app would.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "tensor/io/png.h"
#include "tensor/io/recipe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    nl::io::PngInfo info;
    if (!nl::fuzz::expect_clean_rejection([&] { info = nl::io::parse_png_info(data, size, "fuzz.png"); }))
        return 0;
    FUZZ_CHECK(info.width > 0 && info.height > 0);
    FUZZ_CHECK(info.channels >= 1 && info.channels <= 4);
    size_t text_bytes = 0;
    for (const auto& t : info.texts) {
        FUZZ_CHECK(!t.key.empty() && t.key.size() <= 79);
        text_bytes += t.key.size() + t.text.size();
    }
    // Latin-1 text grows at most 2x when given back as UTF-8.
    FUZZ_CHECK(text_bytes <= 2 * size);
    if (const nl::io::PngText* r = nl::io::find_png_text(info.texts, nl::io::kPngRecipeKey))
        nl::fuzz::expect_clean_rejection([&] { (void)nl::io::parse_recipe(r->text, "fuzz.png"); });
    return 0;
}
