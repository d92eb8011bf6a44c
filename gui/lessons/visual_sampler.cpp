// The "sampler" visual: the app's tensor view and/or histogram, for lessons about one
// distribution (uniform, normal, randint). Its checks assert the range facts the lesson teaches
// (rand never reaches b; randint's high never appears; mu + sigma * randn has mean mu and std
// sigma within 5 standard errors) on the tensor actually drawn.
#include <algorithm>
#include <cstdio>
#include <cmath>
#include <limits>

#include <imgui.h>

#include "gui/app_state.h"
#include "gui/lessons/lesson_code.h"
#include "gui/lessons/visuals.h"
#include "gui/panels.h"

namespace nl::gui {

namespace {

struct SamplerVisual {
    std::string range_detail;  // for the checks
};

std::string param(const nlohmann::json& p, const char* key, const char* def) {
    return p.contains(key) && p[key].is_string() ? p[key].get<std::string>() : def;
}

void sampler_update(SamplerVisual&, const VisualContext& c) {
    const SamplerState& sp = c.app.sampler;
    if (!sp.tensor.defined() || sp.tensor.device().is_cuda()) return;
    const SamplerSettings& st = sp.drawn;
    if (st.dist == DistKind::Normal && is_floating(st.dtype)) {
        // mu + sigma * randn: the sample's mean and std agree with mu and sigma within 5 standard
        // errors (a fixed seed makes this deterministic; a wrong transform fails it by far).
        const std::vector<double> v = sp.tensor.to_vector();
        const double n = static_cast<double>(v.size());
        double m = 0, q = 0;
        for (double x : v) m += x;
        m /= n;
        for (double x : v) q += (x - m) * (x - m);
        const double sd = std::sqrt(q / std::max(n - 1, 1.0)), mu = st.params[0], sigma = st.params[1];
        char d1[120], d2[120];
        std::snprintf(d1, sizeof d1, "mean %.5f, mu %.5g, 5 standard errors %.5f", m, mu, 5 * sigma / std::sqrt(n));
        std::snprintf(d2, sizeof d2, "std %.5f, sigma %.5g, 5 standard errors %.5f", sd, sigma, 5 * sigma / std::sqrt(2 * n));
        c.check("the sample's mean is mu = " + code::py_num(mu), std::fabs(m - mu) <= 5 * sigma / std::sqrt(n) + 1e-12, d1);
        c.check("the sample's std is sigma = " + code::py_num(sigma), std::fabs(sd - sigma) <= 5 * sigma / std::sqrt(2 * n) + 1e-12, d2);
        return;
    }
    if (st.dist != DistKind::Uniform && st.dist != DistKind::RandInt) return;
    // The whole tensor: the point is that *no* value reaches the upper bound.
    const std::vector<double> v = sp.tensor.to_vector();
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double x : v) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    const double a = st.params[0], b = st.params[1];
    char detail[160];
    std::snprintf(detail, sizeof detail, "%zu values, min %.6g, max %.6g", v.size(), lo, hi);
    if (st.dist == DistKind::Uniform) {
        // float16/bfloat16 round a + (b-a)u; only float32/64 promise max < b strictly here.
        c.check("every value lies in [" + code::py_num(a) + ", " + code::py_num(b) + "]", lo >= a && hi <= b, detail);
    } else {
        c.check("low " + code::py_num(a) + " can appear, high " + code::py_num(b) + " never does", lo >= a && hi <= b - 1, detail);
    }
}

void sampler_draw(SamplerVisual&, const VisualContext& c) {
    const std::string show = param(c.params, "show", "histogram");
    const Rect r = c.rect;
    if (show == "view") {
        draw_tensor_view(c.app.image, c.app.sampler, c.sink, r);
    } else if (show == "both") {
        const float vw = std::floor(r.w * 0.45f);
        draw_tensor_view(c.app.image, c.app.sampler, c.sink, {r.x, r.y, vw, r.h});
        draw_histogram_panel(c.app.histogram, c.app.sampler, {r.x + vw, r.y, r.w - vw, r.h});
    } else {
        draw_histogram_panel(c.app.histogram, c.app.sampler, r);
    }
}

std::string sampler_code(const SamplerVisual&, const VisualContext& c) {
    const SamplerSettings& st = c.app.sampler.settings;
    const std::string style = param(c.params, "code", "plain");
    const std::string shape = code::py_shape(st.shape), dt = code::py_dtype(st.dtype), g = code::gen_arg(st);
    std::string out = "import torch\n" + code::seed_line(st);
    if (style == "rand_scaled" && st.dist == DistKind::Uniform) {
        out += "a, b = " + code::py_num(st.params[0]) + ", " + code::py_num(st.params[1]) + "\n";
        out += "u = torch.rand(" + shape + ", dtype=" + dt + g + ")  # [0, 1)\n";
        out += "x = a + (b - a) * u                                # [a, b)\n";
    } else if (style == "randn_affine" && st.dist == DistKind::Normal) {
        out += "mu, sigma = " + code::py_num(st.params[0]) + ", " + code::py_num(st.params[1]) + "\n";
        out += "x = mu + sigma * torch.randn(" + shape + ", dtype=" + dt + g + ")\n";
    } else {
        std::string t = torch_equivalent(st);
        out += t.substr(t.find('\n') + 1) + "\n";  // torch_equivalent's own seed line is replaced by ours
        if (st.device.is_cuda()) out = "import torch\n" + t + "\n";
    }
    out += "print(x.shape, x.dtype, x.min().item(), x.max().item())\n";
    return out;
}

}  // namespace

LessonVisual sampler_visual() { return make_visual<SamplerVisual>("sampler", sampler_update, sampler_draw, sampler_code,
                                                               {VisualParam::text("show", {"histogram", "view", "both"}),
                                                                VisualParam::text("code", {"plain", "rand_scaled", "randn_affine"})}); }

}  // namespace nl::gui
