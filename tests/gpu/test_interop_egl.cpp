// CUDA-GL interop through a real OpenGL texture in a windowless EGL context (gpu/headless_gl.h):
// what GlInteropTexture writes is what GL reads back, byte for byte render_grid_rgba's pixels (and
// the CPU renderer's for the gray map); bad grids are refused; registrations come and go. The
// image view's interop texture (gui/interop/gl_grid_texture.h) shows CUDA tensors as the CPU
// upload path does (gui::grid_pixels), byte for byte, re-creates its texture when the grid's size
// changes and uploads CPU tensors; its value range reduced on the GPU equals render::resolve_range.
// The GridSpec builder's geometry against render::image_grid runs everywhere (no GPU, no GL). These
// need a GPU and NVIDIA's EGL (the lent GPU machines). The headless context itself is also checked
// where there is no GPU (Mesa's llvmpipe), skipping with EGL's reason where no context can be made.
// NOISELAB_REQUIRE_EGL=1 turns the "no EGL context" skips into failures (the device checks set it,
// so a missing GL loader there cannot pass as a skip).
#include <gtest/gtest.h>

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gpu/gl_interop.h"
#include "gpu/grid_range.h"
#include "gpu/headless_gl.h"
#include "gpu_test_util.h"
#include "gui/gl_texture.h"
#include "gui/grid_pixels.h"
#include "gui/interop/gl_grid_texture.h"
#include "gui/interop/grid_spec.h"
#include "gui/render/image.h"
#include "gui/render/style.h"
#include "tensor/errors.h"
#include "tensor/ops.h"
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

// The image view's texture (gui/gl_texture.h) minified below kMipmapZoom averages its texels
// through mipmaps made from the current pixels; at larger zooms it samples level 0 linearly.
TEST(HeadlessGl, MinifiedViewTexturesAverageThroughFreshMipmaps) {
    NL_REQUIRE_EGL(gl, -1);
    render::Image img;
    img.width = img.height = 64;
    img.rgba.assign(64 * 64 * 4, 255);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; x += 2)
            for (int c = 0; c < 3; ++c) img.rgba[(y * 64 + x) * 4 + c] = 0;  // black and white columns
    const unsigned int tex = gui::make_view_texture();
    int w = 0, h = 0;
    gui::upload_rgba(tex, img, w, h);
    bool current = false;
    GLint filter = 0;
    auto level2 = [&] {  // the 16 x 16 mipmap's first pixel, red channel
        std::vector<uint8_t> px(16 * 16 * 4);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glGetTexImage(GL_TEXTURE_2D, 2, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
        return static_cast<int>(px[0]);
    };
    gui::sample_for_zoom(tex, 1.0f, current);
    glGetTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, &filter);
    EXPECT_EQ(filter, GL_LINEAR);
    EXPECT_FALSE(current) << "no mipmaps made for a zoom that does not minify much";
    gui::sample_for_zoom(tex, 0.25f, current);
    glGetTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, &filter);
    EXPECT_EQ(filter, GL_LINEAR_MIPMAP_LINEAR);
    EXPECT_TRUE(current);
    EXPECT_NEAR(level2(), 128, 2) << "alternate black and white columns average to grey";
    img.rgba.assign(64 * 64 * 4, 255);  // new pixels: the mipmaps are made again
    gui::upload_rgba(tex, img, w, h);
    current = false;
    gui::sample_for_zoom(tex, 0.25f, current);
    EXPECT_EQ(level2(), 255);
    gui::sample_for_zoom(tex, 2.0f, current);
    glGetTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, &filter);
    EXPECT_EQ(filter, GL_LINEAR);
    // A new size while the mipmap filter was set (level 0 reallocated, the old levels stale):
    // the next minified draw makes levels of the new size, so the texture is complete again.
    gui::sample_for_zoom(tex, 0.25f, current);
    img.width = 32;
    img.height = 48;
    img.rgba.assign(32 * 48 * 4, 0);
    gui::upload_rgba(tex, img, w, h);
    current = false;
    gui::sample_for_zoom(tex, 0.25f, current);
    GLint lw = 0, lh = 0;
    glGetTexLevelParameteriv(GL_TEXTURE_2D, 2, GL_TEXTURE_WIDTH, &lw);
    glGetTexLevelParameteriv(GL_TEXTURE_2D, 2, GL_TEXTURE_HEIGHT, &lh);
    EXPECT_EQ(lw, 8);
    EXPECT_EQ(lh, 12);
    EXPECT_EQ(level2(), 0) << "level 2 holds the new, black pixels";
    EXPECT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
    GLuint name = tex;
    glDeleteTextures(1, &name);
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


