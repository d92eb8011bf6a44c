// PNG writer (stb_image_write + our own text chunks) and a validating chunk walker.
#include "tensor/io/png.h"

#include <stb_image_write.h>  // declarations only: Debian's libstb holds the implementation

#include <climits>
#include <cstring>

#include "tensor/errors.h"
#include "tensor/io/bytes.h"

namespace nl::io {
namespace {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
constexpr uint32_t kMaxChunkLength = 0x7FFFFFFFu;  // PNG spec: lengths are at most 2^31 - 1
constexpr size_t kMaxKeyword = 79;

struct CrcTable {
    uint32_t v[256];
};
constexpr CrcTable make_crc_table() {
    CrcTable t{};
    for (uint32_t n = 0; n < 256; ++n) {
        uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1u) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
        t.v[n] = c;
    }
    return t;
}
constexpr CrcTable kCrcTable = make_crc_table();

// ---- text encodings --------------------------------------------------------------------------

std::string latin1_to_utf8(const uint8_t* p, size_t n) {
    std::string out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        if (p[i] < 0x80) {
            out += static_cast<char>(p[i]);
        } else {
            out += static_cast<char>(0xC0 | (p[i] >> 6));
            out += static_cast<char>(0x80 | (p[i] & 0x3F));
        }
    }
    return out;
}

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i, or -1 if invalid
// (truncated, overlong, surrogate, above U+10FFFF).
long next_code_point(const std::string& s, size_t& i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len;
    long cp;
    if (c < 0x80) { ++i; return c; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return -1;
    if (s.size() - i < static_cast<size_t>(len)) return -1;
    for (int k = 1; k < len; ++k) {
        const unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr long kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += len;
    return cp;
}

bool valid_utf8(const std::string& s) {
    for (size_t i = 0; i < s.size();)
        if (next_code_point(s, i) < 0) return false;
    return true;
}

// UTF-8 -> Latin-1 for tEXt; ValueError for characters Latin-1 cannot hold.
std::string utf8_to_latin1(const std::string& s, const std::string& what) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        const long cp = next_code_point(s, i);
        if (cp < 0) throw ValueError(what + " is not valid UTF-8");
        if (cp > 0xFF)
            throw ValueError(what + " has a character above U+00FF, which a tEXt chunk (Latin-1) cannot hold; "
                             "use PngTextKind::Utf8 (iTXt)");
        out += static_cast<char>(cp);
    }
    return out;
}

// PNG keyword rules (Latin-1 bytes): 1-79 printable characters, no leading, trailing or double space.
bool valid_keyword(const std::string& k) {
    if (k.empty() || k.size() > kMaxKeyword || k.front() == ' ' || k.back() == ' ') return false;
    for (size_t i = 0; i < k.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(k[i]);
        if (!((c >= 32 && c <= 126) || c >= 161)) return false;
        if (c == ' ' && i > 0 && k[i - 1] == ' ') return false;
    }
    return true;
}

// ---- writing chunks --------------------------------------------------------------------------

void append_chunk(std::vector<uint8_t>& out, const char type[4], const std::string& body) {
    if (body.size() > kMaxChunkLength)
        throw ValueError(std::string("PNG ") + type + " chunk of " + std::to_string(body.size()) +
                         " bytes exceeds the format's limit of 2^31 - 1");
    detail::append_be32(out, static_cast<uint32_t>(body.size()));
    const size_t start = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), body.begin(), body.end());
    detail::append_be32(out, crc32(out.data() + start, 4 + body.size()));
}

void append_text_chunk(std::vector<uint8_t>& out, const PngText& t) {
    const std::string key = utf8_to_latin1(t.key, "PNG text key '" + t.key + "'");
    if (!valid_keyword(key))
        throw ValueError("PNG text key '" + t.key + "' is invalid: it must be 1-" + std::to_string(kMaxKeyword) +
                         " printable characters without leading, trailing or consecutive spaces");
    if (t.text.find('\0') != std::string::npos)
        throw ValueError("PNG text for key '" + t.key + "' contains a NUL character, which PNG text cannot hold");
    std::string body = key;
    body += '\0';
    if (t.kind == PngTextKind::Latin1) {
        body += utf8_to_latin1(t.text, "PNG text for key '" + t.key + "'");
        append_chunk(out, "tEXt", body);
    } else {
        if (!valid_utf8(t.text)) throw ValueError("PNG text for key '" + t.key + "' is not valid UTF-8");
        // compression flag 0, method 0, empty language tag, empty translated keyword
        body += std::string("\0\0\0\0", 4);
        body += t.text;
        append_chunk(out, "iTXt", body);
    }
}

void stb_append(void* ctx, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(ctx);
    const auto* p = static_cast<const uint8_t*>(data);
    out->insert(out->end(), p, p + size);
}

