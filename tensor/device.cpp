#include "tensor/device.h"

#include <cstdlib>

#include "tensor/errors.h"

namespace nl {

std::string Device::str() const {
    return is_cpu() ? std::string("cpu") : "cuda:" + std::to_string(index);
}

Device parse_device(std::string_view s) {
    if (s == "cpu") return Device::cpu();
    if (s == "cuda" || s == "gpu") return Device::cuda(0);
    if (s.rfind("cuda:", 0) == 0 && s.size() > 5 && s.size() < 9) {
        int idx = 0;
        for (char c : s.substr(5)) {
            if (c < '0' || c > '9') {
                idx = -1;
                break;
            }
            idx = idx * 10 + (c - '0');
        }
        if (idx >= 0) return Device::cuda(idx);
    }
    throw ValueError("unknown device '" + std::string(s) + "'; valid devices: cpu, cuda, cuda:N (N >= 0)");
}

}  // namespace nl
