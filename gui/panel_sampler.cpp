// The Sampler panel: distribution and parameters, shape editor, dtype, device, engine, seed,
// generator, resample / live, the time of the last draw, and the export buttons.
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>  // ImGui::GetItemID for the tooltip audit

#include "gui/export.h"
#include "gui/panels.h"
#include "gui/plot.h"
#include "gui/text_fit.h"
#include "gui/theme.h"
#include "tensor/backend.h"
#include "tensor/number_list.h"
#include "tensor/number_text.h"

namespace nl::gui {

namespace {

// One line per engine for the combo's tooltips.
std::string engine_summary(Engine e) {
    switch (e) {
        case Engine::Philox: return "Philox4x32-10 with Noise Lab's stream layout: counter-based, the same bits on every device (docs/STREAMS.md).";
        case Engine::CurandPhilox: return "cuRAND's Philox4x32-10 with cuRAND's own ordering and transforms.";
        case Engine::XORWOW: return "cuRAND's default generator (xorshift with a Weyl sequence).";
        case Engine::MRG32k3a: return "L'Ecuyer's combined multiple recursive generator (cuRAND).";
        case Engine::MTGP32: return "Mersenne Twister for GPUs (cuRAND), re-seeded per draw.";
        case Engine::MT19937: return "The classic Mersenne Twister (cuRAND), re-seeded per draw.";
        case Engine::Sobol32: return "Sobol quasi-random points (cuRAND): evenly spread, not random; the seed is ignored; the last size is the point's dimension.";
        case Engine::ScrambledSobol32: return "Scrambled Sobol quasi-random points (cuRAND); the seed is ignored.";
    }
    return "";
}

void section(const char* title, const char* note = nullptr) {
    ImGui::Dummy(ImVec2(0, ImGui::GetStyle().ItemSpacing.y * 0.5f));
    ImGui::TextColored(theme::accent(), "%s", title);
    if (note) {
        ImGui::SameLine();
        ImGui::TextColored(theme::text_dim(), "%s", note);
    }
    ImGui::Separator();
}

// Where the controls start, right of the row labels.
float control_column() { return ImGui::GetFontSize() * 5.2f; }

// Label on the left, control filling the rest of the row (consistent columns in the panel); a
// label longer than the column ("temperature") pushes its own control right rather than under it.
void row_label(const char* label, const char* tip) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    tooltip(tip);
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x > ImGui::GetWindowPos().x + control_column())
        ImGui::SameLine();
    else
        ImGui::SameLine(control_column());
    ImGui::SetNextItemWidth(-1);
}

std::string bytes_text(double bytes) {
    char buf[48];
    if (bytes < 1024) std::snprintf(buf, sizeof buf, "%.0f B", bytes);
    else if (bytes < 1024.0 * 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", bytes / 1024);
    else if (bytes < 1024.0 * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024));
    else std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    return buf;
}

const char* dim_names(size_t rank, size_t i) {
    static const char* r1[] = {"N"};
    static const char* r2[] = {"B", "D"};
    static const char* r3[] = {"C", "H", "W"};
    static const char* r4[] = {"N", "C", "H", "W"};
    switch (rank) {
        case 1: return r1[i];
        case 2: return r2[i];
        case 3: return r3[i];
        default: return r4[i];
    }
}

// ImGui's InputText over a std::string: the buffer grows as the text does (a long list of weights).
int grow_string(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* text = static_cast<std::string*>(data->UserData);
        text->resize(static_cast<size_t>(data->BufTextLen));
        data->Buf = text->data();
    }
    return 0;
}

