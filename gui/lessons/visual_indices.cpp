// Lessons 4 (permutations: shuffling X and y with one index keeps pairs aligned) and 5 (rows
// with replacement, duplicates highlighted, versus without: randperm(n)[:k]). Both draw from a
// local Generator(seed) so the app's global stream is untouched; n (and k) come from the
// sampler's shape: [n] for lesson 4, [n] with visual_params.k for lesson 5.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include <imgui.h>

#include "gui/app_state.h"
#include "gui/lessons/draw_util.h"
#include "gui/lessons/lesson_app.h"
#include "gui/lessons/visuals.h"
#include "gui/panels.h"
#include "gui/text_fit.h"
#include "gui/theme.h"
#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl::gui {

namespace {

int64_t item_count(const AppState& s) { return std::clamp<int64_t>(s.sampler.settings.shape.empty() ? 10 : s.sampler.settings.shape[0], 2, 40); }

// Colours that tell rows apart (blue is kept for "aligned").
ImU32 row_colour(int64_t i) {
    static const ImU32 c[] = {theme::rgba(230, 159, 0), theme::rgba(86, 180, 233), theme::rgba(0, 158, 115), theme::rgba(240, 228, 66),
                              theme::rgba(204, 121, 167), theme::rgba(213, 94, 0), theme::rgba(170, 170, 170), theme::rgba(120, 200, 120)};
    return c[i % 8];
}

// ---- lesson 4 -----------------------------------------------------------------------------------

struct PermVisual {
    uint64_t seed = 0;
    int64_t n = 0;
    std::vector<int64_t> idx, bad;  // one shared index; a second, independent permutation
};

bool is_permutation(const std::vector<int64_t>& p, int64_t n) {
    std::vector<int64_t> s = p;
    std::sort(s.begin(), s.end());
    for (int64_t i = 0; i < static_cast<int64_t>(s.size()); ++i)
        if (s[i] != i) return false;
    return static_cast<int64_t>(s.size()) == n;
}

void perm_update(PermVisual& v, const VisualContext& c) {
    const uint64_t seed = c.app.sampler.settings.seed;
    const int64_t n = item_count(c.app);
    if (v.idx.empty() || v.seed != seed || v.n != n || c.app.sampler.resample_requested) {
        Generator g(seed);
        v.idx = randperm(n, DType::Int64, &g).to_int_vector();
        v.bad = randperm(n, DType::Int64, &g).to_int_vector();
        v.seed = seed;
        v.n = n;
    }
    int broken = 0;
    for (int64_t k = 0; k < n; ++k) broken += v.idx[k] != v.bad[k];
    c.check("randperm(" + std::to_string(n) + ") holds every index once", is_permutation(v.idx, n) && is_permutation(v.bad, n));
    // The shuffle as the code does it: X[idx] and y[idx] with index_select; then every shuffled x
    // must still be the row its label names (X_shuf[k] == X[y_shuf[k]]), and y[idx2] must not be.
    Generator gx(seed + 1);
    const Tensor X = randn({n, 2}, {}, &gx), y = arange(n);
    const Tensor idx_t = from_vector(std::vector<double>(v.idx.begin(), v.idx.end()), {n}, DType::Int64);
    const Tensor bad_t = from_vector(std::vector<double>(v.bad.begin(), v.bad.end()), {n}, DType::Int64);
    const Tensor Xs = index_select(X, 0, idx_t), ys = index_select(y, 0, idx_t), yb = index_select(y, 0, bad_t);
    int aligned = 0;
    for (int64_t k = 0; k < n; ++k) {
        const int64_t row = static_cast<int64_t>(ys.at({k}));
        aligned += Xs.at({k, 0}) == X.at({row, 0}) && Xs.at({k, 1}) == X.at({row, 1});
    }
    broken = 0;
    for (int64_t k = 0; k < n; ++k) broken += static_cast<int64_t>(yb.at({k})) != static_cast<int64_t>(ys.at({k}));
    c.check("X[idx], y[idx]: every pair stays aligned", aligned == n, std::to_string(aligned) + " of " + std::to_string(n) + " pairs");
    c.check("X[idx], y[idx2]: independent shuffles break pairs", broken > 0, std::to_string(broken) + " of " + std::to_string(n) + " pairs broken");
}

// One row of a table: an X chip and a y chip; the pair's frame blue when both come from the same
// original row, orange when not.
void pair_row(ImDrawList* dl, ImVec2 p, float w, float h, int64_t xrow, int64_t yrow) {
    const float half = w * 0.5f;
    dl->AddRectFilled(ImVec2(p.x + 2, p.y + 2), ImVec2(p.x + half - 2, p.y + h - 2), row_colour(xrow));
    dl->AddRectFilled(ImVec2(p.x + half + 2, p.y + 2), ImVec2(p.x + w - 2, p.y + h - 2), row_colour(yrow));
    char a[24], b[24];
    std::snprintf(a, sizeof a, "x%lld", static_cast<long long>(xrow));
    std::snprintf(b, sizeof b, "y%lld", static_cast<long long>(yrow));
    const float ty = p.y + (h - ImGui::GetFontSize()) * 0.5f;
    dl->AddText(ImVec2(p.x + 6, ty), theme::rgba(10, 10, 14), a);
    dl->AddText(ImVec2(p.x + half + 6, ty), theme::rgba(10, 10, 14), b);
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), xrow == yrow ? theme::kSample : theme::kTheory, 0.0f, 0, 3.0f);
}

