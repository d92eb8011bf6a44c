// Strict parsing of command-line values: shapes ("64,1,28,28"), number lists ("0.1,0.2,0.7"),
// integers, value ranges ("sigma:3"). Every error is an nl::ValueError / ShapeError whose message
// names the flag, the bad text and what would be valid; nothing here allocates in proportion to
// a number the user typed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "gui/render/image.h"
#include "tensor/tensor.h"

namespace nl::app {

constexpr size_t kMaxRank = 16;
constexpr int64_t kMaxNumel = int64_t(1) << 40;  // same ceiling as a recipe's shape

// "64,1,28,28" (also "[64, 1, 28, 28]" or "64x1x28x28"): 1 to 16 sizes, each an integer >= 1,
// with at most 2^40 elements in all. ShapeError for "3,,4", "-1", "1e99", "abc", "0", overflow.
Shape parse_shape(const std::string& text, const std::string& flag = "--shape");
// A finite double ("1.5", "-2e-3"); with allow_neg_inf, "-inf" too. ValueError otherwise.
double parse_double(const std::string& text, const std::string& flag, bool allow_neg_inf = false);
// Comma-separated doubles, at least one, at most max_count.
std::vector<double> parse_double_list(const std::string& text, const std::string& flag, size_t max_count = 1u << 20,
                                      bool allow_neg_inf = false);
// A decimal integer in [lo, hi] (no sign for unsigned use, no fraction, no exponent).
int64_t parse_int(const std::string& text, const std::string& flag, int64_t lo, int64_t hi);
// A decimal or 0x-hexadecimal unsigned integer <= hi.
uint64_t parse_uint(const std::string& text, const std::string& flag, uint64_t hi = UINT64_MAX);
// "minmax", "sigma:K" (K > 0) or "fixed:LO,HI" (LO < HI).
render::ValueRange parse_value_range(const std::string& text, const std::string& flag = "--range");
std::string value_range_str(const render::ValueRange& r);  // inverse of parse_value_range

// Shortest text that reads back as the same double ("0.1", "1e-300", "-inf").
std::string format_double(double v);
std::string join_doubles(const std::vector<double>& v);  // "0.1,0.2,0.7"

}  // namespace nl::app