// The list a multinomial or categorical draws by, typed as "0.1, 0.2, 0.7" and applied on Enter
// or when the field loses focus; a refused list stays in the field to be corrected, named in red
// under it, and the last good one stays in use.
void weights_row(SamplerState& sp) {
    SamplerSettings& st = sp.settings;
    const DistInfo& d = dist_info(st.dist);
    const bool probs = st.dist == DistKind::Multinomial;
    const char* tip = probs ? "Weights of the categories 0, 1, 2, ...: finite, >= 0, at least one > 0; they are divided by "
                              "their sum (torch.multinomial's input). Type a comma-separated list and press Enter."
                            : "Logits of the categories 0, 1, 2, ...: finite numbers or -inf (a category never drawn). The "
                              "probabilities are softmax(logits / T). Type a comma-separated list and press Enter.";
    const ImGuiID id = ImGui::GetID("##weights");
    const bool editing = ImGui::GetActiveID() == id;
    if (!editing && (st.weights != sp.weights_shown || st.dist != sp.weights_dist)) {
        sp.weights_text = nl::join_numbers(st.weights, ", ");
        sp.weights_shown = st.weights;
        sp.weights_dist = st.dist;
        sp.weights_error.clear();
    }
    row_label(d.weights, tip);
    ImGui::InputText("##weights", sp.weights_text.data(), sp.weights_text.capacity() + 1,
                     ImGuiInputTextFlags_CallbackResize, grow_string, &sp.weights_text);
    tooltip(tip);
    if (ImGui::IsItemDeactivatedAfterEdit()) {
        try {
            set_weights(st, sp.weights_text);
            sp.weights_error.clear();
            sp.weights_shown.clear();  // show the list in use, written the usual way
        } catch (const Error& e) {
            // The refused text stays in the field to be corrected; the last good list is drawn.
            sp.weights_error = std::string(e.what()) + "; still drawing by " + nl::join_numbers(st.weights, ", ");
        }
    }
    if (!sp.weights_error.empty()) text_wrapped(theme::text_error(), sp.weights_error);
    if (probs) {
        ImGui::SetCursorPosX(control_column());  // under the list, as row_label places controls
        if (ImGui::Checkbox("replacement", &st.replacement)) {
            if (!st.replacement) {
                const int64_t most = sampling::positive_weights(st.weights);
                sp.shape_before_cut = st.shape;
                sp.shape_after_cut = shape_numel(st.shape) > most ? Shape{most} : st.shape;  // as enforce_valid cuts
            } else {
                if (!sp.shape_before_cut.empty() && st.shape == sp.shape_after_cut) st.shape = sp.shape_before_cut;
                sp.shape_before_cut.clear();
                sp.shape_after_cut.clear();
            }
        }
        tooltip("On: every draw sees all categories (independent draws). Off: a drawn category is not drawn again, so at "
                "most one draw per category with weight > 0 (PyTorch's default, replacement=False).");
    }
}

void distribution_section(SamplerState& sp) {
    SamplerSettings& st = sp.settings;
    section("Distribution");
    const DistInfo& cur = dist_info(st.dist);
    row_label("Kind", "The distribution every element is drawn from.");
    if (ImGui::BeginCombo("##dist", cur.label)) {
        for (int i = 0; i < kDistCount; ++i) {
            const DistInfo& d = dist_info(static_cast<DistKind>(i));
            if (ImGui::Selectable(d.label, d.kind == st.dist)) set_distribution(st, d.kind);
            tooltip(d.tooltip);
        }
        ImGui::EndCombo();
    }
    tooltip(cur.tooltip);
    for (int i = 0; i < cur.param_count; ++i) {
        const ParamInfo& p = cur.params[i];
        char tip[256];
        std::snprintf(tip, sizeof tip, "%s\nValid: %s%g, %g%s. Drag, or double-click to type.", p.tooltip, p.min_open ? "(" : "[",
                      p.min, p.max, p.max_open ? ")" : "]");
        row_label(p.name, tip);
        ImGui::PushID(i);
        const double eps = p.integer ? 1.0 : 1e-6;
        const double lo = p.min_open ? p.min + eps : p.min, hi = p.max_open ? p.max - eps : p.max;
        double v = st.params[i];
        const float speed = static_cast<float>(p.integer ? 0.2 : std::max(0.001, std::min(1.0, std::fabs(v) * 0.01 + 0.005)));
        if (ImGui::DragScalar("##param", ImGuiDataType_Double, &v, speed, &lo, &hi, p.integer ? "%.0f" : "%.4g",
                              ImGuiSliderFlags_AlwaysClamp)) {
            st.params[i] = v;
        }
        tooltip(tip);
        ImGui::PopID();
    }
    if (cur.weights) weights_row(sp);
}

