// key=value assignments and frame scripts (see script.h).
#include "gui/script.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "gui/export.h"
#include "gui/session.h"
#include "gui/text_util.h"
#include "tensor/errors.h"
#include "tensor/number_list.h"

namespace nl::gui {

namespace {

bool parse_bool(const Assignment& a) {
    const std::string v = lower_ascii(a.value);
    if (v.empty() || v == "on" || v == "true" || v == "1" || v == "yes") return true;
    if (v == "off" || v == "false" || v == "0" || v == "no") return false;
    throw ValueError(a.key + "=" + a.value + ": expected on or off");
}

// The one number reader of the command line and the recipes ("std 'abc' is not a number; ...").
double parse_number(const std::string& key, const std::string& text) { return nl::parse_number(text, key); }

int64_t parse_integer(const std::string& key, const std::string& text, int64_t lo, int64_t hi) {
    const double v = parse_number(key, text);
    if (v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi))
        throw ValueError(key + "=" + text + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<int64_t>(v);
}

// Decimal or 0x hex, 0 to 2^64-1 (as `noiselab sample --seed`).
uint64_t parse_seed_like(const std::string& key, const std::string& text) {
    const std::string t = nl::trim_spaces(text);
    const bool hex = t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
    const std::string digits = hex ? t.substr(2) : t;
    const auto ok = [&](char c) { return hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : std::isdigit(static_cast<unsigned char>(c)) != 0; };
    errno = 0;
    if (digits.empty() || digits.size() > 20 || !std::all_of(digits.begin(), digits.end(), ok))
        throw ValueError(key + "=" + text + ": expected an integer in [0, 18446744073709551615] (decimal or 0x hex)");
    const unsigned long long v = std::strtoull(digits.c_str(), nullptr, hex ? 16 : 10);
    if (errno == ERANGE) throw ValueError(key + "=" + text + ": expected an integer in [0, 18446744073709551615]");
    return v;
}

// "lo,hi" -> two numbers with lo < hi.
void parse_pair(const Assignment& a, double& lo, double& hi) {
    const size_t comma = a.value.find(',');
    if (comma == std::string::npos) throw ValueError(a.key + "=" + a.value + ": expected lo,hi");
    lo = parse_number(a.key, a.value.substr(0, comma));
    hi = parse_number(a.key, a.value.substr(comma + 1));
}

const std::vector<std::pair<std::string, std::string>>& keys_table() {
    static const std::vector<std::pair<std::string, std::string>> keys = {
        {"dist", "distribution: " + all_dist_names() + " (resets its parameters)"},
        {"mean, std, low, high, lambda, p, median, sigma, temperature", "the distribution's parameters"},
        {"probs", "multinomial's category weights: 0.1,0.2,0.7 (>= 0, positive sum)"},
        {"logits", "categorical's logits: 2,1,0.5,-inf (finite or -inf)"},
        {"replacement", "on/off: multinomial draws with replacement (PyTorch's default is off)"},
        {"seed", "seed, 0 to 2^64-1 (rewinds the generator)"},
        {"shape", "sizes, rank 1 to 4: 64,1,28,28"},
        {"dtype", "float32, float16, bfloat16, float64, int64, int32, uint8, bool"},
        {"device", "cpu, cuda, cuda:N"},
        {"engine", "philox, or cuRAND's curand_philox, xorwow, mrg32k3a, mtgp32, mt19937, sobol32, scrambled_sobol32 (uniform, normal, lognormal, poisson)"},
        {"generator", "global (torch.manual_seed) or local (torch.Generator)"},
        {"live", "on/off: resample every frame"},
        {"resample", "draw the next values from the stream"},
        {"workspace", "noise (the sampler columns), or models / diffusion / gan / vae / lm (a Models tab)"},
        {"bins", "histogram bins: auto or 1 to 1000"},
        {"offset", "Philox blocks to skip on the stream after seeding (as noiselab sample --offset)"},
        {"hist-range", "histogram range: auto or lo,hi"},
        {"log", "on/off: logarithmic density axis (also --hist-log)"},
        {"theory", "on/off: theoretical density over the histogram"},
        {"qq", "on/off: QQ plot"},
        {"view", "auto, image, scatter, values"},
        {"colormap", "gray, viridis, diverging"},
        {"range", "value range of images: minmax, sigma:K, quantile:Q, fixed:LO,HI (as noiselab sample --range)"},
        {"rgb", "on/off: three channels as RGB"},
        {"channel", "channel shown through the colormap"},
        {"max-images", "images drawn at most, 1 to 4096"},
        {"zoom", "fit or a factor (screen px per tensor px)"},
        {"pan", "x,y offset of the image in px"},
        {"open", "a PNG made by Noise Lab or a session .json"},
        {"mouse", "x,y: put the mouse there (window px; unattended runs), or off"},
        {"save-as", "folder and name prefix of exports: out/noise"},
        {"export", "grid, histogram, window, tensor or session (asks before replacing a file)"},
        {"dialog", "open: show the Open dialog"},
    };
    return keys;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> assignment_keys() { return keys_table(); }

Assignment parse_assignment(const std::string& text) {
    const std::string t = nl::trim_spaces(text);
    const size_t eq = t.find('=');
    Assignment a;
    a.key = lower_ascii(nl::trim_spaces(eq == std::string::npos ? t : t.substr(0, eq)));
    a.value = eq == std::string::npos ? "" : nl::trim_spaces(t.substr(eq + 1));
    if (a.key.empty()) throw ValueError("assignment '" + text + "' has no key; write key=value, e.g. seed=7");
    std::replace(a.key.begin(), a.key.end(), '_', '-');
    return a;
}

void apply_assignment(AppState& s, const Assignment& a) {
    SamplerState& sp = s.sampler;
    SamplerSettings& st = sp.settings;
    const std::string& k = a.key;
    const std::string& v = a.value;
    if (k == "dist") {
        set_distribution(st, parse_dist(v));
    } else if (param_index(st.dist, k) >= 0) {
        set_param(st, k, parse_number(k, v));
    } else if (k == "mean" || k == "std" || k == "low" || k == "high" || k == "lambda" || k == "p" || k == "median" ||
               k == "sigma" || k == "rate" || k == "from" || k == "to" || k == "scale" || k == "temperature") {
        set_param(st, k, parse_number(k, v));  // throws, naming the distribution's parameters
    } else if (k == "probs" || k == "logits") {
        const char* wanted = dist_info(st.dist).weights;
        if (!wanted || k != wanted)
            throw ValueError(k + "=" + v + ": " + dist_info(st.dist).name + " takes no " + k +
                             (k == "probs" ? "; multinomial does (dist=multinomial)" : "; categorical does (dist=categorical)"));
        set_weights(st, v);
    } else if (k == "replacement") {
        if (st.dist != DistKind::Multinomial)
            throw ValueError("replacement=" + v + ": only multinomial draws with or without replacement");
        st.replacement = parse_bool(a);
    } else if (k == "seed") {
        st.seed = parse_seed_like("seed", v);
    } else if (k == "shape") {
        st.shape = parse_shape(v);
    } else if (k == "dtype") {
        const DType d = parse_dtype(v);
        const std::string why = dtype_unsupported_reason(st.dist, d);
        if (!why.empty()) throw DTypeError("dtype=" + v + ": " + why);
        st.dtype = d;
    } else if (k == "device") {
        st.device = parse_device(v);
    } else if (k == "engine") {
        st.engine = parse_engine(v);
    } else if (k == "generator") {
        const std::string g = lower_ascii(v);
        if (g == "global") st.generator = GeneratorMode::Global;
        else if (g == "local") st.generator = GeneratorMode::Local;
        else throw ValueError("generator=" + v + ": expected global or local");
    } else if (k == "live") {
        sp.live = parse_bool(a);
    } else if (k == "resample") {
        if (v.empty() || parse_bool(a)) sp.resample_requested = true;
    } else if (k == "bins") {
        if (lower_ascii(v) == "auto") {
            s.histogram.options.auto_bins = true;
        } else {
            s.histogram.options.bins = static_cast<int>(parse_integer(k, v, kMinBins, kMaxBins));
            s.histogram.options.auto_bins = false;
        }
    } else if (k == "hist-range") {
        if (lower_ascii(v) == "auto") {
            s.histogram.options.auto_range = true;
        } else {
            double lo, hi;
            parse_pair(a, lo, hi);
            if (!(lo < hi)) throw ValueError("hist-range=" + v + ": expected lo < hi");
            s.histogram.options.lo = lo;
            s.histogram.options.hi = hi;
            s.histogram.options.auto_range = false;
        }
    } else if (k == "log" || k == "hist-log") {
        s.histogram.log_scale = parse_bool(a);
    } else if (k == "theory") {
        s.histogram.show_theory = parse_bool(a);
    } else if (k == "qq") {
        s.histogram.show_qq = parse_bool(a);
    } else if (k == "view") {
        const std::string m = lower_ascii(v);
        if (m == "auto") s.image.mode = ViewMode::Auto;
        else if (m == "image") s.image.mode = ViewMode::Image;
        else if (m == "scatter") s.image.mode = ViewMode::Scatter;
        else if (m == "values") s.image.mode = ViewMode::Values;
        else throw ValueError("view=" + v + ": expected auto, image, scatter or values");
    } else if (k == "colormap") {
        s.image.colormap = render::parse_colormap(lower_ascii(v));
    } else if (k == "range") {
        s.image.range = render::parse_value_range(v, "range");
        s.image.range_chosen = true;
    } else if (k == "offset") {
        sp.restore_offset = parse_seed_like("offset", v);
        sp.restore_pending = true;
    } else if (k == "stream") {
        if (parse_seed_like("stream", v) != 0)
            throw ValueError("stream=" + v + ": the app draws from stream 0 only (use noiselab sample --stream for others)");
    } else if (k == "rgb") {
        s.image.rgb = parse_bool(a);
    } else if (k == "channel") {
        s.image.channel = static_cast<int>(parse_integer(k, v, 0, 1 << 20));
    } else if (k == "max-images") {
        s.image.max_images = static_cast<int>(parse_integer(k, v, 1, 4096));
    } else if (k == "zoom") {
        if (lower_ascii(v) == "fit") {
            s.image.fit = true;
        } else {
            const double z = parse_number(k, v);
            if (!(z >= 0.05 && z <= 64)) throw ValueError("zoom=" + v + ": expected fit or a factor in [0.05, 64]");
            s.image.fit = false;
            s.image.zoom = static_cast<float>(z);
        }
    } else if (k == "pan") {
        double x, y;
        parse_pair(a, x, y);
        s.image.pan_x = static_cast<float>(x);
        s.image.pan_y = static_cast<float>(y);
    } else if (k == "mouse") {
        s.mouse_override = true;
        if (lower_ascii(v) == "off") {
            s.mouse_x = s.mouse_y = -1e30f;
        } else {
            double x, y;
            parse_pair(a, x, y);
            s.mouse_x = static_cast<float>(x);
            s.mouse_y = static_cast<float>(y);
        }
    } else if (k == "open") {
        open_file(s, v);
    } else if (k == "export") {
        const std::string what = lower_ascii(v);
        const ExportKind kind = what == "grid" ? ExportKind::Grid
                                : what == "histogram" ? ExportKind::Histogram
                                : what == "window" ? ExportKind::Window
                                : what == "tensor" ? ExportKind::Npy
                                : what == "session" ? ExportKind::Session
                                                    : throw ValueError("export=" + v + ": expected grid, histogram, window, tensor or session");
        request_export(s, kind);  // as the button: asks before replacing a file
    } else if (k == "save-as") {
        const size_t slash = v.find_last_of('/');
        s.exporter.folder = slash == std::string::npos ? "." : slash == 0 ? "/" : v.substr(0, slash);
        s.exporter.base_name = slash == std::string::npos ? v : v.substr(slash + 1);
        if (s.exporter.base_name.empty()) throw ValueError("save-as=" + v + ": expected a folder and a name prefix, e.g. out/noise");
    } else if (k == "workspace") {
        const std::string w = lower_ascii(v);
        static const std::pair<const char*, ModelsTab> tabs[] = {{"diffusion", ModelsTab::Diffusion},
                                                                   {"gan", ModelsTab::Gan},
                                                                   {"vae", ModelsTab::Vae},
                                                                   {"lm", ModelsTab::Lm}};
        if (w == "noise") {
            s.models_workspace = false;
            return;
        }
        if (w == "models") {
            s.models_workspace = true;
            return;
        }
        for (const auto& [name, tab] : tabs) {
            if (w == name) {
                s.models_workspace = true;
                s.models.tab = tab;
                return;
            }
        }
        throw ValueError("workspace=" + v + ": expected noise, models, diffusion, gan, vae or lm");
    } else if (k == "dialog") {
        if (lower_ascii(v) != "open") throw ValueError("dialog=" + v + ": expected open");
        s.exporter.open_browser = true;
    } else {
        std::string valid;
        for (const auto& kv : keys_table()) valid += (valid.empty() ? "" : ", ") + kv.first;
        throw ValueError("unknown setting '" + k + "'; valid: " + valid);
    }
}

void apply_assignments(AppState& s, const std::vector<Assignment>& as) {
    for (const Assignment& a : as)
        if (a.key == "dist") apply_assignment(s, a);
    for (const Assignment& a : as)
        if (a.key != "dist") apply_assignment(s, a);
}

std::vector<ScriptStep> parse_script(const std::string& text) {
    std::vector<ScriptStep> steps;
    int64_t frame = 1;
    std::stringstream parts(text);
    std::string part;
    while (std::getline(parts, part, ';')) {
        std::string body = nl::trim_spaces(part);
        if (body.empty()) continue;
        if (lower_ascii(body).rfind("frame", 0) == 0) {
            const size_t colon = body.find(':');
            if (colon == std::string::npos)
                throw ValueError("script part '" + body + "': expected 'frame N: key=value ...'");
            const std::string n = nl::trim_spaces(body.substr(5, colon - 5));
            if (n.empty() || n.size() > 12 || !std::all_of(n.begin(), n.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
                throw ValueError("script part '" + body + "': frame number '" + n + "' is not an integer >= 1");
            frame = std::max<int64_t>(1, std::stoll(n));
            body = nl::trim_spaces(body.substr(colon + 1));
        }
        ScriptStep step;
        step.frame = frame;
        std::stringstream words(body);
        std::string w;
        while (words >> w) step.assignments.push_back(parse_assignment(w));
        if (step.assignments.empty()) throw ValueError("script part '" + nl::trim_spaces(part) + "' has no key=value");
        steps.push_back(step);
    }
    std::stable_sort(steps.begin(), steps.end(), [](const ScriptStep& a, const ScriptStep& b) { return a.frame < b.frame; });
    return steps;
}

ScriptRunner::ScriptRunner(std::vector<ScriptStep> steps) : steps_(std::move(steps)) {}

int ScriptRunner::before_frame(AppState& s, int64_t frame) {
    int applied = 0;
    while (next_ < steps_.size() && steps_[next_].frame <= frame) {
        const ScriptStep& step = steps_[next_++];  // moves on even if it throws: no retry loop
        apply_assignments(s, step.assignments);
        ++applied;
    }
    return applied;
}

int64_t ScriptRunner::last_frame() const { return steps_.empty() ? 0 : steps_.back().frame; }

}  // namespace nl::gui
