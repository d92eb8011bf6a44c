// Lessons inside the app (see lesson_app.h): open / close, the per-frame update, the lesson
// column (explanation, predict-then-sample, checks, live PyTorch code, record export), the visual
// area and the Lessons menu.
#include "gui/lessons/lesson_app.h"

#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "gui/fill.h"
#include "gui/layout.h"
#include "gui/lessons/record.h"
#include "gui/panels.h"
#include "gui/script.h"
#include "gui/text_fit.h"
#include "gui/theme.h"
#include "tensor/errors.h"

namespace nl::gui {

namespace {

// The larger font gui_main adds for presentation mode (the atlas' second font), if any.
ImFont* presentation_font() {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    return atlas && atlas->Fonts.Size > 1 ? atlas->Fonts[1] : nullptr;
}

// The catalogue is read from disk when the menu is first opened and on "Reload".
const std::vector<Lesson>& catalogue(LessonState& l, bool reload = false) {
    if (!l.catalogue_loaded || reload) {
        l.catalogue = lesson_catalogue();
        l.catalogue_loaded = true;
    }
    return l.catalogue;
}

// Classroom switches and the catalogue survive opening and closing lessons.
void keep_across(LessonState& next, LessonState&& prev) {
    next.presentation = prev.presentation;
    next.locked = prev.locked;
    next.show_code = prev.show_code;
    next.catalogue = std::move(prev.catalogue);
    next.catalogue_loaded = prev.catalogue_loaded;
}

void set_message(LessonState& l, const std::string& m, bool error) {
    l.message = m;
    l.message_is_error = error;
}

void draw_prediction(LessonState& l) {
    const LessonPrompt& p = l.lesson.predict;
    ImGui::Spacing();
    ImGui::TextColored(theme::accent(), "Predict, then sample");
    ImGui::Separator();
    text_wrapped(p.question);
    for (size_t i = 0; i < p.choices.size(); ++i) {
        const bool chosen = l.picked == static_cast<int>(i);
        if (l.picked >= 0) {
            const bool right = static_cast<int>(i) == p.correct;
            const ImVec4 c = right ? theme::text_ok() : (chosen ? theme::text_error() : theme::text_dim());
            text_wrapped(c, std::string(chosen ? "> " : "  ") + p.choices[i]);
        } else {
            ImGui::PushID(static_cast<int>(i));
            if (wrapped_button("##choice", p.choices[i])) {
                l.picked = static_cast<int>(i);
                l.revealed = true;
            }
            tooltip("Pick your prediction: the visual then shows what really happens.");
            ImGui::PopID();
        }
    }
    if (l.picked >= 0) {
        const bool right = l.picked == p.correct;
        ImGui::TextColored(right ? theme::text_ok() : theme::text_warn(), "%s", right ? "Right." : "Not quite.");
        if (!p.explanation.empty()) text_wrapped(p.explanation);
        if (ImGui::SmallButton("Ask again")) {
            l.picked = -1;
            l.revealed = false;
        }
        tooltip("Hide the answer and the visual again (for the next group).");
    } else if (!l.revealed) {
        if (ImGui::SmallButton("Skip, just show it")) l.revealed = true;
        tooltip("Show the visual without predicting.");
    }
}

void draw_checks(const LessonState& l) {
    // After the prediction only: a passing "every value lies in [-2, 3]" would give the answer away.
    if (l.checks.empty() || (l.lesson.predict.defined() && !l.revealed)) return;
    ImGui::Spacing();
    ImGui::TextColored(theme::accent(), "Asserted on this sample");
    ImGui::Separator();
    for (const LessonCheck& c : l.checks) {
        text_wrapped(c.passed ? theme::text_ok() : theme::text_error(), std::string(c.passed ? "PASS " : "FAIL ") + c.name);
        if (!c.detail.empty()) tooltip(c.detail.c_str());
    }
}

void draw_code(AppState& s) {
    LessonState& l = s.lesson;
    ImGui::Spacing();
    ImGui::TextColored(theme::accent(), "PyTorch");
    ImGui::SameLine();
    ImGui::TextColored(theme::text_dim(), "(for the settings shown)");
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize("Copy").x - ImGui::GetStyle().FramePadding.x * 2);
    if (ImGui::SmallButton("Copy")) {
        ImGui::SetClipboardText(l.code.c_str());
        set_message(l, "copied the PyTorch code", false);
    }
    tooltip("Copy the code to the clipboard: it draws what the visual shows.");
    ImGui::Separator();
    // Monospace, in a box that scrolls sideways: a read-only text field cut long lines without a
    // scroll bar (Copy takes the text).
    int lines = 1;
    for (char c : l.code) lines += c == '\n';
    ImFont* mono = theme::code_font();
    if (mono) ImGui::PushFont(mono);
    const float line = ImGui::GetTextLineHeightWithSpacing(), pad = ImGui::GetStyle().WindowPadding.y * 2;
    const float bar = ImGui::GetStyle().ScrollbarSize;
    // The rest of the column, at least 7 lines (the column then scrolls), at most the whole code.
    const float h = std::min(line * lines + pad + bar, std::max(ImGui::GetContentRegionAvail().y - 2, line * 7 + pad + bar));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(theme::kPlotBackground));
    if (ImGui::BeginChild("##code", ImVec2(-1, h), true, ImGuiWindowFlags_HorizontalScrollbar))
        ImGui::TextUnformatted(l.code.c_str(), l.code.c_str() + l.code.size());
    ImGui::EndChild();
    ImGui::PopStyleColor();
    if (mono) ImGui::PopFont();
}

