// A PNG the app wrote (its --screenshot), as 8-bit RGB for pixel checks. Needs Debian's libstb
// (stb_image's code) linked in, as nl_gui has.
#pragma once
#include <stb_image.h>

#include <cstddef>
#include <string>
#include <vector>

namespace nl::test {

struct Picture {
    int w = 0, h = 0;  // 0 x 0 when the file could not be read
    std::vector<unsigned char> rgb;
    const unsigned char* at(int x, int y) const { return &rgb[(static_cast<size_t>(y) * w + x) * 3]; }
};

inline Picture load_picture(const std::string& path) {
    Picture p;
    int c = 0;
    unsigned char* data = stbi_load(path.c_str(), &p.w, &p.h, &c, 3);
    if (!data) return p;
    p.rgb.assign(data, data + static_cast<size_t>(p.w) * p.h * 3);
    stbi_image_free(data);
    return p;
}

}  // namespace nl::test