void perm_draw(PermVisual& v, const VisualContext& c) {
    paint::begin_visual(kLessonVisualWindow, c.rect);
    ImGui::TextColored(theme::accent(), "Shuffling a dataset of %lld (x, y) pairs", static_cast<long long>(v.n));
    ImGui::Separator();
    if (ImGui::Button("Shuffle again")) c.app.sampler.settings.seed += 1;
    tooltip("A new seed: new permutations (the PyTorch code follows).");
    ImGui::SameLine();
    ImGui::TextColored(theme::text_dim(), "seed %llu", static_cast<unsigned long long>(v.seed));
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = std::max(30.0f, avail.x * 0.08f);
    const float col_w = std::min(170.0f * c.scale, (avail.x - 2 * gap) / 3);
    const float row_h = std::clamp((avail.y - ImGui::GetTextLineHeightWithSpacing() * 3) / static_cast<float>(std::max<int64_t>(v.n, 1)), 8.0f,
                                   30.0f * c.scale);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const char* heads[3] = {"original (X, y)", "X[idx], y[idx]", "X[idx], y[idx2]"};
    for (int col = 0; col < 3; ++col) {  // a heading may use the gap after its column
        const float room = col < 2 ? col_w + gap - 6 : avail.x - 2 * (col_w + gap);
        dl->AddText(ImVec2(top.x + col * (col_w + gap), top.y), ImGui::GetColorU32(theme::text_dim()),
                    fit_with_ellipsis(heads[col], room).c_str());
    }
    const float y0 = top.y + ImGui::GetTextLineHeightWithSpacing();
    for (int64_t k = 0; k < v.n; ++k) {
        const float y = y0 + k * row_h;
        pair_row(dl, ImVec2(top.x, y), col_w, row_h - 2, k, k);
        pair_row(dl, ImVec2(top.x + col_w + gap, y), col_w, row_h - 2, v.idx[k], v.idx[k]);
        pair_row(dl, ImVec2(top.x + 2 * (col_w + gap), y), col_w, row_h - 2, v.idx[k], v.bad[k]);
        // Where row idx[k] came from: a line from the original table.
        const float ys = y0 + v.idx[k] * row_h + row_h * 0.5f;
        dl->AddLine(ImVec2(top.x + col_w + 2, ys), ImVec2(top.x + col_w + gap - 2, y + row_h * 0.5f), theme::kSample, 1.5f);
    }
    ImGui::Dummy(ImVec2(3 * col_w + 2 * gap, v.n * row_h + ImGui::GetTextLineHeightWithSpacing()));
    text_wrapped(theme::text_dim(), "blue frame: x and y from the same row   orange: a broken pair");
    paint::end_visual();
}

