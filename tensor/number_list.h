// Lists of numbers as people type them and as recipes store them ("0.1, 0.2, 0.7"): one strict
// reader and one writer for the command line (--probs, --logits), the app's weights field, its
// scripts and the recipes both write, so a list read back is the list written.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace nl {

// A finite double ("1.5", "-2e-3"), spaces around it allowed; with allow_neg_inf, "-inf" too.
// Anything else (trailing junk, overflow, NaN) is a ValueError that starts with `what`, quotes
// the text and says what would be valid.
double parse_number(const std::string& text, const std::string& what, bool allow_neg_inf = false);
// Comma-separated numbers, optionally in [brackets]: at least one, at most max_count (counted
// before anything is stored). Errors name the value by its position ("what value 3").
std::vector<double> parse_number_list(const std::string& text, const std::string& what, size_t max_count,
                                      bool allow_neg_inf = false);
// The shortest decimals that read back as the same doubles, joined by `separator`.
std::string join_numbers(const std::vector<double>& v, const char* separator = ",");
// `s` without the white space (spaces, tabs, line breaks) around it.
std::string trim_spaces(const std::string& s);
// User text for a message: quoted, at most 80 characters, control characters replaced.
std::string quote_text(const std::string& s);

}  // namespace nl
