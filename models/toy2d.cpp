// 2-D toy data sets (see toy2d.h); each mirrors a branch of common.py's toy2d().
#include "models/toy2d.h"

#include <cmath>

#include "tensor/errors.h"
#include "tensor/random.h"

namespace nl::models {

const std::vector<std::string>& toy_names() {
    static const std::vector<std::string> names = {"moons", "swiss_roll", "eight_gaussians", "checkerboard", "spiral"};
    return names;
}

int toy_index(const std::string& name) {
    std::string n = name;
    for (char& c : n)
        if (c == '-') c = '_';
    if (n == "8gaussians" || n == "8_gaussians") n = "eight_gaussians";
    if (n == "swissroll") n = "swiss_roll";
    const auto& names = toy_names();
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == n) return static_cast<int>(i);
    throw ValueError("toy data set '" + name + "' is not known; valid: moons, swiss_roll, eight_gaussians, checkerboard, spiral");
}

Tensor toy_data(int index, int64_t n, Generator& gen) {
    if (index < 0 || index >= static_cast<int>(toy_names().size()))
        throw ValueError("toy data set index " + std::to_string(index) + " is out of range; valid: 0 to 4");
    if (n < 0) throw ValueError("n = " + std::to_string(n) + " must be >= 0");
    // Uniforms and normals drawn as whole tensors, in a fixed order.
    const std::vector<double> u1 = rand({n}, {DType::Float64}, &gen).to_vector();
    const std::vector<double> u2 = rand({n}, {DType::Float64}, &gen).to_vector();
    const std::vector<double> g = randn({n, 2}, {DType::Float64}, &gen).to_vector();
    std::vector<double> out(2 * n);
    const double pi = M_PI;
    for (int64_t i = 0; i < n; ++i) {
        double x = 0, y = 0;
        const double a = g[2 * i], b = g[2 * i + 1];
        switch (index) {
            case 0: {  // moons
                const double t = u1[i] * pi;
                const bool upper = u2[i] < 0.5;
                x = upper ? std::cos(t) : 1 - std::cos(t);
                y = upper ? std::sin(t) : 0.5 - std::sin(t);
                x = (x - 0.5) * 1.6 + 0.06 * a;
                y = (y - 0.25) * 1.6 + 0.06 * b;
                break;
            }
            case 1: {  // swiss roll
                const double t = 1.5 * pi * (1 + 2 * u1[i]);
                x = t * std::cos(t) / 7.0 + 0.05 * a;
                y = t * std::sin(t) / 7.0 + 0.05 * b;
                break;
            }
            case 2: {  // eight gaussians
                const double k = std::floor(u1[i] * 8);
                x = std::cos(k * pi / 4) * 1.6 + 0.1 * a;
                y = std::sin(k * pi / 4) * 1.6 + 0.1 * b;
                break;
            }
            case 3: {  // checkerboard
                const double x1 = u1[i] * 4 - 2;
                double x2 = u2[i] - (a < 0 ? 2.0 : 0.0);  // a fair coin from the normal's sign
                x2 += std::fmod(std::floor(x1), 2.0) == 0 ? 0.0 : 1.0;
                x = x1 * 0.9;
                y = x2 * 0.9;
                break;
            }
            default: {  // spiral
                const double t = std::sqrt(u1[i]) * 3 * pi;
                const double r = t / (3 * pi) * 1.8;
                const double arm = u2[i] < 0.5 ? 0.0 : pi;
                x = r * std::cos(t + arm) + 0.04 * a;
                y = r * std::sin(t + arm) + 0.04 * b;
                break;
            }
        }
        out[2 * i] = x;
        out[2 * i + 1] = y;
    }
    return from_vector(out, {n, 2});
}

}  // namespace nl::models
