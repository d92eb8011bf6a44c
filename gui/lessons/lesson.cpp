// Reading lesson presets (see lesson.h): JSON → Lesson, every field checked and named.
#include "gui/lessons/lesson.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gui/app.h"
#include "gui/app_state.h"
#include "gui/script.h"
#include "tensor/errors.h"

#ifndef NOISELAB_LESSONS_DIR
#define NOISELAB_LESSONS_DIR "assets/lessons"
#endif

namespace nl::gui {

namespace {

// Ordered: settings apply in the file's order (a lesson may set high before low on purpose).
using ordered_json = nlohmann::ordered_json;

[[noreturn]] void bad(const std::string& file, const std::string& field, const std::string& what) {
    throw ValueError(file + ": field '" + field + "': " + what);
}

std::string type_name(const ordered_json& j) { return j.type_name(); }

std::string need_string(const ordered_json& o, const std::string& file, const std::string& key, bool required = true) {
    if (!o.contains(key)) {
        if (required) bad(file, key, "missing (a string is required)");
        return "";
    }
    const ordered_json& v = o.at(key);
    if (!v.is_string()) bad(file, key, std::string("must be a string, got ") + type_name(v));
    return v.get<std::string>();
}

// A setting's value as the text apply_assignment takes: strings as they are, numbers without
// trailing zeros, booleans as on/off.
std::string setting_text(const ordered_json& v, const std::string& file, const std::string& field) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "on" : "off";
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
    if (v.is_number_float()) {
        std::ostringstream os;
        os.precision(17);
        os << v.get<double>();
        return os.str();
    }
    if (v.is_array()) {  // shapes: [64, 1, 28, 28]
        std::string out;
        for (const ordered_json& e : v) {
            if (!e.is_number_integer()) bad(file, field, "an array must hold integers (a shape), got " + e.dump());
            out += (out.empty() ? "" : ",") + std::to_string(e.get<int64_t>());
        }
        return out;
    }
    bad(file, field, std::string("must be a string, number, boolean or integer array, got ") + type_name(v));
}

std::string range_text(const VisualParam& p) {
    std::ostringstream os;
    os.precision(10);
    os << p.lo << " to " << p.hi;
    return os.str();
}

// visual_params against the visual's declared parameters (lesson.h, VisualParam).
void check_visual_params(const ordered_json& params, const LessonVisual& visual, const std::string& file) {
    for (auto it = params.begin(); it != params.end(); ++it) {
        const std::string field = "visual_params." + it.key();
        const ordered_json& v = it.value();
        const auto spec = std::find_if(visual.params.begin(), visual.params.end(), [&](const VisualParam& p) { return p.key == it.key(); });
        if (spec == visual.params.end()) {
            std::vector<std::string> keys;
            for (const VisualParam& p : visual.params) keys.push_back(p.key);
            const std::string known = join_with_commas(keys);
            bad(file, field, "unknown for visual '" + visual.id + "' (" + (known.empty() ? "it takes no parameters" : "known: " + known) + ")");
        }
        switch (spec->kind) {
            case VisualParam::Kind::Boolean:
                if (!v.is_boolean()) bad(file, field, "must be true or false, got " + v.dump());
                break;
            case VisualParam::Kind::Text: {
                if (!v.is_string()) bad(file, field, "must be a string, got " + type_name(v));
                const std::string t = v.get<std::string>();
                if (!spec->choices.empty() && std::find(spec->choices.begin(), spec->choices.end(), t) == spec->choices.end())
                    bad(file, field, "'" + t + "' is not one of: " + join_with_commas(spec->choices));
                if (t.size() > spec->max_chars)
                    bad(file, field, std::to_string(t.size()) + " characters; at most " + std::to_string(spec->max_chars) + " are allowed");
                break;
            }
            case VisualParam::Kind::Integer:
            case VisualParam::Kind::Number: {
                const bool integer = spec->kind == VisualParam::Kind::Integer;
                if (integer ? !v.is_number_integer() : !v.is_number())
                    bad(file, field, std::string("must be ") + (integer ? "an integer" : "a number") + " in " + range_text(*spec) + ", got " + v.dump());
                const double x = v.get<double>();  // exact enough to compare with the range's ends
                if (!(x >= spec->lo && x <= spec->hi)) bad(file, field, v.dump() + " is outside " + range_text(*spec));
                break;
            }
        }
    }
}

}  // namespace

