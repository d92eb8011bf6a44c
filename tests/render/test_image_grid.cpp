// Image grids: known tensors give known pixels (tiles, padding, colormap, RGB, scale, NaN), value
// ranges resolve as documented, and bad shapes or options fail before anything big is allocated.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gui/render/canvas.h"
#include "gui/render/image.h"
#include "gui/render/style.h"
#include "tensor/errors.h"
#include "tensor/generator.h"
#include "tensor/random.h"
#include "tensor/tensor.h"

using namespace nl;
using namespace nl::render;

namespace {
Rgb gray(int v) { return {static_cast<uint8_t>(v), static_cast<uint8_t>(v), static_cast<uint8_t>(v)}; }
}  // namespace

TEST(ValueRange, MinMaxSigmaFixed) {
    const Tensor t = from_vector({1, 2, 3, 4, std::nan(""), 6}, {6});
    double lo, hi;
    resolve_range(t, {}, lo, hi);
    EXPECT_EQ(lo, 1.0);
    EXPECT_EQ(hi, 6.0);  // NaN ignored

    const Tensor u = from_vector({-1, 1, -1, 1}, {4});  // mean 0, population std 1
    ValueRange sig;
    sig.mode = ValueRange::Mode::Sigma;
    sig.k = 2.5;
    resolve_range(u, sig, lo, hi);
    EXPECT_DOUBLE_EQ(lo, -2.5);
    EXPECT_DOUBLE_EQ(hi, 2.5);

    ValueRange fixed;
    fixed.mode = ValueRange::Mode::Fixed;
    fixed.lo = -3;
    fixed.hi = 3;
    resolve_range(u, fixed, lo, hi);
    EXPECT_EQ(lo, -3.0);
    EXPECT_EQ(hi, 3.0);

    fixed.lo = 3;
    EXPECT_THROW(resolve_range(u, fixed, lo, hi), ValueError);
    sig.k = 0;
    EXPECT_THROW(resolve_range(u, sig, lo, hi), ValueError);
}

// Quantiles: order statistics floor(q (n - 1)) and ceil((1 - q)(n - 1)) of the finite values, so
// a Cauchy sample's extremes no longer decide the grey levels of everything else.
TEST(ValueRange, QuantilesIgnoreTheTails) {
    std::vector<double> v;
    for (int i = 1000; i >= 0; --i) v.push_back(i);  // 0..1000, reversed
    v.push_back(std::nan(""));
    v.push_back(INFINITY);
    ValueRange q;
    q.mode = ValueRange::Mode::Quantile;
    q.q = 0.01;
    double lo, hi;
    resolve_range(from_vector(v, {static_cast<int64_t>(v.size())}), q, lo, hi);
    EXPECT_EQ(lo, 10.0);
    EXPECT_EQ(hi, 990.0);

    Generator g(11);
    Tensor c = empty({4096});
    cauchy_(c, 0, 1, &g);
    double mlo, mhi;
    resolve_range(c, {}, mlo, mhi);
    resolve_range(c, q, lo, hi);
    EXPECT_GT(lo, -100.0);  // Cauchy's 1% quantile is about -31.8
    EXPECT_LT(hi, 100.0);
    EXPECT_GT(mhi - mlo, 10 * (hi - lo)) << "min to max spans the tails";
    // The grid through the quantiles uses most grey levels; min to max, a fraction of them.
    auto levels = [&](const ValueRange& r) {
        GridOptions o;
        o.range = r;
        const Image img = image_grid(c.reshape({64, 64}), o);
        std::vector<bool> seen(256);
        for (size_t i = 0; i < img.rgba.size(); i += 4) seen[img.rgba[i]] = true;
        return std::count(seen.begin(), seen.end(), true);
    };
    EXPECT_GT(levels(q), 150);
    EXPECT_LT(levels({}) * 2, levels(q));

    resolve_range(from_vector({std::nan("")}, {1}), q, lo, hi);  // nothing finite
    EXPECT_EQ(lo, 0.0);
    EXPECT_EQ(hi, 1.0);
    for (double bad : {0.0, 0.5, -0.1, std::nan("")}) {
        q.q = bad;
        EXPECT_THROW(resolve_range(c, q, lo, hi), ValueError) << bad;
    }
}

TEST(ImageGrid, BatchOfGrayImagesWithPadding) {
    // Two 2x2 images, values 0..7, min-max range -> gray level round(v / 7 * 255).
    std::vector<double> v(8);
    for (int i = 0; i < 8; ++i) v[i] = i;
    GridOptions o;
    o.columns = 2;
    o.padding = 1;
    const Image img = image_grid(from_vector(v, {2, 1, 2, 2}), o);
    ASSERT_EQ(img.width, 2 * (2 + 1) + 1);
    ASSERT_EQ(img.height, 2 + 2);
    ASSERT_EQ(img.rgba.size(), size_t(7 * 4 * 4));
    EXPECT_EQ(pixel_at(img, 0, 0), style::kGridBackground);
    EXPECT_EQ(pixel_at(img, 3, 1), style::kGridBackground);  // between the tiles
    EXPECT_EQ(pixel_at(img, 1, 1), gray(0));                  // image 0, (0, 0)
    EXPECT_EQ(pixel_at(img, 2, 1), gray(36));                 // image 0, (0, 1): 1/7
    EXPECT_EQ(pixel_at(img, 1, 2), gray(73));                 // image 0, (1, 0): 2/7
    EXPECT_EQ(pixel_at(img, 4, 1), gray(146));                // image 1, (0, 0): 4/7
    EXPECT_EQ(pixel_at(img, 5, 2), gray(255));                // image 1, (1, 1): 7/7
    for (size_t i = 3; i < img.rgba.size(); i += 4) ASSERT_EQ(img.rgba[i], 255) << "opaque";
}

