// Lesson 10: what the floating dtypes do to random numbers. For float32, float16, bfloat16 and
// float64: rand's distinct values, smallest and largest draw, whether 1.0 appeared, randn's
// largest magnitude, and the values available just below 1 (ticks: bfloat16 has a handful,
// float32 is dense). Asserted: rand never returns 1.0 in any of them, and float16 / bfloat16
// take at most 2^11 / 2^8 values (multiples of 2^-11 / 2^-8, as PyTorch). Each dtype draws from a
// local Generator(seed); n is the sampler's element count.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "gui/app_state.h"
#include "gui/lessons/draw_util.h"
#include "gui/lessons/lesson_app.h"
#include "gui/lessons/sims/sim_ui.h"
#include "gui/lessons/visuals.h"
#include "gui/panels.h"
#include "gui/text_fit.h"
#include "gui/theme.h"
#include "tensor/random.h"

namespace nl::gui {

namespace {

constexpr DType kTypes[4] = {DType::Float32, DType::Float16, DType::BFloat16, DType::Float64};
constexpr int kBits[4] = {32, 16, 16, 64};
constexpr double kZoomLo = 0.98;  // the strip of values shown just below 1

struct DtypeRow {
    int64_t distinct = 0;
    double min = 0, max = 0, smallest_positive = 0, max_abs_normal = 0;
    int64_t ones = 0;                // draws equal to 1.0
    std::vector<double> near_one;    // distinct values in [kZoomLo, 1]
};

struct DtypesVisual {
    uint64_t seed = ~uint64_t(0);
    int64_t n = 0;
    DtypeRow rows[4];
};

int64_t sample_count(const AppState& s) { return std::clamp<int64_t>(shape_numel(s.sampler.settings.shape), 1000, int64_t(1) << 22); }

void dtypes_update(DtypesVisual& v, const VisualContext& c) {
    const uint64_t seed = c.app.sampler.settings.seed;
    const int64_t n = sample_count(c.app);
    if (seed != v.seed || n != v.n) {
        v.seed = seed;
        v.n = n;
        for (int k = 0; k < 4; ++k) {
            Generator g(seed);
            std::vector<double> u = rand({n}, kTypes[k], &g).to_vector();
            const std::vector<double> z = randn({n}, kTypes[k], &g).to_vector();
            DtypeRow& r = v.rows[k];
            std::sort(u.begin(), u.end());
            r.min = u.front();
            r.max = u.back();
            r.ones = std::count(u.begin(), u.end(), 1.0);
            u.erase(std::unique(u.begin(), u.end()), u.end());
            r.distinct = static_cast<int64_t>(u.size());
            r.smallest_positive = 0;
            for (double x : u)
                if (x > 0) {
                    r.smallest_positive = x;
                    break;
                }
            r.near_one.clear();
            for (auto it = std::lower_bound(u.begin(), u.end(), kZoomLo); it != u.end(); ++it) r.near_one.push_back(*it);
            r.max_abs_normal = 0;
            for (double x : z) r.max_abs_normal = std::max(r.max_abs_normal, std::fabs(x));
        }
    }
    bool below_one = true;
    std::string d;
    for (int k = 0; k < 4; ++k) {
        below_one &= v.rows[k].ones == 0 && v.rows[k].max < 1.0;
        char b[64];
        std::snprintf(b, sizeof b, "%s%s max %.9g", k ? ", " : "", dtype_name(kTypes[k]), v.rows[k].max);
        d += b;
    }
    c.check("torch.rand never returns 1.0, in any of the four dtypes", below_one, d);
    // Values are k / 2^bits: at most 2^11 distinct float16 and 2^8 distinct bfloat16 values.
    c.check("float16 rand takes at most 2048 values, bfloat16 at most 256", v.rows[1].distinct <= 2048 && v.rows[2].distinct <= 256,
            std::to_string(v.rows[1].distinct) + " and " + std::to_string(v.rows[2].distinct) + " distinct values");
}

void dtypes_draw(DtypesVisual& v, const VisualContext& c) {
    paint::begin_visual(kLessonVisualWindow, c.rect);
    text_wrapped(theme::accent(), "torch.rand(" + std::to_string(v.n) + ") and torch.randn(" + std::to_string(v.n) + ") in four dtypes");
    ImGui::Separator();
    std::vector<std::vector<paint::Cell>> rows;
    for (int k = 0; k < 4; ++k) {
        const DtypeRow& r = v.rows[k];
        const bool one = r.ones > 0;
        rows.push_back({{dtype_name(kTypes[k])},
                        {std::to_string(kBits[k])},
                        {std::to_string(r.distinct)},
                        {sims::fmt("%.3g", r.smallest_positive)},
                        {sims::fmt("%.9g", r.max)},
                        {one ? "yes, " + std::to_string(r.ones) + " times" : "no", one ? theme::text_warn() : theme::text_ok()},
                        {sims::fmt("%.4g", r.max_abs_normal)}});
    }
    paint::text_table("dtypes", {"dtype", "bits", "distinct", "smallest > 0", "largest", "1.0 drawn", "max |randn|"}, rows);
    ImGui::Spacing();
    text_wrapped(theme::text_dim(), "Distinct values drawn between " + sims::fmt("%.2g", kZoomLo) + " and 1.0 (each tick one value; orange: 1.0 itself)");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float label_w = ImGui::CalcTextSize("bfloat16  ").x;
    const float w = ImGui::GetContentRegionAvail().x - label_w - 8;
    const float h = std::clamp((ImGui::GetContentRegionAvail().y - 10) / 4 - ImGui::GetStyle().ItemSpacing.y, 24.0f, 90.0f);
    for (int k = 0; k < 4; ++k) {
        const DtypeRow& r = v.rows[k];
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(dtype_name(kTypes[k]));
        ImGui::SameLine(label_w);
        const ImVec2 p0 = ImGui::GetCursorScreenPos();
        dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), theme::kPlotBackground);
        // One tick per screen column that holds a value (float32's tens of thousands of values
        // would overflow ImGui's 16-bit vertex indices as separate lines), 1.0 on top in orange.
        std::vector<char> hit(static_cast<size_t>(std::max(w - 2, 1.0f)) + 1, 0);
        bool one = false;
        for (double x : r.near_one) {
            if (x == 1.0) {
                one = true;
                continue;
            }
            hit[std::min(hit.size() - 1, static_cast<size_t>((x - kZoomLo) / (1.0 - kZoomLo) * (w - 2)))] = 1;
        }
        for (size_t i = 0; i < hit.size(); ++i) {
            if (!hit[i]) continue;
            size_t j = i;  // runs of columns become one rectangle
            while (j + 1 < hit.size() && hit[j + 1]) ++j;
            dl->AddRectFilled(ImVec2(p0.x + 1 + i, p0.y + 2), ImVec2(p0.x + 2 + j, p0.y + h - 2), theme::kSample);
            i = j;
        }
        if (one) dl->AddRectFilled(ImVec2(p0.x + w - 4, p0.y + 2), ImVec2(p0.x + w - 1, p0.y + h - 2), theme::kTheory);
        char t[48];
        std::snprintf(t, sizeof t, "%zu values", r.near_one.size());
        dl->AddText(ImVec2(p0.x + 6, p0.y + 4), theme::kAxisText, t);
        dl->AddRect(p0, ImVec2(p0.x + w, p0.y + h), theme::kPlotBorder);
        ImGui::Dummy(ImVec2(w, h));
    }
    paint::end_visual();
}

std::string dtypes_code(const DtypesVisual& v, const VisualContext&) {
    std::string out = "import torch\n";
    out += "n = " + std::to_string(v.n) + "\n";
    out += "for dt in (torch.float32, torch.float16, torch.bfloat16, torch.float64):\n";
    out += "    g = torch.Generator().manual_seed(" + std::to_string(v.seed) + ")\n";
    out += "    u = torch.rand(n, dtype=dt, generator=g)\n";
    out += "    z = torch.randn(n, dtype=dt, generator=g)\n";
    out += "    print(u.shape, u.dtype, \"distinct:\", u.float().unique().numel(), \"largest:\", u.max().item(),\n";
    out += "          \"1.0 drawn:\", bool((u == 1).any()), \"max |randn|:\", z.abs().max().item())\n";
    out += "print(torch.finfo(torch.bfloat16).eps, torch.finfo(torch.float16).eps, torch.finfo(torch.float32).eps)\n";
    return out;
}

}  // namespace

LessonVisual dtypes_visual() { return make_visual<DtypesVisual>("dtypes", dtypes_update, dtypes_draw, dtypes_code); }

}  // namespace nl::gui
