// Changing the app's state by text: `key=value` assignments (shared by the command-line flags,
// the --script option and tests) and frame scripts such as
//     frame 5: seed=7; frame 10: dist=uniform high=3
// which apply assignments before the given frames, so the app can photograph itself in several
// states. Keys: see assignment_keys() (and docs/GUI.md).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "gui/app_state.h"

namespace nl::gui {

struct Assignment {
    std::string key, value;
    bool operator==(const Assignment& o) const { return key == o.key && value == o.value; }
};

// "key=value" (a bare "key" has an empty value, as `resample`); throws ValueError without a key.
Assignment parse_assignment(const std::string& text);
// Applies one assignment; throws nl::Error naming the key and value and listing what is valid.
void apply_assignment(AppState& s, const Assignment& a);
// Applies several: `dist` first (it resets the parameters), then the rest in order.
void apply_assignments(AppState& s, const std::vector<Assignment>& as);
// The keys apply_assignment knows, with a one-line description each.
std::vector<std::pair<std::string, std::string>> assignment_keys();

struct ScriptStep {
    int64_t frame = 1;  // applied before this frame (frames count from 1)
    std::vector<Assignment> assignments;
};
// Parses "frame 5: seed=7 dist=uniform; frame 10: log=on". Parts separated by ';'; each part may
// start with "frame N:"; parts without it continue the previous frame (the first: frame 1).
// Assignments inside a part are separated by spaces. Throws ValueError naming the bad part.
std::vector<ScriptStep> parse_script(const std::string& text);

// Runs a parsed script: call before_frame(state, frame) once per frame, frames counting from 1.
class ScriptRunner {
public:
    explicit ScriptRunner(std::vector<ScriptStep> steps = {});
    // Applies every step whose frame is <= `frame` and not applied yet; returns how many.
    int before_frame(AppState& s, int64_t frame);
    int64_t last_frame() const;  // 0 for an empty script
    bool done() const { return next_ >= steps_.size(); }

private:
    std::vector<ScriptStep> steps_;
    size_t next_ = 0;
};

}  // namespace nl::gui
