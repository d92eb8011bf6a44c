// Lesson 12's visual ("gpu_repro"): for torch.rand(n, device="cuda") with one seed, a grid of
// cells over the elements coloured by the share that would change between a reference GPU and a
// GPU with the chosen SM count (PyTorch), next to the same grid for Noise Lab (always unchanged,
// checked against nl::rand). Hovering a cell names the thread, iteration and lane each GPU uses.
// visual_params: {"n_log2": 10..24, "ref": "A100", "sms": 1..256, "threads_per_sm": 1024|1536|2048, "seed": s}
#include <algorithm>
#include <cmath>
#include <cstring>

#include <imgui.h>

#include "gui/lessons/sims/gpu_repro.h"
#include "gui/lessons/sims/sim_ui.h"
#include "gui/lessons/sims/sims_visuals.h"
#include "gui/panels.h"
#include "gui/text_fit.h"
#include "tensor/generator.h"
#include "tensor/random.h"

namespace nl::gui::sims {

namespace {

constexpr int kCellsX = 64, kCellsY = 32;
constexpr int64_t kNoiseLabCheckMax = int64_t{1} << 20;  // elements compared with nl::rand per change

struct GpuReproVisual {
    bool initialised = false;
    int n_log2 = 22;
    int ref = 1;              // index into gpu_models()
    int sms = 132;            // the other GPU
    int threads_per_sm = 2048;
    int seed = 0;
    // Cache, keyed by the settings above.
    std::string key;
    ReproComparison cmp;
    GpuModel ref_model, other_model;
    int64_t nl_checked = 0, nl_differ = -1;
};

std::string model_label(const GpuModel& g) {
    return g.name + " (" + std::to_string(g.sms) + " SMs, " + std::to_string(g.max_threads_per_sm) + " threads/SM)";
}

// The reference GPUs a preset's "ref" may name.
std::vector<std::string> gpu_model_names() {
    std::vector<std::string> names;
    for (const GpuModel& g : gpu_models()) names.push_back(g.name);
    return names;
}

GpuModel other_of(const GpuReproVisual& s) {
    for (const GpuModel& g : gpu_models())
        if (g.sms == s.sms && g.max_threads_per_sm == s.threads_per_sm) return g;
    return GpuModel{"custom GPU", s.sms, s.threads_per_sm};
}

void gpu_repro_update(GpuReproVisual& s, const VisualContext& c) {
    if (!s.initialised) {
        s.initialised = true;
        s.n_log2 = std::clamp(static_cast<int>(param_num(c.params, "n_log2", 22)), 10, 24);
        const std::string ref = param_str(c.params, "ref", "A100");
        for (size_t i = 0; i < gpu_models().size(); ++i)
            if (gpu_models()[i].name.rfind(ref, 0) == 0) s.ref = static_cast<int>(i);
        s.sms = std::clamp(static_cast<int>(param_num(c.params, "sms", 132)), 1, 256);
        s.threads_per_sm = static_cast<int>(param_num(c.params, "threads_per_sm", 2048));
        s.seed = static_cast<int>(param_num(c.params, "seed", 0));
    }
    s.threads_per_sm = std::clamp(s.threads_per_sm, 256, 2048);
    s.seed = std::max(0, s.seed);
    const std::string key = std::to_string(s.n_log2) + "/" + std::to_string(s.ref) + "/" + std::to_string(s.sms) + "/" +
                            std::to_string(s.threads_per_sm) + "/" + std::to_string(s.seed);
    if (key != s.key) {
        s.key = key;
        const int64_t n = int64_t{1} << s.n_log2;
        s.ref_model = gpu_models()[static_cast<size_t>(s.ref)];
        s.other_model = other_of(s);
        s.cmp = compare_gpus(n, s.ref_model, s.other_model, kCellsX * kCellsY);
        // Noise Lab: its CUDA kernel is a grid-stride loop too; whatever the thread count, element
        // i's value is a function of i. Both GPUs' loops are compared with the real nl::rand.
        s.nl_checked = std::min(n, kNoiseLabCheckMax);
        Generator g(static_cast<uint64_t>(s.seed));
        const Tensor t = rand({s.nl_checked}, {}, &g);
        const float* ref_vals = t.data<float>();
        s.nl_differ = 0;
        for (uint64_t threads : {s.cmp.ref.threads, s.cmp.other.threads}) {
            const std::vector<float> v = noiselab_grid_stride_rand(s.nl_checked, static_cast<uint64_t>(s.seed), threads);
            s.nl_differ += static_cast<int64_t>(std::memcmp(v.data(), ref_vals, v.size() * sizeof(float)) != 0);
        }
    }
    const bool grids_differ = s.cmp.ref.threads != s.cmp.other.threads;
    c.check("PyTorch: elements change iff the grids differ", (s.cmp.differ > 0) == grids_differ,
            group_digits(s.cmp.differ) + " of " + group_digits(s.cmp.n) + " elements change; grid strides " +
                group_digits(static_cast<int64_t>(s.cmp.ref.threads)) + " vs " +
                group_digits(static_cast<int64_t>(s.cmp.other.threads)) + " threads");
    c.check("Noise Lab: same values for any SM count", s.nl_differ == 0,
            "grid-stride loops over " + group_digits(static_cast<int64_t>(s.cmp.ref.threads)) + " and " +
                group_digits(static_cast<int64_t>(s.cmp.other.threads)) + " threads equal nl::rand bit for bit (first " +
                group_digits(s.nl_checked) + " elements)");
}

std::string launch_line(const GpuModel& g, const LaunchConfig& l) {
    std::string s = g.name + ": " + group_digits(static_cast<int64_t>(l.grid)) + " blocks x 256 = " +
                    group_digits(static_cast<int64_t>(l.threads)) + " threads";
    s += l.capped ? " (capped: " + std::to_string(g.sms) + " SMs x " + std::to_string(g.max_threads_per_sm / 256) + " blocks)"
                  : " (one per 256 elements, not capped)";
    s += ", offset += " + std::to_string(l.counter_offset);
    return s;
}

// Draws kCellsX x kCellsY cells coloured by fraction (0: kSame, 1: kDiffer); returns the hovered
// cell or -1.
int draw_cells(const char* id, const std::vector<float>& frac, ImVec2 size) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, size);
    const bool hovered = ImGui::IsItemHovered();
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), theme::kImageBackground);
    const float cw = size.x / kCellsX, ch = size.y / kCellsY;
    for (size_t i = 0; i < frac.size(); ++i) {
        const int cx = static_cast<int>(i) % kCellsX, cy = static_cast<int>(i) / kCellsX;
        const ImVec2 a(p.x + cx * cw, p.y + cy * ch);
        const float gap = std::min(cw, ch) > 6 ? 1.0f : 0.0f;  // gaps only where both sides have room
        dl->AddRectFilled(a, ImVec2(a.x + cw - gap, a.y + ch - gap),
                          frac[i] == 0.0f ? kSame : mix(mix(kSame, kDiffer, 0.35f), kDiffer, frac[i]));
    }
    if (!hovered) return -1;
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int cx = std::clamp(static_cast<int>((m.x - p.x) / cw), 0, kCellsX - 1);
    const int cy = std::clamp(static_cast<int>((m.y - p.y) / ch), 0, kCellsY - 1);
    const int cell = cy * kCellsX + cx;
    if (cell >= static_cast<int>(frac.size())) return -1;
    dl->AddRect(ImVec2(p.x + cx * cw, p.y + cy * ch), ImVec2(p.x + (cx + 1) * cw, p.y + (cy + 1) * ch), IM_COL32_WHITE);
    return cell;
}