// ---- the image view's interop texture: the spec builder (no GPU, no GL) -----------------------

render::GridOptions grid_opts(int columns, int padding, int scale) {
    render::GridOptions o;
    o.columns = columns;
    o.padding = padding;
    o.scale = scale;
    return o;
}

// The builder and image_grid fail alike: same error type, same words.
template <class Err>
void expect_same_error(const Shape& shape, const render::GridOptions& o) {
    std::string spec_msg, cpu_msg;
    try {
        gui::interop::grid_spec(shape, o);
    } catch (const Err& e) {
        spec_msg = e.what();
    }
    try {
        render::image_grid(zeros(shape), o);
    } catch (const Err& e) {
        cpu_msg = e.what();
    }
    EXPECT_FALSE(spec_msg.empty()) << shape_str(shape) << ": the builder did not throw";
    EXPECT_EQ(spec_msg, cpu_msg) << shape_str(shape);
}

TEST(InteropGridSpec, GeometryEqualsImageGridForManyShapes) {
    const std::vector<Shape> shapes = {{4, 1, 5, 7}, {4, 3, 5, 7}, {1, 1, 1, 1}, {10, 3, 2, 3}, {1, 8, 9}, {3, 8, 9},
                                       {5, 8, 9},    {2, 2, 2},    {8, 9},       {6, 40},       {1, 100},  {100, 1},
                                       {1},          {10},         {17},         {50},          {37, 1, 3, 4}};
    const int columns[] = {0, 1, 2, 5, 4096}, paddings[] = {0, 1, 3}, scales[] = {1, 2, 3};
    int checked = 0;
    for (const Shape& shape : shapes)
        for (int cols : columns)
            for (int pad : paddings)
                for (int sc : scales) {
                    const render::GridOptions o = grid_opts(cols, pad, sc);
                    const gpu::GridSpec s = gui::interop::grid_spec(shape, o);
                    const render::Image img = render::image_grid(zeros(shape), o);
                    ASSERT_EQ(s.width(), img.width) << shape_str(shape) << " columns " << cols << " padding " << pad << " scale " << sc;
                    ASSERT_EQ(s.height(), img.height) << shape_str(shape) << " columns " << cols << " padding " << pad << " scale " << sc;
                    ASSERT_EQ(s.padding, pad);
                    ASSERT_EQ(s.scale, sc);
                    ++checked;
                }
    EXPECT_EQ(checked, 17 * 5 * 3 * 3);
    // The layouts themselves: RGB tiles, [C, H, W] with C = 1 or 3 vs a batch [N, H, W], strips,
    // and a wrapped 1-D tensor (7 columns of ceil(50/7) rows, 50 valid pixels).
    const gpu::GridSpec rgb = gui::interop::grid_spec({4, 3, 5, 7}, {});
    EXPECT_EQ(rgb.n * 1000 + rgb.c * 100 + rgb.h * 10 + rgb.w, 4357);
    EXPECT_EQ(rgb.columns, 2);
    const gpu::GridSpec chw = gui::interop::grid_spec({3, 8, 9}, {}), batch = gui::interop::grid_spec({5, 8, 9}, {});
    EXPECT_EQ(chw.n, 1);
    EXPECT_EQ(chw.c, 3);
    EXPECT_EQ(batch.n, 5);
    EXPECT_EQ(batch.c, 1);
    const gpu::GridSpec strips = gui::interop::grid_spec({6, 40}, {});
    EXPECT_EQ(strips.n * 1000 + strips.h * 100 + strips.w, 1640);
    const gpu::GridSpec wrapped = gui::interop::grid_spec({50}, {});
    EXPECT_EQ(wrapped.w, 8);
    EXPECT_EQ(wrapped.h, 7);
    EXPECT_EQ(wrapped.count, 50);
}

