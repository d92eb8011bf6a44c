// Small drawing helpers shared by the simulation visuals (lessons 8, 9, 12, 14, 15, 16): the
// visual's window at the rectangle the lesson layout gives, the two status colours, number
// formatting and a compact bar chart, all on ImGui's draw lists in the app's theme.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/lessons/lesson.h"
#include "gui/theme.h"
#include "tensor/number_text.h"  // group_digits, used by every simulation

namespace nl::gui::sims {

// Colours with a meaning in every simulation: "identical / fine" and "differs / repeated".
constexpr ImU32 kSame = theme::kSample;
constexpr ImU32 kDiffer = theme::kTheory;
ImU32 mix(ImU32 a, ImU32 b, float t);  // t in [0, 1]

// Opens the visual's window over ctx.rect (title shown in its title bar, cut with an ellipsis
// when too long; the window's name is "###" + title); always pair with end_sim_window().
// Returns false when collapsed/clipped (draw nothing then).
bool begin_sim_window(const VisualContext& ctx, const char* title);
void end_sim_window();

// A fixed-format number: fmt("%.3f", x).
std::string fmt(const char* f, double v);

// A labelled bar chart of `values` (>= 0) in the current window: size at the cursor, bars in
// `colours` (one per bar, or one for all), the tallest bar at full height, labels under the bars
// when given. Advances the cursor.
void bar_chart(const char* id, const std::vector<double>& values, const std::vector<ImU32>& colours, ImVec2 size,
               const std::vector<std::string>& labels = {});

// The preset's visual_params, with defaults for absent or mistyped keys.
double param_num(const nlohmann::json& p, const char* key, double def);
std::string param_str(const nlohmann::json& p, const char* key, const std::string& def);
bool param_bool(const nlohmann::json& p, const char* key, bool def);

// A legend swatch followed by text on the same line, and the width it takes.
void legend(ImU32 colour, const char* text);
float legend_width(const char* text);

}  // namespace nl::gui::sims
