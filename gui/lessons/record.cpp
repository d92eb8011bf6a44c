// The experiment record (see record.h).
#include "gui/lessons/record.h"

#include <sys/utsname.h>

#include <chrono>
#include <ctime>

#include <imgui.h>

#include "gui/lessons/lesson_code.h"
#include "gui/session.h"
#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/io/atomic_file.h"
#ifdef NOISELAB_RECORD_GPU
#include "gpu/device.h"  // device names, memory, compute capability (CUDA builds only)
#endif

#ifndef NOISELAB_VERSION
#define NOISELAB_VERSION "0.0.0"
#endif

namespace nl::gui {

namespace {

std::string utc_now() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string compiler() {
#if defined(__clang__)
    return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
    return std::string("gcc ") + __VERSION__;
#else
    return "unknown";
#endif
}

}  // namespace

nlohmann::json experiment_record(const AppState& s) {
    using nlohmann::json;
    const SamplerState& sp = s.sampler;
    const SamplerSettings& st = sp.has_drawn ? sp.drawn : sp.settings;
    json r;
    r["format"] = "noiselab-experiment-record";
    r["created_utc"] = utc_now();
    utsname u{};
    std::string os = "unknown";
    if (uname(&u) == 0) os = std::string(u.sysname) + " " + u.release + " " + u.machine;
    r["software"] = {{"noiselab", NOISELAB_VERSION},
                     {"stream_version", kStreamVersion},
                     {"engine", engine_name(st.engine)},
                     {"dear_imgui", IMGUI_VERSION},
                     {"compiler", compiler()},
                     {"os", os}};
    json gpu;
    Backend* cuda = find_backend(DeviceType::CUDA);
    const int n = cuda ? cuda->device_count() : 0;
    if (n > 0) {
        gpu["cuda_devices"] = n;
        gpu["backend"] = cuda->name();
#ifdef NOISELAB_RECORD_GPU
        gpu["devices"] = nl::gpu::describe_devices();
#endif
    } else {
        gpu["cuda_devices"] = 0;
        gpu["gpu"] = "none";
        gpu["reason"] = cuda_unavailable_reason();
    }
    gpu["opengl_renderer"] = s.status.gl_renderer.empty() ? "none" : s.status.gl_renderer;
    r["gpu"] = gpu;
    json seeds;
    seeds["seed"] = st.seed;
    seeds["generator"] = st.generator == GeneratorMode::Global ? "global (torch.manual_seed)" : "local (torch.Generator)";
    seeds["offset_before"] = sp.offset_before;
    seeds["offset_after"] = sp.offset_after;
    seeds["recent_seeds"] = std::vector<uint64_t>(sp.history.seeds().begin(), sp.history.seeds().end());
    r["seeds"] = seeds;
    json flags;
    flags["distribution"] = describe(st);
    flags["shape"] = shape_arg(st.shape);
    flags["dtype"] = dtype_name(st.dtype);
    flags["device"] = st.device.str();
    flags["live"] = sp.live;
    flags["command_line"] = cli_equivalent(st, sp.offset_before);
    r["flags"] = flags;
    if (sp.tensor.defined()) {
        try {
            r["tensor_hash"] = make_recipe(s).tensor_hash;
        } catch (const Error&) {
            // A tensor the recipe cannot describe still gets a record, without its hash.
        }
    }
    if (s.lesson.active) {
        json checks = json::array();
        for (const LessonCheck& c : s.lesson.checks) checks.push_back({{"name", c.name}, {"passed", c.passed}, {"detail", c.detail}});
        r["lesson"] = {{"id", s.lesson.lesson.id}, {"title", s.lesson.lesson.title}, {"checks", checks}, {"pytorch", s.lesson.code}};
    }
    return r;
}

std::string record_markdown(const nlohmann::json& r) {
    std::string md = "# Experiment record\n\nCreated " + r.value("created_utc", std::string()) + ".\n";
    auto table = [&](const char* title, const char* key) {
        if (!r.contains(key)) return;
        md += std::string("\n## ") + title + "\n\n| | |\n|---|---|\n";
        for (auto it = r[key].begin(); it != r[key].end(); ++it)
            md += "| " + it.key() + " | " + (it.value().is_string() ? it.value().get<std::string>() : it.value().dump()) + " |\n";
    };
    table("Software", "software");
    table("GPU and driver", "gpu");
    table("Seeds", "seeds");
    table("Flags", "flags");
    if (r.contains("tensor_hash")) md += "\nTensor hash: `" + r["tensor_hash"].get<std::string>() + "`\n";
    if (r.contains("lesson")) {
        const auto& l = r["lesson"];
        md += "\n## Lesson: " + l.value("title", std::string()) + "\n\n";
        for (const auto& c : l["checks"]) md += std::string("- ") + (c["passed"].get<bool>() ? "PASS " : "FAIL ") + c["name"].get<std::string>() + "\n";
        md += "\n```python\n" + l.value("pytorch", std::string()) + "```\n";
    }
    return md;
}

std::string record_path(const AppState& s, RecordFormat f) {
    const ExportState& e = s.exporter;
    const std::string folder = e.folder.empty() ? "." : e.folder;
    return folder + "/" + e.base_name + "-record" + (f == RecordFormat::Json ? ".json" : ".md");
}

std::string write_record(AppState& s, RecordFormat f, bool overwrite) {
    const std::string path = record_path(s, f);
    try {
        const nlohmann::json r = experiment_record(s);
        const std::string text = f == RecordFormat::Json ? r.dump(2) + "\n" : record_markdown(r);
        io::write_file_atomic(path, text.data(), text.size(), overwrite);
        s.lesson.message = "wrote " + path;
        s.lesson.message_is_error = false;
    } catch (const std::exception& e) {
        s.lesson.message = std::string("could not write the record: ") + e.what();
        s.lesson.message_is_error = true;
        return "";
    }
    s.exporter.message = s.lesson.message;
    s.exporter.message_is_error = false;
    return path;
}

}  // namespace nl::gui