void tensor_section(SamplerState& sp) {
    SamplerSettings& st = sp.settings;
    section("Tensor");
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Rank");
    tooltip("Number of dimensions, 1 to 4.");
    ImGui::SameLine(control_column());
    const float rank_w = ImGui::GetFontSize() * 1.7f;
    for (int r = kMinRank; r <= kMaxRank; ++r) {
        if (r > kMinRank) ImGui::SameLine(0, 4);
        const bool on = static_cast<int>(st.shape.size()) == r;
        const bool vector_only = st.dist == DistKind::RandPerm && r != 1;  // torch.randperm(n) is 1-D
        ImGui::BeginDisabled(vector_only);
        if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyle().Colors[ImGuiCol_ButtonActive]);
        char label[8];
        std::snprintf(label, sizeof label, "%d##rank", r);
        if (ImGui::Button(label, ImVec2(rank_w, 0))) {
            // Grow with size-1 dimensions in front, shrink by merging the leading ones.
            while (static_cast<int>(st.shape.size()) < r) st.shape.insert(st.shape.begin(), 1);
            while (static_cast<int>(st.shape.size()) > r) {
                const int64_t merged = std::min<int64_t>(st.shape[0] * st.shape[1], kMaxDim);
                st.shape.erase(st.shape.begin());
                st.shape[0] = merged;
            }
        }
        if (on) ImGui::PopStyleColor();
        ImGui::EndDisabled();
        char tip[128];
        std::snprintf(tip, sizeof tip, "Rank %d: %s%s", r,
                      r == 1 ? "[N] values" : r == 2 ? "[B, D] rows (D = 2: points)" : r == 3 ? "[C, H, W] one image" : "[N, C, H, W] a batch of images",
                      vector_only ? "\nNot for randperm: its shape is [n]." : "");
        tooltip(tip);
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##preset", "Presets", ImGuiComboFlags_HeightLarge | ImGuiComboFlags_PopupAlignLeft)) {
        for (const ShapePreset& p : shape_presets()) {
            ImGui::BeginDisabled(st.dist == DistKind::RandPerm && p.shape.size() != 1);
            if (ImGui::Selectable(p.label, p.shape == st.shape)) st.shape = p.shape;
            ImGui::EndDisabled();
            tooltip(p.tooltip);
        }
        ImGui::EndCombo();
    }
    tooltip("Common shapes: [N] vectors, [B, D] batches and points, [N, C, H, W] images.");

    // One input per dimension, labelled with its conventional name.
    const size_t rank = st.shape.size();
    const float avail = ImGui::GetContentRegionAvail().x;
    float labels_w = 0;  // the names differ in width ("W" is wider than "N")
    for (size_t i = 0; i < rank; ++i) labels_w += ImGui::CalcTextSize(dim_names(rank, i)).x + ImGui::GetStyle().ItemInnerSpacing.x;
    const float w = std::floor((avail - labels_w - static_cast<float>(rank - 1) * ImGui::GetStyle().ItemSpacing.x) / static_cast<float>(rank));
    for (size_t i = 0; i < rank; ++i) {
        if (i) ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(dim_names(rank, i));
        ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
        ImGui::SetNextItemWidth(std::max(w, 20.0f));
        ImGui::PushID(static_cast<int>(i));
        int64_t v = st.shape[i];
        const int64_t lo = 1, hi = kMaxDim;
        if (ImGui::DragScalar("##dim", ImGuiDataType_S64, &v, 0.2f, &lo, &hi, "%lld", ImGuiSliderFlags_AlwaysClamp)) st.shape[i] = v;
        char tip[128];
        std::snprintf(tip, sizeof tip, "Size of dimension %zu (%s), 1 to %lld elements. Drag, or double-click to type.", i,
                      dim_names(rank, i), static_cast<long long>(kMaxDim));
        tooltip(tip);
        ImGui::PopID();
    }

    row_label("Type", "Element type and the device the tensor is sampled on.");
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    ImGui::SetNextItemWidth(half);
    if (ImGui::BeginCombo("##dtype", dtype_name(st.dtype))) {
        for (DType d : kAllDTypes) {
            const std::string why = dtype_unsupported_reason(st.dist, d);
            ImGui::BeginDisabled(!why.empty());
            if (ImGui::Selectable(dtype_name(d), d == st.dtype)) st.dtype = d;
            ImGui::EndDisabled();
            char tip[200];
            std::snprintf(tip, sizeof tip, "%s, %zu byte%s per element%s%s", dtype_name(d), dtype_size(d), dtype_size(d) == 1 ? "" : "s",
                          why.empty() ? "" : "\nUnavailable: ", why.c_str());
            tooltip(tip);
        }
        ImGui::EndCombo();
    }
    tooltip("Element type (PyTorch's names). Lower precisions are sampled in float32 and rounded.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    const std::string cuda_why = cuda_unavailable_reason();
    const Backend* cuda = find_backend(DeviceType::CUDA);
    if (ImGui::BeginCombo("##device", st.device.str().c_str())) {
        if (ImGui::Selectable("cpu", st.device.is_cpu())) st.device = Device::cpu();
        tooltip("The CPU: all cores, the same results for any thread count.");
        if (cuda && cuda_why.empty()) {
            for (int i = 0; i < cuda->device_count(); ++i) {
                const Device d = Device::cuda(i);
                if (ImGui::Selectable(d.str().c_str(), st.device == d)) st.device = d;
                tooltip("A CUDA GPU: bit-identical to the CPU.");
            }
        } else {
            ImGui::BeginDisabled();
            ImGui::Selectable("cuda", false);
            ImGui::EndDisabled();
            const std::string tip = "CUDA is unavailable: " + (cuda_why.empty() ? std::string("no CUDA device") : cuda_why);
            tooltip(tip.c_str());
        }
        ImGui::EndCombo();
    }
    {
        const std::string tip = "Device the tensor is sampled on; CPU and GPU give the same bits." +
                                (cuda_why.empty() ? std::string() : "\nCUDA is unavailable: " + cuda_why);
        tooltip(tip.c_str());
    }

    row_label("Engine", "The random bit generator.");
    if (ImGui::BeginCombo("##engine", engine_name(st.engine))) {
        for (Engine e : kAllEngines) {
            const std::string why = engine_unavailable_reason(e, st.dist, st.device, st.shape);
            ImGui::BeginDisabled(!why.empty());
            if (ImGui::Selectable(engine_name(e), e == st.engine)) st.engine = e;
            ImGui::EndDisabled();
            const std::string tip = engine_summary(e) + (why.empty() ? std::string() : "\nNot now: " + why + ".");
            tooltip(tip.c_str());
        }
        ImGui::EndCombo();
    }
    tooltip("The random bit generator. philox (Philox4x32-10) is Noise Lab's stream: every distribution, the same bits "
            "on CPU and GPU. cuRAND's engines draw uniform, normal, log-normal and Poisson values, reproducible per device.");
    double n = 1;
    for (int64_t v : st.shape) n *= static_cast<double>(v);
    text_fitted(theme::text_dim(), shape_str(st.shape) + "  " + group_digits(static_cast<int64_t>(n)) + " elements, " +
                                       bytes_text(n * static_cast<double>(dtype_size(st.dtype))));
    tooltip("The shape, its number of elements and the memory it takes in this dtype.");
}