void draw_actions(AppState& s) {
    LessonState& l = s.lesson;
    ImGui::Spacing();
    if (l.lesson.show_sampler) {  // lessons without the sampler have their own draw buttons
        ImGui::BeginDisabled(l.locked);
        if (ImGui::Button("Resample")) s.sampler.resample_requested = true;
        tooltip("Draw the next values of the stream (Space).");
        ImGui::EndDisabled();
        same_line_if_fits(button_width("Record (.md)"));
    }
    // Each button and switch continues the row while it fits (presentation mode's large font cut
    // them at the column's edge).
    if (ImGui::Button("Record (.md)")) write_record(s, RecordFormat::Markdown, false);
    tooltip("Write the experiment record (software versions, GPU and driver, seeds, flags, stream version) as Markdown "
            "next to the exports (<folder>/<name>-record.md). Never replaces a file.");
    same_line_if_fits(button_width("Record (.json)"));
    if (ImGui::Button("Record (.json)")) write_record(s, RecordFormat::Json, false);
    tooltip("The same experiment record as JSON (<folder>/<name>-record.json).");
    if (ImGui::Checkbox("Present", &l.presentation)) {}
    tooltip("Presentation mode: large fonts, no status bar, the sampler column hidden.");
    same_line_if_fits(checkbox_width("Lock"));
    ImGui::Checkbox("Lock", &l.locked);
    tooltip("Lock every control except these switches and the prediction, so a projected lesson cannot change by accident.");
    same_line_if_fits(checkbox_width("Code"));
    ImGui::Checkbox("Code", &l.show_code);
    tooltip("Show or hide the PyTorch code.");
    if (!l.message.empty()) ImGui::TextColored(l.message_is_error ? theme::text_error() : theme::text_dim(), "%s", l.message.c_str());
}

void draw_lesson_panel(AppState& s, const Rect& r) {
    LessonState& l = s.lesson;
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    if (ImGui::Begin(kLessonWindow, nullptr, theme::kPanelFlags)) {
        ImGui::TextColored(theme::text_dim(), "Lesson %d", l.lesson.number);
        text_wrapped(theme::accent(), l.lesson.title);
        ImGui::Separator();
        std::string para;
        for (const std::string& sentence : l.lesson.explanation) para += (para.empty() ? "" : " ") + sentence;
        text_wrapped(para);
        if (l.lesson.predict.defined()) draw_prediction(l);
        draw_checks(l);
        draw_actions(s);
        if (l.show_code) draw_code(s);
    }
    ImGui::End();
}

void draw_visual(AppState& s, const Rect& r, TextureSink* sink) {
    LessonState& l = s.lesson;
    if (!l.revealed) {
        // The prediction comes first: the visual waits behind a plain card.
        ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
        ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
        if (ImGui::Begin(kLessonVisualWindow, nullptr, theme::kPanelFlags | ImGuiWindowFlags_NoTitleBar)) {
            const char* msg = "Make your prediction in the lesson column first.";
            const ImVec2 ts = ImGui::CalcTextSize(msg);
            ImGui::SetCursorPos(ImVec2((r.w - ts.x) * 0.5f, (r.h - ts.y) * 0.5f));
            ImGui::TextColored(theme::text_dim(), "%s", msg);
        }
        ImGui::End();
        return;
    }
    if (!l.visual.draw) return;
    VisualContext ctx{s, l.lesson.visual_params, r, s.ui_scale};
    ctx.sink = sink;
    ctx.locked = l.locked;
    ImGui::BeginDisabled(l.locked);
    try {
        l.visual.draw(ctx);
    } catch (const Error& e) {
        set_message(l, std::string("visual: ") + e.what(), true);
    }
    ImGui::EndDisabled();
}

}  // namespace

