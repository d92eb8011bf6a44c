// The PyTorch code of every lesson is valid Python (compiled by /usr/bin/python3) and, where
// torch is importable, runs and prints the shape and dtype of the tensor the lesson shows.
// Each snippet's first printed line starts with `x.shape, x.dtype` of what is shown.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <algorithm>

#include "lesson_test_util.h"
#include "tensor/dtype.h"
#include "tests/support/process.h"

using namespace nl;
using namespace nl::gui;
using nl::gui::testing::HeadlessApp;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

using nl::test::ProcessResult;
using nl::test::run_shell;

bool have_python() { return fs::exists(kPython); }
bool have_torch() {
    static const bool yes = have_python() && run_shell(std::string(kPython) + " -c 'import torch'").status == 0;
    return yes;
}

fs::path scratch() {
    const fs::path d = fs::path(NOISELAB_BINARY_DIR) / "lessons_python_test";
    fs::create_directories(d);
    return d;
}

// "torch.Size([64, 1, 28, 28]) torch.float32" as the snippet printed it.
std::string shown(const Shape& s, DType d) {
    std::string out = "torch.Size([";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]) torch." + dtype_name(d);
}

// The shape and dtype each lesson's snippet must print first: what its visual shows.
// Lessons whose visual shows the sampler's tensor print its shape and dtype; the others print
// their own visual's main tensor (see the visual files in gui/lessons/).
std::string expected_first_line(const AppState& s) {
    const std::string& v = s.lesson.lesson.visual;
    const nlohmann::json& p = s.lesson.lesson.visual_params;
    const Shape& shape = s.sampler.settings.shape;
    if (v == "permutation") return shown({std::clamp<int64_t>(shape[0], 2, 40)}, DType::Int64);
    if (v == "rows") return shown({p.value("k", int64_t(8))}, DType::Int64);
    if (v == "dropout") return shown({28, 28}, DType::Float32);
    if (v == "multinomial") return shown({p.value("samples", int64_t(20000))}, DType::Int64);
    if (v == "dtypes") return shown({shape_numel(shape)}, DType::Float32);
    if (v == "charlm") return shown({27}, DType::Float32);
    return shown(s.sampler.drawn.shape, s.sampler.drawn.dtype);
}

}  // namespace

// One Python process runs every snippet (importing torch once), each in a fresh namespace,
// printing "=== <id>" before and "=== end" or "=== error <message>" after it.
constexpr const char* kRunner = R"PY(import sys, traceback
for path in sys.argv[1:]:
    print("=== " + path, flush=True)
    try:
        exec(compile(open(path).read(), path, "exec"), {"__name__": "__main__"})
        print("=== end", flush=True)
    except Exception:
        print("=== error " + traceback.format_exc().replace("\n", " | "), flush=True)
)PY";

TEST(LessonPython, EverySnippetCompilesAndRunsWithTheShownShapeAndDtype) {
    if (!have_python()) GTEST_SKIP() << kPython << " not found";
    std::map<std::string, std::string> expected, code_of;
    std::string files;
    // Every lesson as shipped; lesson 15 in both of its modes (its "auto" picks one by the machine).
    std::vector<Lesson> lessons;
    for (const Lesson& L : lesson_catalogue()) {
        if (L.visual != "seed_sweep") {
            lessons.push_back(L);
            continue;
        }
        for (const char* mode : {"sequential", "batched"}) {
            Lesson variant = L;
            variant.id += std::string("_") + mode;
            variant.visual_params["training"] = mode;
            lessons.push_back(variant);
        }
    }
    for (const Lesson& L : lessons) {
        SCOPED_TRACE(L.id);
        HeadlessApp app;
        open_lesson(app.state, L);
        app.frames(2);
        const std::string code = app.state.lesson.code;
        ASSERT_FALSE(code.empty());
        const fs::path py = scratch() / (L.id + ".py");
        std::ofstream(py) << code;
        const ProcessResult c = run_shell(std::string(kPython) + " -c \"import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')\" '" + py.string() + "'");
        EXPECT_EQ(c.status, 0) << "not valid Python:\n" << code << "\n" << c.output;
        expected[py.string()] = expected_first_line(app.state);
        code_of[py.string()] = code;
        files += " '" + py.string() + "'";
    }
    if (!have_torch()) GTEST_SKIP() << "torch not importable by " << kPython << ": snippets compiled, not run";
    const fs::path runner = scratch() / "run_snippets.py";
    std::ofstream(runner) << kRunner;
    const ProcessResult r = run_shell("timeout 300 " + std::string(kPython) + " '" + runner.string() + "'" + files);
    ASSERT_EQ(r.status, 0) << r.output;
    // Split the output per snippet.
    std::map<std::string, std::string> out;
    std::string current;
    size_t pos = 0;
    while (pos < r.output.size()) {
        const size_t eol = std::min(r.output.find('\n', pos), r.output.size());
        const std::string line = r.output.substr(pos, eol - pos);
        pos = eol + 1;
        if (line.rfind("=== ", 0) == 0 && expected.count(line.substr(4))) current = line.substr(4);
        else if (!current.empty()) out[current] += line + "\n";
    }
    for (const auto& [path, first] : expected) {
        SCOPED_TRACE(path);
        const std::string& o = out[path];
        EXPECT_NE(o.find("=== end"), std::string::npos) << "did not run to the end:\n" << code_of[path] << "\n" << o;
        EXPECT_EQ(o.rfind(first, 0), 0u) << "first printed line should start with: " << first << "\nprinted:\n" << o;
    }
}
