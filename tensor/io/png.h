// PNG files with metadata: 8-bit images are encoded by stb_image_write, then text chunks (the
// "noiselab-recipe" JSON, "Software") are inserted before IEND; a reader walks the chunks (never
// decoding pixels) to get the size and the text back. The walker checks the signature, every
// chunk length against the file and every CRC, and raises IOError naming the file and the chunk.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/io/atomic_file.h"

namespace nl::io {

constexpr const char* kPngRecipeKey = "noiselab-recipe";  // iTXt, UTF-8 JSON (recipe.h)
constexpr const char* kPngSoftwareKey = "Software";       // tEXt, "Noise Lab 0.1.0"

// CRC-32 as PNG and zlib define it (reflected polynomial 0xEDB88320); pass the previous result
// as `crc` to continue a running checksum, like zlib's crc32(crc, buf, len).
uint32_t crc32(const void* data, size_t n, uint32_t crc = 0);

enum class PngTextKind {
    Latin1,  // tEXt: keyword and text in ISO 8859-1 (given and returned here as UTF-8)
    Utf8,    // iTXt, uncompressed, no language tag: UTF-8 text
};

struct PngText {
    std::string key;   // 1-79 printable characters, no leading/trailing/double spaces
    std::string text;  // UTF-8
    PngTextKind kind = PngTextKind::Utf8;
    bool operator==(const PngText& o) const { return key == o.key && text == o.text && kind == o.kind; }
};

struct PngInfo {
    int width = 0, height = 0;
    int bit_depth = 0;   // 1, 2, 4, 8 or 16
    int color_type = 0;  // 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
    int channels = 0;    // 1, 3, 1, 2, 4 for the colour types above
    bool interlaced = false;
    std::vector<PngText> texts;  // tEXt and uncompressed iTXt chunks, in file order
};

// Encodes 8-bit pixels: `channels` 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA), rows top
// first, tightly packed (width * channels bytes per row), then inserts `texts` before IEND.
// Throws ValueError for bad sizes, channel counts or text keys.
std::vector<uint8_t> encode_png(const uint8_t* pixels, int width, int height, int channels,
                                const std::vector<PngText>& texts = {});
// encode_png, then write_file_atomic (without overwrite an existing file is kept: "use --force").
void write_png(const std::string& path, const uint8_t* pixels, int width, int height, int channels,
               const std::vector<PngText>& texts = {}, bool overwrite = false);
// Inserts text chunks just before IEND of a valid PNG byte stream (validated first).
std::vector<uint8_t> insert_png_text(const std::vector<uint8_t>& png, const std::vector<PngText>& texts);

// Walks the chunks of PNG bytes: signature, IHDR first and valid, every length inside the
// file, every CRC right, at least one IDAT, IEND present (bytes after IEND are ignored, as
// decoders do). zTXt and compressed iTXt chunks are skipped (reading them would need inflate).
PngInfo parse_png_info(const uint8_t* data, size_t size, const std::string& name);
PngInfo read_png_info(const std::string& path, size_t max_bytes = kDefaultMaxFileBytes);
std::vector<PngText> read_png_text_chunks(const std::string& path, size_t max_bytes = kDefaultMaxFileBytes);
struct PngSize {
    int width = 0, height = 0;
};
// Width and height of a PNG file (the whole file is validated as above).
PngSize read_png_size(const std::string& path, size_t max_bytes = kDefaultMaxFileBytes);

// The text of the first chunk with this key, or nullptr.
const PngText* find_png_text(const std::vector<PngText>& texts, const std::string& key);

}  // namespace nl::io
