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
    const std::string range = message_of(preset("dataloader", R"({"n": 100000})"));
    EXPECT_NE(range.find("field 'visual_params.n': 100000 is outside 4 to 48"), std::string::npos) << range;
    const std::string huge = message_of(preset("dataloader", R"({"n": 1e300})"));
    EXPECT_NE(huge.find("field 'visual_params.n': must be an integer in 4 to 48, got 1e+300"), std::string::npos) << huge;
    const std::string big_number = message_of(preset("seed_sweep", R"({"lr": 1e300})"));
    EXPECT_NE(big_number.find("field 'visual_params.lr': 1e+300 is outside 0.001 to 1"), std::string::npos) << big_number;
    const std::string type = message_of(preset("charlm", R"({"top_k": "many"})"));
    EXPECT_NE(type.find("field 'visual_params.top_k': must be an integer in 0 to 27, got \"many\""), std::string::npos) << type;
    const std::string frac = message_of(preset("charlm", R"({"top_k": 2.5})"));
    EXPECT_NE(frac.find("must be an integer"), std::string::npos) << frac;
    const std::string unknown = message_of(preset("init_depth", R"({"depth": 3})"));
    EXPECT_NE(unknown.find("field 'visual_params.depth': unknown for visual 'init_depth' (known: layers, width"), std::string::npos)
        << unknown;
    const std::string none = message_of(preset("dtypes", R"({"k": 3})"));
    EXPECT_NE(none.find("it takes no parameters"), std::string::npos) << none;
    const std::string choice = message_of(preset("seed_sweep", R"({"optim": "rmsprop"})"));
    EXPECT_NE(choice.find("'rmsprop' is not one of: adam, sgd"), std::string::npos) << choice;
    const std::string flag = message_of(preset("multinomial", R"({"large": 1})"));
    EXPECT_NE(flag.find("field 'visual_params.large': must be true or false, got 1"), std::string::npos) << flag;
    const std::string text = message_of(preset("charlm", R"({"prefix": ")" + std::string(40, 'a') + R"("})"));
    EXPECT_NE(text.find("40 characters; at most 31 are allowed"), std::string::npos) << text;
    const std::string negative = message_of(preset("local_generator", R"({"local_seed": -1})"));
    EXPECT_NE(negative.find("-1 is outside 0 to"), std::string::npos) << negative;
    EXPECT_NO_THROW(parse_lesson(preset("local_generator", R"({"local_seed": 18446744073709551615})")));
}

TEST(LessonFormat, EveryVisualDeclaresSaneParameterRanges) {
    for (const LessonVisual& v : lesson_visuals()) {
        for (const VisualParam& p : v.params) {
            SCOPED_TRACE(v.id + "." + p.key);
            EXPECT_FALSE(p.key.empty());
            if (p.kind == VisualParam::Kind::Number || p.kind == VisualParam::Kind::Integer) EXPECT_LE(p.lo, p.hi);
            if (p.kind == VisualParam::Kind::Text) EXPECT_GT(p.hi, 0);
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
