// Lessons 11 (seeds) and 13 (local generators). Both draw with the app's real global generator
// (default_generator(), as torch.manual_seed does) and restore its state afterwards, so the
// sampler's stream is untouched; the facts are asserted as checks on every update:
//   11: manual_seed(s) twice gives identical tensors; a different seed gives a different tensor;
//   13: draws from a local torch.Generator leave the global sequence unchanged, while the same
//       draws from the global generator shift it.
#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "gui/app_state.h"
#include "gui/lessons/draw_util.h"
#include "gui/lessons/lesson_app.h"
#include "gui/lessons/lesson_code.h"
#include "gui/lessons/visuals.h"
#include "gui/panels.h"
#include "gui/text_fit.h"
#include "gui/theme.h"
#include "tensor/errors.h"

namespace nl::gui {

namespace {

// The settings the visual draws with: the sampler's, on the CPU, global mode.
SamplerSettings cpu_settings(const AppState& s) {
    SamplerSettings st = s.sampler.settings;
    st.device = Device::cpu();
    st.generator = GeneratorMode::Global;
    return st;
}

// The global generator's state is put back when this goes out of scope.
struct KeepGlobal {
    Generator saved = default_generator();
    ~KeepGlobal() { default_generator() = saved; }
};

int grid_cols(size_t n) { return static_cast<int>(std::min<size_t>(16, n)); }
int grid_rows(size_t n, int cols) { return static_cast<int>(std::min<size_t>(16, (n + cols - 1) / cols)); }

std::string draw_line(const SamplerSettings& st, const char* var, uint64_t seed) {
    SamplerSettings s = st;
    s.seed = seed;
    std::string t = torch_equivalent(s);  // "torch.manual_seed(S)\n[probs = ...\n]x = ..."
    const size_t nl = t.find('\n');
    std::string call = t.substr(nl + 1);
    // The draw is the last line; multinomial and categorical define their probs / logits first.
    const size_t last = call.rfind('\n');
    const size_t x = last == std::string::npos ? 0 : last + 1;
    if (call.compare(x, 4, "x = ") == 0) call.replace(x, 1, var);
    return call + "\n";
}

// ---- lesson 11 ----------------------------------------------------------------------------------

struct SeedsVisual {
    std::vector<double> a, b, c;  // manual_seed(s) -> a, manual_seed(s) -> b, manual_seed(s2) -> c
    uint64_t other_seed = 0;
    bool other_set = false;
    SamplerSettings drawn;
    bool valid = false;
};

uint64_t other_of(const SeedsVisual& v, const SamplerSettings& st) { return v.other_set ? v.other_seed : st.seed + 1; }

void seeds_update(SeedsVisual& v, const VisualContext& c) {
    const SamplerSettings st = cpu_settings(c.app);
    if (v.valid && st == v.drawn) {  // unchanged: assert on the tensors already drawn
    } else {
        try {
            validate(st);
        } catch (const Error&) {
            v.valid = false;
            return;
        }
        KeepGlobal keep;
        manual_seed(st.seed);
        v.a = draw(st, default_generator()).to_vector();
        manual_seed(st.seed);
        v.b = draw(st, default_generator()).to_vector();
        manual_seed(other_of(v, st));
        v.c = draw(st, default_generator()).to_vector();
        v.drawn = st;
        v.valid = true;
    }
    const int same_ab = paint::count_equal(v.a, v.b), same_ac = paint::count_equal(v.a, v.c);
    char d1[96], d2[96];
    std::snprintf(d1, sizeof d1, "%d of %zu values equal bit for bit", same_ab, v.a.size());
    std::snprintf(d2, sizeof d2, "%d of %zu values equal", same_ac, v.a.size());
    c.check("manual_seed(" + std::to_string(st.seed) + ") twice gives identical tensors", !v.a.empty() && same_ab == static_cast<int>(v.a.size()), d1);
    c.check("seed " + std::to_string(other_of(v, st)) + " gives a different tensor", v.a.size() == v.c.size() && same_ac < static_cast<int>(v.a.size()), d2);
}

void seeds_draw(SeedsVisual& v, const VisualContext& c) {
    paint::begin_visual(kLessonVisualWindow, c.rect);
    const SamplerSettings st = cpu_settings(c.app);
    text_wrapped(theme::accent(), "Same seed twice, then another seed");
    ImGui::Separator();
    uint64_t other = other_of(v, st);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    if (ImGui::InputScalar("other seed", ImGuiDataType_U64, &other, nullptr, nullptr, "%llu", ImGuiInputTextFlags_EnterReturnsTrue)) {
        v.other_seed = other;
        v.other_set = true;
        v.valid = false;
    }
    tooltip("The seed of the third tensor (Enter applies). Set it equal to the seed and the third map turns blue too.");
    if (!v.valid) {
        ImGui::TextColored(theme::text_error(), "these settings cannot be drawn");
        paint::end_visual();
        return;
    }
    const int cols = grid_cols(v.a.size()), rows = grid_rows(v.a.size(), cols);
    const float avail = ImGui::GetContentRegionAvail().x;
    const float cell = std::max(4.0f, std::floor(std::min((avail - 40) / 3 / cols, (c.rect.h * 0.33f) / rows)));
    char cap[3][80];
    std::snprintf(cap[0], 80, "a: manual_seed(%llu)", static_cast<unsigned long long>(st.seed));
    std::snprintf(cap[1], 80, "b: manual_seed(%llu)", static_cast<unsigned long long>(st.seed));
    std::snprintf(cap[2], 80, "c: manual_seed(%llu)", static_cast<unsigned long long>(other));
    const std::vector<double>* t[3] = {&v.a, &v.b, &v.c};
    float cap_h = 0;  // the captions padded to the tallest, so that the grids line up
    for (int i = 0; i < 3; ++i) cap_h = std::max(cap_h, paint::caption_height(cap[i], cols * cell));
    for (int i = 0; i < 3; ++i) {
        if (i) ImGui::SameLine(0, 20);
        ImGui::BeginGroup();
        paint::value_grid(*t[i], rows, cols, cell, cap[i], cap_h);
        ImGui::EndGroup();
    }
    ImGui::Spacing();
    const int ab = paint::count_equal(v.a, v.b), ac = paint::count_equal(v.a, v.c);
    char e1[80], e2[80];
    std::snprintf(e1, sizeof e1, "a == b: %d / %zu equal", ab, v.a.size());
    std::snprintf(e2, sizeof e2, "a == c: %d / %zu equal", ac, v.a.size());
    const float eq_h = std::max(paint::caption_height(e1, cols * cell), paint::caption_height(e2, cols * cell));
    ImGui::BeginGroup();
    paint::equality_grid(v.a, v.b, rows, cols, cell, e1, eq_h);
    ImGui::EndGroup();
    ImGui::SameLine(0, 20);
    ImGui::BeginGroup();
    paint::equality_grid(v.a, v.c, rows, cols, cell, e2, eq_h);
    ImGui::EndGroup();
    text_wrapped(theme::text_dim(), "blue: equal bit for bit   orange: differs");
    paint::end_visual();
}

std::string seeds_code(const SeedsVisual& v, const VisualContext& c) {
    const SamplerSettings st = cpu_settings(c.app);
    const uint64_t other = other_of(v, st);
    std::string out = "import torch\n";
    out += "torch.manual_seed(" + std::to_string(st.seed) + ")\n" + draw_line(st, "a", st.seed);
    out += "torch.manual_seed(" + std::to_string(st.seed) + ")\n" + draw_line(st, "b", st.seed);
    out += "torch.manual_seed(" + std::to_string(other) + ")\n" + draw_line(st, "c", other);
    out += "print(a.shape, a.dtype)\n";
    out += "assert torch.equal(a, b)      # same seed: identical\n";
    if (other != st.seed) out += "assert not torch.equal(a, c)  # another seed: different\n";
    out += "print(\"a == b:\", torch.equal(a, b), \" a == c:\", torch.equal(a, c))\n";
    return out;
}

// ---- lesson 13 ----------------------------------------------------------------------------------

struct LocalVisual {
    std::vector<double> ref, after_local, after_global;
    SamplerSettings drawn;
    uint64_t local_seed = 0;
    int local_draws = 0;
    bool valid = false;
};

uint64_t local_seed_of(const VisualContext& c) { return c.params.value("local_seed", uint64_t(1234)); }
int local_draws_of(const VisualContext& c) { return c.params.value("local_draws", 3); }

void local_update(LocalVisual& v, const VisualContext& c) {
    const SamplerSettings st = cpu_settings(c.app);
    const uint64_t ls = local_seed_of(c);
    const int k = local_draws_of(c);
    if (!(v.valid && st == v.drawn && v.local_seed == ls && v.local_draws == k)) {
        try {
            validate(st);
        } catch (const Error&) {
            v.valid = false;
            return;
        }
        KeepGlobal keep;
        Generator& g = default_generator();
        // Reference: the global sequence's second tensor.
        manual_seed(st.seed);
        draw(st, g);
        v.ref = draw(st, g).to_vector();
        // k draws from a local generator between the two global draws.
        manual_seed(st.seed);
        draw(st, g);
        Generator local(ls);
        for (int i = 0; i < k; ++i) draw(st, local);
        v.after_local = draw(st, g).to_vector();
        // The same k draws taken from the global generator instead.
        manual_seed(st.seed);
        draw(st, g);
        for (int i = 0; i < k; ++i) draw(st, g);
        v.after_global = draw(st, g).to_vector();
        v.drawn = st;
        v.local_seed = ls;
        v.local_draws = k;
        v.valid = true;
    }
    const int same_local = paint::count_equal(v.ref, v.after_local), same_global = paint::count_equal(v.ref, v.after_global);
    char d1[96], d2[96];
    std::snprintf(d1, sizeof d1, "%d of %zu values equal", same_local, v.ref.size());
    std::snprintf(d2, sizeof d2, "%d of %zu values equal", same_global, v.ref.size());
    c.check("draws from a local generator leave the global sequence unchanged", !v.ref.empty() && same_local == static_cast<int>(v.ref.size()), d1);
    c.check("the same draws from the global generator shift it", v.ref.size() == v.after_global.size() && same_global < static_cast<int>(v.ref.size()), d2);
}

void local_draw(LocalVisual& v, const VisualContext& c) {
    paint::begin_visual(kLessonVisualWindow, c.rect);
    text_wrapped(theme::accent(), "The global sequence's second tensor, three ways");
    ImGui::Separator();
    if (!v.valid) {
        ImGui::TextColored(theme::text_error(), "these settings cannot be drawn");
        paint::end_visual();
        return;
    }
    const int cols = grid_cols(v.ref.size()), rows = grid_rows(v.ref.size(), cols);
    const float avail = ImGui::GetContentRegionAvail().x;
    const float cell = std::max(4.0f, std::floor(std::min((avail - 40) / 3 / cols, (c.rect.h * 0.33f) / rows)));
    char cap[3][96];
    std::snprintf(cap[0], 96, "reference: 2nd global draw");
    std::snprintf(cap[1], 96, "after %d local draws", v.local_draws);
    std::snprintf(cap[2], 96, "after %d global draws", v.local_draws);
    const std::vector<double>* t[3] = {&v.ref, &v.after_local, &v.after_global};
    float cap_h = 0;  // the captions padded to the tallest, so that the grids line up
    for (int i = 0; i < 3; ++i) cap_h = std::max(cap_h, paint::caption_height(cap[i], cols * cell));
    for (int i = 0; i < 3; ++i) {
        if (i) ImGui::SameLine(0, 20);
        ImGui::BeginGroup();
        paint::value_grid(*t[i], rows, cols, cell, cap[i], cap_h);
        ImGui::EndGroup();
    }
    ImGui::Spacing();
    const char* eq[2] = {"reference == after local draws", "reference == after global draws"};
    const float eq_h = std::max(paint::caption_height(eq[0], cols * cell), paint::caption_height(eq[1], cols * cell));
    ImGui::BeginGroup();
    paint::equality_grid(v.ref, v.after_local, rows, cols, cell, eq[0], eq_h);
    ImGui::EndGroup();
    ImGui::SameLine(0, 20);
    ImGui::BeginGroup();
    paint::equality_grid(v.ref, v.after_global, rows, cols, cell, eq[1], eq_h);
    ImGui::EndGroup();
    text_wrapped(theme::text_dim(), "blue: equal bit for bit   orange: differs");
    paint::end_visual();
}

std::string local_code(const LocalVisual&, const VisualContext& c) {
    const SamplerSettings st = cpu_settings(c.app);
    const uint64_t ls = local_seed_of(c);
    const int k = local_draws_of(c);
    const std::string one = draw_line(st, "x", st.seed);  // "x = torch.randn(...)\n"
    auto as = [&](const std::string& var, const std::string& extra = "") {
        std::string l = var + one.substr(1);
        if (!extra.empty()) l.insert(l.rfind(')'), extra);
        return l;
    };
    std::string out = "import torch\n";
    out += "torch.manual_seed(" + std::to_string(st.seed) + ")\n" + as("_") + as("ref");
    out += "# the same, with " + std::to_string(k) + " draws from a local generator in between\n";
    out += "torch.manual_seed(" + std::to_string(st.seed) + ")\n" + as("_");
    out += "g = torch.Generator().manual_seed(" + std::to_string(ls) + ")\n";
    out += "for _ in range(" + std::to_string(k) + "):\n    " + as("noise", ", generator=g");
    out += as("after_local");
    out += "# the same draws from the global generator\n";
    out += "torch.manual_seed(" + std::to_string(st.seed) + ")\n" + as("_");
    out += "for _ in range(" + std::to_string(k) + "):\n    " + as("noise");
    out += as("after_global");
    out += "print(ref.shape, ref.dtype)\n";
    out += "assert torch.equal(ref, after_local)       # local draws: global sequence unchanged\n";
    out += "assert not torch.equal(ref, after_global)  # global draws: it moved on\n";
    return out;
}

}  // namespace

LessonVisual seeds_visual() { return make_visual<SeedsVisual>("seeds", seeds_update, seeds_draw, seeds_code); }
LessonVisual local_generator_visual() { return make_visual<LocalVisual>("local_generator", local_update, local_draw, local_code,
                       {VisualParam::integer("local_seed", 0, 18446744073709551615.0), VisualParam::integer("local_draws", 0, 20)}); }

}  // namespace nl::gui
