// gui/gl_texture.h: creation and upload of the image view's texture.
#include "gui/gl_texture.h"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>

namespace nl::gui {

unsigned int make_view_texture() {
    GLuint tex = 0;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return tex;
}

void sample_for_zoom(unsigned int tex, float zoom, bool& mipmaps_current) {
    if (!tex) return;
    glBindTexture(GL_TEXTURE_2D, tex);
    if (zoom < kMipmapZoom) {
        if (!mipmaps_current) {
            glGenerateMipmap(GL_TEXTURE_2D);
            mipmaps_current = true;
        }
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
    } else {
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);  // level 0 alone: stale mipmaps unused
    }
}

void upload_rgba(unsigned int tex, const render::Image& img, int& width, int& height) {
    glBindTexture(GL_TEXTURE_2D, tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    if (img.width != width || img.height != height) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, img.width, img.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
        width = img.width;
        height = img.height;
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
    }
}

}  // namespace nl::gui