std::string perm_code(const PermVisual& v, const VisualContext&) {
    const std::string n = std::to_string(v.n);
    std::string out = "import torch\n";
    out += "g = torch.Generator().manual_seed(" + std::to_string(v.seed) + ")\n";
    out += "n = " + n + "\n";
    out += "X = torch.randn(n, 2)                 # features, one row per example\n";
    out += "y = torch.arange(n)                   # labels: row i has label i here\n";
    out += "idx = torch.randperm(n, generator=g)  # one permutation...\n";
    out += "X_shuf, y_shuf = X[idx], y[idx]       # ...for both: pairs stay aligned\n";
    out += "idx2 = torch.randperm(n, generator=g) # a second, independent one\n";
    out += "y_bad = y[idx2]                       # X_shuf with y_bad: pairs broken\n";
    out += "print(idx.shape, idx.dtype)\n";
    out += "assert torch.equal(X_shuf, X[y_shuf])  # each x still sits next to its own label\n";
    out += "print(\"broken pairs:\", (y_shuf != y_bad).sum().item(), \"of\", n)\n";
    return out;
}

// ---- lesson 5 -----------------------------------------------------------------------------------

struct RowsVisual {
    uint64_t seed = 0;
    int64_t n = 0, k = 0;
    std::vector<int64_t> with, without;
};

int64_t k_of(const VisualContext& c, int64_t n) { return std::clamp<int64_t>(c.params.value("k", int64_t(8)), 1, n); }

int duplicates(const std::vector<int64_t>& v) { return static_cast<int>(v.size() - std::set<int64_t>(v.begin(), v.end()).size()); }

void rows_update(RowsVisual& v, const VisualContext& c) {
    const uint64_t seed = c.app.sampler.settings.seed;
    const int64_t n = item_count(c.app), k = k_of(c, n);
    if (v.with.empty() || v.seed != seed || v.n != n || v.k != k) {
        Generator g(seed);
        v.with = randint(0, n, {k}, DType::Int64, &g).to_int_vector();
        v.without = randperm(n, DType::Int64, &g).to_int_vector();
        v.without.resize(static_cast<size_t>(k));
        v.seed = seed;
        v.n = n;
        v.k = k;
    }
    bool in_range = true;
    for (int64_t i : v.with) in_range &= i >= 0 && i < n;
    for (int64_t i : v.without) in_range &= i >= 0 && i < n;
    c.check("every index is a row: 0 <= i < " + std::to_string(n), in_range);
    c.check("randperm(n)[:k] never repeats a row", duplicates(v.without) == 0, std::to_string(duplicates(v.without)) + " duplicates");
    // With replacement, repeats are possible, not certain: reported, not asserted.
}

void index_strip(const std::vector<int64_t>& v, float cell, const char* caption) {
    text_wrapped(theme::text_dim(), caption);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    for (size_t i = 0; i < v.size(); ++i) {
        const bool dup = std::count(v.begin(), v.end(), v[i]) > 1;
        const ImVec2 a(p.x + i * cell, p.y);
        dl->AddRectFilled(ImVec2(a.x + 1, a.y + 1), ImVec2(a.x + cell - 2, a.y + cell - 2), dup ? theme::kTheory : theme::kSample);
        char t[16];
        std::snprintf(t, sizeof t, "%lld", static_cast<long long>(v[i]));
        const ImVec2 ts = ImGui::CalcTextSize(t);
        dl->AddText(ImVec2(a.x + (cell - ts.x) * 0.5f, a.y + (cell - ts.y) * 0.5f), theme::rgba(10, 10, 14), t);
    }
    ImGui::Dummy(ImVec2(v.size() * cell, cell));
}

