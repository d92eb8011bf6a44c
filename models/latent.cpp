// Latents, interpolation, latent grids and the digits sheet (see latent.h).
#include "models/latent.h"

#include <cmath>
#include <cstdlib>
#include <memory>

#include <stb_image.h>

#include "models/weights.h"
#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl::models {

Tensor latents(int64_t n, int64_t dim, Generator& gen, double temperature, double truncation) {
    if (n < 0 || dim < 1) throw ValueError("latents: n = " + std::to_string(n) + " and dim = " + std::to_string(dim) + " must be >= 0 and >= 1");
    if (!(temperature >= 0.0 && temperature <= 10.0))
        throw ValueError("temperature = " + std::to_string(temperature) + " is out of range; valid: 0 to 10");
    if (!(truncation == 0.0 || (truncation >= 0.05 && truncation <= 100.0)))
        throw ValueError("truncation = " + std::to_string(truncation) + " is out of range; valid: 0 (off) or 0.05 to 100");
    Tensor z = randn({n, dim}, {}, &gen);
    if (truncation > 0.0) {
        for (int round = 0; round < 10000; ++round) {
            const Tensor outside = gt(abs(z), Scalar(truncation));
            if (!static_cast<bool>(sum(outside).item())) break;
            z = where(outside, randn({n, dim}, {}, &gen), z);
        }
    }
    return z * temperature;
}

Tensor interpolate(const Tensor& a_in, const Tensor& b_in, int64_t steps, bool slerp) {
    if (a_in.dim() != 1 || a_in.shape() != b_in.shape())
        throw ShapeError("interpolate: a and b must be 1-D of one size, got " + shape_str(a_in.shape()) + " and " + shape_str(b_in.shape()));
    if (steps < 2 || steps > 10000) throw ValueError("interpolation steps = " + std::to_string(steps) + " is out of range; valid: 2 to 10000");
    const std::vector<double> a = a_in.to_vector(), b = b_in.to_vector();
    const size_t D = a.size();
    double na = 0, nb = 0, dot = 0;
    for (size_t i = 0; i < D; ++i) {
        na += a[i] * a[i];
        nb += b[i] * b[i];
        dot += a[i] * b[i];
    }
    const double cosw = na > 0 && nb > 0 ? std::max(-1.0, std::min(1.0, dot / std::sqrt(na * nb))) : 1.0;
    const double omega = std::acos(cosw);
    const bool use_slerp = slerp && std::sin(omega) > 1e-6;
    std::vector<double> out(steps * D);
    for (int64_t s = 0; s < steps; ++s) {
        const double t = static_cast<double>(s) / (steps - 1);
        double wa = 1 - t, wb = t;
        if (use_slerp) {
            wa = std::sin((1 - t) * omega) / std::sin(omega);
            wb = std::sin(t * omega) / std::sin(omega);
        }
        for (size_t i = 0; i < D; ++i) out[s * D + i] = wa * a[i] + wb * b[i];
    }
    return from_vector(out, {steps, static_cast<int64_t>(D)}, {a_in.dtype()});
}

Tensor latent_grid(int64_t side, double extent) {
    if (side < 2 || side > 100) throw ValueError("latent grid side = " + std::to_string(side) + " is out of range; valid: 2 to 100");
    std::vector<double> v;
    for (int64_t r = 0; r < side; ++r)
        for (int64_t c = 0; c < side; ++c) {
            v.push_back(-extent + 2 * extent * c / (side - 1));
            v.push_back(extent - 2 * extent * r / (side - 1));
        }
    return from_vector(v, {side * side, 2});
}

std::string default_digits_path() {
    if (const char* env = std::getenv("NOISELAB_SHARED"); env && *env) return std::string(env) + "/data/digits.png";
    return std::string(NOISELAB_ASSETS_DIR) + "/../../shared/data/digits.png";
}

Tensor load_digits_sheet(const std::string& path) {
    int w = 0, h = 0, ch = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> px(stbi_load(path.c_str(), &w, &h, &ch, 1), stbi_image_free);
    if (!px) throw IOError(path + ": cannot read the digits sheet (" + std::string(stbi_failure_reason() ? stbi_failure_reason() : "unknown") + ")");
    if (w != 2000 || h != 1000)
        throw IOError(path + ": the digits sheet must be 2000x1000 (100 x 50 tiles of 20x20), got " + std::to_string(w) + "x" + std::to_string(h));
    Tensor out = Tensor::empty({5000, 1, 20, 20});
    float* o = out.data<float>();
    for (int tile = 0; tile < 5000; ++tile) {
        const int tr = tile / 100, tc = tile % 100;
        for (int y = 0; y < 20; ++y)
            for (int x = 0; x < 20; ++x)
                o[tile * 400 + y * 20 + x] = static_cast<float>(px.get()[(tr * 20 + y) * w + tc * 20 + x]) / 127.5f - 1.0f;
    }
    return out;
}

Tensor heldout_digits(const Tensor& sheet, int64_t n, std::vector<int64_t>* labels) {
    if (n < 1 || n > 500) throw ValueError("held-out digits n = " + std::to_string(n) + " is out of range; valid: 1 to 500");
    std::vector<Tensor> parts;
    if (labels) labels->clear();
    for (int64_t i = 0; i < n; ++i) {
        const int64_t cls = i % 10, k = 450 + i / 10;
        parts.push_back(sheet.narrow(0, cls * 500 + k, 1));
        if (labels) labels->push_back(cls);
    }
    return cat(parts, 0);
}

Tensor shipped_heldout_digits(int64_t n, std::vector<int64_t>* labels) {
    if (n < 1 || n > 500) throw ValueError("held-out digits n = " + std::to_string(n) + " is out of range; valid: 1 to 500");
    const std::string path = asset_path("digits_heldout.safetensors");
    const Weights w = Weights::load(path);
    const Tensor pixels = w.get("pixels", {500, 1, 20, 20}, DType::UInt8), all = w.get("labels", {500}, DType::Int64);
    if (labels) {
        const std::vector<int64_t> v = all.narrow(0, 0, n).to_int_vector();
        labels->assign(v.begin(), v.end());
    }
    // p / 127.5f - 1, as load_digits_sheet computes it from the PNG's bytes.
    return pixels.narrow(0, 0, n).to(DType::Float32) / 127.5 - 1.0;
}

}  // namespace nl::models
