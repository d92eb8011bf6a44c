// libFuzzer target: a lesson preset (assets/lessons/*.json) as the desktop app reads it:
// parse_lesson checks every field, applies the sampler settings to a scratch state and checks
// visual_params against the visual's declared parameters. Bad input must raise an nl:: exception;
// what it accepts must keep the promises the lesson panel relies on.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "gui/lessons/lesson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    nl::gui::Lesson lesson;
    if (!nl::fuzz::expect_clean_rejection([&] { lesson = nl::gui::parse_lesson(text, "fuzz-lesson.json"); })) return 0;
    FUZZ_CHECK(!lesson.id.empty() && !lesson.title.empty());
    FUZZ_CHECK(lesson.number >= 1 && lesson.number <= 99);
    FUZZ_CHECK(lesson.explanation.size() >= 3 && lesson.explanation.size() <= 6);
    FUZZ_CHECK(nl::gui::find_visual(lesson.visual) != nullptr);
    FUZZ_CHECK(lesson.visual_params.is_object());
    if (lesson.predict.defined())
        FUZZ_CHECK(lesson.predict.correct >= 0 && lesson.predict.correct < static_cast<int>(lesson.predict.choices.size()));
    return 0;
}
