// The experiment record: what the chapter advises reporting with any result that involves
// randomness (software versions, GPU and driver or "none", seeds, flags, stream version), made
// into a button. Written atomically next to the exports, never over an existing file unasked.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "gui/app_state.h"

namespace nl::gui {

enum class RecordFormat { Json, Markdown };

nlohmann::json experiment_record(const AppState& s);
std::string record_markdown(const nlohmann::json& record);
// <folder>/<base>-record.json or .md (ExportState's folder and base name).
std::string record_path(const AppState& s, RecordFormat f);
// Writes the record; never throws: the outcome goes to LessonState::message (and the status bar).
// Returns the path written, or "" on failure.
std::string write_record(AppState& s, RecordFormat f, bool overwrite);

}  // namespace nl::gui
