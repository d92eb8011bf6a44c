// CUDA-GL interop through a real OpenGL texture in a windowless EGL context (gpu/headless_gl.h):
// what GlInteropTexture writes is what GL reads back, byte for byte render_grid_rgba's pixels (and
// the CPU renderer's for the gray map); bad grids are refused; registrations come and go. These
// need a GPU and NVIDIA's EGL (the lent GPU machines). The headless context itself is also checked
// where there is no GPU (Mesa's llvmpipe), skipping with EGL's reason where no context can be made.
// NOISELAB_REQUIRE_EGL=1 turns the "no EGL context" skips into failures (the device checks set it,
// so a missing GL loader there cannot pass as a skip).
#include <gtest/gtest.h>

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gpu/gl_interop.h"
#include "gpu/headless_gl.h"
#include "gpu_test_util.h"
#include "gui/render/image.h"
#include "gui/render/style.h"
#include "tensor/errors.h"
#include "tensor/random.h"

namespace nl {
namespace {

bool egl_required() {
    const char* e = std::getenv("NOISELAB_REQUIRE_EGL");
    return e && std::string(e) == "1";
}

// A context on `cuda_device` (-1: any), or null and why (a failure too with NOISELAB_REQUIRE_EGL=1).
std::unique_ptr<gpu::HeadlessGl> make_context_or_skip(int cuda_device, std::string& why) {
    try {
        return std::make_unique<gpu::HeadlessGl>(cuda_device);
    } catch (const DeviceError& e) {
        why = e.what();
        if (egl_required()) ADD_FAILURE() << "NOISELAB_REQUIRE_EGL=1 but " << why;
        return nullptr;
    }
}

// Declares `var`, a current context, or skips the test naming why none could be made.
#define NL_REQUIRE_EGL(var, cuda_device)                                \
    std::string var##_why;                                              \
    auto var = make_context_or_skip(cuda_device, var##_why);            \
    if (!var) GTEST_SKIP() << var##_why

// Declares `var`, a current context on CUDA device 0's GL driver, or skips naming why.
#define NL_REQUIRE_EGL_ON_GPU0(var)                                                     \
    NL_REQUIRE_EGL(var, 0);                                                             \
    if (!var->drives_cuda_device(0)) {                                                  \
        const std::string msg = "EGL made its context on " + var->display_name() + " (" + \
                                var->gl_renderer() + "), not on cuda:0's GL driver";    \
        if (egl_required()) ADD_FAILURE() << "NOISELAB_REQUIRE_EGL=1 but " << msg;      \
        GTEST_SKIP() << msg;                                                            \
    }

// The grid of the tests: [n, 1, 5, 7] tensors, padding 1, scale 2, `columns` tiles a row, value
// range [-2, 2], the CPU renderer's background and NaN colours, a LUT of `entries` from `map`.
gpu::GridSpec small_spec(int64_t n, int columns, render::Colormap map, int entries) {
    gpu::GridSpec s;
    s.n = n;
    s.c = 1;
    s.h = 5;
    s.w = 7;
    s.count = s.h * s.w;
    s.columns = columns;
    s.padding = 1;
    s.scale = 2;
    s.lo = -2.0;
    s.hi = 2.0;
    s.background[0] = render::style::kGridBackground.r;
    s.background[1] = render::style::kGridBackground.g;
    s.background[2] = render::style::kGridBackground.b;
    s.nan_rgb[0] = render::style::kNaN.r;
    s.nan_rgb[1] = render::style::kNaN.g;
    s.nan_rgb[2] = render::style::kNaN.b;
    s.lut_rgb.resize(3 * static_cast<size_t>(entries));
    for (int i = 0; i < entries; ++i)
        render::colormap_rgb(map, static_cast<float>(i) / static_cast<float>(entries - 1), &s.lut_rgb[3 * i]);
    return s;
}

// Three 5x7 normal images on the GPU, pixel (2, 3) of image 1 NaN.
Tensor three_images(uint64_t seed) {
    Generator g(seed);
    Tensor t = randn({3, 1, 5, 7}, {}, &g);
    t.set({1, 0, 2, 3}, std::numeric_limits<double>::quiet_NaN());
    return t.to(Device::cuda());
}

::testing::AssertionResult same_pixels(const std::vector<uint8_t>& got, const uint8_t* want, size_t bytes, int width) {
    if (got.size() != bytes)
        return ::testing::AssertionFailure() << got.size() << " bytes read back, " << bytes << " expected";
    for (size_t i = 0; i < bytes; ++i)
        if (got[i] != want[i]) {
            const size_t px = i / 4;
            return ::testing::AssertionFailure() << "first difference at pixel (x " << px % width << ", y "
                                                 << px / width << ") channel " << i % 4 << ": "
                                                 << int(got[i]) << " vs " << int(want[i]);
        }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult texture_equals_kernel(const gpu::GlRgbaTexture& tex, const Tensor& images,
                                                 const gpu::GridSpec& spec) {
    const Tensor want = gpu::render_grid_rgba(images, spec).cpu();
    return same_pixels(tex.read(), want.data<uint8_t>(), static_cast<size_t>(want.numel()), tex.width());
}

// ---- the headless context (any machine with EGL, GPU or not) --------------------------------

TEST(HeadlessGl, EglErrorsHaveTheirNames) {
    EXPECT_EQ(gpu::egl_error_name(0x3009), "EGL_BAD_MATCH");
    EXPECT_EQ(gpu::egl_error_name(0x3001), "EGL_NOT_INITIALIZED");
    EXPECT_EQ(gpu::egl_error_name(0x1234), "EGL error 0x1234");
}

TEST(HeadlessGl, MakesAnOpenGl33ContextWithoutAWindow) {
    NL_REQUIRE_EGL(gl, -1);
    std::cout << "[ context  ] " << gl->display_name() << ": " << gl->gl_renderer() << ", OpenGL "
              << gl->gl_version() << "\n";
    EXPECT_TRUE(gl->gl_major() > 3 || (gl->gl_major() == 3 && gl->gl_minor() >= 3)) << gl->gl_version();
    EXPECT_FALSE(gl->gl_renderer().empty());
    // Current on this thread: GL answers directly, and its integer version agrees with the string.
    const GLubyte* v = glGetString(GL_VERSION);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(v)), gl->gl_version());
    GLint major = 0, minor = 0;
    glGetIntegerv(GL_MAJOR_VERSION, &major);
    glGetIntegerv(GL_MINOR_VERSION, &minor);
    EXPECT_EQ(major, gl->gl_major());
    EXPECT_EQ(minor, gl->gl_minor());
}

TEST(HeadlessGl, TexturesKeepWhatWasUploaded) {
    NL_REQUIRE_EGL(gl, -1);
    gpu::GlRgbaTexture tex(5, 3);  // odd width: rows of 20 bytes, no padding either way
    std::vector<uint8_t> pixels(5 * 3 * 4);
    for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(7 * i + 1);
    tex.upload(pixels.data());
    EXPECT_TRUE(same_pixels(tex.read(), pixels.data(), pixels.size(), 5));
    EXPECT_THROW(gpu::GlRgbaTexture(0, 3), ValueError);
    EXPECT_THROW(gpu::GlRgbaTexture(5, 16385), ValueError);
}

TEST(HeadlessGl, ContextsCanBeMadeAgainAndNested) {
    // The display is shared between contexts: ending one must not end the display under another.
    for (int round = 0; round < 2; ++round) {
        NL_REQUIRE_EGL(outer, -1);
        {
            gpu::HeadlessGl inner(-1);
            EXPECT_NE(glGetString(GL_RENDERER), nullptr);
        }
        gpu::HeadlessGl again(-1);
        gpu::GlRgbaTexture tex(2, 2);
        const uint8_t px[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        tex.upload(px);
        EXPECT_TRUE(same_pixels(tex.read(), px, 16, 2)) << "round " << round;
    }
}

// ---- CUDA-GL interop (a GPU and NVIDIA's EGL) -------------------------------------------------

TEST(GpuInteropEgl, TextureEqualsRenderGridRgba) {
    NL_REQUIRE_GPU();
    NL_REQUIRE_EGL_ON_GPU0(gl);
    std::cout << "[ context  ] " << gl->display_name() << ": " << gl->gl_renderer() << "\n";
    const Tensor x = three_images(11);
    for (auto [map, entries] : {std::pair{render::Colormap::Gray, 256}, std::pair{render::Colormap::Viridis, 4096}}) {
        SCOPED_TRACE(render::colormap_name(map));
        const gpu::GridSpec spec = small_spec(3, 2, map, entries);  // 2x2 tiles, the last one empty
        gpu::GlRgbaTexture tex(spec.width(), spec.height());
        ASSERT_EQ(tex.width(), 31);
        ASSERT_EQ(tex.height(), 23);
        // Something else in the texture first: the write must replace every pixel.
        tex.upload(std::vector<uint8_t>(31 * 23 * 4, 0xAB).data());
        gpu::GlInteropTexture interop(tex.name(), tex.width(), tex.height(), 0);
        interop.write(x, spec);
        const std::vector<uint8_t> got = tex.read();
        EXPECT_TRUE(texture_equals_kernel(tex, x, spec));
        // Image 1's NaN pixel (row 2, column 3) is the scale x scale square at x = 16 + 3*2, y = 1 + 2*2.
        const size_t at = (5 * 31 + 22) * 4;
        EXPECT_EQ(got[at + 0], render::style::kNaN.r);
        EXPECT_EQ(got[at + 1], render::style::kNaN.g);
        EXPECT_EQ(got[at + 2], render::style::kNaN.b);
        EXPECT_EQ(got[at + 3], 255);
        if (map == render::Colormap::Gray) {
            // With 256 entries the texture is the CPU upload path's picture, bit for bit.
            render::GridOptions o;
            o.colormap = map;
            o.columns = 2;
            o.padding = 1;
            o.scale = 2;
            o.range.mode = render::ValueRange::Mode::Fixed;
            o.range.lo = -2.0;
            o.range.hi = 2.0;
            const render::Image cpu = render::image_grid(x.cpu(), o);
            ASSERT_EQ(cpu.width, 31);
            ASSERT_EQ(cpu.height, 23);
            EXPECT_TRUE(same_pixels(got, cpu.rgba.data(), cpu.rgba.size(), 31));
        }
    }
}

TEST(GpuInteropEgl, WrongGridsAreRefusedAndLeaveTheTexture) {
    NL_REQUIRE_GPU();
    NL_REQUIRE_EGL_ON_GPU0(gl);
    const gpu::GridSpec spec = small_spec(3, 2, render::Colormap::Gray, 256);
    gpu::GlRgbaTexture tex(spec.width(), spec.height());
    gpu::GlInteropTexture interop(tex.name(), tex.width(), tex.height(), 0);
    const Tensor x = three_images(12);
    interop.write(x, spec);
    const std::vector<uint8_t> before = tex.read();

    const gpu::GridSpec wider = small_spec(3, 3, render::Colormap::Gray, 256);  // 46x12 pixels
    try {
        interop.write(x, wider);
        ADD_FAILURE() << "a 46x12 grid was written into a 31x23 texture";
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("46x12"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("31x23"), std::string::npos) << e.what();
    }
    EXPECT_THROW(interop.write(three_images(13).cpu(), spec), DeviceError);     // not a CUDA tensor
    EXPECT_THROW(interop.write(x.reshape({3, 35}).narrow(0, 0, 2), spec), ShapeError);  // 70 values, 105 wanted
    EXPECT_TRUE(same_pixels(tex.read(), before.data(), before.size(), tex.width()));
    EXPECT_THROW(gpu::GlInteropTexture(tex.name(), 0, 23, 0), ValueError);
}

TEST(GpuInteropEgl, RegisteringAgainAfterUnregisteringWorks) {
    NL_REQUIRE_GPU();
    NL_REQUIRE_EGL_ON_GPU0(gl);
    const gpu::GridSpec spec = small_spec(3, 2, render::Colormap::Viridis, 4096);
    // The same texture registered, written and unregistered twice; then a new texture (GL may
    // hand out the old name again) registered while another registration is alive.
    auto tex = std::make_unique<gpu::GlRgbaTexture>(spec.width(), spec.height());
    for (uint64_t round = 0; round < 2; ++round) {
        gpu::GlInteropTexture interop(tex->name(), tex->width(), tex->height(), 0);
        const Tensor x = three_images(20 + round);
        interop.write(x, spec);
        EXPECT_TRUE(texture_equals_kernel(*tex, x, spec)) << "round " << round;
    }
    tex.reset();
    gpu::GlRgbaTexture a(spec.width(), spec.height()), b(spec.width(), spec.height());
    gpu::GlInteropTexture ia(a.name(), a.width(), a.height(), 0);
    gpu::GlInteropTexture ib(b.name(), b.width(), b.height(), 0);
    const Tensor xa = three_images(30), xb = three_images(31);
    ia.write(xa, spec);
    ib.write(xb, spec);
    EXPECT_TRUE(texture_equals_kernel(a, xa, spec));
    EXPECT_TRUE(texture_equals_kernel(b, xb, spec));
}

}  // namespace
}  // namespace nl
