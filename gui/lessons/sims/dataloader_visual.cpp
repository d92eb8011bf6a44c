// Lesson 14's visual ("dataloader"): one epoch of a DataLoader, batch by batch in the order it
// yields them, each sample drawn as a tile whose "F" is rotated, flipped and shifted by the
// augmentation its worker drew. Augmentations that occur more than once are outlined in the
// "differs" colour with a shared group number: with naive seeding the k-th samples of all workers
// match; with worker_init_fn none do.
// visual_params: {"correct": false, "workers": 2, "batch_size": 4, "n": 24, "seed": 0}
#include <algorithm>
#include <cfloat>
#include <cmath>

#include <imgui.h>

#include "gui/lessons/sims/dataloader.h"
#include "gui/lessons/sims/sim_ui.h"
#include "gui/lessons/sims/sims_visuals.h"
#include "gui/text_fit.h"

namespace nl::gui::sims {

namespace {

struct DataLoaderVisual {
    bool initialised = false;
    LoaderConfig cfg;
    int seed = 0;
    int mode = 0;  // 0 naive, 1 correct
    std::string key;
    LoaderEpoch epoch;
};

std::string key_of(const DataLoaderVisual& s) {
    const LoaderConfig& c = s.cfg;
    return std::to_string(c.n) + "/" + std::to_string(c.batch_size) + "/" + std::to_string(c.num_workers) + "/" +
           std::to_string(s.mode) + "/" + std::to_string(c.epoch) + "/" + std::to_string(s.seed) + "/" +
           std::to_string(c.drop_last);
}

void dataloader_update(DataLoaderVisual& s, const VisualContext& c) {
    if (!s.initialised) {
        s.initialised = true;
        s.mode = param_bool(c.params, "correct", false) ? 1 : 0;
        s.cfg.num_workers = static_cast<int>(param_num(c.params, "workers", 2));
        s.cfg.batch_size = static_cast<int>(param_num(c.params, "batch_size", 4));
        s.cfg.n = static_cast<int>(param_num(c.params, "n", 24));
        s.seed = static_cast<int>(param_num(c.params, "seed", 0));
    }
    s.cfg.n = std::clamp(s.cfg.n, 4, 48);
    s.cfg.batch_size = std::clamp(s.cfg.batch_size, 1, 12);
    s.cfg.num_workers = std::clamp(s.cfg.num_workers, 0, 4);
    s.cfg.epoch = std::clamp(s.cfg.epoch, 0, 9);
    s.seed = std::max(0, s.seed);
    s.cfg.seed = static_cast<uint64_t>(s.seed);
    s.cfg.correct_seeding = s.mode == 1;
    const std::string k = key_of(s);
    if (k != s.key) {
        s.key = k;
        s.epoch = simulate_loader(s.cfg);
    }
    // Facts the lesson asserts on the epoch shown.
    std::vector<int> seen(static_cast<size_t>(s.cfg.n), 0);
    size_t count = 0;
    for (const auto& b : s.epoch.batches)
        for (const auto& x : b) ++seen[static_cast<size_t>(x.index)], ++count;
    const size_t expected = s.cfg.drop_last ? static_cast<size_t>(s.cfg.n / s.cfg.batch_size * s.cfg.batch_size)
                                            : static_cast<size_t>(s.cfg.n);
    const bool once = count == expected && std::all_of(seen.begin(), seen.end(), [](int v) { return v <= 1; });
    c.check("every sample once per epoch", once,
            std::to_string(count) + " samples in " + std::to_string(s.epoch.batches.size()) + " batches");
    const bool shared_copies = !s.cfg.correct_seeding && s.cfg.num_workers >= 2 && s.epoch.batches.size() >= 2;
    c.check(shared_copies ? "naive seeding: workers repeat augmentations"
                          : "no augmentation is repeated",
            shared_copies ? s.epoch.duplicate_groups > 0 : s.epoch.duplicate_groups == 0,
            std::to_string(s.epoch.duplicated_samples) + " samples share " + std::to_string(s.epoch.duplicate_groups) +
                " augmentations");
}

// A tile: the sample index, and an "F" transformed as the augmentation says.
void draw_tile(ImDrawList* dl, ImVec2 p, float t, const LoadedSample& x, float scale) {
    const bool dup = x.duplicate_group >= 0;
    dl->AddRectFilled(p, ImVec2(p.x + t, p.y + t), dup ? mix(theme::kPlotBackground, kDiffer, 0.18f) : theme::kPlotBackground);
    dl->AddRect(p, ImVec2(p.x + t, p.y + t), dup ? kDiffer : theme::kPlotBorder, 0.0f, 0, dup ? 2.0f * scale : 1.0f);
    const Augment& a = x.aug;
    const float cx = p.x + t * 0.5f + a.dx() * t * 0.05f, cy = p.y + t * 0.55f + a.dy() * t * 0.05f;
    const float ang = a.angle_deg() * 3.14159265f / 180.0f, ca = std::cos(ang), sa = std::sin(ang);
    const float u = t * 0.22f, fx = a.flip() ? -1.0f : 1.0f;
    auto P = [&](float x, float y) { x *= fx; return ImVec2(cx + (x * ca - y * sa) * u, cy + (x * sa + y * ca) * u); };
    const ImU32 ink = kSame;  // the sample itself; repeats are marked by the frame, tint and number
    const float th = std::max(1.5f, t * 0.06f);
    dl->AddLine(P(-0.5f, 1.0f), P(-0.5f, -1.0f), ink, th);   // stem
    dl->AddLine(P(-0.5f, -1.0f), P(0.7f, -1.0f), ink, th);   // top bar
    dl->AddLine(P(-0.5f, -0.1f), P(0.4f, -0.1f), ink, th);   // middle bar
    // The corner labels take at most a third of the tile's height each, so that a small tile
    // (presentation mode's large font in a narrow visual) keeps its number, "#" and "F" apart.
    ImFont* font = ImGui::GetFont();
    const float fs = std::min(ImGui::GetFontSize(), std::max(t * 0.34f, 8.0f));
    const std::string idx = std::to_string(x.index);
    dl->AddText(font, fs, ImVec2(p.x + 3, p.y + 1), theme::kAxisText, idx.c_str());
    if (dup) {
        const std::string g = "#" + std::to_string(x.duplicate_group + 1);
        const ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, g.c_str());
        dl->AddText(font, fs, ImVec2(p.x + t - ts.x - 3, p.y + t - ts.y - 1), kDiffer, g.c_str());
    }
}

void dataloader_draw(DataLoaderVisual& s, const VisualContext& c) {
    if (begin_sim_window(c, "DataLoader: shuffled batches, per-sample augmentation, worker seeding")) {
        // Short labels on the switches, what they mean beside them (a long label cannot wrap).
        ImGui::RadioButton("naive", &s.mode, 0);
        ImGui::SameLine();
        ImGui::RadioButton("correct", &s.mode, 1);
        ImGui::SameLine();
        text_wrapped(theme::text_dim(), s.mode == 0 ? "the dataset's generator is copied into every worker"
                                                    : "worker_init_fn seeds each worker");
        const float item_w = 120.0f * c.scale;
        ImGui::PushItemWidth(item_w);
        ImGui::SliderInt("num_workers", &s.cfg.num_workers, 0, 4);
        same_line_if_fits(labelled_width(item_w, "batch_size"));
        ImGui::SliderInt("batch_size", &s.cfg.batch_size, 1, 12);
        same_line_if_fits(labelled_width(item_w, "dataset size"));
        ImGui::SliderInt("dataset size", &s.cfg.n, 4, 48);
        same_line_if_fits(labelled_width(item_w, "epoch"));
        ImGui::SliderInt("epoch", &s.cfg.epoch, 0, 9);
        same_line_if_fits(labelled_width(item_w, "seed (torch.manual_seed)"));
        ImGui::InputInt("seed (torch.manual_seed)", &s.seed);
        ImGui::PopItemWidth();
        same_line_if_fits(checkbox_width("drop_last"));
        ImGui::Checkbox("drop_last", &s.cfg.drop_last);
        if (s.key.empty()) {
            end_sim_window();
            return;
        }
        const LoaderEpoch& e = s.epoch;
        if (e.duplicate_groups > 0)
            text_wrapped(theme::text_warn(), std::to_string(e.duplicated_samples) + " samples share " +
                                                 std::to_string(e.duplicate_groups) + " augmentations: worker copies draw the same numbers");
        else
            text_wrapped(theme::text_ok(), "no augmentation repeats: every worker has its own stream");
        std::string seeds = "base_seed " + std::to_string(e.base_seed);
        if (!e.worker_seeds.empty()) seeds += "; worker seeds (torch.initial_seed() in the worker) = base_seed + worker_id";
        if (!s.cfg.correct_seeding && s.cfg.num_workers > 0) seeds += "; but the dataset's generator was seeded 1234 in __init__";
        text_wrapped(theme::text_dim(), seeds);

        const size_t rows = e.batches.size();
        const float label_w = ImGui::CalcTextSize("batch 00  worker 0 ").x;
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        // The legend's lines as they will wrap (two each on a 1024 x 768 projector in presentation
        // mode); each row of tiles is a Dummy, which adds the item spacing below it.
        const char* repeat_note = "augmentation repeated elsewhere this epoch (same #)";
        const char* tile_note = "tile: dataset index; F rotated, flipped and shifted as drawn";
        const float repeat_w = legend_width(repeat_note), note_w = ImGui::CalcTextSize(tile_note).x;
        const float legend_lines = repeat_w + 20.0f * c.scale + note_w <= avail.x
                                       ? 1.0f
                                       : std::ceil(repeat_w / avail.x) + std::ceil(note_w / avail.x);
        const float legend_h = legend_lines * ImGui::GetTextLineHeightWithSpacing();
        const float gap = 4.0f * c.scale;
        const float by_h = rows ? (avail.y - legend_h) / static_cast<float>(rows) - gap - ImGui::GetStyle().ItemSpacing.y : avail.y;
        const float by_w = (avail.x - label_w) / static_cast<float>(std::max(1, s.cfg.batch_size)) - gap;
        const float t = std::clamp(std::min(by_h, by_w), 14.0f, 96.0f * c.scale);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        for (size_t b = 0; b < rows; ++b) {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const int w = e.batch_worker[b];
            const std::string label = "batch " + std::to_string(b) + (w >= 0 ? "  worker " + std::to_string(w) : "  main");
            dl->AddText(ImVec2(p.x, p.y + (t - ImGui::GetTextLineHeight()) * 0.5f), theme::kAxisText, label.c_str());
            for (size_t k = 0; k < e.batches[b].size(); ++k)
                draw_tile(dl, ImVec2(p.x + label_w + static_cast<float>(k) * (t + gap), p.y), t, e.batches[b][k], c.scale);
            ImGui::Dummy(ImVec2(label_w + static_cast<float>(e.batches[b].size()) * (t + gap), t + gap));
        }
        legend(kDiffer, repeat_note);
        same_line_if_fits(ImGui::CalcTextSize(tile_note).x, 20.0f * c.scale);
        text_wrapped(theme::text_dim(), tile_note);
    }
    end_sim_window();
}

std::string dataloader_code(const DataLoaderVisual& s, const VisualContext&) {
    const LoaderConfig& c = s.cfg;
    std::string out =
        "import torch\n"
        "from torch.utils.data import DataLoader, Dataset, TensorDataset, get_worker_info\n\n"
        "class Augmented(Dataset):\n"
        "    def __init__(self, n):\n"
        "        self.data = TensorDataset(torch.arange(n))\n"
        "        self.g = torch.Generator().manual_seed(1234)  # made once, in the main process\n"
        "    def __len__(self):\n"
        "        return len(self.data)\n"
        "    def __getitem__(self, i):\n"
        "        r = torch.rand(4, generator=self.g)  # angle, flip, dx, dy\n"
        "        aug = torch.stack([60 * r[0] - 30, (r[1] < 0.5).float(), (7 * r[2]).floor() - 3, (7 * r[3]).floor() - 3])\n"
        "        return self.data[i][0], aug\n\n";
    if (c.correct_seeding)
        out += "def worker_init_fn(worker_id):\n"
               "    info = get_worker_info()\n"
               "    info.dataset.g.manual_seed(info.seed)  # base_seed + worker_id: a stream of its own\n\n";
    out += "torch.manual_seed(" + std::to_string(s.seed) + ")\n";
    out += "loader = DataLoader(Augmented(" + std::to_string(c.n) + "), batch_size=" + std::to_string(c.batch_size) +
           ", shuffle=True, num_workers=" + std::to_string(c.num_workers) +
           (c.drop_last ? ", drop_last=True" : "") + (c.correct_seeding ? ", worker_init_fn=worker_init_fn" : "") + ")\n";
    out += "for epoch in range(" + std::to_string(c.epoch + 1) + "):\n";
    out += "    for idx, aug in loader:\n";
    out += "        print(aug.shape, aug.dtype, \"epoch\", epoch, \"samples\", idx.tolist(), \"angles\", [round(a, 2) for a in aug[:, 0].tolist()])\n";
    return out;
}

}  // namespace

LessonVisual dataloader_visual() {
    return make_visual<DataLoaderVisual>("dataloader", dataloader_update, dataloader_draw, dataloader_code,
                                   {VisualParam::boolean("correct"), VisualParam::integer("workers", 0, 4),
                                    VisualParam::integer("batch_size", 1, 12), VisualParam::integer("n", 4, 48),
                                    VisualParam::integer("seed", 0, VisualParam::kMaxSeed)});
}

}  // namespace nl::gui::sims
