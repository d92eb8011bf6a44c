// PNG export with recipes, grid views and the --stats table (see cli_output.h).
#include "app/cli_output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tensor/errors.h"
#include "tensor/io/png.h"
#include "tensor/stats.h"

#ifndef NOISELAB_VERSION
#define NOISELAB_VERSION "0.0.0"
#endif

namespace nl::app {

namespace {

std::string num(double v) {
    if (std::isnan(v)) return "undefined";
    if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

}  // namespace

std::string software_name() { return std::string("Noise Lab ") + NOISELAB_VERSION; }

void write_recipe_png(const std::string& path, const render::Image& img, const io::Recipe& recipe, bool force) {
    std::vector<uint8_t> rgb(static_cast<size_t>(img.width) * static_cast<size_t>(img.height) * 3);
    for (size_t i = 0, j = 0; j < rgb.size(); i += 4, j += 3) {
        rgb[j] = img.rgba[i];
        rgb[j + 1] = img.rgba[i + 1];
        rgb[j + 2] = img.rgba[i + 2];
    }
    const std::vector<io::PngText> texts = {
        {io::kPngRecipeKey, io::recipe_to_string(recipe), io::PngTextKind::Utf8},
        {io::kPngSoftwareKey, software_name(), io::PngTextKind::Latin1},
    };
    io::write_png(path, rgb.data(), img.width, img.height, 3, texts, force);
}

io::Recipe read_recipe_png(const std::string& path) {
    const std::vector<io::PngText> texts = io::read_png_text_chunks(path);
    const io::PngText* t = io::find_png_text(texts, io::kPngRecipeKey);
    if (!t)
        throw IOError(path + " has no '" + std::string(io::kPngRecipeKey) +
                      "' text chunk: it was not exported by Noise Lab, or its metadata was stripped");
    return io::parse_recipe(t->text, path);
}

Tensor grid_view(const Tensor& t, std::string& note) {
    constexpr int64_t kMaxImages = 256, kMaxRows = 4096, kMaxWidth = 4096, kMaxFlat = int64_t(1) << 22;
    const Shape& s = t.shape();
    note.clear();
    auto first = [&](const Tensor& v, int64_t keep, const char* what) {
        if (v.size(0) <= keep) return v;
        note = "the image shows the first " + std::to_string(keep) + " of " + std::to_string(v.size(0)) + " " + what;
        return v.narrow(0, 0, keep);
    };
    auto flat = [&](const Tensor& v) {
        const Tensor f = first(v.reshape({-1}), kMaxFlat, "values");
        if (v.dim() > 1) note += std::string(note.empty() ? "" : "; ") + "values wrapped into a square";
        return f;
    };
    if (s.size() == 1) return flat(t);
    // Rows of vectors, unless they would make a needle-thin picture ([2000, 2] points...): then
    // the values are wrapped into a square like a 1-D tensor.
    if (s.size() == 2)
        return (s[1] > kMaxWidth || s[0] > 16 * s[1] || s[1] > 16 * s[0]) ? flat(t) : first(t, kMaxRows, "rows");
    if (s.size() == 3 && (s[0] == 1 || s[0] == 3)) return t;
    if (s.size() == 4 && (s[1] == 1 || s[1] == 3)) return first(t, kMaxImages, "images");
    // Any other rank: one-channel tiles of the last two dimensions.
    const int64_t h = s[s.size() - 2], w = s[s.size() - 1];
    const Tensor tiles = t.reshape({-1, 1, h, w});
    const std::string what = "tiles of " + std::to_string(h) + "x" + std::to_string(w);
    Tensor v = first(tiles, kMaxImages, what.c_str());
    if (note.empty() && s.size() > 3) note = "shown as " + std::to_string(v.size(0)) + " one-channel tiles of the last two dimensions";
    return v;
}

int grid_scale(const Tensor& view) {
    // Size at scale 1 with image_grid's defaults (padding 1, about square).
    const Shape& s = view.shape();
    int64_t n = 1, h = 1, w = 1;
    if (s.size() == 4) n = s[0], h = s[2], w = s[3];
    else if (s.size() == 3) h = s[1], w = s[2];
    else if (s.size() == 2) h = s[0], w = s[1];
    else w = h = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(s[0]))));
    const int64_t cols = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    const int64_t rows = (n + cols - 1) / cols;
    const int64_t side = std::max(cols * (w + 1) + 1, rows * (h + 1) + 1);
    return static_cast<int>(std::clamp<int64_t>(768 / std::max<int64_t>(side, 1), 1, 8));
}

