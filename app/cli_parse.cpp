// Strict parsing of command-line values (see cli_parse.h). Numbers are parsed with strtod /
// manual digit loops and checked for trailing junk, overflow and range, so that a typo never
// turns into a silently different tensor.
#include "app/cli_parse.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "tensor/errors.h"
#include "tensor/number_list.h"

namespace nl::app {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        const size_t p = s.find(sep, start);
        parts.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
        if (p == std::string::npos) break;
        start = p + 1;
    }
    return parts;
}

bool all_digits(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

Shape parse_shape(const std::string& text, const std::string& flag) {
    std::string s = nl::trim_spaces(text);
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    const std::string expect = "; expected 1 to " + std::to_string(kMaxRank) +
                               " comma-separated integer sizes >= 1, e.g. 64,1,28,28";
    if (nl::trim_spaces(s).empty()) throw ShapeError(flag + " " + nl::quote_text(text) + " is empty" + expect);
    const char sep = (s.find(',') == std::string::npos && s.find('x') != std::string::npos) ? 'x' : ',';
    const std::vector<std::string> parts = split(s, sep);
    if (parts.size() > kMaxRank)
        throw ShapeError(flag + " " + nl::quote_text(text) + " has " + std::to_string(parts.size()) + " dimensions" + expect);
    Shape shape;
    int64_t numel = 1;
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string p = nl::trim_spaces(parts[i]);
        const std::string where = flag + " " + nl::quote_text(text) + ": size " + std::to_string(i + 1);
        if (p.empty()) throw ShapeError(where + " is empty" + expect);
        if (p[0] == '-') throw ShapeError(where + " (" + p + ") is negative" + expect);
        if (!all_digits(p)) throw ShapeError(where + " (" + nl::quote_text(p) + ") is not an integer" + expect);
        if (p.size() > 18) throw ShapeError(where + " (" + p + ") is too large: at most 2^40 elements in all");
        const int64_t v = std::stoll(p);
        if (v == 0) throw ShapeError(where + " is 0" + expect);
        if (v > kMaxNumel || numel > kMaxNumel / v)
            throw ShapeError(flag + " " + nl::quote_text(text) + " has more than 2^40 elements; make it smaller");
        numel *= v;
        shape.push_back(v);
    }
    return shape;
}

double parse_double(const std::string& text, const std::string& flag, bool allow_neg_inf) {
    return nl::parse_number(text, flag, allow_neg_inf);
}

std::vector<double> parse_double_list(const std::string& text, const std::string& flag, size_t max_count,
                                      bool allow_neg_inf) {
    return nl::parse_number_list(text, flag, max_count, allow_neg_inf);
}

int64_t parse_int(const std::string& text, const std::string& flag, int64_t lo, int64_t hi) {
    const std::string s = nl::trim_spaces(text);
    const std::string expect = "; expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    const bool neg = !s.empty() && s[0] == '-';
    const std::string digits = (neg || (!s.empty() && s[0] == '+')) ? s.substr(1) : s;
    if (!all_digits(digits)) throw ValueError(flag + " " + nl::quote_text(text) + " is not an integer" + expect);
    errno = 0;
    const long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == ERANGE || v < lo || v > hi) throw ValueError(flag + " " + nl::quote_text(text) + " is out of range" + expect);
    return v;
}

uint64_t parse_uint(const std::string& text, const std::string& flag, uint64_t hi) {
    const std::string s = nl::trim_spaces(text);
    const std::string expect = "; expected an integer in [0, " + std::to_string(hi) + "] (decimal or 0x hex)";
    const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const std::string digits = hex ? s.substr(2) : s;
    bool ok = !digits.empty();
    for (char c : digits)
        ok = ok && ((c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))));
    if (!ok) throw ValueError(flag + " " + nl::quote_text(text) + " is not a non-negative integer" + expect);
    errno = 0;
    const unsigned long long v = std::strtoull(digits.c_str(), nullptr, hex ? 16 : 10);
    if (errno == ERANGE || v > hi) throw ValueError(flag + " " + nl::quote_text(text) + " is out of range" + expect);
    return v;
}

render::ValueRange parse_value_range(const std::string& text, const std::string& flag) {
    return render::parse_value_range(text, flag);
}

std::string value_range_str(const render::ValueRange& r) { return render::value_range_text(r); }

std::string format_double(double v) { return shortest_decimal(v); }

std::string join_doubles(const std::vector<double>& v) { return nl::join_numbers(v); }

}  // namespace nl::app