void gpu_repro_draw(GpuReproVisual& s, const VisualContext& c) {
    if (begin_sim_window(c, "GPU reproducibility: which elements of torch.rand change on another GPU?")) {
        const float w = ImGui::GetContentRegionAvail().x;
        // Controls flow onto more lines in a narrow window rather than shrinking below 6 ems.
        const float item_w = std::min(180.0f * c.scale, std::max(w * 0.2f, ImGui::GetFontSize() * 6));
        ImGui::PushItemWidth(item_w);
        ImGui::SliderInt("tensor size n = 2^k", &s.n_log2, 10, 24, "k = %d");
        same_line_if_fits(labelled_width(item_w, "reference GPU"));
        const GpuModel& refm = gpu_models()[static_cast<size_t>(s.ref)];
        // The name alone: "A100 (108 SMs)" was cut at a projector's font; the list gives each
        // model's SMs and threads.
        if (ImGui::BeginCombo("reference GPU", refm.name.c_str())) {
            for (size_t i = 0; i < gpu_models().size(); ++i)
                if (ImGui::Selectable(model_label(gpu_models()[i]).c_str(), static_cast<int>(i) == s.ref))
                    s.ref = static_cast<int>(i);
            ImGui::EndCombo();
        }
        same_line_if_fits(labelled_width(item_w, "seed"));
        ImGui::InputInt("seed", &s.seed);
        ImGui::SliderInt("SMs of your GPU", &s.sms, 1, 256);
        same_line_if_fits(labelled_width(item_w, "threads per SM"));
        ImGui::SliderInt("threads per SM", &s.threads_per_sm, 1024, 2048);
        s.threads_per_sm = s.threads_per_sm / 256 * 256;
        // A known model sets both sliders; one combo row where five buttons took three on a projector.
        same_line_if_fits(labelled_width(item_w, "your GPU"));
        std::string yours = "custom";
        for (const GpuModel& g : gpu_models())
            if (g.sms == s.sms && g.max_threads_per_sm == s.threads_per_sm) yours = g.name;
        if (ImGui::BeginCombo("your GPU", yours.c_str())) {
            for (const GpuModel& g : gpu_models())
                if (ImGui::Selectable(model_label(g).c_str(), g.name == yours)) {
                    s.sms = g.sms;
                    s.threads_per_sm = g.max_threads_per_sm;
                }
            ImGui::EndCombo();
        }
        tooltip("Sets the two sliders to a GPU model's SMs and threads per SM.");
        ImGui::PopItemWidth();
        if (s.key.empty()) {  // update() has not run yet
            end_sim_window();
            return;
        }
        const ReproComparison& r = s.cmp;
        text_wrapped(theme::text_dim(), launch_line(s.ref_model, r.ref));
        text_wrapped(theme::text_dim(), launch_line(s.other_model, r.other));

        const double pct = 100.0 * static_cast<double>(r.differ) / static_cast<double>(r.n);
        const std::string torch_text = "PyTorch: " + group_digits(r.differ) + " of " + group_digits(r.n) + " elements change (" +
                                       fmt("%.1f", pct) + "%)" +
                                       (r.first_differ >= 0 ? ", the first at element " + group_digits(r.first_differ) : std::string());
        const std::string nl_text = "Noise Lab: 0 of " + group_digits(r.n) +
                                    " elements change; element i reads word i % 4 of block i / 4 on any GPU (the first " +
                                    group_digits(s.nl_checked) + " checked against nl::rand)";
        const char* same_note = "identical on both GPUs";
        const char* differ_note = "changes (cells mix in proportion); a cell is a run of consecutive elements, row by row";
        // The two grids (the second 0.35 of the first) share what the texts around them leave, so
        // that a 1024 x 768 projector in presentation mode shows both without scrolling.
        const float avail_h = ImGui::GetContentRegionAvail().y, spacing = ImGui::GetStyle().ItemSpacing.y;
        const float texts_h = wrapped_height(torch_text, w) + wrapped_height(nl_text, w) +
                              wrapped_height(std::string(same_note) + "     " + differ_note, w - 2 * ImGui::GetFontSize()) + 2 * spacing;
        const float line = ImGui::GetTextLineHeightWithSpacing();
        const float grid_h = std::max(20.0f, std::min((avail_h - 4 * line) * 0.5f, (avail_h - texts_h) / 1.35f));
        text_wrapped(r.differ ? theme::text_warn() : theme::text_ok(), torch_text);
        const int hovered = draw_cells("##pytorch_cells", r.cell_fraction, ImVec2(w, grid_h));
        if (hovered >= 0) {
            const int64_t lo = hovered * r.per_cell, hi = std::min(r.n, lo + r.per_cell);
            const ElementSource a = pytorch_source(lo, r.ref), b = pytorch_source(lo, r.other);
            const uint64_t seed = static_cast<uint64_t>(s.seed);
            ImGui::BeginTooltip();
            ImGui::Text("elements %s .. %s: %.1f%% change", group_digits(lo).c_str(), group_digits(hi - 1).c_str(),
                        100.0 * r.cell_fraction[static_cast<size_t>(hovered)]);
            ImGui::Text("element %s on %s: thread %s, iteration %llu, lane %u -> %.7f", group_digits(lo).c_str(),
                        s.ref_model.name.c_str(), group_digits(static_cast<int64_t>(a.thread)).c_str(),
                        static_cast<unsigned long long>(a.iteration), a.lane, pytorch_rand_value(seed, 0, lo, r.ref));
            ImGui::Text("element %s on %s: thread %s, iteration %llu, lane %u -> %.7f", group_digits(lo).c_str(),
                        s.other_model.name.c_str(), group_digits(static_cast<int64_t>(b.thread)).c_str(),
                        static_cast<unsigned long long>(b.iteration), b.lane, pytorch_rand_value(seed, 0, lo, r.other));
            ImGui::Text("Noise Lab, both: block %s, word %d -> %.7f", group_digits(lo / 4).c_str(), static_cast<int>(lo % 4),
                        noiselab_rand_value(seed, 0, lo));
            ImGui::EndTooltip();
        }
        text_wrapped(s.nl_differ == 0 ? theme::text_ok() : theme::text_error(), nl_text);
        if (s.nl_differ != 0) text_wrapped(theme::text_error(), "MISMATCH: Noise Lab's stream depends on the grid");
        std::vector<float> same(r.cell_fraction.size(), 0.0f);
        draw_cells("##noiselab_cells", same, ImVec2(w, std::max(10.0f, grid_h * 0.35f)));
        legend(kSame, same_note);
        same_line_if_fits(legend_width("changes (cells mix in proportion);"), 24.0f * c.scale);
        legend(kDiffer, differ_note);
    }
    end_sim_window();
}

