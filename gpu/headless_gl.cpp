// A windowless OpenGL context through EGL (headless_gl.h), and the RGBA8 texture the interop
// checks write and read back. EGL's extension entry points come from eglGetProcAddress, so the
// code runs on glvnd's libEGL.so.1 alone (the GPU machines: NVIDIA's EGL behind glvnd) as well as
// on Mesa; GL calls go through glvnd's libOpenGL.so.0.
#include "gpu/headless_gl.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <sstream>

#include "tensor/errors.h"

namespace nl::gpu {

std::string egl_error_name(int code) {
    switch (code) {
        case EGL_SUCCESS: return "EGL_SUCCESS";
        case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED";
        case EGL_BAD_ACCESS: return "EGL_BAD_ACCESS";
        case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC";
        case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE";
        case EGL_BAD_CONFIG: return "EGL_BAD_CONFIG";
        case EGL_BAD_CONTEXT: return "EGL_BAD_CONTEXT";
        case EGL_BAD_CURRENT_SURFACE: return "EGL_BAD_CURRENT_SURFACE";
        case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY";
        case EGL_BAD_MATCH: return "EGL_BAD_MATCH";
        case EGL_BAD_NATIVE_PIXMAP: return "EGL_BAD_NATIVE_PIXMAP";
        case EGL_BAD_NATIVE_WINDOW: return "EGL_BAD_NATIVE_WINDOW";
        case EGL_BAD_PARAMETER: return "EGL_BAD_PARAMETER";
        case EGL_BAD_SURFACE: return "EGL_BAD_SURFACE";
        case EGL_CONTEXT_LOST: return "EGL_CONTEXT_LOST";
        default: break;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "EGL error 0x%04X", static_cast<unsigned>(code));
    return buf;
}

namespace {

std::string egl_failed(const char* call) { return std::string(call) + " failed: " + egl_error_name(eglGetError()); }

bool has_extension(const char* list, const char* name) {
    if (!list) return false;
    const size_t n = std::strlen(name);
    for (const char* p = list; (p = std::strstr(p, name)) != nullptr; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

// eglInitialize is not reference-counted (EGL 1.5): one eglTerminate ends every context on the
// display. Device-platform displays are shared per device, so count the contexts made here and
// terminate a display only when its last one goes.
std::mutex g_display_mutex;
std::map<EGLDisplay, int> g_display_users;

bool acquire_display(EGLDisplay d, std::string& why) {
    std::lock_guard<std::mutex> lock(g_display_mutex);
    auto it = g_display_users.find(d);
    if (it != g_display_users.end()) {
        ++it->second;
        return true;
    }
    EGLint major = 0, minor = 0;
    if (!eglInitialize(d, &major, &minor)) {
        why = egl_failed("eglInitialize");
        return false;
    }
    g_display_users[d] = 1;
    return true;
}

void release_display(EGLDisplay d) {
    std::lock_guard<std::mutex> lock(g_display_mutex);
    auto it = g_display_users.find(d);
    if (it == g_display_users.end()) return;
    if (--it->second == 0) {
        g_display_users.erase(it);
        eglTerminate(d);
    }
}

struct Candidate {
    EGLDisplay display = EGL_NO_DISPLAY;
    std::string name;
    int cuda_device = -1;
};

struct Made {
    EGLContext context = EGL_NO_CONTEXT;
    EGLSurface surface = EGL_NO_SURFACE;
};

// The first config for desktop OpenGL; with `pbuffer`, one that can also back a pbuffer.
bool choose_config(EGLDisplay d, bool pbuffer, EGLConfig& config) {
    const EGLint attribs[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
                              EGL_SURFACE_TYPE, pbuffer ? EGL_PBUFFER_BIT : EGL_DONT_CARE, EGL_NONE};
    EGLint n = 0;
    return eglChooseConfig(d, attribs, &config, 1, &n) && n > 0;
}

// Makes a context current on an initialised display; on failure says why and leaves nothing.
bool make_context(EGLDisplay d, Made& m, std::string& why) {
    if (!eglBindAPI(EGL_OPENGL_API)) {
        why = egl_failed("eglBindAPI(EGL_OPENGL_API)");
        return false;
    }
    const bool surfaceless = has_extension(eglQueryString(d, EGL_EXTENSIONS), "EGL_KHR_surfaceless_context");
    EGLConfig config = nullptr;
    bool pbuffer_config = choose_config(d, true, config);
    if (!pbuffer_config && !(surfaceless && choose_config(d, false, config))) {
        why = "eglChooseConfig found no config for desktop OpenGL (EGL_OPENGL_BIT)";
        return false;
    }
    // 3.3 core first (what the GUI asks of GLFW); a driver without EGL_KHR_create_context or
    // EGL 1.5 refuses the attributes, so then its default context, whose version is checked later.
    const EGLint core33[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                             EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
    m.context = eglCreateContext(d, config, EGL_NO_CONTEXT, core33);
    if (m.context == EGL_NO_CONTEXT) m.context = eglCreateContext(d, config, EGL_NO_CONTEXT, nullptr);
    if (m.context == EGL_NO_CONTEXT) {
        why = egl_failed("eglCreateContext");
        return false;
    }
    if (surfaceless && eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, m.context)) return true;
    std::string surfaceless_why = surfaceless ? egl_failed("eglMakeCurrent (surfaceless)") + "; " : "";
    if (pbuffer_config) {
        const EGLint size[] = {EGL_WIDTH, 1, EGL_HEIGHT, 1, EGL_NONE};
        m.surface = eglCreatePbufferSurface(d, config, size);
        if (m.surface == EGL_NO_SURFACE) {
            why = surfaceless_why + egl_failed("eglCreatePbufferSurface(1x1)");
        } else if (eglMakeCurrent(d, m.surface, m.surface, m.context)) {
            return true;
        } else {
            why = surfaceless_why + egl_failed("eglMakeCurrent (1x1 pbuffer)");
            eglDestroySurface(d, m.surface);
            m.surface = EGL_NO_SURFACE;
        }
    } else {
        why = surfaceless_why + "no pbuffer config to fall back to";
    }
    eglDestroyContext(d, m.context);
    m.context = EGL_NO_CONTEXT;
    return false;
}

// The displays to try, best first: EGL devices (the one driving `cuda_device` first), Mesa's
// surfaceless platform, the default display. Notes why a platform was not offered in `skipped`.
std::vector<Candidate> candidates(int cuda_device, std::string& skipped) {
    std::vector<Candidate> out;
    const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);  // NULL: no client extensions
    auto get_platform_display =
        reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
    auto query_devices = reinterpret_cast<PFNEGLQUERYDEVICESEXTPROC>(eglGetProcAddress("eglQueryDevicesEXT"));
    auto query_string =
        reinterpret_cast<PFNEGLQUERYDEVICESTRINGEXTPROC>(eglGetProcAddress("eglQueryDeviceStringEXT"));
    auto query_attrib =
        reinterpret_cast<PFNEGLQUERYDEVICEATTRIBEXTPROC>(eglGetProcAddress("eglQueryDeviceAttribEXT"));
    const bool base = has_extension(client, "EGL_EXT_platform_base") && get_platform_display;

    if (base && has_extension(client, "EGL_EXT_platform_device") && query_devices) {
        EGLDeviceEXT devices[16];
        EGLint n = 0;
        if (!query_devices(16, devices, &n)) {
            skipped += egl_failed("eglQueryDevicesEXT") + "; ";
            n = 0;
        } else if (n == 0) {
            skipped += "eglQueryDevicesEXT found no EGL device; ";
        }
        std::vector<Candidate> devs;
        for (EGLint i = 0; i < n; ++i) {
            Candidate c;
            c.name = "EGL device " + std::to_string(i);
            const bool queries = has_extension(client, "EGL_EXT_device_query") && query_string && query_attrib;
            const char* dev_ext = queries ? query_string(devices[i], EGL_EXTENSIONS) : nullptr;
            EGLAttrib cuda = -1;
            if (has_extension(dev_ext, "EGL_NV_device_cuda") && query_attrib(devices[i], EGL_CUDA_DEVICE_NV, &cuda))
                c.cuda_device = static_cast<int>(cuda);
            std::string detail;
            if (has_extension(dev_ext, "EGL_EXT_device_query_name"))
                if (const char* r = query_string(devices[i], EGL_RENDERER_EXT)) detail = r;
            if (has_extension(dev_ext, "EGL_EXT_device_drm"))
                if (const char* f = query_string(devices[i], EGL_DRM_DEVICE_FILE_EXT))
                    detail += (detail.empty() ? "" : ", ") + std::string(f);
            if (has_extension(dev_ext, "EGL_MESA_device_software"))
                detail += (detail.empty() ? "" : ", ") + std::string("software");
            if (c.cuda_device >= 0) detail += (detail.empty() ? "" : ", ") + ("cuda:" + std::to_string(c.cuda_device));
            if (!detail.empty()) c.name += " (" + detail + ")";
            c.display = get_platform_display(EGL_PLATFORM_DEVICE_EXT, devices[i], nullptr);
            if (c.display == EGL_NO_DISPLAY) {
                skipped += c.name + ": " + egl_failed("eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT)") + "; ";
                continue;
            }
            devs.push_back(c);
        }
        // The device of the wanted CUDA GPU first; the rest keep EGL's order.
        for (const Candidate& c : devs)
            if (cuda_device >= 0 && c.cuda_device == cuda_device) out.push_back(c);
        for (const Candidate& c : devs)
            if (!(cuda_device >= 0 && c.cuda_device == cuda_device)) out.push_back(c);
    } else {
        skipped += "libEGL offers no EGL_EXT_platform_device; ";
    }
    if (base && has_extension(client, "EGL_MESA_platform_surfaceless")) {
        Candidate c;
        c.name = "Mesa surfaceless display";
        c.display = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
        if (c.display != EGL_NO_DISPLAY) out.push_back(c);
    }
    Candidate def;
    def.name = "EGL default display";
    def.display = eglGetDisplay(EGL_DEFAULT_DISPLAY);
    if (def.display != EGL_NO_DISPLAY)
        out.push_back(def);
    else
        skipped += "eglGetDisplay(EGL_DEFAULT_DISPLAY) gave EGL_NO_DISPLAY; ";
    return out;
}

std::string gl_string(GLenum name) {
    const GLubyte* s = glGetString(name);
    return s ? reinterpret_cast<const char*>(s) : "";
}

}  // namespace

HeadlessGl::HeadlessGl(int cuda_device) {
    std::string reasons;
    bool initialised = false;  // some display was initialised: an EGL driver is there
    for (const Candidate& c : candidates(cuda_device, reasons)) {
        std::string why;
        if (!acquire_display(c.display, why)) {
            reasons += c.name + ": " + why + "; ";
            continue;
        }
        initialised = true;
        Made m;
        if (!make_context(c.display, m, why)) {
            reasons += c.name + ": " + why + "; ";
            release_display(c.display);
            continue;
        }
        display_ = c.display;
        context_ = m.context;
        surface_ = m.surface;
        display_name_ = c.name;
        cuda_device_ = c.cuda_device;
        renderer_ = gl_string(GL_RENDERER);
        version_ = gl_string(GL_VERSION);
        vendor_ = gl_string(GL_VENDOR);
        // "4.6.0 NVIDIA 580.65", "4.5 (Core Profile) Mesa 22.3.6": the version leads the string.
        if (std::sscanf(version_.c_str(), "%d.%d", &major_, &minor_) != 2) major_ = minor_ = 0;
        if (major_ > 3 || (major_ == 3 && minor_ >= 3)) return;
        reasons += c.name + ": OpenGL \"" + version_ + "\" (" + renderer_ + ") is older than 3.3; ";
        close();
    }
    if (reasons.size() >= 2) reasons.resize(reasons.size() - 2);
    if (!initialised)
        reasons += " (no EGL display could be initialised: is an EGL driver installed? glvnd's libEGL "
                   "reads vendor files from /usr/share/glvnd/egl_vendor.d or __EGL_VENDOR_LIBRARY_FILENAMES)";
    throw DeviceError("no headless OpenGL 3.3 context through EGL: " + (reasons.empty() ? "no display" : reasons));
}

HeadlessGl::~HeadlessGl() { close(); }

void HeadlessGl::close() {
    if (!display_) return;
    auto d = static_cast<EGLDisplay>(display_);
    // Release only our own context: another HeadlessGl may be current on this thread now.
    if (eglGetCurrentContext() == static_cast<EGLContext>(context_))
        eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(d, static_cast<EGLContext>(context_));
    if (surface_) eglDestroySurface(d, static_cast<EGLSurface>(surface_));
    release_display(d);
    display_ = context_ = surface_ = nullptr;
}

bool HeadlessGl::drives_cuda_device(int device) const {
    if (cuda_device_ >= 0) return cuda_device_ == device;
    return vendor_.find("NVIDIA") != std::string::npos;
}

std::string HeadlessGl::unavailable_reason(int cuda_device) {
    try {
        HeadlessGl gl(cuda_device);
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

void check_gl(const char* what) {
    const GLenum e = glGetError();
    if (e == GL_NO_ERROR) return;
    const char* name = e == GL_INVALID_ENUM                    ? "GL_INVALID_ENUM"
                       : e == GL_INVALID_VALUE                 ? "GL_INVALID_VALUE"
                       : e == GL_INVALID_OPERATION             ? "GL_INVALID_OPERATION"
                       : e == GL_INVALID_FRAMEBUFFER_OPERATION ? "GL_INVALID_FRAMEBUFFER_OPERATION"
                       : e == GL_OUT_OF_MEMORY                 ? "GL_OUT_OF_MEMORY"
                                                               : nullptr;
    std::ostringstream s;
    s << what << " failed: ";
    if (name)
        s << name;
    else
        s << "GL error 0x" << std::hex << e;
    throw DeviceError(s.str());
}

GlRgbaTexture::GlRgbaTexture(int width, int height) : width_(width), height_(height) {
    if (width < 1 || height < 1 || width > 16384 || height > 16384)
        throw ValueError("texture size " + std::to_string(width) + "x" + std::to_string(height) +
                         " is out of range (1 to 16384 a side)");
    while (glGetError() != GL_NO_ERROR) {
    }  // errors left by earlier calls are not ours
    glGenTextures(1, &name_);
    glBindTexture(GL_TEXTURE_2D, name_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    try {
        check_gl(("glTexImage2D(GL_RGBA8, " + std::to_string(width) + "x" + std::to_string(height) + ")").c_str());
    } catch (...) {
        glDeleteTextures(1, &name_);
        throw;
    }
}

GlRgbaTexture::~GlRgbaTexture() {
    if (name_) glDeleteTextures(1, &name_);
}

void GlRgbaTexture::upload(const uint8_t* rgba) {
    glBindTexture(GL_TEXTURE_2D, name_);
    glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);  // a bound buffer would turn the pointer into an offset
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    check_gl("glTexSubImage2D");
}

std::vector<uint8_t> GlRgbaTexture::read() const {
    std::vector<uint8_t> out(static_cast<size_t>(width_) * height_ * 4);
    glBindTexture(GL_TEXTURE_2D, name_);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glPixelStorei(GL_PACK_ROW_LENGTH, 0);
    glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, out.data());
    check_gl("glGetTexImage");
    return out;
}

}  // namespace nl::gpu
