// Lesson presets: every shipped file parses; bad files are refused with a message naming the
// file and the field; the registry knows the built-in visuals.
#include <gtest/gtest.h>

#include <string>

#include "gui/lessons/lesson.h"
#include "tensor/errors.h"

using namespace nl;
using namespace nl::gui;

namespace {

const char* kGood = R"({
  "id": "t", "number": 5, "title": "T",
  "explanation": ["One.", "Two.", "Three."],
  "settings": {"dist": "uniform", "low": -1, "high": 2, "shape": [100], "seed": 3},
  "visual": "sampler"
})";

std::string message_of(const std::string& text) {
    try {
        parse_lesson(text, "bad.json");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

std::string with(const std::string& field_json) {
    // kGood with one field replaced / added (last key wins is not JSON's rule, so rebuild).
    std::string s = kGood;
    return s.substr(0, s.rfind('}')) + ", " + field_json + "}";
}

}  // namespace

TEST(LessonFormat, AGoodPresetParses) {
    const Lesson L = parse_lesson(kGood, "good.json");
    EXPECT_EQ(L.id, "t");
    EXPECT_EQ(L.number, 5);
    ASSERT_EQ(L.explanation.size(), 3u);
    EXPECT_EQ(L.visual, "sampler");
    ASSERT_EQ(L.settings.size(), 5u);
    EXPECT_EQ(L.settings[0], (std::pair<std::string, std::string>{"dist", "uniform"}));
    EXPECT_EQ(L.settings[3].second, "100");  // shapes as the script's text
    EXPECT_FALSE(L.predict.defined());
}

TEST(LessonFormat, BadFilesNameTheFileAndTheField) {
    EXPECT_NE(message_of("{not json").find("bad.json: not valid JSON"), std::string::npos);
    // A number beyond double makes the JSON library throw out_of_range, not parse_error (the
    // same finding as fuzz_recipe's): it must still be our clear error, not an escaped exception.
    EXPECT_NE(message_of(R"({"id":"t","number":1e999})").find("bad.json: not valid JSON"), std::string::npos);
    EXPECT_NE(message_of("[1]").find("bad.json"), std::string::npos);
    const std::string no_title = R"({"id":"t","number":1,"explanation":["a","b","c"],"visual":"sampler"})";
    EXPECT_NE(message_of(no_title).find("bad.json: field 'title'"), std::string::npos) << message_of(no_title);
    const std::string two = R"({"id":"t","number":1,"title":"T","explanation":["a","b"],"visual":"sampler"})";
    EXPECT_NE(message_of(two).find("field 'explanation'"), std::string::npos);
    const std::string num = R"({"id":"t","number":0,"title":"T","explanation":["a","b","c"],"visual":"sampler"})";
    EXPECT_NE(message_of(num).find("field 'number': 0 is outside 1-99"), std::string::npos) << message_of(num);
    const std::string vis = R"({"id":"t","number":1,"title":"T","explanation":["a","b","c"],"visual":"nope"})";
    EXPECT_NE(message_of(vis).find("field 'visual': 'nope' is not a registered visual"), std::string::npos) << message_of(vis);
    const std::string set = R"({"id":"t","number":1,"title":"T","explanation":["a","b","c"],"visual":"sampler","settings":{"dist":"gauss"}})";
    EXPECT_NE(message_of(set).find("field 'settings.dist'"), std::string::npos) << message_of(set);
    const std::string param = R"({"id":"t","number":1,"title":"T","explanation":["a","b","c"],"visual":"sampler","settings":{"dist":"uniform","low":5,"high":1}})";
    EXPECT_NE(message_of(param).find("bad.json"), std::string::npos);
    EXPECT_NE(message_of(with(R"("colour": 1)")).find("field 'colour': unknown field"), std::string::npos);
    const std::string pred = with(R"("predict": {"question": "Q", "choices": ["a", "b"], "correct": 2})");
    EXPECT_NE(message_of(pred).find("field 'predict.correct': 2 is outside 0-1"), std::string::npos) << message_of(pred);
}

TEST(LessonFormat, VisualParamsAreCheckedAgainstTheVisual) {
    // A preset from someone else cannot hand a visual a value it would choke on: every entry of
    // visual_params must be one the visual declares, of its type and inside its range.
    auto preset = [](const std::string& visual, const std::string& params) {
        return R"({"id":"t","number":1,"title":"T","explanation":["a","b","c"],"visual":")" + visual +
               R"(","visual_params":)" + params + "}";
    };
    EXPECT_NO_THROW(parse_lesson(preset("dataloader", R"({"n": 24, "workers": 0, "correct": true})")));
    struct Refusal {
        const char* visual;
        std::string params;
        const char* message;  // a fragment of what the user reads
    };
    const Refusal refusals[] = {
        {"dataloader", R"({"n": 100000})", "field 'visual_params.n': 100000 is outside 4 to 48"},
        {"dataloader", R"({"n": 1e300})", "field 'visual_params.n': must be an integer in 4 to 48, got 1e+300"},
        {"seed_sweep", R"({"lr": 1e300})", "field 'visual_params.lr': 1e+300 is outside 0.001 to 1"},
        {"charlm", R"({"top_k": "many"})", "field 'visual_params.top_k': must be an integer in 0 to 27, got \"many\""},
        {"charlm", R"({"top_k": 2.5})", "must be an integer"},
        {"init_depth", R"({"depth": 3})", "field 'visual_params.depth': unknown for visual 'init_depth' (known: layers, width"},
        {"dtypes", R"({"k": 3})", "it takes no parameters"},
        {"seed_sweep", R"({"optim": "rmsprop"})", "'rmsprop' is not one of: adam, sgd"},
        {"multinomial", R"({"large": 1})", "field 'visual_params.large': must be true or false, got 1"},
        {"charlm", R"({"prefix": ")" + std::string(40, 'a') + R"("})", "40 characters; at most 31 are allowed"},
        {"local_generator", R"({"local_seed": -1})", "-1 is outside 0 to"},
    };
    for (const Refusal& r : refusals) {
        const std::string message = message_of(preset(r.visual, r.params));
        EXPECT_NE(message.find(r.message), std::string::npos) << r.visual << " " << r.params << ": " << message;
    }
    EXPECT_NO_THROW(parse_lesson(preset("local_generator", R"({"local_seed": 18446744073709551615})")));
}

