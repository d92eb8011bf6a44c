// A lesson: one idea of PyTorch's random-tensor chapter as a preset (assets/lessons/NN_name.json)
// plus a visual. The preset says what to explain (3-6 sentences), which sampler settings to apply,
// an optional "predict, then sample" question, and which visual draws the point; the lesson panel
// shows the explanation, the PyTorch code for the *current* settings (live, copyable) and the
// question. Loading validates every field and names the file and the bad field.
//
// HOW TO ADD A VISUAL (sims engineer): write gui/lessons/sims/<name>.{h,cpp} with a state struct
// `S` and three free functions
//     void <name>_update(S&, const VisualContext&);          // compute (each frame, cheap if unchanged)
//     void <name>_draw(S&, const VisualContext&);            // ImGui / ImDrawList inside ctx.rect
//     std::string <name>_code(const S&, const VisualContext&);  // PyTorch lines for what is shown
// then add ONE line to gui/lessons/sims/sims_table.cpp:
//     make_visual<S>("<id>", <name>_update, <name>_draw, <name>_code, {VisualParam::integer("n", 1, 64), ...}),
// and name "<id>" as "visual" in a preset. A fresh S is made each time a lesson opens; the
// preset's "visual_params" object arrives as ctx.params, checked against the VisualParam list
// (every param a visual reads must be listed, with its valid range); record asserted facts with
// ctx.check().
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gui/layout.h"
#include "gui/texture_sink.h"

namespace nl::gui {

struct AppState;

// The "predict, then sample" question: the answer (and the visual) show once the learner picked.
struct LessonPrompt {
    std::string question;              // "Which values can torch.randint(0, 10, ...) return?"
    std::vector<std::string> choices;  // 2-5 answers to pick from
    int correct = -1;                  // index into choices
    std::string explanation;           // shown after picking
    bool defined() const { return !question.empty(); }
};

struct Lesson {
    std::string file;                     // where it was loaded from (messages name it)
    std::string id;                       // "01_uniform": the file's stem
    int number = 0;                       // 1..99, the menu order
    std::string title;                    // "Uniform noise: rand and [a, b)"
    std::vector<std::string> explanation; // 3-6 sentences, one paragraph each
    // Sampler settings as script assignments (gui/script.h keys: dist, seed, shape, dtype, ...),
    // applied in order to the app's default state.
    std::vector<std::pair<std::string, std::string>> settings;
    LessonPrompt predict;                 // optional
    std::string visual;                   // a registered visual id ("histogram", "dataloader", ...)
    nlohmann::json visual_params = nlohmann::json::object();
    bool show_sampler = true;             // the Sampler column next to the lesson (false: the visual owns its controls)
};

// Parses a preset. Throws ValueError "<file>: field '<name>': <what is wrong>" (also for JSON
// syntax errors and unknown visual ids); IOError when the file cannot be read.
Lesson parse_lesson(const std::string& json_text, const std::string& file = "<lesson>");
Lesson load_lesson(const std::string& path);

// The folder of the shipped presets: $NOISELAB_LESSONS if set, else the source tree's assets/lessons.
std::string lessons_dir();
// Every *.json there, loaded and sorted by number; presets that fail to load are skipped and
// their messages returned in `errors` (when given).
std::vector<Lesson> lesson_catalogue(std::vector<std::string>* errors = nullptr);

// ---- Visuals ----------------------------------------------------------------------------------

// A fact the lesson asserts about what it shows (lesson 11: "same seed, identical tensors").
// Tests read them from the app state; the panel shows them green or red.
struct LessonCheck {
    std::string name;    // "same seed twice gives identical tensors"
    bool passed = false;
    std::string detail;  // "2 x 4096 values, 0 differ"
};

// What a visual's functions are handed.
struct VisualContext {
    AppState& app;                  // the sampler, its tensor, the histogram, ...
    const nlohmann::json& params;   // the preset's "visual_params"
    Rect rect;                      // draw(): the area to draw in (screen pixels)
    float scale = 1.0f;             // HiDPI / presentation font scale
    TextureSink* sink = nullptr;    // draw(): for visuals that show the tensor view (may be null)
    bool locked = false;            // draw(): presentation mode locked the controls (draw them disabled)
    std::vector<LessonCheck>* checks = nullptr;  // update(): cleared before, filled by check()
    void check(const std::string& name, bool passed, const std::string& detail = "") const {
        if (checks) checks->push_back({name, passed, detail});
    }
};

// One open visual: functions bound to a state made for this lesson.
struct VisualInstance {
    std::function<void(const VisualContext&)> update;
    std::function<void(const VisualContext&)> draw;
    std::function<std::string(const VisualContext&)> pytorch_code;
};

// One entry a visual accepts in the preset's "visual_params", with its type and valid range.
// parse_lesson checks visual_params against the visual's list before the lesson can open: an
// unknown name, a wrong type or a value out of range is refused naming the field and the range.
// So a visual may read its params directly (ctx.params.value(...)): they are known to be sane,
// and a preset from someone else cannot make a visual allocate gigabytes or cast 1e300 to int.
struct VisualParam {
    enum class Kind { Number, Integer, Boolean, Text };
    std::string key;
    Kind kind = Kind::Number;
    double lo = 0, hi = 0;             // Number / Integer: the inclusive range
    std::vector<std::string> choices;  // Text: the allowed values (any when empty)
    size_t max_chars = 0;              // Text: the longest value allowed
    static VisualParam number(std::string key, double lo, double hi) { return {std::move(key), Kind::Number, lo, hi, {}, 0}; }
    static VisualParam integer(std::string key, double lo, double hi) { return {std::move(key), Kind::Integer, lo, hi, {}, 0}; }
    static VisualParam boolean(std::string key) { return {std::move(key), Kind::Boolean, 0, 0, {}, 0}; }
    // Text up to `max_chars` characters; `choices`, when given, are the only values allowed.
    static VisualParam text(std::string key, std::vector<std::string> choices, size_t max_chars = 64) {
        return {std::move(key), Kind::Text, 0, 0, std::move(choices), max_chars};
    }
    // The largest seed a visual's integer seed fields take (they are ints).
    static constexpr double kMaxSeed = 2147483647.0;
};

struct LessonVisual {
    std::string id;
    std::function<VisualInstance()> create;
    std::vector<VisualParam> params;  // what "visual_params" may hold (nothing when empty)
};

// The entry for a visual with state S (see the header comment) taking `params`.
template <class S>
LessonVisual make_visual(const std::string& id, void (*update)(S&, const VisualContext&), void (*draw)(S&, const VisualContext&),
                         std::string (*code)(const S&, const VisualContext&), std::vector<VisualParam> params = {}) {
    return {id,
            [update, draw, code] {
                auto st = std::make_shared<S>();
                return VisualInstance{[st, update](const VisualContext& c) { update(*st, c); },
                                      [st, draw](const VisualContext& c) { draw(*st, c); },
                                      [st, code](const VisualContext& c) { return code(*st, c); }};
            },
            std::move(params)};
}

// Every registered visual: the built-in ones (gui/lessons/visuals.cpp) and the simulations
// (gui/lessons/sims/sims_table.cpp). find_visual returns nullptr for an unknown id.
const std::vector<LessonVisual>& lesson_visuals();
const LessonVisual* find_visual(const std::string& id);
std::string visual_ids();  // "histogram, permutation, ..." for messages
std::string join_with_commas(const std::vector<std::string>& items);  // "a, b, c" for messages

// Defined in gui/lessons/sims/sims_table.cpp (the sims engineer's table).
std::vector<LessonVisual> sims_visuals();

}  // namespace nl::gui