std::string gpu_repro_code(const GpuReproVisual& s, const VisualContext&) {
    const int64_t n = int64_t{1} << s.n_log2;
    std::string out = "import torch\n";
    out += "device = \"cuda\" if torch.cuda.is_available() else \"cpu\"  # the point needs two GPU models\n";
    out += "torch.manual_seed(" + std::to_string(s.seed) + ")\n";
    out += "x = torch.rand(" + std::to_string(n) + ", device=device)\n";
    out += "print(x.shape, x.dtype)\n";
    out += "if device == \"cuda\":\n";
    out += "    p = torch.cuda.get_device_properties(0)\n";
    out += "    print(p.name, p.multi_processor_count, \"SMs\")\n";
    out += "    # PyTorch launches min(SMs * (max_threads_per_SM // 256), ceil(n / 256)) blocks of 256 threads;\n";
    out += "    # thread t makes elements t, t + S, t + 2S, t + 3S, then t + 4S, ... (S = blocks * 256).\n";
    out += "    torch.save(x.cpu(), f\"rand_{p.multi_processor_count}sm.pt\")\n";
    out += "    # On the other machine, after the same lines:\n";
    out += "    # other = torch.load(\"rand_" + std::to_string(s.ref_model.sms) + "sm.pt\")\n";
    out += "    # print((other != x.cpu()).sum().item(), \"of\", x.numel(), \"elements differ\")";
    if (!s.key.empty()) out += "  # " + group_digits(s.cmp.differ) + " here";
    out += "\n";
    return out;
}

}  // namespace

LessonVisual gpu_repro_visual() {
    return make_visual<GpuReproVisual>("gpu_repro", gpu_repro_update, gpu_repro_draw, gpu_repro_code,
                                 {VisualParam::integer("n_log2", 10, 24), VisualParam::text("ref", gpu_model_names()),
                                  VisualParam::integer("sms", 1, 256), VisualParam::integer("threads_per_sm", 256, 2048),
                                  VisualParam::integer("seed", 0, VisualParam::kMaxSeed)});
}

}  // namespace nl::gui::sims
