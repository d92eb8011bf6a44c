// Lesson 9's visual ("devices"): one seed, one op, made on the CPU and on cuda:0; the two
// tensors' hashes, the first values side by side, the count of elements whose bytes differ and the
// time each device took. On a machine without a usable GPU the CPU half still runs and the GPU
// column says what is missing (the reason tensor/backend.h reports).
// visual_params: {"op": "randn" | "rand" | "randint", "dtype": "float32", "n_log2": 20, "seed": 0}
#include <algorithm>

#include <imgui.h>

#include "gui/lessons/sims/devices.h"
#include "gui/lessons/sims/sim_ui.h"
#include "gui/lessons/sims/sims_visuals.h"
#include "gui/text_fit.h"
#include "tensor/errors.h"
#include "tensor/hash.h"

namespace nl::gui::sims {

namespace {

constexpr DeviceOp kOps[3] = {DeviceOp::Randn, DeviceOp::Rand, DeviceOp::Randint};
constexpr DType kDtypes[4] = {DType::Float32, DType::Float16, DType::BFloat16, DType::Float64};

struct DevicesVisual {
    bool initialised = false;
    int op = 0, dtype = 0, n_log2 = 20, seed = 0;
    std::string key;
    DeviceCompare r;
    std::string error;
};

void devices_update(DevicesVisual& s, const VisualContext& c) {
    if (!s.initialised) {
        s.initialised = true;
        const std::string op = param_str(c.params, "op", "randn");
        s.op = op == "rand" ? 1 : op == "randint" ? 2 : 0;
        const std::string dt = param_str(c.params, "dtype", "float32");
        for (int i = 0; i < 4; ++i)
            if (dt == dtype_name(kDtypes[i])) s.dtype = i;
        s.n_log2 = static_cast<int>(param_num(c.params, "n_log2", 20));
        s.seed = static_cast<int>(param_num(c.params, "seed", 0));
    }
    s.n_log2 = std::clamp(s.n_log2, 4, 24);
    s.seed = std::max(0, s.seed);
    const std::string key = std::to_string(s.op) + "/" + std::to_string(s.dtype) + "/" + std::to_string(s.n_log2) + "/" +
                            std::to_string(s.seed);
    if (key != s.key) {
        s.key = key;
        s.error.clear();
        try {
            s.r = compare_devices(kOps[s.op], {int64_t{1} << s.n_log2}, kDtypes[s.dtype], static_cast<uint64_t>(s.seed));
        } catch (const Error& e) {
            s.error = e.what();
        }
    }
    if (!s.error.empty()) return;
    if (s.r.gpu_available && s.r.gpu_error.empty())
        c.check("CPU == GPU, bit for bit", s.r.equal(),
                group_digits(s.r.differing) + " of " + group_digits(s.r.numel) + " elements differ");
    else
        c.check("no GPU: CPU half ran, reason shown", s.r.numel > 0 && !s.r.gpu_missing.empty(),
                s.r.gpu_missing.empty() ? s.r.gpu_error : s.r.gpu_missing);
}

// One device's pane, `below` pixels left under it (for the timing chart).
void column(const char* title, bool ok, const DeviceCompare& r, bool gpu, float w, float below) {
    ImGui::BeginChild(title, ImVec2(w, ImGui::GetContentRegionAvail().y - below), true);
    text_wrapped(theme::accent(), title);
    if (!ok) {
        text_wrapped(theme::text_warn(), "not run on this machine");
        text_wrapped(theme::text_dim(), "missing: " + (r.gpu_missing.empty() ? r.gpu_error : r.gpu_missing));
        text_wrapped(theme::text_dim(),
                     "On a machine with a CUDA GPU (and a Noise Lab build with CUDA) this column shows the same op "
                     "on cuda:0 and the lesson compares the bytes.");
        ImGui::EndChild();
        return;
    }
    const double ms = gpu ? r.gpu_ms : r.cpu_ms;
    text_wrapped("time: " + fmt("%.3f", ms) + " ms" + (gpu ? " (sample + copy to the host)" : ""));
    text_wrapped("hash: " + hash_hex(gpu ? r.gpu_hash : r.cpu_hash));
    if (!gpu) {
        text_wrapped(theme::text_dim(), "histogram of the first " + group_digits(std::min<int64_t>(r.numel, 65536)) + " values (" +
                                            fmt("%.3g", r.hist_lo) + " to " + fmt("%.3g", r.hist_hi) + "):");
        bar_chart("##cpu_hist", r.histogram, {kSame}, ImVec2(ImGui::GetContentRegionAvail().x, 110.0f));
        ImGui::TextColored(theme::text_dim(), "first values:");
        for (size_t i = 0; i < r.preview.size() && i < 8; ++i) ImGui::Text("[%zu] %.9g", i, r.preview[i]);
    } else {
        text_wrapped(r.equal() ? theme::text_ok() : theme::text_error(),
                     group_digits(r.differing) + " of " + group_digits(r.numel) + " elements differ");
        text_wrapped(theme::text_dim(), "(values equal to the CPU column's, byte for byte)");
    }
    ImGui::EndChild();
}

void devices_draw(DevicesVisual& s, const VisualContext& c) {
    if (begin_sim_window(c, "Devices: the same tensor on the CPU and the GPU")) {
        const float item_w = 120.0f * c.scale;
        ImGui::PushItemWidth(item_w);
        const char* ops[] = {"randn", "rand", "randint(0, 10)"};
        ImGui::Combo("op", &s.op, ops, 3);
        const char* dts[] = {"float32", "float16", "bfloat16", "float64"};
        if (s.op != 2) {
            same_line_if_fits(labelled_width(item_w, "dtype"));
            ImGui::Combo("dtype", &s.dtype, dts, 4);
        }
        same_line_if_fits(labelled_width(item_w, "elements"));
        ImGui::SliderInt("elements", &s.n_log2, 4, 24, "n = 2^%d");
        same_line_if_fits(labelled_width(item_w, "seed"));
        ImGui::InputInt("seed", &s.seed);
        ImGui::PopItemWidth();
        if (!s.error.empty()) text_wrapped(theme::text_error(), s.error);
        if (s.key.empty() || !s.error.empty()) {
            end_sim_window();
            return;
        }
        const DeviceCompare& r = s.r;
        const bool gpu_ran = r.gpu_available && r.gpu_error.empty() && r.differing >= 0;
        if (gpu_ran)
            ImGui::TextColored(r.equal() ? theme::text_ok() : theme::text_error(), "%s",
                               r.equal() ? "CPU == GPU, bit for bit" : "CPU and GPU DIFFER");
        else
            text_wrapped(theme::text_warn(), "No GPU here: only the CPU half ran (the GPU pane says why).");
        const float w = (ImGui::GetContentRegionAvail().x - 10.0f * c.scale) * 0.5f;
        // The panes take the height; the timing chart, only where the GPU ran, keeps its own.
        const float chart_h = 90.0f * c.scale, below = gpu_ran ? chart_h + 2 * ImGui::GetStyle().ItemSpacing.y : 0.0f;
        column("CPU", true, r, false, w, below);
        ImGui::SameLine(0, 10.0f * c.scale);
        column("GPU (cuda:0)", gpu_ran, r, true, w, below);
        if (gpu_ran) {
            bar_chart("##times", {r.cpu_ms, r.gpu_ms}, {kSame, kDiffer}, ImVec2(std::min(400.0f * c.scale, w), chart_h),
                      {"CPU " + fmt("%.2f ms", r.cpu_ms), "GPU " + fmt("%.2f ms", r.gpu_ms)});
        }
    }
    end_sim_window();
}

std::string devices_code(const DevicesVisual& s, const VisualContext&) {
    const int64_t n = int64_t{1} << s.n_log2;
    std::string call;
    const std::string dt = std::string("torch.") + dtype_name(kDtypes[s.dtype]);
    switch (kOps[s.op]) {
        case DeviceOp::Randn: call = "torch.randn(" + std::to_string(n) + ", dtype=" + dt; break;
        case DeviceOp::Rand: call = "torch.rand(" + std::to_string(n) + ", dtype=" + dt; break;
        case DeviceOp::Randint: call = "torch.randint(0, 10, (" + std::to_string(n) + ",)"; break;
    }
    std::string out = "import time\nimport torch\n";
    out += "def make(device):\n";
    out += "    g = torch.Generator(device=device).manual_seed(" + std::to_string(s.seed) + ")\n";
    out += "    t0 = time.perf_counter()\n";
    out += "    x = " + call + ", device=device, generator=g).cpu()\n";
    out += "    return x, (time.perf_counter() - t0) * 1e3\n";
    out += "cpu, cpu_ms = make(\"cpu\")\n";
    out += "print(cpu.shape, cpu.dtype)\n";
    out += "if torch.cuda.is_available():\n";
    out += "    gpu, gpu_ms = make(\"cuda\")\n";
    out += "    # PyTorch: different generators on the two devices, so this prints False;\n";
    out += "    # Noise Lab's streams are the same on both, bit for bit.\n";
    out += "    print(torch.equal(cpu, gpu), f\"{cpu_ms:.2f} ms vs {gpu_ms:.2f} ms\")\n";
    out += "else:\n";
    out += "    print(\"no CUDA device:\", f\"cpu {cpu_ms:.2f} ms\")\n";
    return out;
}

}  // namespace

LessonVisual devices_visual() { return make_visual<DevicesVisual>("devices", devices_update, devices_draw, devices_code,
                       {VisualParam::text("op", {"randn", "rand", "randint"}),
                        VisualParam::text("dtype", {"float32", "float16", "bfloat16", "float64"}),
                        VisualParam::integer("n_log2", 4, 24), VisualParam::integer("seed", 0, VisualParam::kMaxSeed)}); }

}  // namespace nl::gui::sims
