// Text that stays inside its panel: a line cut with an ellipsis where the room ends (the whole
// text in a tooltip), or a message wrapped at the panel's edge. For status lines, footers and
// messages that once ran past the window at projector sizes.
#pragma once
#include <string>
#include <string_view>

#include <imgui.h>

namespace nl::gui {

// `text` cut to fit `width` pixels of the current font, ending in an ellipsis when cut (at a
// UTF-8 character boundary).
std::string fit_with_ellipsis(const std::string& text, float width);

// One line in `color` in the room left on the current line; cut with an ellipsis when too long,
// and then the whole text is the item's tooltip.
void text_fitted(const ImVec4& color, const std::string& text);

// `text` wrapped where ImGui::TextWrapped would wrap it (the window's right edge, or the
// PushTextWrapPos in effect), but only between words (gui/word_wrap.h): ImGui's own wrapping
// splits "0.5" after the point. Use these instead of ImGui::TextWrapped.
void text_wrapped(const std::string& text);
void text_wrapped(const ImVec4& color, const std::string& text);
// `text` broken into lines of at most `width` pixels of the current font, between words.
std::string wrap_for_font(const std::string& text, float width);
// The height text_wrapped(text) takes in a window `width` pixels wide, item spacing included:
// for layouts that share the height left between plots and the text around them.
float wrapped_height(const std::string& text, float width);
// The width of `text` in the current font (ImGui::CalcTextSize for a string_view).
float text_width(std::string_view text);

// A button as wide as the window's content whose label wraps onto as many lines as it needs (a
// lesson's answer choices, which a one-line button cut in presentation mode). `id` must be
// unique in the window. Returns whether it was clicked.
bool wrapped_button(const char* id, const std::string& label);

// For a row of controls in a narrow panel: continues the line, `spacing` pixels after the last
// item (< 0: the style's item spacing), when an item `width` pixels wide still fits before the
// window's right edge, else lets it start the next line.
void same_line_if_fits(float width, float spacing = -1.0f);
// The width of ImGui::Checkbox(label) (box, spacing, visible label; a RadioButton's too), of
// ImGui::Button(label), and of a slider / input `item_width` wide with its label on the right.
float checkbox_width(const char* label);
float button_width(const char* label);
float labelled_width(float item_width, const char* label);

}  // namespace nl::gui