TEST(InteropGridSpec, ColoursAndTablesAreTheCpuRenderers) {
    render::GridOptions o;
    const gpu::GridSpec gray = gui::interop::grid_spec({2, 1, 3, 3}, o);
    EXPECT_EQ(gray.lut_rgb.size(), 3u * 256);
    for (int i = 0; i < 256; ++i) {
        uint8_t rgb[3];
        render::colormap_rgb(render::Colormap::Gray, static_cast<float>(i) / 255.0f, rgb);
        ASSERT_EQ(gray.lut_rgb[3 * i], rgb[0]) << "entry " << i;
    }
    EXPECT_EQ(gray.background[0], render::style::kGridBackground.r);
    EXPECT_EQ(gray.background[1], render::style::kGridBackground.g);
    EXPECT_EQ(gray.background[2], render::style::kGridBackground.b);
    EXPECT_EQ(gray.background[3], 255);
    EXPECT_EQ(gray.nan_rgb[0], render::style::kNaN.r);
    EXPECT_EQ(gray.nan_rgb[1], render::style::kNaN.g);
    EXPECT_EQ(gray.nan_rgb[2], render::style::kNaN.b);
    o.colormap = render::Colormap::Viridis;
    EXPECT_EQ(gui::interop::grid_spec({2, 1, 3, 3}, o).lut_rgb.size(), 3u * 4096);
    o.colormap = render::Colormap::Diverging;
    EXPECT_EQ(gui::interop::grid_spec({2, 1, 3, 3}, o).lut_rgb.size(), 3u * 4096);
}

TEST(InteropGridSpec, RefusesWhatImageGridRefusesWithItsWords) {
    expect_same_error<ShapeError>({2, 2, 3, 3}, {});        // C = 2
    expect_same_error<ShapeError>({2, 3, 4, 5, 6}, {});     // 5-D
    expect_same_error<ShapeError>({}, {});                  // a scalar
    expect_same_error<ShapeError>({0, 5}, {});              // empty
    expect_same_error<ShapeError>({0}, {});
    expect_same_error<ShapeError>({1, 20000}, {});          // wider than 16384 pixels
    expect_same_error<ShapeError>({4, 1, 200, 200}, grid_opts(0, 1, 64));  // 25603 pixels a side
    expect_same_error<ValueError>({4, 1, 5, 5}, grid_opts(-1, 1, 1));
    expect_same_error<ValueError>({4, 1, 5, 5}, grid_opts(4097, 1, 1));
    expect_same_error<ValueError>({4, 1, 5, 5}, grid_opts(0, 65, 1));
    expect_same_error<ValueError>({4, 1, 5, 5}, grid_opts(0, 1, 0));
}

// ---- the image view's interop texture on a GPU ------------------------------------------------

// The pixels of GL texture `name` (width x height RGBA8), row 0 first.
std::vector<uint8_t> read_texture(unsigned int name, int width, int height) {
    std::vector<uint8_t> out(static_cast<size_t>(width) * height * 4);
    glBindTexture(GL_TEXTURE_2D, name);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glPixelStorei(GL_PACK_ROW_LENGTH, 0);
    glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, out.data());
    gpu::check_gl("glGetTexImage");
    return out;
}

// Shows `x` (any device) with `o` and compares the texture with the CPU upload path's pixels of
// x.cpu(): byte for byte (max_diff 0), or each channel within max_diff.
::testing::AssertionResult shows_cpu_picture(gui::interop::GlGridTexture& tex, const Tensor& x, const render::GridOptions& o,
                                             int max_diff = 0) {
    tex.show(x, o);
    const render::Image want = gui::grid_pixels(x.cpu(), o);
    if (tex.width() != want.width || tex.height() != want.height)
        return ::testing::AssertionFailure() << "texture " << tex.width() << "x" << tex.height() << ", CPU picture "
                                             << want.width << "x" << want.height;
    const std::vector<uint8_t> got = read_texture(tex.texture(), tex.width(), tex.height());
    if (max_diff == 0) return same_pixels(got, want.rgba.data(), want.rgba.size(), want.width);
    for (size_t i = 0; i < got.size(); ++i)
        if (std::abs(int(got[i]) - int(want.rgba[i])) > max_diff)
            return ::testing::AssertionFailure() << "pixel (x " << (i / 4) % want.width << ", y " << (i / 4) / want.width
                                                 << ") channel " << i % 4 << ": " << int(got[i]) << " vs " << int(want.rgba[i]);
    return ::testing::AssertionSuccess();
}

