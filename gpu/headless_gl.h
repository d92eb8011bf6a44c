// An OpenGL context with no window, made current on the calling thread through EGL, for the
// CUDA-GL interop checks and benchmark on machines without a display (the lent GPU machines) and
// for GL pixel checks on machines without a GPU (Mesa). GLFW's null-platform EGL failed on the
// GPU machines, so the context is made here: EGL's device platform first (the device driving the
// wanted CUDA GPU when the driver says which that is), then Mesa's surfaceless platform, then the
// default display; an OpenGL 3.3 core context (or any context of version >= 3.3), surfaceless when
// the display allows it, else on a 1x1 pbuffer.
// Plain C++: no EGL or GL header here.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nl::gpu {

// "EGL_BAD_MATCH" for 0x3009, "EGL error 0x1234" for an unknown code.
std::string egl_error_name(int code);

class HeadlessGl {
public:
    // cuda_device >= 0: prefer the EGL device whose EGL_CUDA_DEVICE_NV is that CUDA ordinal
    // (interop needs the GL context on the GPU that runs the kernels); -1: the first that works.
    // Throws nl::DeviceError naming the EGL call and its error for every display tried.
    explicit HeadlessGl(int cuda_device = -1);
    // Releases the context from this thread and destroys it (call on the creating thread).
    ~HeadlessGl();
    HeadlessGl(const HeadlessGl&) = delete;
    HeadlessGl& operator=(const HeadlessGl&) = delete;

    // Empty when a context can be made here; otherwise why not (for skips with a message).
    // Makes and destroys one context per call, so ask once.
    static std::string unavailable_reason(int cuda_device = -1);

    const std::string& display_name() const { return display_name_; }  // "EGL device 0 (...)"
    const std::string& gl_renderer() const { return renderer_; }        // GL_RENDERER
    const std::string& gl_version() const { return version_; }          // GL_VERSION
    const std::string& gl_vendor() const { return vendor_; }            // GL_VENDOR
    int gl_major() const { return major_; }
    int gl_minor() const { return minor_; }
    int cuda_device() const { return cuda_device_; }  // the EGL device's CUDA ordinal, -1 unknown
    // Whether CUDA-GL interop with CUDA device `device` can work in this context: EGL says the
    // context's device is that GPU, or, where EGL does not say, GL's vendor is NVIDIA (not Mesa).
    bool drives_cuda_device(int device) const;

private:
    void close();              // releases and destroys the context, lets go of the display
    void* display_ = nullptr;  // EGLDisplay
    void* context_ = nullptr;  // EGLContext
    void* surface_ = nullptr;  // EGLSurface: a 1x1 pbuffer, or none when surfaceless
    std::string display_name_, renderer_, version_, vendor_;
    int major_ = 0, minor_ = 0, cuda_device_ = -1;
};

// A GL_TEXTURE_2D with GL_RGBA8 storage, for interop and upload targets; needs a current context.
// Nearest filtering and clamp-to-edge, as the GUI's image view.
class GlRgbaTexture {
public:
    GlRgbaTexture(int width, int height);  // throws nl::ValueError for a size out of 1..16384
    ~GlRgbaTexture();                      // deletes the texture (unregister interop first)
    GlRgbaTexture(const GlRgbaTexture&) = delete;
    GlRgbaTexture& operator=(const GlRgbaTexture&) = delete;

    unsigned int name() const { return name_; }
    int width() const { return width_; }
    int height() const { return height_; }
    // Replaces every pixel from width*height*4 bytes in host memory (glTexSubImage2D).
    void upload(const uint8_t* rgba);
    // The texture's pixels as GL sees them, width*height*4 bytes, row 0 first (glGetTexImage).
    std::vector<uint8_t> read() const;

private:
    unsigned int name_ = 0;
    int width_ = 0, height_ = 0;
};

// Throws nl::DeviceError naming `what` and the GL error when glGetError reports one.
void check_gl(const char* what);

}  // namespace nl::gpu
