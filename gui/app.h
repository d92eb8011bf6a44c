// One frame of the app without the window: update() draws a new sample when the settings ask for
// one and refreshes the analysis; draw_app() lays out and draws every panel. app/gui_main.cpp
// calls them between the GLFW/OpenGL boilerplate; tests call them with a headless ImGui context.
#pragma once
#include "gui/app_state.h"
#include "gui/texture_sink.h"

namespace nl::gui {

// Sampling rules, so that pictures are reproducible and changes are easy to see:
//  - a new seed, generator mode, device or engine reseeds (offset 0, or the offset of an opened
//    recipe) and draws;
//  - any other change (distribution, parameters, shape, dtype) draws again from the offset the
//    current sample started at: the same noise, transformed;
//  - Resample and live mode draw the next values (the offset moves on).
// Errors (typed nl:: exceptions) are kept in SamplerState::error and not retried every frame.
void update(AppState& s);

// Draws the menu bar, the three panels, the status bar and the dialogs, filling
// ImGui::GetIO().DisplaySize. Handles the keyboard shortcuts (Space, L, N, F).
void draw_app(AppState& s, TextureSink* sink);

}  // namespace nl::gui
