// Quality measures reported in docs/MODELS.md: MMD between point sets (2-D diffusion samples vs
// data) and the classifier's accuracy on generated digits.
#pragma once
#include <cstdint>
#include <vector>

#include "models/nets.h"
#include "tensor/tensor.h"

namespace nl::models {

// Unbiased MMD^2 between x [n, d] and y [m, d] with a sum of Gaussian kernels of bandwidths
// 0.05, 0.1, 0.2, 0.5, 1 (in data units; the toy sets span about [-2, 2]), computed in double.
double mmd2(const Tensor& x, const Tensor& y);

// Fraction of images [n,1,20,20] in [-1, 1] that the classifier labels as `labels`.
double classifier_accuracy(const DigitsClassifier& clf, const Tensor& images, const std::vector<int64_t>& labels);

}  // namespace nl::models