void open_lesson(AppState& s, const Lesson& lesson) {
    AppState fresh = default_state();
    s.sampler.settings = fresh.sampler.settings;
    s.sampler.live = false;
    s.histogram.options = fresh.histogram.options;
    s.histogram.log_scale = false;
    s.image = fresh.image;
    std::vector<Assignment> as;
    for (const auto& [k, v] : lesson.settings) as.push_back({k, v});
    apply_assignments(s, as);  // validated when the lesson was loaded
    s.sampler.has_drawn = false;  // reseed: the lesson starts at offset 0 of its seed

    LessonState next;
    keep_across(next, std::move(s.lesson));
    s.lesson = std::move(next);
    LessonState& l = s.lesson;
    l.active = true;
    l.lesson = lesson;
    l.revealed = !lesson.predict.defined();
    const LessonVisual* v = find_visual(lesson.visual);
    if (!v) throw ValueError(lesson.file + ": field 'visual': '" + lesson.visual + "' is not registered (known: " + visual_ids() + ")");
    l.visual = v->create();
}

void open_lesson_file(AppState& s, const std::string& path) { open_lesson(s, load_lesson(path)); }

void close_lesson(AppState& s) {
    LessonState next;
    keep_across(next, std::move(s.lesson));
    next.presentation = false;  // back to the normal window
    next.locked = false;
    s.lesson = std::move(next);
}

void update_lesson(AppState& s) {
    LessonState& l = s.lesson;
    if (!l.active) return;
    std::vector<LessonCheck> checks;
    VisualContext ctx{s, l.lesson.visual_params, Rect{}, s.ui_scale};
    ctx.checks = &checks;
    try {
        if (l.visual.update) l.visual.update(ctx);
        l.checks = std::move(checks);
        if (l.visual.pytorch_code) l.code = l.visual.pytorch_code(ctx);
    } catch (const Error& e) {
        set_message(l, std::string("visual: ") + e.what(), true);
    }
}

bool lesson_checks_pass(const LessonState& l) {
    if (!l.active || l.checks.empty()) return false;
    return std::all_of(l.checks.begin(), l.checks.end(), [](const LessonCheck& c) { return c.passed; });
}

void draw_lesson_window(AppState& s, TextureSink* sink, float menu_h) {
    LessonState& l = s.lesson;
    const ImVec2 ds = ImGui::GetIO().DisplaySize;
    ImFont* big = l.presentation ? presentation_font() : nullptr;
    const float status_h = l.presentation ? 0.0f : ImGui::GetTextLineHeight() + ImGui::GetStyle().WindowPadding.y * 2;
    const bool show_sampler = l.lesson.show_sampler && !l.presentation;
    const float scale = s.ui_scale * (l.presentation ? 1.4f : 1.0f);
    const LessonLayout L = compute_lesson_layout(ds.x, ds.y, menu_h, status_h, scale, show_sampler);

    for (const Rect& r : {L.lesson, L.sampler, L.visual})
        if (r.w > 0) fill_background(ImVec2(r.x, r.y), ImVec2(r.right(), r.y + ImGui::GetFrameHeight()), Background::Title);
    if (big) ImGui::PushFont(big);
    draw_lesson_panel(s, L.lesson);
    draw_visual(s, L.visual, sink);
    if (big) ImGui::PopFont();
    if (show_sampler) {
        ImGui::BeginDisabled(l.locked);
        draw_sampler_panel(s, L.sampler);
        ImGui::EndDisabled();
    }
    if (L.status.h > 0) draw_status_bar(s, sink, L.status);
    ImDrawList* bg = ImGui::GetBackgroundDrawList();
    const ImU32 line = ImGui::GetColorU32(ImGuiCol_Border);
    for (const Rect& r : {L.sampler, L.visual})
        if (r.w > 0) bg->AddLine(ImVec2(r.x - 0.5f, r.y), ImVec2(r.x - 0.5f, r.bottom()), line);
}

void draw_lessons_menu(AppState& s) {
    if (!ImGui::BeginMenu("Lessons")) return;
    LessonState& l = s.lesson;
    const std::vector<Lesson> all = catalogue(l);  // a copy: opening a lesson below moves s.lesson
    if (all.empty()) ImGui::TextColored(theme::text_dim(), "no lessons in %s", lessons_dir().c_str());
    for (const Lesson& lesson : all) {
        char label[300];
        std::snprintf(label, sizeof label, "%2d  %s", lesson.number, lesson.title.c_str());
        const bool current = l.active && l.lesson.id == lesson.id;
        if (ImGui::MenuItem(label, nullptr, current)) {
            try {
                open_lesson(s, lesson);
            } catch (const Error& e) {
                l.error = e.what();
                s.exporter.message = e.what();
                s.exporter.message_is_error = true;
            }
        }
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Close lesson", nullptr, false, l.active)) close_lesson(s);
    tooltip("Back to the sampler, view and histogram.");
    ImGui::MenuItem("Presentation mode", nullptr, &l.presentation);
    tooltip("Large fonts and a clean layout for a projector.");
    ImGui::MenuItem("Lock controls", nullptr, &l.locked);
    tooltip("Disable the lesson's controls (the prediction stays usable).");
    if (ImGui::MenuItem("Reload lesson files")) catalogue(s.lesson, true);
    tooltip("Read the presets in the lessons folder again.");
    ImGui::EndMenu();
}

}  // namespace nl::gui
