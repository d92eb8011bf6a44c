// Every lesson opened in the app headless: it applies its settings, draws its panel and visual
// without errors, its asserted facts pass, and its PyTorch code follows the current settings.
#include <gtest/gtest.h>

#include <imgui_internal.h>

#include <filesystem>
#include <fstream>

#include "gui/lessons/record.h"
#include "gui/panels.h"
#include "lesson_test_util.h"
#include "tensor/errors.h"

using namespace nl;
using namespace nl::gui;
using nl::gui::testing::HeadlessApp;

namespace {

std::vector<Lesson> all_lessons() { return lesson_catalogue(); }

}  // namespace

TEST(LessonHeadless, EveryLessonOpensDrawsAndPassesItsChecks) {
    for (const Lesson& L : all_lessons()) {
        SCOPED_TRACE(L.id);
        HeadlessApp app;
        open_lesson(app.state, L);
        app.state.lesson.revealed = true;
        app.frames(3);
        EXPECT_TRUE(app.state.lesson.active);
        EXPECT_EQ(app.state.sampler.error, "");
        EXPECT_EQ(app.state.lesson.message, "") << "no visual error";
        const std::string& code = app.state.lesson.code;
        EXPECT_EQ(code.rfind("import ", 0), 0u) << code;  // a complete script: imports first
        EXPECT_NE(code.find("torch"), std::string::npos) << code;
        for (const LessonCheck& c : app.state.lesson.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.detail;
        EXPECT_NE(ImGui::FindWindowByName(kLessonWindow), nullptr);
        // Presentation mode and the lock draw too, and hide the sampler column.
        app.state.lesson.presentation = true;
        app.state.lesson.locked = true;
        app.frames(2);
        ImGuiWindow* sampler = ImGui::FindWindowByName(kSamplerWindow);
        EXPECT_TRUE(sampler == nullptr || !sampler->Active) << "no sampler column while presenting";
        close_lesson(app.state);
        app.frames(1);
        EXPECT_FALSE(app.state.lesson.active);
        EXPECT_TRUE(app.state.lesson.checks.empty());
    }
}

TEST(LessonHeadless, OpeningAPresetSetsTheSampler) {
    HeadlessApp app;
    open_lesson_file(app.state, lessons_dir() + "/01_uniform.json");
    app.frames(2);
    const SamplerSettings& s = app.state.sampler.drawn;
    EXPECT_EQ(s.dist, DistKind::Uniform);
    EXPECT_EQ(s.params[0], -2.0);
    EXPECT_EQ(s.params[1], 3.0);
    EXPECT_EQ(s.shape, (Shape{65536}));
    EXPECT_EQ(s.seed, 0u);
    EXPECT_EQ(s.dtype, DType::Float32);
    EXPECT_EQ(app.state.sampler.offset_before, 0u) << "a lesson starts at the start of its seed's stream";
    // The code follows the settings live.
    EXPECT_NE(app.state.lesson.code.find("a, b = -2, 3"), std::string::npos) << app.state.lesson.code;
    app.state.sampler.settings.params[1] = 7;
    app.state.sampler.settings.seed = 42;
    app.frames(1);
    EXPECT_NE(app.state.lesson.code.find("a, b = -2, 7"), std::string::npos) << app.state.lesson.code;
    EXPECT_NE(app.state.lesson.code.find("torch.manual_seed(42)"), std::string::npos) << app.state.lesson.code;
}

TEST(LessonHeadless, APredictionHidesTheVisualUntilAnswered) {
    HeadlessApp app;
    open_lesson_file(app.state, lessons_dir() + "/03_integers.json");
    EXPECT_FALSE(app.state.lesson.revealed);
    app.frames(2);
    ImGuiWindow* hist = ImGui::FindWindowByName(kHistogramWindow);
    EXPECT_TRUE(hist == nullptr || !hist->Active) << "the histogram waits for the prediction";
    app.state.lesson.picked = 2;
    app.state.lesson.revealed = true;
    app.frames(2);
    hist = ImGui::FindWindowByName(kHistogramWindow);
    ASSERT_NE(hist, nullptr);
    EXPECT_TRUE(hist->Active);
}

TEST(LessonHeadless, TheRandintCheckCanFail) {
    // The check reads the tensor: a tensor whose max reaches high fails it.
    HeadlessApp app;
    open_lesson_file(app.state, lessons_dir() + "/03_integers.json");
    app.frames(1);
    ASSERT_FALSE(app.state.lesson.checks.empty());
    EXPECT_TRUE(lesson_checks_pass(app.state.lesson));
    app.state.sampler.tensor.set({0}, 10.0);  // plant the excluded value
    update_lesson(app.state);
    EXPECT_FALSE(lesson_checks_pass(app.state.lesson));
}

TEST(LessonHeadless, TheExperimentRecordHasVersionsGpuSeedsAndFlags) {
    HeadlessApp app;
    open_lesson_file(app.state, lessons_dir() + "/02_normal.json");
    app.frames(1);
    const nlohmann::json r = experiment_record(app.state);
    EXPECT_EQ(r["software"]["stream_version"], kStreamVersion);
    EXPECT_TRUE(r["software"].contains("noiselab"));
    EXPECT_TRUE(r["gpu"].contains("cuda_devices"));
    EXPECT_EQ(r["seeds"]["seed"], 0u);
    EXPECT_EQ(r["flags"]["shape"], "65536");
    EXPECT_EQ(r["lesson"]["id"], "02_normal");
    const std::string md = record_markdown(r);
    EXPECT_NE(md.find("## GPU and driver"), std::string::npos);
    EXPECT_NE(md.find("```python"), std::string::npos);

    const std::string dir = std::string(NOISELAB_BINARY_DIR) + "/lessons_record_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    app.state.exporter.folder = dir;
    app.state.exporter.base_name = "exp";
    EXPECT_EQ(write_record(app.state, RecordFormat::Json, false), dir + "/exp-record.json");
    EXPECT_FALSE(app.state.lesson.message_is_error) << app.state.lesson.message;
    EXPECT_EQ(nlohmann::json::parse(std::ifstream(dir + "/exp-record.json"))["seeds"]["seed"], 0u);
    EXPECT_EQ(write_record(app.state, RecordFormat::Json, false), "") << "never replaces a file unasked";
    EXPECT_TRUE(app.state.lesson.message_is_error);
    EXPECT_NE(write_record(app.state, RecordFormat::Markdown, false), "");
}

namespace {

// Clicks the item whose tooltip starts with `tip` (as a mouse would: move, press, release).
bool click(HeadlessApp& app, const char* tip) {
    TooltipAudit audit;
    ImGui::GetIO().UserData = &audit;
    app.frame();
    ImGui::GetIO().UserData = nullptr;
    const TooltipAudit::Item* item = audit.find(tip);
    if (!item) return false;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2((item->min.x + item->max.x) * 0.5f, (item->min.y + item->max.y) * 0.5f);
    app.frame();
    io.MouseDown[0] = true;
    app.frame();
    io.MouseDown[0] = false;
    app.frames(2);
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    return true;
}

}  // namespace

TEST(LessonHeadless, LockedControlsDoNotChangeTheLesson) {
    for (bool locked : {false, true}) {
        SCOPED_TRACE(locked ? "locked" : "unlocked");
        HeadlessApp app;
        open_lesson_file(app.state, lessons_dir() + "/01_uniform.json");
        app.state.lesson.locked = locked;
        app.state.lesson.revealed = true;
        app.frames(2);
        const uint64_t offset = app.state.sampler.offset_after;
        ASSERT_TRUE(click(app, "Logarithmic density axis"));                  // the visual (histogram)
        EXPECT_EQ(app.state.histogram.log_scale, !locked);
        ASSERT_TRUE(click(app, "Draw the next values of the stream (Space)"));  // the lesson column
        EXPECT_EQ(app.state.sampler.offset_after > offset, !locked);
    }
}

// Every visual opened with each of its parameters at the low and then the high end of its
// declared range (the rest left to their defaults): what parse_lesson lets through, the visual
// survives, without an error message.
TEST(LessonHeadless, EveryVisualRunsAtTheEndsOfItsParameterRanges) {
    for (const LessonVisual& v : lesson_visuals()) {
        for (int end = 0; end < 2; ++end) {
            nlohmann::json params = nlohmann::json::object();
            for (const VisualParam& p : v.params) {
                switch (p.kind) {
                    case VisualParam::Kind::Boolean: params[p.key] = end == 1; break;
                    case VisualParam::Kind::Text:
                        params[p.key] = p.choices.empty() ? std::string(end ? p.max_chars : 0, 'e')
                                                          : (end ? p.choices.back() : p.choices.front());
                        break;
                    case VisualParam::Kind::Integer:
                        if (p.hi > 9.2e18) params[p.key] = end ? UINT64_MAX : uint64_t(0);  // a full uint64 range
                        else params[p.key] = static_cast<int64_t>(end ? p.hi : p.lo);
                        break;
                    case VisualParam::Kind::Number: params[p.key] = end ? p.hi : p.lo; break;
                }
            }
            SCOPED_TRACE(v.id + " " + params.dump());
            const std::string text = R"({"id": "t", "number": 1, "title": "T", "explanation": ["a", "b", "c"], "visual": ")" +
                                     v.id + R"(", "visual_params": )" + params.dump() + "}";
            HeadlessApp app;
            open_lesson(app.state, parse_lesson(text, "t.json"));
            app.state.lesson.revealed = true;
            app.frames(2);
            EXPECT_EQ(app.state.lesson.message, "") << "no visual error";
            EXPECT_FALSE(app.state.lesson.code.empty());
        }
    }
}

