// MMD and classifier accuracy (see metrics.h).
#include "models/metrics.h"

#include <cmath>

#include "tensor/errors.h"
#include "tensor/ops.h"

namespace nl::models {

double mmd2(const Tensor& xt, const Tensor& yt) {
    if (xt.dim() != 2 || yt.dim() != 2 || xt.size(1) != yt.size(1))
        throw ShapeError("mmd2: x and y must be [n, d] and [m, d], got " + shape_str(xt.shape()) + " and " + shape_str(yt.shape()));
    const int64_t n = xt.size(0), m = yt.size(0), d = xt.size(1);
    if (n < 2 || m < 2) throw ValueError("mmd2 needs at least 2 points on each side");
    const std::vector<double> x = xt.to_vector(), y = yt.to_vector();
    const double bw[] = {0.05, 0.1, 0.2, 0.5, 1.0};
    auto k = [&](const double* a, const double* b) {
        double r2 = 0;
        for (int64_t i = 0; i < d; ++i) r2 += (a[i] - b[i]) * (a[i] - b[i]);
        double s = 0;
        for (double h : bw) s += std::exp(-r2 / (2 * h * h));
        return s;
    };
    double kxx = 0, kyy = 0, kxy = 0;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j)
            if (i != j) kxx += k(&x[i * d], &x[j * d]);
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < m; ++j)
            if (i != j) kyy += k(&y[i * d], &y[j * d]);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < m; ++j) kxy += k(&x[i * d], &y[j * d]);
    return kxx / (n * (n - 1.0)) + kyy / (m * (m - 1.0)) - 2 * kxy / (static_cast<double>(n) * m);
}

double classifier_accuracy(const DigitsClassifier& clf, const Tensor& images, const std::vector<int64_t>& labels) {
    if (images.dim() != 4 || images.size(0) != static_cast<int64_t>(labels.size()))
        throw ShapeError("classifier_accuracy: " + std::to_string(labels.size()) + " labels for images " + shape_str(images.shape()));
    const std::vector<int64_t> pred = argmax(clf.forward(images), 1).cpu().to_int_vector();
    int64_t ok = 0;
    for (size_t i = 0; i < labels.size(); ++i) ok += pred[i] == labels[i];
    return labels.empty() ? 0.0 : static_cast<double>(ok) / labels.size();
}

}  // namespace nl::models