// Normal values of `shape` on the CPU, element `nan_at` (flat index, -1: none) NaN.
Tensor normal(const Shape& shape, uint64_t seed, int64_t nan_at = -1) {
    Generator g(seed);
    Tensor flat = randn({shape_numel(shape)}, {}, &g);
    if (nan_at >= 0) flat.set({nan_at}, std::numeric_limits<double>::quiet_NaN());
    return flat.reshape(shape);
}

TEST(GpuInteropSink, CudaTensorsShowTheCpuUploadPicture) {
    NL_REQUIRE_GPU();
    NL_REQUIRE_EGL_ON_GPU0(gl);
    gui::interop::GlGridTexture tex;
    const Tensor gray = normal({6, 1, 9, 11}, 1, 100);
    struct Case {
        const char* what;
        Tensor x;
        render::GridOptions o;
    };
    std::vector<Case> cases;
    cases.push_back({"gray min-max, NaN pixel", gray, {}});
    {
        render::GridOptions o;
        o.range.mode = render::ValueRange::Mode::Sigma;
        o.range.k = 2.0;
        cases.push_back({"gray sigma k=2", gray, o});
    }
    {
        render::GridOptions o;
        o.range.mode = render::ValueRange::Mode::Fixed;
        o.range.lo = -1.0;
        o.range.hi = 0.5;
        cases.push_back({"fixed [-1, 0.5]", gray, o});
    }
    {
        render::GridOptions o;
        o.range.mode = render::ValueRange::Mode::Quantile;
        o.range.q = 0.05;
        cases.push_back({"quantiles 5%", gray, o});
    }
    cases.push_back({"RGB [5, 3, 8, 6], NaN in green", normal({5, 3, 8, 6}, 2, 3 * 48 + 48 + 7), {}});
    cases.push_back({"[N, D] strips", normal({7, 40}, 3), {}});
    cases.push_back({"padding 0", gray, grid_opts(0, 0, 1)});
    cases.push_back({"padding 3", gray, grid_opts(0, 3, 1)});
    cases.push_back({"scale 2", gray, grid_opts(0, 1, 2)});
    cases.push_back({"columns 5", gray, grid_opts(5, 1, 1)});
    cases.push_back({"float16", normal({6, 1, 9, 11}, 4, 5).to(DType::Float16), {}});
    cases.push_back({"[C, H, W] RGB", normal({3, 10, 12}, 5), {}});
    cases.push_back({"[N, H, W]", normal({4, 10, 12}, 6), {}});
    cases.push_back({"[H, W]", normal({10, 12}, 7), {}});
    cases.push_back({"1-D, wrapped", normal({50}, 8), grid_opts(0, 1, 3)});
    cases.push_back({"constant", full({2, 1, 4, 4}, 3.5), {}});
    cases.push_back({"all NaN", full({2, 1, 4, 4}, std::numeric_limits<double>::quiet_NaN()), {}});
    cases.push_back({"int64", randint(-5, 5, {3, 1, 4, 4}), {}});
    {
        Tensor inf = normal({2, 1, 6, 6}, 9);
        inf.set({0, 0, 1, 1}, std::numeric_limits<double>::infinity());
        inf.set({1, 0, 2, 2}, -std::numeric_limits<double>::infinity());
        cases.push_back({"+-inf", inf, {}});
    }
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        EXPECT_TRUE(shows_cpu_picture(tex, c.x.to(Device::cuda()), c.o));
        EXPECT_TRUE(tex.last_was_interop()) << tex.interop_error();
        // The range the view's colour key labels: the one the CPU renderer resolves (sigma's
        // mean and std summed in another order, as GpuGridRange.EqualsResolveRange allows).
        const render::GridImage cpu = render::image_grid(c.x, c.o);
        const double tol = 1e-12 * std::max({1.0, std::abs(cpu.lo), std::abs(cpu.hi)});
        EXPECT_NEAR(tex.shown_lo(), cpu.lo, tol);
        EXPECT_NEAR(tex.shown_hi(), cpu.hi, tol);
    }
    EXPECT_TRUE(tex.interop_error().empty()) << tex.interop_error();
}