// ---- reading chunks --------------------------------------------------------------------------

bool is_letter(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

int channels_of(int color_type) {
    switch (color_type) {
        case 0: return 1;
        case 2: return 3;
        case 3: return 1;
        case 4: return 2;
        case 6: return 4;
    }
    return 0;
}

bool valid_depth(int color_type, int depth) {
    switch (color_type) {
        case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
        case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
        case 2:
        case 4:
        case 6: return depth == 8 || depth == 16;
    }
    return false;
}

// Walks every chunk; fills info; returns the offset of the IEND chunk.
size_t walk(const uint8_t* d, size_t size, const std::string& name, PngInfo& info) {
    auto fail = [&](const std::string& what) { return IOError(name + ": " + what); };
    if (size < 8) throw fail("too short for a PNG file (" + std::to_string(size) + " bytes)");
    if (std::memcmp(d, kSignature, 8) != 0) throw fail("not a PNG file (bad signature)");
    bool seen_ihdr = false, seen_idat = false;
    size_t pos = 8;
    for (;;) {
        if (size - pos < 12)
            throw fail("truncated: the file ends at byte " + std::to_string(size) +
                       " before the IEND chunk (a chunk needs 12 bytes at byte " + std::to_string(pos) + ")");
        const uint32_t len = detail::load_be32(d + pos);
        const uint8_t* t = d + pos + 4;
        if (!is_letter(t[0]) || !is_letter(t[1]) || !is_letter(t[2]) || !is_letter(t[3]))
            throw fail("invalid chunk type at byte " + std::to_string(pos) + " (not four ASCII letters)");
        const std::string type(reinterpret_cast<const char*>(t), 4);
        const std::string where = "chunk '" + type + "' at byte " + std::to_string(pos);
        if (len > kMaxChunkLength) throw fail(where + " has length " + std::to_string(len) + ", above 2^31 - 1");
        if (len > size - pos - 12)
            throw fail(where + " declares " + std::to_string(len) + " data bytes but only " +
                       std::to_string(size - pos - 12) + " remain before the CRC (truncated file?)");
        const uint8_t* body = d + pos + 8;
        const uint32_t stored = detail::load_be32(body + len);
        const uint32_t computed = crc32(t, 4 + static_cast<size_t>(len));
        if (stored != computed) {
            char buf[64];
            std::snprintf(buf, sizeof buf, " (stored 0x%08X, computed 0x%08X)", stored, computed);
            throw fail("CRC mismatch in " + where + buf);
        }
        if (!seen_ihdr && type != "IHDR") throw fail("the first chunk is '" + type + "', not IHDR");

        if (type == "IHDR") {
            if (seen_ihdr) throw fail("a second IHDR " + where);
            if (len != 13) throw fail("IHDR has " + std::to_string(len) + " bytes, not 13");
            const uint32_t w = detail::load_be32(body), h = detail::load_be32(body + 4);
            if (w == 0 || h == 0 || w > 0x7FFFFFFFu || h > 0x7FFFFFFFu)
                throw fail("invalid image size " + std::to_string(w) + "x" + std::to_string(h) +
                           " (each side must be 1 to 2^31 - 1)");
            info.width = static_cast<int>(w);
            info.height = static_cast<int>(h);
            info.bit_depth = body[8];
            info.color_type = body[9];
            if (!valid_depth(info.color_type, info.bit_depth))
                throw fail("invalid bit depth " + std::to_string(info.bit_depth) + " for colour type " +
                           std::to_string(info.color_type));
            if (body[10] != 0 || body[11] != 0 || body[12] > 1)
                throw fail("invalid IHDR compression/filter/interlace method (" + std::to_string(body[10]) + "/" +
                           std::to_string(body[11]) + "/" + std::to_string(body[12]) + ")");
            info.channels = channels_of(info.color_type);
            info.interlaced = body[12] == 1;
            seen_ihdr = true;
        } else if (type == "IDAT") {
            seen_idat = true;
        } else if (type == "IEND") {
            if (len != 0) throw fail("IEND has " + std::to_string(len) + " data bytes, not 0");
            if (!seen_idat) throw fail("no IDAT chunk before IEND (no image data)");
            return pos;
        } else if (type == "tEXt" || type == "iTXt") {
            const uint8_t* nul = static_cast<const uint8_t*>(std::memchr(body, 0, len));
            if (!nul) throw fail(where + " has no NUL after its keyword");
            const size_t klen = static_cast<size_t>(nul - body);
            if (klen == 0 || klen > kMaxKeyword)
                throw fail(where + " has a keyword of " + std::to_string(klen) + " bytes (valid: 1-79)");
            PngText text;
            text.key = latin1_to_utf8(body, klen);
            const uint8_t* rest = nul + 1;
            const size_t rest_len = len - klen - 1;
            if (type == "tEXt") {
                if (std::memchr(rest, 0, rest_len)) throw fail(where + " has a NUL inside its text");
                text.text = latin1_to_utf8(rest, rest_len);
                text.kind = PngTextKind::Latin1;
                info.texts.push_back(std::move(text));
            } else {
                // flag, method, language tag NUL, translated keyword NUL, text
                if (rest_len < 2) throw fail(where + " ends inside its header");
                const uint8_t flag = rest[0], method = rest[1];
                if (flag > 1 || method != 0)
                    throw fail(where + " has an invalid compression flag/method (" + std::to_string(flag) + "/" +
                               std::to_string(method) + ")");
                const uint8_t* p = rest + 2;
                const uint8_t* end = rest + rest_len;
                for (int field = 0; field < 2; ++field) {  // language tag, translated keyword
                    const uint8_t* z = static_cast<const uint8_t*>(std::memchr(p, 0, static_cast<size_t>(end - p)));
                    if (!z) throw fail(where + " ends inside its header (missing NUL separator)");
                    p = z + 1;
                }
                if (flag == 0) {  // compressed text would need inflate: skipped (see png.h)
                    text.text.assign(reinterpret_cast<const char*>(p), static_cast<size_t>(end - p));
                    text.kind = PngTextKind::Utf8;
                    info.texts.push_back(std::move(text));
                }
            }
        }
        pos += 12 + static_cast<size_t>(len);
    }
}

}  // namespace

