// The lessons inside the app: opening a preset (it resets the sampler to the app's defaults and
// applies the preset's settings), the per-frame update of the open lesson's visual, checks and
// PyTorch code, the lesson layout and panels, and the Lessons menu. app.cpp calls update_lesson()
// after update() and draw_lesson_window() instead of the three columns while a lesson is open.
#pragma once
#include <string>

#include "gui/app_state.h"
#include "gui/texture_sink.h"

namespace nl::gui {

constexpr const char* kLessonWindow = "Lesson";
constexpr const char* kLessonVisualWindow = "##lesson-visual";

// Opens a loaded lesson: default sampler settings, then the preset's; a fresh visual instance.
void open_lesson(AppState& s, const Lesson& lesson);
// load_lesson + open_lesson; throws what load_lesson throws (the app keeps its state then).
void open_lesson_file(AppState& s, const std::string& path);
void close_lesson(AppState& s);

// After update(): runs the visual's update (its checks) and regenerates the PyTorch code.
void update_lesson(AppState& s);

// The whole window below the menu bar while a lesson is open (lesson column, sampler column when
// the lesson uses it, visual, status bar unless presenting).
void draw_lesson_window(AppState& s, TextureSink* sink, float menu_h);
// The "Lessons" menu of the menu bar: every preset of lessons_dir(), close, presentation mode.
void draw_lessons_menu(AppState& s);

// All checks of the open lesson passed (false with no checks or no lesson).
bool lesson_checks_pass(const LessonState& l);

}  // namespace nl::gui