void seed_section(SamplerState& sp) {
    SamplerSettings& st = sp.settings;
    section("Seed");
    row_label("Seed", "Type a seed and press Enter: the generator restarts at offset 0.");
    const float fs = ImGui::GetFontSize();
    const float hist_w = ImGui::GetFrameHeight();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    // The seed is what people copy to reproduce a picture: where the row is narrow (a 1024 px
    // window) the button drops its word before the field cuts a 14-digit seed.
    char shown[24];
    std::snprintf(shown, sizeof shown, "%" PRIu64, st.seed);
    const float seed_w = ImGui::CalcTextSize(shown).x + ImGui::GetStyle().FramePadding.x * 2;
    const float row = ImGui::GetContentRegionAvail().x - hist_w - 2 * spacing;
    const bool compact = row - fs * 4.0f < seed_w;
    const float dice_w = compact ? ImGui::GetFrameHeight() + fs * 0.2f : fs * 4.0f;
    ImGui::SetNextItemWidth(row - dice_w);
    uint64_t seed = st.seed;
    if (ImGui::InputScalar("##seed", ImGuiDataType_U64, &seed, nullptr, nullptr, "%" PRIu64, ImGuiInputTextFlags_EnterReturnsTrue))
        st.seed = seed;
    tooltip("Type a seed (0 to 2^64-1) and press Enter: the generator restarts at offset 0.");
    ImGui::SameLine();
    if (ImGui::Button(compact ? "\xE2\x9A\x84##new" : "\xE2\x9A\x84 New##new", ImVec2(dice_w, 0))) st.seed = fresh_seed();  // U+2684, a die face
    tooltip("A fresh random seed from the operating system (keyboard: N).");
    ImGui::SameLine();
    if (ImGui::BeginCombo("##history", nullptr, ImGuiComboFlags_NoPreview | ImGuiComboFlags_PopupAlignLeft)) {
        if (sp.history.seeds().empty()) ImGui::TextColored(theme::text_dim(), "no seeds yet");
        for (uint64_t s : sp.history.seeds()) {
            char label[32];
            std::snprintf(label, sizeof label, "%" PRIu64, s);
            if (ImGui::Selectable(label, s == st.seed)) st.seed = s;
            tooltip("Use this seed again (its stream restarts at offset 0).");
        }
        ImGui::EndCombo();
    }
    tooltip("Recent seeds, newest first: pick one to go back to it.");

    row_label("Generator", "Which generator the sample draws from.");
    if (ImGui::RadioButton("global", st.generator == GeneratorMode::Global)) st.generator = GeneratorMode::Global;
    tooltip("The device's default generator, seeded by torch.manual_seed(seed).");
    ImGui::SameLine();
    if (ImGui::RadioButton("local", st.generator == GeneratorMode::Local)) st.generator = GeneratorMode::Local;
    tooltip("A generator of its own: g = torch.Generator().manual_seed(seed), passed as generator=g.");

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Offset");
    tooltip("Generator offset in Philox blocks (4 random 32-bit words each): where the next draw starts.");
    ImGui::SameLine(control_column());
    ImGui::Text("%s blocks", group_digits(static_cast<int64_t>(sp.offset_after)).c_str());
    char tip[220];
    std::snprintf(tip, sizeof tip,
                  "The current sample used blocks %" PRIu64 " to %" PRIu64 " of the stream (4 words each).\nResample continues from %" PRIu64 ".",
                  sp.offset_before, sp.offset_after, sp.offset_after);
    tooltip(tip);
}

