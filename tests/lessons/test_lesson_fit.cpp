// Every lesson fits a classroom projector: at 1024 x 768 in presentation mode (the large font)
// and at 1280 x 720 in the normal window, no lesson text, control row or table cell of the lesson
// column or the visual runs past the right edge, before and after the prediction.
#include <gtest/gtest.h>

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

TEST(LessonFit, NothingRunsPastTheRightEdgeOnAProjector) {
    for (const Screen& screen : {Screen{1024, 768, true}, Screen{1280, 720, false}, Screen{1024, 768, false}}) {
        for (const Lesson& L : lesson_catalogue()) {
            SCOPED_TRACE(L.id + " at " + describe(screen));
            HeadlessApp app(screen.w, screen.h);
            open_lesson(app.state, L);
            app.state.lesson.presentation = screen.present;
            app.frames(3);
            for (const std::string& o : nl::test::imgui_overflows()) ADD_FAILURE() << "before the answer: " << o;
            app.state.lesson.picked = 0;
            app.state.lesson.revealed = true;
            app.frames(4);
            for (const std::string& o : nl::test::imgui_overflows()) ADD_FAILURE() << "with the visual: " << o;
        }
    }
}