TEST(LessonHeadless, VisualParamsReachTheVisuals) {
    // Lesson 7 with V = 50,000 and top-k, lesson 17 with top-k and a prefix: the checks hold and the
    // code follows the parameters.
    const std::string big = R"({"id": "t7", "number": 7, "title": "T", "explanation": ["a", "b", "c"],
        "visual": "multinomial", "visual_params": {"large": true, "top_k": 50, "top_p": 1, "samples": 5000}})";
    HeadlessApp app;
    open_lesson(app.state, parse_lesson(big, "t7.json"));
    app.frames(2);
    ASSERT_EQ(app.state.lesson.checks.size(), 2u);
    EXPECT_TRUE(lesson_checks_pass(app.state.lesson));
    EXPECT_NE(app.state.lesson.code.find("V = 50000"), std::string::npos) << app.state.lesson.code;
    EXPECT_NE(app.state.lesson.code.find("T, top_k, top_p, n = 1, 50, 1, 5000"), std::string::npos) << app.state.lesson.code;

    const std::string lm = R"({"id": "t17", "number": 17, "title": "T", "explanation": ["a", "b", "c"],
        "visual": "charlm", "visual_params": {"temperature": 0.5, "top_k": 3, "prefix": "th"}})";
    open_lesson(app.state, parse_lesson(lm, "t17.json"));
    app.frames(2);
    ASSERT_EQ(app.state.lesson.checks.size(), 2u);
    for (const LessonCheck& c : app.state.lesson.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.detail;
    EXPECT_NE(app.state.lesson.code.find("T, top_k, top_p = 0.5, 3, 1"), std::string::npos) << app.state.lesson.code;
    EXPECT_NE(app.state.lesson.code.find("prefix = \"th\""), std::string::npos);
}

