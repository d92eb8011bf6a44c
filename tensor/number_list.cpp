// Number lists (see number_list.h): strtod with every character accounted for, so that a typo
// never turns into a silently different tensor.
#include "tensor/number_list.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "tensor/errors.h"
#include "tensor/number_text.h"

namespace nl {

std::string trim_spaces(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return s.substr(a, b - a);
}

std::string quote_text(const std::string& s) {
    std::string out = "'";
    for (size_t i = 0; i < s.size() && i < 80; ++i) out += (s[i] >= 32 && s[i] < 127) ? s[i] : '?';
    if (s.size() > 80) out += "...";
    return out + "'";
}

double parse_number(const std::string& text, const std::string& what, bool allow_neg_inf) {
    const std::string s = trim_spaces(text);
    if (allow_neg_inf && (s == "-inf" || s == "-Inf" || s == "-INF")) return -std::numeric_limits<double>::infinity();
    const std::string expect = allow_neg_inf ? "a finite number or -inf" : "a finite number";
    if (s.empty()) throw ValueError(what + " is empty; expected " + expect);
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0')
        throw ValueError(what + " " + quote_text(s) + " is not a number; expected " + expect);
    // Overflow gives inf (refused); underflow gives a tiny or zero value (kept, it is what was meant).
    if (!std::isfinite(v)) throw ValueError(what + " " + quote_text(s) + " is out of range; expected " + expect);
    return v;
}

std::vector<double> parse_number_list(const std::string& text, const std::string& what, size_t max_count,
                                      bool allow_neg_inf) {
    std::string s = trim_spaces(text);
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    if (trim_spaces(s).empty()) throw ValueError(what + " is empty; expected comma-separated numbers, e.g. 0.1,0.2,0.7");
    size_t count = 1;
    for (char c : s) count += c == ',';
    if (count > max_count) throw ValueError(what + " has " + std::to_string(count) + " values; at most " + std::to_string(max_count));
    std::vector<double> out;
    out.reserve(count);
    size_t start = 0;
    for (size_t i = 0; i < count; ++i) {
        const size_t comma = s.find(',', start);
        out.push_back(parse_number(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start),
                                   what + " value " + std::to_string(i + 1), allow_neg_inf));
        start = comma + 1;
    }
    return out;
}

std::string join_numbers(const std::vector<double>& v, const char* separator) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? separator : "") + shortest_decimal(v[i]);
    return out;
}

}  // namespace nl
