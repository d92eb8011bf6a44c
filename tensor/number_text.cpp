// The shortest round-trip decimal (see number_text.h): the fewest significant digits, 1 to 17,
// whose strtod gives back the same double.
#include "tensor/number_text.h"

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>

namespace nl {

std::string shortest_decimal(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
    char buf[40];
    if (v == std::floor(v) && std::abs(v) < 1e15) {  // integers in full: "10", not "1e+01"
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return v == 0.0 && std::signbit(v) ? "-0" : buf;
    }
    for (int prec = 1; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (std::strtod(buf, nullptr) == v) return buf;
    }
    return buf;
}

std::string group_digits(int64_t v) {
    // Through the unsigned magnitude: -v overflows for the most negative int64.
    const uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    const std::string digits = std::to_string(mag);
    std::string out = v < 0 ? "-" : "";
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace nl
