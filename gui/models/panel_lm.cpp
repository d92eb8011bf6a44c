// The language-model panel: temperature, top-k and top-p; the next-character distribution after
// the prefix as live bars (a click on a bar appends that character); and seeded sampled words.
// Recomputed only when a setting changes (one forward pass for the bars, n words for the list).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/models/models_draw.h"
#include "gui/models/models_workspace.h"
#include "gui/panels.h"
#include "gui/theme.h"
#include "models/charlm.h"
#include "models/weights.h"

namespace nl::gui {

namespace {
const std::string kSymbols = ".abcdefghijklmnopqrstuvwxyz";
}

void update_lm(LmPanelState& l, const std::string& assets) {
    l.temperature = std::clamp(l.temperature, 0.0f, 3.0f);
    l.top_k = std::clamp(l.top_k, 0, 27);
    l.top_p = std::clamp(l.top_p, 0.05f, 1.0f);
    l.n = std::clamp(l.n, 1, 40);
    std::string clean;
    for (char c : l.prefix)
        if (c >= 'a' && c <= 'z' && clean.size() < 16) clean += c;
        else if (c >= 'A' && c <= 'Z' && clean.size() < 16) clean += static_cast<char>(c - 'A' + 'a');
    l.prefix = clean;
    try {
        if (!l.net)
            l.net = std::make_shared<models::CharMLP>(models::Weights::load(
                assets.empty() ? models::asset_path("charlm.safetensors") : assets + "/charlm.safetensors"));
        char key[128];
        std::snprintf(key, sizeof key, "%.4f|%d|%.4f|%llu|%d|", l.temperature, l.top_k, l.top_p,
                      static_cast<unsigned long long>(l.seed), l.n);
        const std::string k = key + l.prefix;
        if (k == l.shown_key) return;
        l.shown_key = k;
        models::CharSampling s;
        s.temperature = l.temperature;
        s.top_k = l.top_k;
        s.top_p = l.top_p;
        l.probs = models::next_char_probs(*l.net, l.prefix, s).to_vector();
        l.words = models::sample_words(*l.net, l.n, s, l.seed, l.prefix);
        l.error.clear();
    } catch (const std::exception& e) {
        l.error = e.what();
        l.probs.clear();
        l.words.clear();
    }
}

void draw_lm_panel(LmPanelState& l) {
    const float fs = ImGui::GetFontSize();
    const float w = fs * 9.0f;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImGui::BeginChild("##lm_controls", ImVec2(fs * 17.0f, avail.y), false);
    ImGui::SetNextItemWidth(w);
    ImGui::SliderFloat("Temperature", &l.temperature, 0.0f, 3.0f, "%.2f");
    tooltip("Divides the logits: below 1 sharpens (0 = always the most likely character), above 1 flattens.");
    ImGui::SetNextItemWidth(w);
    ImGui::SliderInt("Top-k", &l.top_k, 0, 27, l.top_k == 0 ? "off" : "%d");
    tooltip("Keep only the k most likely characters (0 = off).");
    ImGui::SetNextItemWidth(w);
    ImGui::SliderFloat("Top-p", &l.top_p, 0.05f, 1.0f, l.top_p >= 1.0f ? "off" : "%.2f");
    tooltip("Nucleus: keep the most likely characters until their probability reaches p (1 = off).");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s", l.prefix.c_str());
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputText("Prefix", buf, sizeof buf)) l.prefix = buf;
    tooltip("Words start with this (a-z). The bars show what comes next; click a bar to append it.");
    int seed = static_cast<int>(l.seed);
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputInt("Seed", &seed)) l.seed = static_cast<uint64_t>(std::max(0, seed));
    tooltip("The sampled words come from a generator with this seed: the same settings give the same words.");
    ImGui::SetNextItemWidth(w);
    ImGui::SliderInt("Words", &l.n, 1, 40);
    tooltip("How many words to sample.");
    if (ImGui::Button("Clear prefix")) l.prefix.clear();
    tooltip("Start words from nothing again.");
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##lm_view", ImVec2(0, avail.y), false);
    if (!l.error.empty()) {
        ImGui::TextColored(theme::text_error(), "%s", l.error.c_str());
    } else {
        // As lesson 17 says it: 'after ""' read as a riddle.
        if (l.prefix.empty()) ImGui::TextUnformatted("Next character at the start of a word ('.' ends the word)");
        else ImGui::Text("Next character after \"%s\" ('.' ends the word)", l.prefix.c_str());
        const ImVec2 room(ImGui::GetContentRegionAvail().x, std::max(ImGui::GetContentRegionAvail().y, 0.0f));
        // The bars take what the words below leave (their rows, as many columns as the table
        // below makes, a heading and a margin), between 45% and 75% of the height.
        const int word_cols = std::max(1, static_cast<int>(room.x / (fs * 10.0f)));
        const float word_rows = std::ceil(static_cast<float>(l.n) / static_cast<float>(word_cols));
        const float words_h = (word_rows + 3.0f) * ImGui::GetTextLineHeightWithSpacing();
        const float bars_h = std::max(room.y * 0.45f, std::min(room.y - words_h, room.y * 0.75f));
        const int hit = models_draw::bar_chart("##lm_bars", l.probs, kSymbols, ImVec2(room.x, bars_h));
        if (hit > 0) l.prefix += kSymbols[hit];
        tooltip("Probability of each next character under the current settings; click one to append it.");
        ImGui::TextUnformatted("Sampled words");
        tooltip("Each word is drawn character by character from these settings until '.'.");
        const int cols = std::max(1, static_cast<int>(ImGui::GetContentRegionAvail().x / (fs * 10.0f)));
        if (ImGui::BeginTable("##lm_words", cols)) {
            for (const std::string& word : l.words) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(word.c_str());
            }
            ImGui::EndTable();
        }
    }
    ImGui::EndChild();
}

}  // namespace nl::gui
