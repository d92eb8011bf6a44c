// Every lesson fits a classroom projector: at 1024 x 768 in presentation mode (the large font)
// and at 1280 x 720 in the normal window, no lesson text, control row or table cell of the lesson
// column or the visual runs past the right edge, before and after the prediction.
#include <gtest/gtest.h>

#include <imgui_internal.h>

#include "lesson_test_util.h"
#include "tests/support/imgui_overflow.h"

using namespace nl::gui;
using nl::gui::testing::HeadlessApp;

namespace {

struct Screen {
    float w, h;
    bool present;
};

std::string describe(const Screen& s) {
    return std::to_string(static_cast<int>(s.w)) + "x" + std::to_string(static_cast<int>(s.h)) +
           (s.present ? " presentation" : "");
}

}  // namespace

// Every lesson at each screen size: `check(phase)` after a few frames before the prediction
// ("before the answer") and after it, with the visual ("with the visual").
template <class Check>
void each_lesson_on_each_screen(Check check) {
    for (const Screen& screen : {Screen{1024, 768, true}, Screen{1280, 720, false}, Screen{1024, 768, false}}) {
        for (const Lesson& L : lesson_catalogue()) {
            SCOPED_TRACE(L.id + " at " + describe(screen));
            HeadlessApp app(screen.w, screen.h);
            open_lesson(app.state, L);
            app.state.lesson.presentation = screen.present;
            app.frames(3);
            check("before the answer");
            app.state.lesson.picked = 0;
            app.state.lesson.revealed = true;
            app.frames(4);
            check("with the visual");
        }
    }
}

TEST(LessonFit, NothingRunsPastTheRightEdgeOnAProjector) {
    each_lesson_on_each_screen([](const char* phase) {
        for (const std::string& o : nl::test::imgui_overflows()) ADD_FAILURE() << phase << ": " << o;
    });
}

// Nor does any lesson's visual need scrolling there: what a class looks at is all in view. (The
// lesson column scrolls by design, its text is long, and so does the app's Sampler panel, which
// the sampler lessons show in the normal window; panes inside a visual, such as lesson 9's list
// of first values, may scroll on their own.)
TEST(LessonFit, EveryVisualIsInViewWithoutScrollingOnAProjector) {
    each_lesson_on_each_screen([](const char* phase) {
        for (ImGuiWindow* w : GImGui->Windows) {
            const std::string name = w->Name;
            const bool visual = w->Active && !(w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_MenuBar)) &&
                                name != "Lesson" && name != "Sampler" && name != "##MainMenuBar";
            if (visual) {
                EXPECT_LE(w->ScrollMax.y, 0.0f) << phase << ": " << name << " scrolls by " << w->ScrollMax.y << " px";
            }
        }
    });
}
