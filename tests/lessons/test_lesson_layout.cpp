// The lesson layout: the lesson column, the optional sampler column, the visual and the status
// bar tile the window without overlapping, for large, small and HiDPI windows.
#include <gtest/gtest.h>

#include "gui/layout.h"

using namespace nl::gui;

TEST(LessonLayout, ColumnsTileTheWindow) {
    struct Case {
        float w, h, scale;
    };
    for (const Case& c : {Case{1280, 800, 1}, Case{1920, 1080, 1}, Case{800, 600, 1}, Case{640, 480, 1}, Case{2560, 1600, 2}, Case{300, 200, 1}})
        for (bool sampler : {false, true}) {
            SCOPED_TRACE(std::to_string(c.w) + "x" + std::to_string(c.h) + (sampler ? " with sampler" : ""));
            const float top = 26 * c.scale, status = 28 * c.scale;
            const LessonLayout L = compute_lesson_layout(c.w, c.h, top, status, c.scale, sampler);
            EXPECT_EQ(L.lesson.x, 0);
            EXPECT_EQ(L.lesson.y, top);
            EXPECT_EQ(L.sampler.x, L.lesson.right());
            EXPECT_EQ(L.visual.x, L.sampler.right());
            EXPECT_EQ(L.visual.right(), c.w) << "the visual reaches the right edge";
            EXPECT_EQ(L.status.y, L.lesson.bottom());
            EXPECT_EQ(L.status.bottom(), c.h);
            EXPECT_EQ(L.sampler.w > 0, sampler);
            EXPECT_GT(L.visual.w, c.w * 0.3f) << "the visual keeps a good share";
            EXPECT_GT(L.lesson.w, 0);
            EXPECT_FALSE(L.lesson.overlaps(L.visual));
            if (sampler) {
                EXPECT_FALSE(L.sampler.overlaps(L.visual) || L.sampler.overlaps(L.lesson));
            }
        }
}

TEST(LessonLayout, PresentationHasNoStatusBar) {
    const LessonLayout L = compute_lesson_layout(1280, 800, 30, 0, 1.4f, false);
    EXPECT_EQ(L.status.h, 0);
    EXPECT_EQ(L.visual.bottom(), 800);
    EXPECT_EQ(L.sampler.w, 0);
}