TEST(GpuInteropSink, OtherColormapsWithinOneTableStep) {
    NL_REQUIRE_GPU();
    NL_REQUIRE_EGL_ON_GPU0(gl);
    gui::interop::GlGridTexture tex;
    const Tensor x = normal({6, 1, 9, 11}, 21, 17).to(Device::cuda());
    for (render::Colormap map : {render::Colormap::Viridis, render::Colormap::Diverging}) {
        SCOPED_TRACE(render::colormap_name(map));
        render::GridOptions o;
        o.colormap = map;
        EXPECT_TRUE(shows_cpu_picture(tex, x, o, 1));
        EXPECT_TRUE(tex.last_was_interop());
    }
}

TEST(GpuInteropSink, SizeChangesRecreateTheTexture) {
    NL_REQUIRE_GPU();
    NL_REQUIRE_EGL_ON_GPU0(gl);
    gui::interop::GlGridTexture tex;
    EXPECT_EQ(tex.texture(), 0u);
    const Tensor small = normal({4, 1, 5, 5}, 31).to(Device::cuda()), big = normal({9, 1, 5, 5}, 32).to(Device::cuda());
    ASSERT_TRUE(shows_cpu_picture(tex, small, {}));
    EXPECT_EQ(tex.textures_made(), 1);
    EXPECT_EQ(tex.width(), 13);
    ASSERT_TRUE(shows_cpu_picture(tex, normal({4, 1, 5, 5}, 33).to(Device::cuda()), {}));
    EXPECT_EQ(tex.textures_made(), 1) << "same size: the registered texture is reused";
    ASSERT_TRUE(shows_cpu_picture(tex, big, {}));
    EXPECT_EQ(tex.textures_made(), 2);
    EXPECT_EQ(tex.width(), 19);
    EXPECT_TRUE(tex.last_was_interop());
    ASSERT_TRUE(shows_cpu_picture(tex, small, grid_opts(0, 1, 2)));  // same tiles, scale 2: 23x23
    EXPECT_EQ(tex.textures_made(), 3);
    EXPECT_TRUE(tex.last_was_interop());
}

TEST(GpuInteropSink, CpuTensorsAreUploadedAndCudaOnesGoBackToInterop) {
    NL_REQUIRE_GPU();
    NL_REQUIRE_EGL_ON_GPU0(gl);
    gui::interop::GlGridTexture tex;
    const Tensor x = normal({4, 1, 6, 6}, 41, 3);
    ASSERT_TRUE(shows_cpu_picture(tex, x.to(Device::cuda()), {}));
    EXPECT_TRUE(tex.last_was_interop());
    ASSERT_TRUE(shows_cpu_picture(tex, normal({4, 1, 6, 6}, 42), {}));  // the device setting went to the CPU
    EXPECT_FALSE(tex.last_was_interop());
    EXPECT_TRUE(tex.interop_error().empty());
    ASSERT_TRUE(shows_cpu_picture(tex, normal({2, 1, 6, 6}, 43), {}));  // CPU, another size
    EXPECT_FALSE(tex.last_was_interop());
    ASSERT_TRUE(shows_cpu_picture(tex, x.to(Device::cuda()), {}));  // and back
    EXPECT_TRUE(tex.last_was_interop());
    // Errors are image_grid's, and leave the texture usable.
    EXPECT_THROW(tex.show(zeros({2, 2, 3, 3}).to(Device::cuda()), {}), ShapeError);
    EXPECT_THROW(tex.show(Tensor(), {}), ShapeError);
    EXPECT_TRUE(shows_cpu_picture(tex, x.to(Device::cuda()), {}));
}