stats::Histogram histogram_for(const Tensor& t, const SampleSpec& spec) {
    if (theory(spec).is_discrete() || t.numel() < 100) return stats::histogram(t);
    Tensor head = t.reshape({-1});
    if (head.numel() > 1000000) head = head.narrow(0, 0, 1000000);
    std::vector<double> v = head.to_vector();
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.size() < 100) return stats::histogram(t);
    const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
    const double vmin = *mn, vmax = *mx;
    auto quantile = [&](double q) {
        auto it = v.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1));
        std::nth_element(v.begin(), it, v.end());
        return *it;
    };
    const double q1 = quantile(0.25), q3 = quantile(0.75), iqr = q3 - q1;
    const double lo = std::max(vmin, q1 - 8.0 * iqr), hi = std::min(vmax, q3 + 8.0 * iqr);
    if (iqr > 0.0 && hi > lo && (lo > vmin || hi < vmax)) return stats::histogram(t, 0, lo, hi);
    return stats::histogram(t);
}

void print_stats(std::ostream& os, const Tensor& t, const SampleSpec& spec) {
    const stats::Distribution d = theory(spec);
    const stats::Moments m = stats::moments(t);
    char line[160];
    const std::string missing = theory_missing(spec);
    if (missing.empty()) os << "statistics of " << m.n << " values against " << d.name() << ":\n";
    else os << "statistics of " << m.n << " values (no theory: " << missing << "):\n";
    std::snprintf(line, sizeof line, "  %-16s %14s %14s\n", "", "sample", "theory");
    os << line;
    auto row = [&](const char* name, double sample, double theory_v) {
        std::snprintf(line, sizeof line, "  %-16s %14s %14s\n", name, num(sample).c_str(),
                      missing.empty() ? num(theory_v).c_str() : "n/a");
        os << line;
    };
    row("mean", m.mean, d.mean());
    row("std", m.std, std::sqrt(d.variance()));
    row("skewness", m.skewness, d.skewness());
    row("excess kurtosis", m.excess_kurtosis, d.excess_kurtosis());
    std::snprintf(line, sizeof line, "  %-16s %14s %14s\n", "min", num(m.min).c_str(), "");
    os << line;
    std::snprintf(line, sizeof line, "  %-16s %14s %14s\n", "max", num(m.max).c_str(), "");
    os << line;
    if (m.nan_count || m.inf_count) os << "  (" << m.nan_count << " NaN and " << m.inf_count << " infinite values left out)\n";

    const std::string reason = no_test_reason(spec);
    if (!reason.empty()) {
        os << "goodness of fit: not tested (" << reason << ")\n";
        return;
    }
    constexpr int64_t kMaxTested = 1000000;
    Tensor tested = t.reshape({-1});
    if (tested.numel() > kMaxTested) tested = tested.narrow(0, 0, kMaxTested);
    try {
        const stats::TestResult r = stats::goodness_of_fit(tested, d);
        if (r.test == "KS")
            std::snprintf(line, sizeof line, "goodness of fit: KS test D = %.5g, p-value = %.4g (n = %lld", r.statistic,
                          r.p_value, static_cast<long long>(r.n));
        else if (r.test == "order")  // a permutation's values are flat by construction: test its order
            std::snprintf(line, sizeof line,
                          "goodness of fit: order test (position bands x value bands) X^2 = %.5g, dof = %lld, p-value = %.4g (n = %lld",
                          r.statistic, static_cast<long long>(r.dof), r.p_value, static_cast<long long>(r.n));
        else
            std::snprintf(line, sizeof line, "goodness of fit: %s test X^2 = %.5g, dof = %lld, p-value = %.4g (n = %lld",
                          r.test.c_str(), r.statistic, static_cast<long long>(r.dof), r.p_value, static_cast<long long>(r.n));
        os << line << (t.numel() > kMaxTested ? ", the first values" : "") << ")\n";
        os << "  " << (r.p_value >= 0.01 ? "consistent with " : "unlikely under ") << d.name()
           << (r.p_value >= 0.01 ? " (p >= 0.01)" : " (p < 0.01)") << "\n";
    } catch (const Error& e) {
        os << "goodness of fit: not tested (" << e.what() << ")\n";
    }
}

}  // namespace nl::app