Lesson parse_lesson(const std::string& text, const std::string& file) {
    ordered_json j;
    try {
        j = ordered_json::parse(text);
    } catch (const ordered_json::exception& e) {  // parse errors, and numbers beyond double (1e999)
        throw ValueError(file + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object()) throw ValueError(file + ": a lesson must be a JSON object, got " + type_name(j));
    static const char* kKnown[] = {"id", "number", "title", "explanation", "settings", "predict", "visual", "visual_params", "show_sampler"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (std::find_if(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return it.key() == k; }) == std::end(kKnown))
            bad(file, it.key(), "unknown field (known: id, number, title, explanation, settings, predict, visual, visual_params, show_sampler)");

    Lesson L;
    L.file = file;
    L.id = need_string(j, file, "id");
    if (L.id.empty()) bad(file, "id", "must not be empty");
    if (!j.contains("number")) bad(file, "number", "missing (an integer 1-99 giving the menu order)");
    if (!j["number"].is_number_integer()) bad(file, "number", "must be an integer 1-99, got " + j["number"].dump());
    const int64_t n = j["number"].get<int64_t>();
    if (n < 1 || n > 99) bad(file, "number", std::to_string(n) + " is outside 1-99");
    L.number = static_cast<int>(n);
    L.title = need_string(j, file, "title");
    if (L.title.empty()) bad(file, "title", "must not be empty");

    if (!j.contains("explanation")) bad(file, "explanation", "missing (an array of 3-6 sentences)");
    const ordered_json& ex = j["explanation"];
    if (!ex.is_array()) bad(file, "explanation", "must be an array of 3-6 strings, got " + type_name(ex));
    if (ex.size() < 3 || ex.size() > 6) bad(file, "explanation", std::to_string(ex.size()) + " sentences; 3-6 are required");
    for (size_t i = 0; i < ex.size(); ++i) {
        if (!ex[i].is_string() || ex[i].get<std::string>().empty())
            bad(file, "explanation[" + std::to_string(i) + "]", "must be a non-empty string");
        L.explanation.push_back(ex[i].get<std::string>());
    }

    if (j.contains("settings")) {
        const ordered_json& st = j["settings"];
        if (!st.is_object()) bad(file, "settings", "must be an object of sampler settings, got " + type_name(st));
        for (auto it = st.begin(); it != st.end(); ++it)
            L.settings.push_back({it.key(), setting_text(it.value(), file, "settings." + it.key())});
        // Apply them to a scratch state so a bad key or value is reported now, naming it.
        AppState scratch = default_state();
        for (const auto& [key, value] : L.settings) {
            try {
                apply_assignments(scratch, {Assignment{key, value}});
            } catch (const Error& e) {
                bad(file, "settings." + key, e.what());
            }
        }
        try {  // cross-field rules (low < high) and what cannot be sampled
            validate(scratch.sampler.settings);
        } catch (const Error& e) {
            bad(file, "settings", e.what());
        }
    }

    if (j.contains("predict")) {
        const ordered_json& p = j["predict"];
        if (!p.is_object()) bad(file, "predict", "must be an object {question, choices, correct, explanation}");
        L.predict.question = need_string(p, file + " predict", "question");
        if (!p.contains("choices") || !p["choices"].is_array() || p["choices"].size() < 2 || p["choices"].size() > 5)
            bad(file, "predict.choices", "must be an array of 2-5 strings");
        for (const ordered_json& c : p["choices"]) {
            if (!c.is_string()) bad(file, "predict.choices", "must hold strings, got " + c.dump());
            L.predict.choices.push_back(c.get<std::string>());
        }
        if (!p.contains("correct") || !p["correct"].is_number_integer()) bad(file, "predict.correct", "must be the index of the right choice");
        const int64_t c = p["correct"].get<int64_t>();
        if (c < 0 || c >= static_cast<int64_t>(L.predict.choices.size()))
            bad(file, "predict.correct", std::to_string(c) + " is outside 0-" + std::to_string(L.predict.choices.size() - 1));
        L.predict.correct = static_cast<int>(c);
        L.predict.explanation = need_string(p, file + " predict", "explanation", false);
    }

    L.visual = need_string(j, file, "visual");
    const LessonVisual* visual = find_visual(L.visual);
    if (!visual) bad(file, "visual", "'" + L.visual + "' is not a registered visual (known: " + visual_ids() + ")");
    if (j.contains("visual_params")) {
        if (!j["visual_params"].is_object()) bad(file, "visual_params", "must be an object, got " + type_name(j["visual_params"]));
        check_visual_params(j["visual_params"], *visual, file);
        L.visual_params = nlohmann::json::parse(j["visual_params"].dump());
    }
    if (j.contains("show_sampler")) {
        if (!j["show_sampler"].is_boolean()) bad(file, "show_sampler", "must be true or false");
        L.show_sampler = j["show_sampler"].get<bool>();
    }
    return L;
}

Lesson load_lesson(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IOError(path + ": cannot read the lesson file (does it exist?)");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_lesson(ss.str(), path);
}

std::string lessons_dir() {
    if (const char* env = std::getenv("NOISELAB_LESSONS"); env && *env) return env;
    return NOISELAB_LESSONS_DIR;
}

std::vector<Lesson> lesson_catalogue(std::vector<std::string>* errors) {
    std::vector<Lesson> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(lessons_dir(), ec)) {
        if (e.path().extension() != ".json") continue;
        try {
            out.push_back(load_lesson(e.path().string()));
        } catch (const Error& err) {
            if (errors) errors->push_back(err.what());
        }
    }
    std::sort(out.begin(), out.end(), [](const Lesson& a, const Lesson& b) { return a.number != b.number ? a.number < b.number : a.id < b.id; });
    return out;
}

}  // namespace nl::gui
