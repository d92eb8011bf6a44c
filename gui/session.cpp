// Sessions and PNG recipes of the app (see session.h).
#include "gui/session.h"

#include <cmath>

#include "gui/script.h"
#include "gui/text_util.h"
#include "sampling/recipe.h"
#include "tensor/errors.h"
#include "tensor/hash.h"
#include "tensor/io/atomic_file.h"

namespace nl::gui {

namespace {

using nlohmann::json;

const char* view_mode_name(ViewMode m) {
    switch (m) {
        case ViewMode::Auto: return "auto";
        case ViewMode::Image: return "image";
        case ViewMode::Scatter: return "scatter";
        case ViewMode::Values: return "values";
    }
    return "auto";
}

[[noreturn]] void bad(const std::string& field, const std::string& why) {
    throw ValueError("session field 'extra." + field + "': " + why);
}

double get_number(const json& j, const std::string& field) {
    if (!j.is_number()) bad(field, "expected a number, got " + j.dump());
    const double v = j.get<double>();
    if (!std::isfinite(v)) bad(field, "expected a finite number");
    return v;
}
bool get_bool(const json& j, const std::string& field) {
    if (!j.is_boolean()) bad(field, "expected true or false, got " + j.dump());
    return j.get<bool>();
}
std::string get_string(const json& j, const std::string& field) {
    if (!j.is_string()) bad(field, "expected a string, got " + j.dump());
    return j.get<std::string>();
}

}  // namespace

json extra_json(const AppState& s, const std::string& image_kind) {
    const SamplerState& sp = s.sampler;
    const HistogramState& h = s.histogram;
    const ImageViewState& im = s.image;
    json seeds = json::array();
    for (uint64_t v : sp.history.seeds()) seeds.push_back(v);
    json hist = {
        {"bins", h.options.auto_bins ? json("auto") : json(h.options.bins)},
        {"range", h.options.auto_range ? json("auto") : json::array({h.options.lo, h.options.hi})},
        {"log", h.log_scale},
        {"theory", h.show_theory},
        {"qq", h.show_qq},
    };
    json view = {
        {"mode", view_mode_name(im.mode)},
        {"rgb", im.rgb},
        {"channel", im.channel},
        {"max_images", im.max_images},
        {"zoom", im.fit ? json("fit") : json(im.zoom)},
        {"pan", json::array({im.pan_x, im.pan_y})},
        {"point_radius", im.point_radius},
    };
    // "image", "colormap", "range" and "next_offset" mean what `noiselab sample` writes, so each
    // side reads the other's files.
    return {
        {"app", "noiselab-gui"},
        {"software", "Noise Lab 0.1.0"},
        {"image", image_kind},
        {"colormap", render::colormap_name(im.colormap)},
        {"range", render::value_range_text(im.range)},
        {"next_offset", sp.offset_after},
        {"generator", sp.settings.generator == GeneratorMode::Local ? "local" : "global"},
        {"live", sp.live},
        {"seed_history", seeds},
        {"histogram", hist},
        {"view", view},
    };
}

void apply_extra(AppState& s, const json& extra) {
    if (!extra.is_object()) bad("", "expected an object");
    SamplerState& sp = s.sampler;
    if (extra.contains("colormap")) {
        try {
            s.image.colormap = render::parse_colormap(get_string(extra["colormap"], "colormap"));
        } catch (const ValueError& e) {
            bad("colormap", e.what());
        }
    }
    if (extra.contains("range")) {
        try {
            s.image.range = render::parse_value_range(get_string(extra["range"], "range"), "session range");
        } catch (const ValueError& e) {
            bad("range", e.what());
        }
    }
    if (extra.contains("generator")) {
        const std::string g = get_string(extra["generator"], "generator");
        if (g == "global") sp.settings.generator = GeneratorMode::Global;
        else if (g == "local") sp.settings.generator = GeneratorMode::Local;
        else bad("generator", "'" + g + "' is not one of: global, local");
    }
    if (extra.contains("engine")) {  // where sessions before the recipe's params.engine kept it
        try {
            sp.settings.engine = parse_engine(get_string(extra["engine"], "engine"));
        } catch (const ValueError& e) {
            bad("engine", e.what());
        }
    }
    if (extra.contains("live")) sp.live = get_bool(extra["live"], "live");
    if (extra.contains("seed_history")) {
        const json& a = extra["seed_history"];
        if (!a.is_array()) bad("seed_history", "expected an array of seeds");
        SeedHistory h;
        for (auto it = a.rbegin(); it != a.rend(); ++it) {
            if (!it->is_number_unsigned()) bad("seed_history", "expected non-negative integers, got " + it->dump());
            h.push(it->get<uint64_t>());
        }
        sp.history = h;
    }
    if (extra.contains("histogram")) {
        const json& h = extra["histogram"];
        if (!h.is_object()) bad("histogram", "expected an object");
        HistogramState& hs = s.histogram;
        if (h.contains("bins")) {
            if (h["bins"].is_string() && h["bins"] == "auto") {
                hs.options.auto_bins = true;
            } else {
                const double b = get_number(h["bins"], "histogram.bins");
                if (b < kMinBins || b > kMaxBins || b != std::floor(b))
                    bad("histogram.bins", "expected \"auto\" or an integer in [1, 1000], got " + h["bins"].dump());
                hs.options.auto_bins = false;
                hs.options.bins = static_cast<int>(b);
            }
        }
        if (h.contains("range")) {
            const json& r = h["range"];
            if (r.is_string() && r == "auto") {
                hs.options.auto_range = true;
            } else {
                if (!r.is_array() || r.size() != 2) bad("histogram.range", "expected \"auto\" or [lo, hi]");
                const double lo = get_number(r[0], "histogram.range"), hi = get_number(r[1], "histogram.range");
                if (!(lo < hi)) bad("histogram.range", "expected lo < hi, got " + r.dump());
                hs.options.auto_range = false;
                hs.options.lo = lo;
                hs.options.hi = hi;
            }
        }
        if (h.contains("log")) hs.log_scale = get_bool(h["log"], "histogram.log");
        if (h.contains("theory")) hs.show_theory = get_bool(h["theory"], "histogram.theory");
        if (h.contains("qq")) hs.show_qq = get_bool(h["qq"], "histogram.qq");
    }
    if (extra.contains("view")) {
        const json& m = extra["view"];
        if (!m.is_object()) bad("view", "expected an object");
        ImageViewState& im = s.image;
        if (m.contains("mode")) {
            const std::string v = get_string(m["mode"], "view.mode");
            if (v == "auto") im.mode = ViewMode::Auto;
            else if (v == "image") im.mode = ViewMode::Image;
            else if (v == "scatter") im.mode = ViewMode::Scatter;
            else if (v == "values") im.mode = ViewMode::Values;
            else bad("view.view", "'" + v + "' is not one of: auto, image, scatter, values");
        }
        if (m.contains("rgb")) im.rgb = get_bool(m["rgb"], "view.rgb");
        if (m.contains("channel")) {
            const double c = get_number(m["channel"], "view.channel");
            if (c < 0 || c > 1 << 20 || c != std::floor(c)) bad("view.channel", "expected a channel index >= 0");
            im.channel = static_cast<int>(c);
        }
        if (m.contains("max_images")) {
            const double n = get_number(m["max_images"], "view.max_images");
            if (n < 1 || n > 4096 || n != std::floor(n)) bad("view.max_images", "expected an integer in [1, 4096]");
            im.max_images = static_cast<int>(n);
        }
        if (m.contains("zoom")) {
            if (m["zoom"].is_string() && m["zoom"] == "fit") {
                im.fit = true;
            } else {
                const double z = get_number(m["zoom"], "view.zoom");
                if (!(z >= 0.05 && z <= 64)) bad("view.zoom", "expected \"fit\" or a factor in [0.05, 64]");
                im.fit = false;
                im.zoom = static_cast<float>(z);
            }
        }
        if (m.contains("pan")) {
            const json& p = m["pan"];
            if (!p.is_array() || p.size() != 2) bad("view.pan", "expected [x, y] in pixels");
            im.pan_x = static_cast<float>(get_number(p[0], "view.pan"));
            im.pan_y = static_cast<float>(get_number(p[1], "view.pan"));
        }
        if (m.contains("point_radius")) {
            const double r = get_number(m["point_radius"], "view.point_radius");
            if (!(r >= 0.5 && r <= 20)) bad("view.point_radius", "expected a radius in [0.5, 20] px");
            im.point_radius = static_cast<float>(r);
        }
    }
}

io::Recipe make_recipe(const AppState& s, const std::string& image_kind) {
    const SamplerState& sp = s.sampler;
    // The recipe describes the tensor on screen: its settings are the drawn ones, written as
    // `noiselab sample` writes them, so each opens what the other exported.
    const SamplerSettings& st = sp.has_drawn ? sp.drawn : sp.settings;
    io::Recipe r;
    sampling::write_draw(st, r);
    r.seed = st.seed;
    r.offset = sp.offset_before;
    r.stream = 0;
    if (sp.tensor.defined()) r.tensor_hash = hash_hex(tensor_hash(sp.tensor));
    r.extra = extra_json(s, image_kind);
    return r;
}

namespace {

// The recipe with the names the app's --dist, scripts and sessions have always accepted (any
// case, randn, gaussian, exp; rate, from, to, scale) written as sampling/ names them.
io::Recipe with_canonical_names(const io::Recipe& r) {
    io::Recipe out = r;
    DistKind kind;
    try {
        kind = parse_dist(r.op);
    } catch (const ValueError&) {
        return out;  // read_draw names the op and the valid ones
    }
    out.op = dist_info(kind).name;
    out.params.clear();
    for (const auto& [key, value] : r.params) {
        const int i = param_index(kind, key);
        const std::string name = i >= 0 ? dist_info(kind).params[i].name : key;
        if (out.params.count(name))  // "from" beside "low": which one was meant?
            throw ValueError("recipe parameters: '" + key + "' and another key both set " + name + "; give one");
        out.params[name] = value;
    }
    return out;
}

}  // namespace

void apply_recipe(AppState& s, const io::Recipe& r) {
    const sampling::Draw d = sampling::read_draw(with_canonical_names(r));
    if (r.stream != 0)
        throw ValueError("recipe stream " + std::to_string(r.stream) + " cannot be opened by the app; it draws from stream 0");
    SamplerSettings st = s.sampler.settings;
    set_distribution(st, d.dist);
    const DistInfo& info = dist_info(d.dist);
    // The panel's ranges apply (set_param names the value and the range it left).
    for (int i = 0; i < info.param_count; ++i) set_param(st, info.params[i].name, d.params[i]);
    if (info.weights) {
        st.weights = d.weights;
        if (const std::string why = weights_problem(st); !why.empty()) throw ValueError("recipe " + why);
    }
    if (d.dist == DistKind::Multinomial) st.replacement = d.replacement;  // the box is multinomial's alone
    st.engine = d.engine;
    if (r.shape.empty() || r.shape.size() > static_cast<size_t>(kMaxRank))
        throw ShapeError("recipe shape " + shape_str(r.shape) + " has rank " + std::to_string(r.shape.size()) +
                         "; the app shows ranks 1 to 4");
    st.shape = r.shape;
    st.dtype = r.dtype;
    st.device = r.device;
    st.seed = r.seed;
    AppState next = s;
    next.sampler.settings = st;
    if (r.extra.is_object() && !r.extra.empty()) apply_extra(next, r.extra);
    validate(next.sampler.settings);  // every error before anything changes
    next.sampler.restore_pending = true;
    next.sampler.restore_offset = r.offset;
    next.sampler.live = false;  // a restored picture should stay put
    s = std::move(next);
}

std::vector<io::PngText> png_texts(const AppState& s, const std::string& image_kind) {
    return {{io::kPngRecipeKey, io::recipe_to_string(make_recipe(s, image_kind)), io::PngTextKind::Utf8},
            {io::kPngSoftwareKey, "Noise Lab 0.1.0", io::PngTextKind::Latin1}};
}

void save_session(const AppState& s, const std::string& path, bool overwrite) {
    const std::string text = io::recipe_to_string(make_recipe(s, "session"), 2) + "\n";
    io::write_file_atomic(path, text.data(), text.size(), overwrite);
}

void load_session(AppState& s, const std::string& path) {
    const std::vector<uint8_t> bytes = io::read_file(path, size_t(16) << 20);
    apply_recipe(s, io::parse_recipe(std::string(bytes.begin(), bytes.end()), path));
}

void open_png(AppState& s, const std::string& path) {
    const std::vector<io::PngText> texts = io::read_png_text_chunks(path);
    const io::PngText* t = io::find_png_text(texts, io::kPngRecipeKey);
    if (!t) throw IOError(path + " has no Noise Lab recipe (no \"" + std::string(io::kPngRecipeKey) + "\" chunk): it was not made by Noise Lab");
    apply_recipe(s, io::parse_recipe(t->text, path));
}

void open_file(AppState& s, const std::string& path) {
    auto ends_with = [&](const char* ext) {
        const std::string e(ext);
        if (path.size() < e.size()) return false;
        return lower_ascii(path.substr(path.size() - e.size())) == e;
    };
    if (ends_with(".png")) open_png(s, path);
    else if (ends_with(".json")) load_session(s, path);
    else throw IOError("cannot open " + path + ": expected a .png made by Noise Lab or a session .json");
}

}  // namespace nl::gui
