// gui/word_wrap.h
#include "gui/word_wrap.h"

#include <algorithm>

namespace nl::gui {

namespace {

using Measure = std::function<float(std::string_view)>;

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Where a word too long for a line reads best cut: after punctuation that joins its parts
// ("torch." / "randn(32,"), not between two digits.
bool is_soft_break(char c) { return c == '.' || c == '(' || c == ',' || c == '_' || c == '/' || c == '=' || c == '-'; }

// How many bytes of `word` (whole UTF-8 characters) fit in `width`: the longest such prefix,
// shortened to its last soft break when it has one; at least one character, so that every line
// makes progress.
size_t fitting_prefix(std::string_view word, float width, const Measure& measure) {
    size_t best = 0;
    for (size_t end = 0; end < word.size();) {
        size_t next = end + 1;
        while (next < word.size() && is_continuation_byte(word[next])) ++next;
        if (best > 0 && measure(word.substr(0, next)) > width) break;
        best = end = next;
    }
    if (best < word.size())
        for (size_t k = best; k > 1; --k)
            if (is_soft_break(word[k - 1])) return k;
    return best;
}

// One paragraph (no '\n') into lines. The spaces before its first word are an indent and stay
// when that word fits after them; spaces between words stay on a line and go at a break.
void wrap_paragraph(std::string_view para, float width, const Measure& measure, std::vector<std::string>& out) {
    std::string line;
    bool has_word = false;
    size_t pos = 0;
    while (true) {
        const size_t word_start = para.find_first_not_of(' ', pos);
        if (word_start == std::string_view::npos) break;
        const size_t word_end = std::min(para.find(' ', word_start), para.size());
        std::string_view gap = para.substr(pos, word_start - pos);
        std::string_view word = para.substr(word_start, word_end - word_start);
        pos = word_end;
        if (has_word) {
            std::string candidate = line + std::string(gap) + std::string(word);
            if (measure(candidate) <= width) {
                line = std::move(candidate);
                continue;
            }
            out.push_back(std::move(line));
            line.clear();
            gap = {};
        }
        has_word = true;
        line = std::string(gap) + std::string(word);  // an indent stays when the word fits after it
        if (measure(line) <= width) continue;
        if (measure(word) <= width) {
            line.assign(word);
            continue;
        }
        // Wider than a whole line: cut into pieces that fit; the last one continues as a line.
        while (true) {
            const size_t n = fitting_prefix(word, width, measure);
            line.assign(word.substr(0, n));
            word.remove_prefix(n);
            if (word.empty()) break;
            out.push_back(line);
        }
    }
    out.push_back(std::move(line));
}

}  // namespace

std::vector<std::string> wrap_lines(std::string_view text, float width, const Measure& measure) {
    std::vector<std::string> out;
    for (size_t start = 0;;) {
        const size_t end = text.find('\n', start);
        wrap_paragraph(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start), width,
                       measure, out);
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

std::string wrap_text(std::string_view text, float width, const Measure& measure) {
    std::string joined;
    for (const std::string& line : wrap_lines(text, width, measure)) joined.append(line).push_back('\n');
    joined.pop_back();  // wrap_lines gives at least one line
    return joined;
}

}  // namespace nl::gui
