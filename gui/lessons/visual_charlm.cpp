// Lesson 17: sampling words from Noise Lab's character model (models/charlm.h) with temperature,
// top-k and top-p. Shows the next-character distribution after a prefix (27 bars: '.' ends the
// word) and words sampled with the sampler's seed. Asserted: the same seed gives the same words,
// and the filtered distribution sums to 1 with at most top-k characters left. Without the weights
// file the visual says what is missing instead of failing.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>

#include <imgui.h>

#include "gui/app_state.h"
#include "gui/lessons/draw_util.h"
#include "gui/lessons/lesson_app.h"
#include "gui/lessons/lesson_code.h"
#include "gui/lessons/visuals.h"
#include "gui/models/models_draw.h"
#include "gui/panels.h"
#include "gui/text_fit.h"
#include "gui/theme.h"
#include "models/charlm.h"
#include "models/weights.h"
#include "tensor/errors.h"

namespace nl::gui {

namespace {

constexpr int kSampledWords = 16;

struct CharVisual {
    bool init = false;
    std::shared_ptr<models::CharMLP> model;
    std::string load_error;
    float temperature = 0.8f;
    int top_k = 0;
    float top_p = 1.0f;
    char prefix[32] = "";
    bool dirty = true;
    uint64_t seed = ~uint64_t(0);
    std::vector<double> probs;       // next character after the prefix, filtered
    std::vector<std::string> words, again;
    std::string error;
};

models::CharSampling sampling_of(const CharVisual& v) {
    models::CharSampling s;
    s.temperature = std::round(static_cast<double>(v.temperature) * 100) / 100;
    s.top_k = v.top_k;
    s.top_p = std::round(static_cast<double>(v.top_p) * 100) / 100;
    return s;
}

void char_update(CharVisual& v, const VisualContext& c) {
    if (!v.init) {
        v.init = true;
        v.temperature = static_cast<float>(c.params.value("temperature", 0.8));
        v.top_k = c.params.value("top_k", 0);
        v.top_p = static_cast<float>(c.params.value("top_p", 1.0));
        std::snprintf(v.prefix, sizeof v.prefix, "%s", c.params.value("prefix", std::string()).c_str());
        try {
            v.model = std::make_shared<models::CharMLP>(models::Weights::load(models::asset_path("charlm.safetensors")));
        } catch (const Error& e) {
            v.load_error = e.what();
        }
    }
    if (!v.model) {
        c.check("the character model is loaded", false, v.load_error);
        return;
    }
    const uint64_t seed = c.app.sampler.settings.seed;
    if (v.dirty || seed != v.seed) {
        v.dirty = false;
        v.seed = seed;
        try {
            const models::CharSampling s = sampling_of(v);
            v.probs = models::next_char_probs(*v.model, v.prefix, s).to_vector();
            v.words = models::sample_words(*v.model, kSampledWords, s, seed, v.prefix);
            v.again = models::sample_words(*v.model, kSampledWords, s, seed, v.prefix);
            v.error.clear();
        } catch (const Error& e) {
            v.error = e.what();
            v.probs.clear();
            v.words.clear();
            v.again.clear();
        }
    }
    if (!v.error.empty()) return;
    c.check("the same seed gives the same words", !v.words.empty() && v.words == v.again);
    const double sum = std::accumulate(v.probs.begin(), v.probs.end(), 0.0);
    const int kept = static_cast<int>(std::count_if(v.probs.begin(), v.probs.end(), [](double p) { return p > 0; }));
    char d[96];
    std::snprintf(d, sizeof d, "%d of 27 characters kept, probabilities sum to %.12f", kept, sum);
    c.check("the filtered distribution sums to 1 and keeps at most top-k characters", std::fabs(sum - 1) < 1e-9 && (v.top_k == 0 || kept <= v.top_k) && kept >= 1, d);
}

void char_draw(CharVisual& v, const VisualContext& c) {
    paint::begin_visual(kLessonVisualWindow, c.rect);
    text_wrapped(theme::accent(), "A character-level language model: next character and sampled words");
    ImGui::Separator();
    if (!v.model) {
        text_wrapped(theme::text_error(), "The character model could not be loaded:");
        text_wrapped(v.load_error);
        text_wrapped(theme::text_dim(), "(models/train/train_charlm.py makes assets/charlm.safetensors; $NOISELAB_ASSETS moves the folder)");
        paint::end_visual();
        return;
    }
    const float fw = ImGui::GetFontSize();
    ImGui::SetNextItemWidth(fw * 7);
    if (ImGui::SliderFloat("T", &v.temperature, 0.05f, 2.0f, "%.2f", ImGuiSliderFlags_Logarithmic)) v.dirty = true;
    tooltip("Temperature, 0.05-2: low is safe and repetitive, high is creative and misspelt.");
    same_line_if_fits(labelled_width(fw * 6, "top-k"));
    ImGui::SetNextItemWidth(fw * 6);
    if (ImGui::SliderInt("top-k", &v.top_k, 0, 27, v.top_k == 0 ? "off" : "%d")) v.dirty = true;
    tooltip("Keep only the k most likely next characters (0: off).");
    same_line_if_fits(labelled_width(fw * 6, "top-p"));
    ImGui::SetNextItemWidth(fw * 6);
    if (ImGui::SliderFloat("top-p", &v.top_p, 0.05f, 1.0f, v.top_p >= 1.0f ? "off" : "%.2f")) v.dirty = true;
    tooltip("Keep the most likely characters until their mass reaches p (1: off).");
    same_line_if_fits(labelled_width(fw * 6, "prefix"));
    ImGui::SetNextItemWidth(fw * 6);
    if (ImGui::InputText("prefix", v.prefix, sizeof v.prefix, ImGuiInputTextFlags_CharsNoBlank)) v.dirty = true;
    tooltip("Letters a-z the words start with.");
    same_line_if_fits(button_width("New seed"));
    if (ImGui::Button("New seed")) c.app.sampler.settings.seed += 1;
    tooltip("Next seed: new words.");
    if (!v.error.empty()) {
        text_wrapped(theme::text_error(), v.error);
        paint::end_visual();
        return;
    }
    const std::string where = v.prefix[0] ? "after \"" + std::string(v.prefix) + "\"" : std::string("at the start of a word");
    text_wrapped(theme::text_dim(), "probability of the next character " + where + " (after T, top-k, top-p; '.' ends the word)");
    std::string symbols;
    std::vector<bool> cut;  // characters T, top-k and top-p left no probability: dim labels
    for (int i = 0; i < 27; ++i) {
        symbols += models::char_of(i);
        cut.push_back(!(v.probs[static_cast<size_t>(i)] > 0));
    }
    // As many columns of words as the longest word leaves room for, up to four; the bars give up
    // height before the words go below the fold (a projector at 1024 x 768, presentation mode).
    float widest = ImGui::CalcTextSize("(empty)").x;
    for (const std::string& word : v.words) widest = std::max(widest, ImGui::CalcTextSize(word.c_str()).x);
    const float column = widest + ImGui::GetStyle().CellPadding.x * 2 + ImGui::GetFontSize();
    const int cols = std::clamp(static_cast<int>(ImGui::GetContentRegionAvail().x / column), 1, 4);
    const int rows = (static_cast<int>(v.words.size()) + cols - 1) / cols;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float words_h = line + rows * (ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y) + line;
    const float bars_h = std::clamp(ImGui::GetContentRegionAvail().y - words_h, 100.0f, std::max(100.0f, c.rect.h * 0.38f));
    models_draw::bar_chart("##next_char", v.probs, symbols, ImVec2(ImGui::GetContentRegionAvail().x - 4, bars_h), -1, cut);
    text_wrapped(theme::text_dim(), std::to_string(kSampledWords) + " words, seed " + std::to_string(v.seed) +
                                        " (sampled twice: identical)");
    if (ImGui::BeginTable("words", cols, ImGuiTableFlags_SizingStretchSame)) {
        for (const std::string& word : v.words) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(word.empty() ? "(empty)" : word.c_str());
        }
        ImGui::EndTable();
    }
    paint::end_visual();
}

std::string char_code(const CharVisual& v, const VisualContext& c) {
    const models::CharSampling s = sampling_of(v);
    std::string out = "import json, struct, torch\n";
    out += "path = \"" + models::asset_path("charlm.safetensors") + "\"  # Noise Lab's character model\n";
    out += "raw = open(path, \"rb\").read()\n";
    out += "n = struct.unpack(\"<Q\", raw[:8])[0]\n";
    out += "head = json.loads(raw[8:8 + n])\n";
    out += "W = {k: torch.frombuffer(bytearray(raw[8 + n + e[\"data_offsets\"][0]:8 + n + e[\"data_offsets\"][1]]),\n";
    out += "                         dtype=torch.float32).reshape(e[\"shape\"])\n";
    out += "     for k, e in head.items() if k != \"__metadata__\"}\n";
    out += "def model(ctx):  # ctx: [B, 8] symbols, 0 = '.', 1-26 = 'a'-'z'\n";
    out += "    h = W[\"embed.weight\"][ctx].flatten(1)\n";
    out += "    h = torch.tanh(h @ W[\"l1.weight\"].T + W[\"l1.bias\"])\n";
    out += "    h = torch.tanh(h @ W[\"l2.weight\"].T + W[\"l2.bias\"])\n";
    out += "    return h @ W[\"out.weight\"].T + W[\"out.bias\"]\n";
    out += "chars = \".abcdefghijklmnopqrstuvwxyz\"\n";
    out += "T, top_k, top_p = " + code::py_num(s.temperature) + ", " + std::to_string(s.top_k) + ", " + code::py_num(s.top_p) + "\n";
    out += "def next_probs(symbols):\n";
    out += "    logits = model(torch.tensor([([0] * 8 + symbols)[-8:]]))[0]\n";
    out += "    if top_k > 0:\n";
    out += "        kth = torch.topk(logits, top_k).values[-1]\n";
    out += "        logits = logits.masked_fill(logits < kth, float(\"-inf\"))\n";
    out += "    if top_p < 1:\n";
    out += "        p = torch.softmax(logits / T, -1)\n";
    out += "        sp, order = torch.sort(p, descending=True)\n";
    out += "        logits[order[(torch.cumsum(sp, 0) - sp) >= top_p]] = float(\"-inf\")\n";
    out += "    return torch.softmax(logits / T, -1)\n";
    out += "g = torch.Generator().manual_seed(" + std::to_string(c.app.sampler.settings.seed) + ")\n";
    out += "prefix = \"" + std::string(v.prefix) + "\"\n";
    out += "words = []\n";
    out += "for _ in range(" + std::to_string(kSampledWords) + "):\n";
    out += "    sym = [chars.index(ch) for ch in prefix]\n";
    out += "    for _ in range(24):\n";
    out += "        k = torch.multinomial(next_probs(sym), 1, generator=g).item()\n";
    out += "        if k == 0:\n";
    out += "            break\n";
    out += "        sym.append(k)\n";
    out += "    words.append(\"\".join(chars[k] for k in sym))\n";
    out += "probs = next_probs([chars.index(ch) for ch in prefix])\n";
    out += "print(probs.shape, probs.dtype)\n";
    out += "print(words)\n";
    return out;
}

}  // namespace

LessonVisual charlm_visual() { return make_visual<CharVisual>("charlm", char_update, char_draw, char_code,
                       {VisualParam::number("temperature", 0.05, 2.0), VisualParam::integer("top_k", 0, 27),
                        VisualParam::number("top_p", 0.05, 1.0), VisualParam::text("prefix", {}, 31)}); }

}  // namespace nl::gui
