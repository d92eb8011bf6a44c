// gui/word_wrap.h: lines break only between words (never inside "0.5" or "torch.rand", as
// Dear ImGui's own wrapping did), nothing runs past the width, no text is lost.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <sstream>

#include <imgui.h>

#include "gui/text_fit.h"
#include "gui/word_wrap.h"

using nl::gui::wrap_lines;
using nl::gui::wrap_text;

namespace {

// One unit per character (UTF-8 aware): a monospace font.
float chars(std::string_view s) {
    float n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

std::vector<std::string> words_of(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> w;
    for (std::string t; in >> t;) w.push_back(t);
    return w;
}

}  // namespace

TEST(WordWrap, BreaksOnlyAtSpacesNotAfterAPoint) {
    const std::string q = "With keep_prob = 0.5, y = x * mask / 0.5. Averaged over many draws, how bright is y?";
    for (float width = 9; width <= 60; ++width) {  // from the longest word, "keep_prob"
        SCOPED_TRACE(width);
        const auto lines = wrap_lines(q, width, chars);
        for (const std::string& l : lines) {
            EXPECT_LE(chars(l), width) << l;
            EXPECT_FALSE(l.empty());
            EXPECT_NE(l.front(), ' ') << "no line starts with the space of a break";
            EXPECT_NE(l.back(), ' ');
        }
        std::string joined;
        for (const std::string& l : lines) joined += (joined.empty() ? "" : " ") + l;
        EXPECT_EQ(joined, q) << "the same words, each whole, in order";
    }
    EXPECT_EQ(wrap_lines("torch.rand(1_000_000, dtype=torch.bfloat16) return?", 30, chars),
              (std::vector<std::string>{"torch.rand(1_000_000,", "dtype=torch.bfloat16) return?"}));
}

TEST(WordWrap, AWordWiderThanTheLineIsCutNotOverflowed) {
    EXPECT_EQ(wrap_lines("abcdefghij", 4, chars), (std::vector<std::string>{"abcd", "efgh", "ij"}));
    EXPECT_EQ(wrap_lines("ab abcdefghij c", 4, chars), (std::vector<std::string>{"ab", "abcd", "efgh", "ij c"}));
    // UTF-8: cut between characters, never inside one.
    EXPECT_EQ(wrap_lines("\xC3\xA9\xC3\xA9\xC3\xA9", 2, chars), (std::vector<std::string>{"\xC3\xA9\xC3\xA9", "\xC3\xA9"}));
    // Cut after the punctuation inside the word where there is some.
    EXPECT_EQ(wrap_lines("torch.randn(32, 128)", 10, chars), (std::vector<std::string>{"torch.", "randn(32,", "128)"}));
    EXPECT_EQ(wrap_lines("x=torch.randn(32)", 13, chars), (std::vector<std::string>{"x=torch.", "randn(32)"}));
    // A width below one character still makes progress, one character a line.
    EXPECT_EQ(wrap_lines("abc", 0.5f, chars), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(WordWrap, KeepsParagraphsIndentsAndEmptyText) {
    EXPECT_EQ(wrap_lines("a b\n\nc", 10, chars), (std::vector<std::string>{"a b", "", "c"}));
    EXPECT_EQ(wrap_lines("    x = 1", 20, chars), (std::vector<std::string>{"    x = 1"}));
    EXPECT_EQ(wrap_lines("", 10, chars), (std::vector<std::string>{""}));
    EXPECT_EQ(wrap_lines("a   ", 10, chars), (std::vector<std::string>{"a"}));
    EXPECT_EQ(wrap_text("one two three", 7, chars), "one two\nthree");
}

TEST(WordWrap, RandomTextKeepsEveryWordAndTheWidth) {
    std::mt19937 rng(5);  // fixed seed: the same texts on every run
    std::uniform_int_distribution<int> len(1, 14), gap(1, 3), count(0, 40), letter('a', 'z');
    for (int trial = 0; trial < 300; ++trial) {
        std::string text;
        for (int i = count(rng); i > 0; --i) {
            text.append(static_cast<size_t>(gap(rng)), ' ');
            for (int k = len(rng); k > 0; --k) text.push_back(static_cast<char>(letter(rng)));
        }
        const float width = static_cast<float>(len(rng) + 1);
        const auto lines = wrap_lines(text, width, chars);
        std::string all;
        for (const std::string& l : lines) {
            EXPECT_LE(chars(l), width) << '"' << text << "\" at " << width;
            all += l + " ";
        }
        // Words longer than the width are cut, so compare the letters, and whole words where
        // none was cut.
        std::string a = all, b = text;
        a.erase(std::remove(a.begin(), a.end(), ' '), a.end());
        b.erase(std::remove(b.begin(), b.end(), ' '), b.end());
        EXPECT_EQ(a, b);
        bool any_cut = false;
        for (const std::string& w : words_of(text)) any_cut |= chars(w) > width;
        if (!any_cut) {
            EXPECT_EQ(words_of(all), words_of(text));
        }
    }
}

// text_wrapped in a real Dear ImGui window: the lines fill the window's width, as ImGui's own
// TextWrapped would, with or without a PushTextWrapPos, and nothing reaches past the edge.
TEST(WordWrap, TextWrappedFillsTheWindowWidth) {
    ImGuiContext* previous = ImGui::GetCurrentContext();
    ImGuiContext* ctx = ImGui::CreateContext();
    ImGui::SetCurrentContext(ctx);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    io.DeltaTime = 1.0f / 60.0f;
    unsigned char* px = nullptr;
    int tw = 0, th = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &tw, &th);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
    const std::string text = "With keep_prob = 0.5, y = x * mask / 0.5. Averaged over many draws, how bright is y "
                             "compared with x? torch.rand(1_000_000, dtype=torch.bfloat16) returns floats.";
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(300, 500));
    ImGui::Begin("wrap test", nullptr, ImGuiWindowFlags_NoDecoration);
    const float room = ImGui::GetContentRegionAvail().x;
    const float line = ImGui::GetTextLineHeight();
    nl::gui::text_wrapped(text);
    const ImVec2 whole = ImGui::GetItemRectSize();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + room * 0.5f);
    nl::gui::text_wrapped(text);
    const ImVec2 half = ImGui::GetItemRectSize();
    ImGui::PopTextWrapPos();
    ImGui::End();
    ImGui::EndFrame();
    ImGui::DestroyContext(ctx);
    ImGui::SetCurrentContext(previous);
    EXPECT_LE(whole.x, room);
    EXPECT_GT(whole.x, room * 0.8f) << "the lines use the window's width";
    EXPECT_LE(whole.y, line * 8) << "a few lines, not a character per line";
    EXPECT_LE(half.x, room * 0.5f + 1);
    EXPECT_GT(half.y, whole.y) << "half the width, more lines";
}