TEST(InteropSinkNoGpu, CpuTensorsAreUploadedInAnyGlContext) {
    // No GPU needed: a CPU tensor never reaches CUDA (Mesa's context is fine).
    NL_REQUIRE_EGL(gl, -1);
    gui::interop::GlGridTexture tex;
    EXPECT_TRUE(shows_cpu_picture(tex, normal({5, 3, 4, 6}, 51, 2), grid_opts(2, 3, 2)));
    EXPECT_FALSE(tex.last_was_interop());
    EXPECT_TRUE(tex.interop_error().empty());
    // The reason interop would be given up in this context: none on NVIDIA's driver, else naming it.
    const std::string why = gui::interop::GlGridTexture::foreign_driver();
    if (gl->gl_vendor().find("NVIDIA") != std::string::npos) {
        EXPECT_EQ(why, "");
    } else {
        EXPECT_NE(why.find(gl->gl_renderer()), std::string::npos) << why;
        EXPECT_NE(why.find("not NVIDIA's driver"), std::string::npos) << why;
    }
}

// ---- the value range on the GPU against render::resolve_range ---------------------------------

TEST(GpuGridRange, EqualsResolveRange) {
    NL_REQUIRE_GPU();
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    std::vector<std::pair<const char*, Tensor>> tensors;
    tensors.push_back({"normal with NaN", normal({3, 1, 7, 9}, 61, 40)});
    {
        Tensor t = normal({1000}, 62);
        t.set({3}, inf);
        t.set({500}, -inf);
        t.set({999}, nan);
        tensors.push_back({"+-inf and NaN", t});
    }
    tensors.push_back({"constant", full({5, 7}, -2.25)});
    tensors.push_back({"all NaN", full({4, 4}, nan)});
    tensors.push_back({"only inf", full({3}, inf)});
    tensors.push_back({"empty", zeros({0})});
    tensors.push_back({"many blocks", normal({1 << 20}, 63, 12345)});
    tensors.push_back({"offset mean", normal({4096}, 64) * 1e-3 + 1000.0});
    tensors.push_back({"float16", normal({2, 3, 8, 8}, 65, 7).to(DType::Float16)});
    tensors.push_back({"uint8", randint(0, 256, {100}, {DType::UInt8})});
    tensors.push_back({"int64", randint(-1000, 1000, {333})});
    tensors.push_back({"transposed", normal({40, 30}, 66).transpose(0, 1)});
    render::ValueRange minmax, sigma, fixed, quantile;
    quantile.mode = render::ValueRange::Mode::Quantile;
    quantile.q = 0.1;
    sigma.mode = render::ValueRange::Mode::Sigma;
    sigma.k = 2.0;
    fixed.mode = render::ValueRange::Mode::Fixed;
    fixed.lo = -0.5;
    fixed.hi = 4.0;
    for (const auto& [what, t] : tensors) {
        SCOPED_TRACE(what);
        const Tensor d = t.to(Device::cuda());
        double lo = 0, hi = 0, want_lo = 0, want_hi = 0;
        render::resolve_range(t, minmax, want_lo, want_hi);
        gui::interop::device_range(d, minmax, lo, hi);
        EXPECT_EQ(lo, want_lo);  // min and max do not depend on the order: exact
        EXPECT_EQ(hi, want_hi);
        render::resolve_range(t, quantile, want_lo, want_hi);  // order statistics: exact
        gui::interop::device_range(d, quantile, lo, hi);
        EXPECT_EQ(lo, want_lo);
        EXPECT_EQ(hi, want_hi);
        render::resolve_range(t, sigma, want_lo, want_hi);
        gui::interop::device_range(d, sigma, lo, hi);
        const double tol = 1e-12 * std::max({1.0, std::abs(want_lo), std::abs(want_hi)});  // another summation order
        EXPECT_NEAR(lo, want_lo, tol);
        EXPECT_NEAR(hi, want_hi, tol);
        gui::interop::device_range(d, fixed, lo, hi);
        EXPECT_EQ(lo, -0.5);
        EXPECT_EQ(hi, 4.0);
    }
    // The parameters are checked as resolve_range checks them.
    const Tensor d = normal({10}, 67).to(Device::cuda());
    double lo = 0, hi = 0;
    sigma.k = 0.0;
    EXPECT_THROW(gui::interop::device_range(d, sigma, lo, hi), ValueError);
    fixed.lo = 5.0;
    EXPECT_THROW(gui::interop::device_range(d, fixed, lo, hi), ValueError);
    EXPECT_THROW(gpu::finite_stats(normal({10}, 68), false), DeviceError);  // a CPU tensor
}

}  // namespace
}  // namespace nl