TEST(LessonHeadless, TheNormalChecksCanFail) {
    // Lesson 2 asserts mean mu and std sigma on the drawn tensor: a tensor drawn with sigma 0.5
    // does not pass as sigma 0.55, nor as mu 2.03 (65536 values: 5 standard errors are 0.0098 / 0.0069).
    HeadlessApp app;
    open_lesson_file(app.state, lessons_dir() + "/02_normal.json");
    app.frames(1);
    ASSERT_EQ(app.state.lesson.checks.size(), 2u);
    EXPECT_TRUE(lesson_checks_pass(app.state.lesson));
    app.state.sampler.drawn.params[1] = 0.55;
    update_lesson(app.state);
    EXPECT_TRUE(app.state.lesson.checks[0].passed);
    EXPECT_FALSE(app.state.lesson.checks[1].passed);
    app.state.sampler.drawn.params[1] = 0.5;
    app.state.sampler.drawn.params[0] = 2.03;
    update_lesson(app.state);
    EXPECT_FALSE(app.state.lesson.checks[0].passed);
}

TEST(LessonHeadless, ClassroomSwitchesSurviveAChangeOfLessonNotAClose) {
    HeadlessApp app;
    open_lesson_file(app.state, lessons_dir() + "/01_uniform.json");
    app.state.lesson.presentation = true;
    app.state.lesson.locked = true;
    app.state.lesson.picked = 1;
    open_lesson_file(app.state, lessons_dir() + "/11_seeds.json");
    EXPECT_TRUE(app.state.lesson.presentation);
    EXPECT_TRUE(app.state.lesson.locked);
    EXPECT_EQ(app.state.lesson.picked, -1) << "a new lesson asks its own question";
    EXPECT_EQ(app.state.lesson.lesson.id, "11_seeds");
    EXPECT_EQ(app.state.sampler.settings.seed, 42u);
    close_lesson(app.state);
    EXPECT_FALSE(app.state.lesson.active);
    EXPECT_FALSE(app.state.lesson.presentation);
    EXPECT_FALSE(app.state.lesson.locked);
    app.frames(2);  // the main window again
    EXPECT_NE(ImGui::FindWindowByName(kSamplerWindow), nullptr);
}
