// What `noiselab sample` writes and prints: PNGs carrying their recipe, the part of a tensor an
// image grid can show, and the --stats table (sample moments next to theory, a goodness-of-fit
// p-value).
#pragma once
#include <ostream>
#include <string>

#include "app/cli_sampler.h"
#include "gui/render/image.h"
#include "tensor/io/recipe.h"

namespace nl::app {

// "Noise Lab 0.1.0": the PNG Software chunk and --version.
std::string software_name();

// Writes img as an RGB PNG with the recipe (iTXt "noiselab-recipe") and Software chunks,
// atomically; without `force` an existing file is kept and IOError says to use --force.
void write_recipe_png(const std::string& path, const render::Image& img, const io::Recipe& recipe, bool force);
// The recipe stored in a PNG; IOError when the file is unreadable, not a PNG, or has no recipe.
io::Recipe read_recipe_png(const std::string& path);

// The part of t an image grid shows: at most 256 images, 4096 rows of vectors, or 2^22 values of
// a 1-D tensor (wrapped into a square; so are [N, D] tensors more than 16 times longer one way
// than the other); other ranks are shown as one-channel tiles of the last two dimensions. `note`
// says what was left out or rearranged ("" when the tensor is shown as it is).
Tensor grid_view(const Tensor& t, std::string& note);
// An integer upscaling that makes a grid of this many pixels about 768 wide (1 to 8).
int grid_scale(const Tensor& view);

// The histogram drawn by --hist: continuous data over [Q1 - 8 IQR, Q3 + 8 IQR] clipped to the data
// (all of a normal sample; the body of a Cauchy one, its far tails counted as below / above),
// quartiles from the first 1,000,000 values; discrete data as stats::histogram bins it.
stats::Histogram histogram_for(const Tensor& t, const SampleSpec& spec);

// The --stats table. Large tensors are tested on their first 1,000,000 values.
void print_stats(std::ostream& os, const Tensor& t, const SampleSpec& spec);

}  // namespace nl::app