TEST(LessonFormat, EveryVisualDeclaresSaneParameterRanges) {
    for (const LessonVisual& v : lesson_visuals()) {
        for (const VisualParam& p : v.params) {
            SCOPED_TRACE(v.id + "." + p.key);
            EXPECT_FALSE(p.key.empty());
            if (p.kind == VisualParam::Kind::Number || p.kind == VisualParam::Kind::Integer) {
                EXPECT_LE(p.lo, p.hi);
            }
            if (p.kind == VisualParam::Kind::Text) {
                EXPECT_GT(p.max_chars, 0u);
            }
            int same = 0;
            for (const VisualParam& q : v.params) same += q.key == p.key;
            EXPECT_EQ(same, 1) << "declared once";
        }
    }
}

TEST(LessonFormat, AMissingFileIsAnIOErrorNamingIt) {
    try {
        load_lesson("/nonexistent/lesson.json");
        FAIL();
    } catch (const IOError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/lesson.json"), std::string::npos);
    }
}

TEST(LessonFormat, EveryShippedPresetLoads) {
    std::vector<std::string> errors;
    const std::vector<Lesson> all = lesson_catalogue(&errors);
    for (const std::string& e : errors) ADD_FAILURE() << e;
    ASSERT_GE(all.size(), 3u);
    for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].number, all[i].number) << "numbers are unique and ordered";
    for (const Lesson& L : all) {
        EXPECT_EQ(L.file.substr(L.file.rfind('/') + 1), L.id + ".json") << "the id is the file's stem";
        EXPECT_GE(L.explanation.size(), 3u);
        EXPECT_LE(L.explanation.size(), 6u);
    }
}

TEST(LessonFormat, TheRegistryFindsVisualsById) {
    ASSERT_NE(find_visual("sampler"), nullptr);
    EXPECT_EQ(find_visual("no such visual"), nullptr);
    EXPECT_NE(visual_ids().find("sampler"), std::string::npos);
    for (const LessonVisual& v : lesson_visuals()) {
        const VisualInstance inst = v.create();
        EXPECT_TRUE(inst.update && inst.draw && inst.pytorch_code) << v.id;
    }
}
