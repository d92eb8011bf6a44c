// The lesson part of the app's state (AppState::lesson): which lesson is open, its visual's
// instance, the facts it asserts, the learner's prediction, and the classroom switches of
// presentation mode. Plain data; gui/lessons/lesson_app.h changes it.
#pragma once
#include <string>
#include <vector>

#include "gui/lessons/lesson.h"

namespace nl::gui {

struct LessonState {
    bool active = false;              // a lesson is open (the window uses the lesson layout)
    Lesson lesson;
    VisualInstance visual;            // made by the lesson's LessonVisual when it opens
    std::vector<LessonCheck> checks;  // asserted by the visual's last update()
    std::string code;                 // PyTorch code for the current settings (refreshed each update)
    int picked = -1;                  // the learner's answer to the prediction (-1: none yet)
    bool revealed = true;             // the visual is shown (false while a prediction is pending)
    std::string error;                // why the last lesson could not be opened
    std::string message;              // "copied", "wrote record.md", ...
    bool message_is_error = false;

    // Presentation mode for classrooms: large fonts, no sampler column, status bar hidden;
    // `locked` disables every control so a projected lesson cannot be changed by a stray click.
    bool presentation = false;
    bool locked = false;
    bool show_code = true;            // the teacher may hide the code block

    // The Lessons menu's presets, read from lessons_dir() when the menu first opens and on Reload.
    std::vector<Lesson> catalogue;
    bool catalogue_loaded = false;
};

}  // namespace nl::gui
