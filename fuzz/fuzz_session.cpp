// libFuzzer target: what the desktop app does with a session file / lesson preset / PNG recipe
// (parse_recipe, then gui::apply_recipe with its "extra" view settings) and with a --script text
// (parse_script, then every assignment applied). The first input byte picks which. Bad input must
// raise an nl:: exception and leave the state as it was (apply_recipe validates before changing).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "gui/script.h"
#include "gui/session.h"
#include "tensor/io/recipe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    nl::gui::AppState s;
    if (data[0] & 1) {
        nl::io::Recipe r;
        if (!nl::fuzz::expect_clean_rejection([&] { r = nl::io::parse_recipe(text, "fuzz-session.json"); })) return 0;
        const nl::gui::AppState before = s;
        if (!nl::fuzz::expect_clean_rejection([&] { nl::gui::apply_recipe(s, r); })) {
            // A refused recipe changes nothing.
            FUZZ_CHECK(s.sampler.settings == before.sampler.settings);
            return 0;
        }
        FUZZ_CHECK(s.sampler.settings.shape == r.shape);
        FUZZ_CHECK(s.sampler.settings.seed == r.seed);
    } else {
        std::vector<nl::gui::ScriptStep> steps;
        if (!nl::fuzz::expect_clean_rejection([&] { steps = nl::gui::parse_script(text); })) return 0;
        for (const auto& st : steps) {
            FUZZ_CHECK(st.frame >= 1);
            // "open" reads a file named by the input; keep the fuzzer off the file system.
            for (const auto& a : st.assignments)
                if (a.key != "open") nl::fuzz::expect_clean_rejection([&] { nl::gui::apply_assignment(s, a); });
        }
    }
    return 0;
}