void rows_draw(RowsVisual& v, const VisualContext& c) {
    paint::begin_visual(kLessonVisualWindow, c.rect);
    ImGui::TextColored(theme::accent(), "Pick k = %lld of n = %lld rows", static_cast<long long>(v.k), static_cast<long long>(v.n));
    ImGui::Separator();
    if (ImGui::Button("Draw again")) c.app.sampler.settings.seed += 1;
    tooltip("A new seed: new row indices (the PyTorch code follows).");
    ImGui::SameLine();
    ImGui::TextColored(theme::text_dim(), "seed %llu", static_cast<unsigned long long>(v.seed));
    const float cell = std::clamp(ImGui::GetContentRegionAvail().x / static_cast<float>(std::max<int64_t>(v.k, 1)) - 2, 16.0f, 56.0f * c.scale);
    ImGui::Spacing();
    char cap[160];
    // Counted as rows, as the colour shows them: "2 duplicates" beside four orange cells read wrong.
    const int distinct = static_cast<int>(v.with.size()) - duplicates(v.with);
    std::snprintf(cap, sizeof cap, "with replacement: torch.randint(0, n, (k,))  -  %d distinct rows in %d picks (orange: picked twice or more)",
                  distinct, static_cast<int>(v.with.size()));
    index_strip(v.with, cell, cap);
    ImGui::Spacing();
    index_strip(v.without, cell, "without replacement: torch.randperm(n)[:k]  -  never a duplicate");
    ImGui::Spacing();
    text_wrapped(theme::text_dim(), "How often each of the n rows was picked");
    std::vector<double> cw(static_cast<size_t>(v.n), 0.0), co(static_cast<size_t>(v.n), 0.0);
    for (int64_t i : v.with) cw[static_cast<size_t>(i)] += 1;
    for (int64_t i : v.without) co[static_cast<size_t>(i)] += 1;
    std::vector<bool> rep(cw.size());
    for (size_t i = 0; i < cw.size(); ++i) rep[i] = cw[i] > 1;
    const double mx = std::max(2.0, *std::max_element(cw.begin(), cw.end()));
    const float w = (ImGui::GetContentRegionAvail().x - 20) * 0.5f;
    // A title over each chart (one caption "(with replacement | without)" left the reader to match them).
    const float charts_x = ImGui::GetCursorPosX();
    ImGui::TextUnformatted(fit_with_ellipsis("with replacement", w).c_str());
    ImGui::SameLine(charts_x + w + 20);
    ImGui::TextUnformatted(fit_with_ellipsis("without replacement", w).c_str());
    const float h = std::max(80.0f, ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() - 30);
    const ImVec2 left = ImGui::GetCursorScreenPos();
    paint::bars(cw, mx, w, h, {}, rep, theme::kTheory);
    ImGui::SameLine(0, 20);
    const ImVec2 right = ImGui::GetCursorScreenPos();
    paint::bars(co, mx, w, h);
    // Row numbers under the bars: every one where they fit, else every second, third... (with a
    // large font "9 10 11" ran together into "91011"), and the last row where it has room.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bw = w / static_cast<float>(std::max<int64_t>(v.n, 1));
    const float room = text_width(std::to_string(v.n - 1)) + 0.4f * ImGui::GetFontSize();
    const int64_t every = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(room / bw)));
    for (const ImVec2& o : {left, right})
        for (int64_t i = 0; i < v.n; ++i) {
            const bool last_fits = i == v.n - 1 && static_cast<float>(i % every) * bw >= room;
            if (i % every != 0 && !last_fits) continue;
            const std::string t = std::to_string(i);
            const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
            dl->AddText(ImVec2(o.x + i * bw + (bw - ts.x) * 0.5f, o.y + h + 2), theme::kAxisText, t.c_str());
        }
    ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
    paint::end_visual();
}

std::string rows_code(const RowsVisual& v, const VisualContext&) {
    std::string out = "import torch\n";
    out += "g = torch.Generator().manual_seed(" + std::to_string(v.seed) + ")\n";
    out += "n, k = " + std::to_string(v.n) + ", " + std::to_string(v.k) + "\n";
    out += "data = torch.arange(n * 3).reshape(n, 3)         # n rows\n";
    out += "with_repl = torch.randint(0, n, (k,), generator=g)  # rows may repeat\n";
    out += "without = torch.randperm(n, generator=g)[:k]       # all distinct\n";
    out += "batch_a, batch_b = data[with_repl], data[without]\n";
    out += "print(with_repl.shape, with_repl.dtype)\n";
    out += "assert len(set(without.tolist())) == k\n";
    out += "print(\"duplicates with replacement:\", k - len(set(with_repl.tolist())))\n";
    out += "# the same with weights: torch.multinomial(torch.ones(n), k, replacement=True / False)\n";
    return out;
}

}  // namespace

LessonVisual permutation_visual() { return make_visual<PermVisual>("permutation", perm_update, perm_draw, perm_code); }
LessonVisual rows_visual() { return make_visual<RowsVisual>("rows", rows_update, rows_draw, rows_code, {VisualParam::integer("k", 1, 1000000)}); }

}  // namespace nl::gui
