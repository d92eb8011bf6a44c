// Word wrapping that breaks lines only between words. Dear ImGui 1.86's own wrapping also breaks
// after '.', ',' and ';', which split "0.5" into "0." / "5" and "torch.rand" into "torch." /
// "rand" in the lessons' questions: unreadable on a projector. No ImGui here: the text's width is
// whatever `measure` says, so tests use a fixed-width measure.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace nl::gui {

// The lines of `text` at most `width` wide as `measure` counts them. Breaks at runs of spaces (the
// spaces at a break are dropped) and at '\n' (kept as an empty line where paragraphs are
// separated by one). A word wider than a whole line is cut at the last UTF-8 character that
// fits, so nothing runs past the edge; a line always holds at least one character.
std::vector<std::string> wrap_lines(std::string_view text, float width,
                                    const std::function<float(std::string_view)>& measure);

// The lines above joined by '\n', ready for a single unwrapped text item.
std::string wrap_text(std::string_view text, float width, const std::function<float(std::string_view)>& measure);

}  // namespace nl::gui
