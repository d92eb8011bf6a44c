// Small text helpers shared by the GUI's parsers (the sampler's names, the frame script, file
// extensions): ASCII only, whatever the C locale says.
#pragma once
#include <cctype>
#include <string>

namespace nl::gui {

inline std::string lower_ascii(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace nl::gui