void draw_section(SamplerState& sp) {
    section("Draw");
    const float w = ImGui::GetContentRegionAvail().x;
    if (ImGui::Button("\xE2\x86\xBB Resample", ImVec2(w * 0.5f, 0))) sp.resample_requested = true;  // U+21BB
    tooltip("Draw the next values from the stream: the offset moves on (keyboard: Space).");
    ImGui::SameLine();
    ImGui::Checkbox("Live", &sp.live);
    tooltip("Resample every frame (vsync off): watch the noise move. Keyboard: L.");
    if (sp.has_drawn && sp.error.empty()) {
        ImGui::TextColored(theme::text_dim(), "Last draw %s", timing_text(sp.timing).c_str());
        tooltip("Wall time of the last draw and the bytes it wrote per second (1 GB = 10^9 bytes).");
    }
    if (!sp.error.empty()) {
        text_wrapped(theme::text_error(), sp.error);
    }
    if (!sp.notice.empty()) {
        text_wrapped(theme::text_warn(), sp.notice);
    }
}

void code_section(const SamplerState& sp) {
    ImGui::Spacing();
    if (ImGui::CollapsingHeader("PyTorch and command line")) {
        const std::string torch = torch_equivalent(sp.drawn), cli = cli_equivalent(sp.drawn, sp.offset_before);
        text_wrapped(theme::text_dim(), torch);
        if (ImGui::SmallButton("Copy PyTorch")) ImGui::SetClipboardText(torch.c_str());
        tooltip("Copy the PyTorch lines that draw the same distribution and shape.");
        text_wrapped(theme::text_dim(), cli);
        if (ImGui::SmallButton("Copy command")) ImGui::SetClipboardText(cli.c_str());
        tooltip("Copy the `noiselab sample` command that draws the same tensor without a window.");
    }
    tooltip("The same sample written as PyTorch code and as a noiselab command.");
}

