// The image-grid kernel of the CUDA-GL interop path against the CPU renderer (render::image_grid):
// same geometry, same pixels for the gray colormap and RGB, within one step for a sampled
// colormap. The texture path itself is checked where an EGL context on the GPU can be made.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "gpu/gl_interop.h"
#include "gpu_test_util.h"
#include "gui/render/image.h"
#include "gui/render/style.h"
#include "tensor/errors.h"
#include "tensor/random.h"

namespace nl {
namespace {

// The GridSpec render::image_grid would use for a [N, C, H, W] tensor.
gpu::GridSpec spec_like_cpu(const Tensor& t, const render::GridOptions& o, int lut_entries) {
    gpu::GridSpec s;
    s.n = t.size(0);
    s.c = t.size(1);
    s.h = t.size(2);
    s.w = t.size(3);
    s.count = s.h * s.w;
    s.columns = o.columns > 0 ? static_cast<int>(std::min<int64_t>(o.columns, s.n))
                              : static_cast<int>(std::ceil(std::sqrt(static_cast<double>(s.n))));
    s.padding = o.padding;
    s.scale = o.scale;
    render::resolve_range(t, o.range, s.lo, s.hi);
    s.background[0] = render::style::kGridBackground.r;
    s.background[1] = render::style::kGridBackground.g;
    s.background[2] = render::style::kGridBackground.b;
    s.background[3] = 255;
    s.nan_rgb[0] = render::style::kNaN.r;
    s.nan_rgb[1] = render::style::kNaN.g;
    s.nan_rgb[2] = render::style::kNaN.b;
    s.lut_rgb.resize(3 * static_cast<size_t>(lut_entries));
    for (int i = 0; i < lut_entries; ++i)
        render::colormap_rgb(o.colormap, static_cast<float>(i) / static_cast<float>(lut_entries - 1), &s.lut_rgb[3 * i]);
    return s;
}

int max_difference(const render::Image& cpu, const Tensor& gpu_rgba) {
    const Tensor g = gpu_rgba.cpu();
    EXPECT_EQ(g.size(0), cpu.height);
    EXPECT_EQ(g.size(1), cpu.width);
    if (g.numel() != static_cast<int64_t>(cpu.rgba.size())) return 256;
    int worst = 0;
    for (size_t i = 0; i < cpu.rgba.size(); ++i)
        worst = std::max(worst, std::abs(static_cast<int>(cpu.rgba[i]) - static_cast<int>(g.data<uint8_t>()[i])));
    return worst;
}

TEST(GpuInterop, GrayGridEqualsTheCpuRenderer) {
    NL_REQUIRE_GPU();
    Generator g(1);
    Tensor t = randn({10, 1, 28, 28}, {}, &g);
    t.set({3, 0, 5, 5}, std::numeric_limits<double>::quiet_NaN());
    render::GridOptions o;
    o.padding = 2;
    o.scale = 3;
    o.range.mode = render::ValueRange::Mode::Sigma;
    const render::Image cpu = render::image_grid(t, o);
    for (DType dt : {DType::Float32, DType::Float64}) {
        const Tensor rgba = gpu::render_grid_rgba(t.to(dt).to(Device::cuda()), spec_like_cpu(t.to(dt), o, 256));
        EXPECT_EQ(max_difference(cpu, rgba), 0) << dtype_name(dt);
    }
}

TEST(GpuInterop, RgbGridEqualsTheCpuRenderer) {
    NL_REQUIRE_GPU();
    Generator g(2);
    const Tensor t = rand({5, 3, 16, 9}, {}, &g);
    render::GridOptions o;
    o.columns = 2;
    const render::Image cpu = render::image_grid(t, o);
    EXPECT_EQ(max_difference(cpu, gpu::render_grid_rgba(t.to(Device::cuda()), spec_like_cpu(t, o, 256))), 0);
}

TEST(GpuInterop, SampledColormapsAreWithinOneStep) {
    NL_REQUIRE_GPU();
    Generator g(3);
    const Tensor t = rand({4, 1, 32, 32}, {}, &g);
    render::GridOptions o;
    o.colormap = render::Colormap::Viridis;
    const render::Image cpu = render::image_grid(t, o);
    EXPECT_LE(max_difference(cpu, gpu::render_grid_rgba(t.to(Device::cuda()), spec_like_cpu(t, o, 4096))), 1);
}

TEST(GpuInterop, BadSpecsAreRefused) {
    NL_REQUIRE_GPU();
    const Tensor t = zeros({2, 1, 4, 4}, {Device::cuda()});
    render::GridOptions o;
    gpu::GridSpec s = spec_like_cpu(t.cpu(), o, 256);
    EXPECT_NO_THROW(gpu::render_grid_rgba(t, s));
    EXPECT_THROW(gpu::render_grid_rgba(t.cpu(), s), DeviceError);
    gpu::GridSpec bad = s;
    bad.n = 3;
    EXPECT_THROW(gpu::render_grid_rgba(t, bad), ShapeError);
    bad = s;
    bad.lut_rgb.resize(4);
    EXPECT_THROW(gpu::render_grid_rgba(t, bad), ValueError);
    bad = s;
    bad.scale = 0;
    EXPECT_THROW(gpu::render_grid_rgba(t, bad), ValueError);
    EXPECT_THROW(gpu::render_grid_rgba(zeros({2, 1, 4, 4}, {DType::Int64, Device::cuda()}), s), DTypeError);
}

}  // namespace
}  // namespace nl
