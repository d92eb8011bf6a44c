// Shared by the lesson tests: a headless Dear ImGui context (no window, no OpenGL) that runs the
// app's frames with a lesson open, as tests/gui does for the main window.
#pragma once
#include <cfloat>
#include <string>

#include <imgui.h>

#include "gui/app.h"
#include "gui/lessons/lesson_app.h"
#include "gui/texture_sink.h"
#include "gui/theme.h"

namespace nl::gui::testing {

class HeadlessApp {
public:
    explicit HeadlessApp(float w = 1280, float h = 800) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(w, h);
        io.DeltaTime = 1.0f / 60.0f;
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;
        state = default_state();
        theme::apply_style(1.0f);
        theme::load_fonts(1.0f);  // presentation mode's large font too, as the app has
        unsigned char* px = nullptr;
        int tw = 0, th = 0;
        io.Fonts->GetTexDataAsRGBA32(&px, &tw, &th);
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
    }
    ~HeadlessApp() { ImGui::DestroyContext(); }
    HeadlessApp(const HeadlessApp&) = delete;
    HeadlessApp& operator=(const HeadlessApp&) = delete;

    void frame() {
        update(state);
        ImGui::NewFrame();
        draw_app(state, &sink);
        ImGui::Render();
    }
    void frames(int n) {
        for (int i = 0; i < n; ++i) frame();
    }

    AppState state;
    MemorySink sink;
};

}  // namespace nl::gui::testing