TEST(ImageGrid, AutoColumnsAreAboutSquare) {
    const Image img = image_grid(zeros({5, 1, 3, 3}), {});  // 5 tiles -> 3 columns, 2 rows
    EXPECT_EQ(img.width, 3 * 4 + 1);
    EXPECT_EQ(img.height, 2 * 4 + 1);
    // The sixth cell is empty: background.
    EXPECT_EQ(pixel_at(img, 2 * 4 + 2, 4 + 2), style::kGridBackground);
    // A constant tensor maps to the middle of the colormap.
    EXPECT_EQ(pixel_at(img, 1, 1), gray(128));
}

TEST(ImageGrid, RgbChannelsAndFixedRange) {
    // [1, 3, 1, 2]: pixel 0 = (r, g, b) = (1, 0, -1), pixel 1 = (0, 1, 0.5) on a fixed [-1, 1] range.
    GridOptions o;
    o.padding = 0;
    o.range.mode = ValueRange::Mode::Fixed;
    o.range.lo = -1;
    o.range.hi = 1;
    const Image img = image_grid(from_vector({1, 0, 0, 1, -1, 0.5}, {1, 3, 1, 2}), o);
    ASSERT_EQ(img.width, 2);
    ASSERT_EQ(img.height, 1);
    EXPECT_EQ(pixel_at(img, 0, 0), (Rgb{255, 128, 0}));
    EXPECT_EQ(pixel_at(img, 1, 0), (Rgb{128, 255, 191}));
    // [C, H, W] with C = 3 is one RGB image too.
    const Image chw = image_grid(from_vector({1, 0, 0, 1, -1, 0.5}, {3, 1, 2}), o);
    EXPECT_EQ(chw.rgba, img.rgba);
}

TEST(ImageGrid, ColormapScaleAndNaN) {
    GridOptions o;
    o.padding = 0;
    o.scale = 3;
    o.colormap = Colormap::Viridis;
    const Image img = image_grid(from_vector({0, 1, std::nan(""), 0.5}, {2, 2}), o);
    ASSERT_EQ(img.width, 6);
    ASSERT_EQ(img.height, 6);
    uint8_t lo[3], hi[3];
    colormap_rgb(Colormap::Viridis, 0.0f, lo);
    colormap_rgb(Colormap::Viridis, 1.0f, hi);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x) {
            EXPECT_EQ(pixel_at(img, x, y), (Rgb{lo[0], lo[1], lo[2]}));
            EXPECT_EQ(pixel_at(img, 3 + x, y), (Rgb{hi[0], hi[1], hi[2]}));
            EXPECT_EQ(pixel_at(img, x, 3 + y), style::kNaN);
        }
}

TEST(ImageGrid, RowsOfVectorsAndWrappedVectors) {
    GridOptions o;
    o.padding = 0;
    // [N, D]: each row one strip of D pixels.
    const Image rows = image_grid(from_vector({0, 1, 1, 0, 0, 1}, {3, 2}), o);
    EXPECT_EQ(rows.width, 2);
    EXPECT_EQ(rows.height, 3);
    EXPECT_EQ(pixel_at(rows, 0, 1), gray(255));
    EXPECT_EQ(pixel_at(rows, 1, 1), gray(0));
    // [5] wraps into ceil(sqrt(5)) = 3 columns, 2 rows; the last cell stays background.
    const Image wrapped = image_grid(from_vector({0, 1, 2, 3, 4}, {5}), o);
    EXPECT_EQ(wrapped.width, 3);
    EXPECT_EQ(wrapped.height, 2);
    EXPECT_EQ(pixel_at(wrapped, 0, 1), gray(191));  // element 3 of 0..4
    EXPECT_EQ(pixel_at(wrapped, 2, 1), style::kGridBackground);
    // [N, H, W] with N not 1 or 3: a batch of one-channel images.
    const Image batch = image_grid(zeros({4, 2, 2}), o);
    EXPECT_EQ(batch.width, 4);
    EXPECT_EQ(batch.height, 4);
}

TEST(ImageGrid, IntegerAndBoolTensors) {
    GridOptions o;
    o.padding = 0;
    const Image b = image_grid(from_vector({0, 1}, {1, 2}, DType::Bool), o);
    EXPECT_EQ(pixel_at(b, 0, 0), gray(0));
    EXPECT_EQ(pixel_at(b, 1, 0), gray(255));
    const Image i = image_grid(from_vector({10, 20, 30}, {1, 3}, DType::Int64), o);
    EXPECT_EQ(pixel_at(i, 1, 0), gray(128));
}

TEST(ImageGrid, BadShapesAndOptions) {
    EXPECT_THROW(image_grid(zeros({2, 2, 4, 4}), {}), ShapeError);      // C = 2
    EXPECT_THROW(image_grid(zeros({1, 1, 1, 2, 2}), {}), ShapeError);   // 5-D
    EXPECT_THROW(image_grid(zeros({0, 1, 4, 4}), {}), ShapeError);      // empty
    EXPECT_THROW(image_grid(Tensor(), {}), ShapeError);
    GridOptions o;
    o.scale = 0;
    EXPECT_THROW(image_grid(zeros({2, 2}), o), ValueError);
    o.scale = 1;
    o.padding = -1;
    EXPECT_THROW(image_grid(zeros({2, 2}), o), ValueError);
    // A huge (broadcast, unallocated) tensor is refused by size before reading any value.
    const Tensor huge = zeros({1, 1}).expand({100000, 100000});
    try {
        image_grid(huge, {});
        FAIL() << "expected ShapeError";
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("[100000, 100000]"), std::string::npos) << e.what();
    }
}