void export_section(AppState& s) {
    ExportState& e = s.exporter;
    section("Export", "(PNGs carry their recipe)");
    row_label("Save as", "Folder and name prefix of exported files.");
    char buf[1024];
    const std::string prefix = (e.folder.empty() ? std::string(".") : e.folder) + "/" + e.base_name;
    std::snprintf(buf, sizeof buf, "%s", prefix.c_str());
    if (ImGui::InputText("##prefix", buf, sizeof buf)) {
        const std::string v = buf;
        const size_t slash = v.find_last_of('/');
        e.folder = slash == std::string::npos ? "." : slash == 0 ? "/" : v.substr(0, slash);
        e.base_name = slash == std::string::npos ? v : v.substr(slash + 1);
    }
    tooltip("Folder and name prefix: ./noise writes ./noise-grid.png, ./noise-histogram.png, ./noise-window.png, "
            "./noise-tensor.npy and ./noise-session.json (relative to where Noise Lab started).");
    const float w = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
    struct Btn {
        const char* label;
        ExportKind kind;
        const char* tip;
    };
    const Btn buttons[] = {
        {"Grid", ExportKind::Grid, "The image grid as PNG at full resolution, with the recipe embedded."},
        {"Histogram", ExportKind::Histogram, "The histogram with its theoretical curve as PNG, with the recipe embedded."},
        {"Window", ExportKind::Window, "A screenshot of the whole window as PNG, with the recipe embedded."},
        {"Tensor .npy", ExportKind::Npy, "The tensor as a NumPy .npy file (np.load reads it)."},
        {"Session", ExportKind::Session, "Every setting as JSON; Open restores it."},
    };
    int i = 0;
    for (const Btn& b : buttons) {
        if (i % 3) ImGui::SameLine();
        if (ImGui::Button(b.label, ImVec2(w, 0))) request_export(s, b.kind);
        const std::string tip = std::string(b.tip) + "\nWrites " + export_path(e, b.kind) + " (asks before replacing a file).";
        tooltip(tip.c_str());
        ++i;
    }
    ImGui::SameLine();
    if (ImGui::Button("Open...", ImVec2(w, 0))) e.open_browser = true;
    tooltip("Open a PNG made by Noise Lab (restores the settings that made it) or a session .json.");
    if (!e.message.empty()) {
        text_wrapped(e.message_is_error ? theme::text_error() : theme::text_ok(), e.message);
    }
}

}  // namespace

void tooltip(const char* text) {
    if (auto* audit = static_cast<TooltipAudit*>(ImGui::GetIO().UserData))
        audit->items.push_back({ImGui::GetItemID(), ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), text ? text : ""});
    if (text && *text && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
        text_wrapped(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

const TooltipAudit::Item* TooltipAudit::find(const std::string& text_start) const {
    for (const Item& i : items)
        if (i.text.rfind(text_start, 0) == 0) return &i;
    return nullptr;
}

void draw_sampler_panel(AppState& s, const Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    const ImGuiWindowFlags flags = theme::kPanelFlags;
    if (ImGui::Begin(kSamplerWindow, nullptr, flags)) {
        distribution_section(s.sampler);
        tensor_section(s.sampler);
        seed_section(s.sampler);
        draw_section(s.sampler);
        export_section(s);
        code_section(s.sampler);
    }
    ImGui::End();
}

}  // namespace nl::gui