uint32_t crc32(const void* data, size_t n, uint32_t crc) {
    const uint8_t* p = static_cast<const uint8_t*>(data);
    crc = ~crc;
    for (size_t i = 0; i < n; ++i) crc = kCrcTable.v[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

std::vector<uint8_t> insert_png_text(const std::vector<uint8_t>& png, const std::vector<PngText>& texts) {
    PngInfo info;
    const size_t iend = walk(png.data(), png.size(), "PNG data", info);
    std::vector<uint8_t> chunks;
    for (const PngText& t : texts) append_text_chunk(chunks, t);
    std::vector<uint8_t> out;
    out.reserve(png.size() + chunks.size());
    out.insert(out.end(), png.begin(), png.begin() + static_cast<std::ptrdiff_t>(iend));
    out.insert(out.end(), chunks.begin(), chunks.end());
    out.insert(out.end(), png.begin() + static_cast<std::ptrdiff_t>(iend), png.end());
    return out;
}

std::vector<uint8_t> encode_png(const uint8_t* pixels, int width, int height, int channels,
                                const std::vector<PngText>& texts) {
    if (channels < 1 || channels > 4)
        throw ValueError("PNG channels must be 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA), got " +
                         std::to_string(channels));
    // stb computes (width * channels + 1) * height in int.
    if (width < 1 || height < 1 ||
        static_cast<int64_t>(width) * channels + 1 > INT_MAX / static_cast<int64_t>(height))
        throw ValueError("PNG size " + std::to_string(width) + "x" + std::to_string(height) + "x" +
                         std::to_string(channels) + " is invalid (each side >= 1, at most 2^31 bytes in all)");
    if (!pixels) throw ValueError("encode_png: the pixel pointer is null");
    std::vector<uint8_t> png;
    if (!stbi_write_png_to_func(stb_append, &png, width, height, channels, pixels, width * channels))
        throw MemoryError("stb_image_write could not encode a " + std::to_string(width) + "x" +
                          std::to_string(height) + " PNG (out of memory)");
    return texts.empty() ? png : insert_png_text(png, texts);
}

void write_png(const std::string& path, const uint8_t* pixels, int width, int height, int channels,
               const std::vector<PngText>& texts, bool overwrite) {
    write_file_atomic(path, encode_png(pixels, width, height, channels, texts), overwrite);
}

PngInfo parse_png_info(const uint8_t* data, size_t size, const std::string& name) {
    PngInfo info;
    walk(data, size, name, info);
    return info;
}

PngInfo read_png_info(const std::string& path, size_t max_bytes) {
    const std::vector<uint8_t> bytes = read_file(path, max_bytes);
    return parse_png_info(bytes.data(), bytes.size(), path);
}

std::vector<PngText> read_png_text_chunks(const std::string& path, size_t max_bytes) {
    return read_png_info(path, max_bytes).texts;
}

PngSize read_png_size(const std::string& path, size_t max_bytes) {
    const PngInfo info = read_png_info(path, max_bytes);
    return {info.width, info.height};
}

const PngText* find_png_text(const std::vector<PngText>& texts, const std::string& key) {
    for (const PngText& t : texts)
        if (t.key == key) return &t;
    return nullptr;
}

}  // namespace nl::io
