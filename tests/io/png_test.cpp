// PNG: CRC-32 against zlib's known values, pixels through stb (decoded back by stb_image),
// text chunks round trip (tEXt Latin-1 and iTXt UTF-8), and the chunk walker's refusals.
#include "tensor/io/png.h"

#include <gtest/gtest.h>
#include <stb_image.h>  // decoder, for checking pixels only (declarations; libstb has the code)

#include <cstring>

#include "tensor/errors.h"
#include "tensor/io/bytes.h"
#include "tests/io/io_test_util.h"

namespace nl::io {
namespace {

using testing::io_error_of;
using testing::ScratchDir;

std::vector<uint8_t> gradient(int w, int h, int c) {
    std::vector<uint8_t> px(static_cast<size_t>(w) * h * c);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < c; ++k) px[(static_cast<size_t>(y) * w + x) * c + k] = static_cast<uint8_t>(x * 17 + y * 29 + k * 71);
    return px;
}

std::string png_error(const std::vector<uint8_t>& b) {
    return io_error_of([&] { parse_png_info(b.data(), b.size(), "img.png"); });
}

// A chunk with a correct CRC (computed by our crc32, itself checked against zlib's values).
std::vector<uint8_t> chunk(const char* type, const std::string& body) {
    std::vector<uint8_t> out;
    detail::append_be32(out, static_cast<uint32_t>(body.size()));
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), body.begin(), body.end());
    std::vector<uint8_t> typed(type, type + 4);
    typed.insert(typed.end(), body.begin(), body.end());
    detail::append_be32(out, crc32(typed.data(), typed.size()));
    return out;
}

// Offset of the chunk of this type in a PNG byte stream (walking lengths), or npos.
size_t find_chunk(const std::vector<uint8_t>& png, const char* type) {
    for (size_t pos = 8; pos + 12 <= png.size();) {
        if (std::memcmp(&png[pos + 4], type, 4) == 0) return pos;
        pos += 12 + detail::load_be32(&png[pos]);
    }
    return std::string::npos;
}

TEST(Crc32, MatchesZlib) {
    EXPECT_EQ(crc32("IEND", 4), 0xAE426082u);           // every PNG's last four bytes
    EXPECT_EQ(crc32("123456789", 9), 0xCBF43926u);      // the standard CRC-32 check value
    EXPECT_EQ(crc32("", 0), 0u);
    EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
    // Running checksum: crc32(b, crc32(a)) == crc32(a + b), as zlib's crc32(crc, buf, len).
    EXPECT_EQ(crc32("56789", 5, crc32("1234", 4)), 0xCBF43926u);
}

TEST(Png, PixelsRoundTripThroughStbForEveryChannelCount) {
    for (int c = 1; c <= 4; ++c) {
        SCOPED_TRACE(c);
        const int w = 13, h = 7;
        const auto px = gradient(w, h, c);
        const auto png = encode_png(px.data(), w, h, c, {{"Software", "Noise Lab test", PngTextKind::Latin1}});
        const PngInfo info = parse_png_info(png.data(), png.size(), "mem");
        EXPECT_EQ(info.width, w);
        EXPECT_EQ(info.height, h);
        EXPECT_EQ(info.bit_depth, 8);
        EXPECT_EQ(info.channels, c);
        static const int kColorType[] = {0, 0, 4, 2, 6};
        EXPECT_EQ(info.color_type, kColorType[c]);
        int dw = 0, dh = 0, dc = 0;
        uint8_t* decoded = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &dw, &dh, &dc, c);
        ASSERT_NE(decoded, nullptr);
        EXPECT_EQ(std::vector<uint8_t>(decoded, decoded + px.size()), px);
        stbi_image_free(decoded);
    }
}

TEST(Png, TextChunksRoundTripBeforeIend) {
    const std::string json = R"({"op":"normal","note":"σ = 1, naïve ✓"})";
    const std::vector<PngText> texts = {
        {kPngRecipeKey, json, PngTextKind::Utf8},
        {kPngSoftwareKey, "Noise Lab 0.1.0 (café)", PngTextKind::Latin1},  // é fits Latin-1
        {"Comment", "", PngTextKind::Latin1},
        {"Empty utf8", "", PngTextKind::Utf8},
    };
    const auto px = gradient(4, 4, 3);
    const auto png = encode_png(px.data(), 4, 4, 3, texts);
    EXPECT_EQ(parse_png_info(png.data(), png.size(), "mem").texts, texts);
    // Inserted just before IEND, which stays the last chunk with its fixed CRC.
    ASSERT_GE(png.size(), 12u);
    const std::vector<uint8_t> iend = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    EXPECT_TRUE(std::equal(iend.begin(), iend.end(), png.end() - 12));
    EXPECT_LT(find_chunk(png, "IDAT"), find_chunk(png, "iTXt"));
    EXPECT_LT(find_chunk(png, "iTXt"), find_chunk(png, "tEXt"));
    // The tEXt body holds Latin-1 bytes (é = 0xE9), the iTXt body UTF-8 after 4 header bytes.
    const size_t t = find_chunk(png, "tEXt");
    const std::string body(png.begin() + static_cast<long>(t) + 8,
                           png.begin() + static_cast<long>(t) + 8 + detail::load_be32(&png[t]));
    EXPECT_EQ(body, std::string("Software\0Noise Lab 0.1.0 (caf\xE9)", 31));
    const size_t i = find_chunk(png, "iTXt");
    const std::string ibody(png.begin() + static_cast<long>(i) + 8,
                            png.begin() + static_cast<long>(i) + 8 + detail::load_be32(&png[i]));
    EXPECT_EQ(ibody, std::string("noiselab-recipe\0\0\0\0\0", 20) + json);
    ASSERT_NE(find_png_text(parse_png_info(png.data(), png.size(), "m").texts, kPngRecipeKey), nullptr);
    EXPECT_EQ(find_png_text(texts, "nope"), nullptr);
}

TEST(Png, FileWriteReadAndNoOverwrite) {
    ScratchDir dir;
    const std::string path = dir.file("out.png");
    const auto px = gradient(20, 10, 4);
    write_png(path, px.data(), 20, 10, 4, {{kPngRecipeKey, "{}", PngTextKind::Utf8}});
    const PngSize size = read_png_size(path);
    EXPECT_EQ(size.width, 20);
    EXPECT_EQ(size.height, 10);
    ASSERT_EQ(read_png_text_chunks(path).size(), 1u);
    EXPECT_EQ(read_png_text_chunks(path)[0].text, "{}");
    try {
        write_png(path, px.data(), 20, 10, 4);
        FAIL() << "overwrote without the flag";
    } catch (const IOError& e) {
        EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
    }
    write_png(path, px.data(), 10, 20, 4, {}, /*overwrite=*/true);
    EXPECT_EQ(read_png_size(path).width, 10);
    EXPECT_TRUE(read_png_text_chunks(path).empty());
}

TEST(Png, WriterRefusesBadInput) {
    const auto px = gradient(2, 2, 4);
    EXPECT_THROW(encode_png(px.data(), 2, 2, 5), ValueError);
    EXPECT_THROW(encode_png(px.data(), 2, 2, 0), ValueError);
    EXPECT_THROW(encode_png(px.data(), 0, 2, 1), ValueError);
    EXPECT_THROW(encode_png(px.data(), 1 << 20, 1 << 20, 4), ValueError);
    EXPECT_THROW(encode_png(nullptr, 2, 2, 1), ValueError);
    const std::vector<std::string> bad_keys = {"", std::string(80, 'k'), " lead", "trail ", "dou  ble", "tab\tkey",
                                               "\xC3"};
    for (const std::string& k : bad_keys)
        EXPECT_THROW(encode_png(px.data(), 2, 2, 1, {{k, "x", PngTextKind::Utf8}}), ValueError) << k;
    EXPECT_NO_THROW(encode_png(px.data(), 2, 2, 1, {{std::string(79, 'k'), "x", PngTextKind::Utf8}}));
    EXPECT_THROW(encode_png(px.data(), 2, 2, 1, {{"k", "\xE2\x9C\x93", PngTextKind::Latin1}}), ValueError);  // U+2713
    EXPECT_THROW(encode_png(px.data(), 2, 2, 1, {{"k", std::string("a\0b", 3), PngTextKind::Utf8}}), ValueError);
    EXPECT_THROW(encode_png(px.data(), 2, 2, 1, {{"k", "\xFF\xFE", PngTextKind::Utf8}}), ValueError);
    EXPECT_THROW(encode_png(px.data(), 2, 2, 1, {{"k", "\xED\xA0\x80", PngTextKind::Utf8}}), ValueError);  // surrogate
    EXPECT_THROW(encode_png(px.data(), 2, 2, 1, {{"k", "\xC0\xAF", PngTextKind::Utf8}}), ValueError);      // overlong
}

class PngReader : public ::testing::Test {
protected:
    std::vector<uint8_t> valid() const {
        const auto px = gradient(3, 2, 3);
        return encode_png(px.data(), 3, 2, 3, {{"Software", "x", PngTextKind::Latin1}});
    }
    // signature + IHDR (3x2 RGB 8-bit) as the start of a hand-built file.
    static std::vector<uint8_t> head(const std::string& ihdr = std::string("\0\0\0\3\0\0\0\2\x08\x02\0\0\0", 13)) {
        std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        const auto c = chunk("IHDR", ihdr);
        out.insert(out.end(), c.begin(), c.end());
        return out;
    }
    static void add(std::vector<uint8_t>& v, const std::vector<uint8_t>& c) { v.insert(v.end(), c.begin(), c.end()); }
};

TEST_F(PngReader, RefusesCorruption) {
    auto b = valid();
    EXPECT_NE(png_error({b.begin(), b.begin() + 5}).find("too short"), std::string::npos);
    auto sig = b;
    sig[1] = 'J';
    EXPECT_NE(png_error(sig).find("bad signature"), std::string::npos);
    // A flipped bit in the pixel data: the IDAT CRC no longer matches.
    auto flipped = b;
    const size_t idat = find_chunk(b, "IDAT");
    flipped[idat + 9] ^= 0x10;
    const std::string crc = png_error(flipped);
    EXPECT_NE(crc.find("CRC mismatch in chunk 'IDAT' at byte " + std::to_string(idat)), std::string::npos) << crc;
    EXPECT_EQ(crc.rfind("img.png: ", 0), 0u) << crc;
    // A length running past the end of the file.
    auto longer = b;
    longer[idat] = 0x10;
    EXPECT_NE(png_error(longer).find("remain before the CRC"), std::string::npos);
    auto huge = b;
    huge[idat] = 0x80;
    EXPECT_NE(png_error(huge).find("above 2^31 - 1"), std::string::npos);
    // No IEND.
    EXPECT_NE(png_error({b.begin(), b.end() - 12}).find("before the IEND chunk"), std::string::npos);
    auto type = b;
    type[idat + 5] = '1';
    EXPECT_NE(png_error(type).find("not four ASCII letters"), std::string::npos);
}

TEST_F(PngReader, RefusesStructuralErrors) {
    const auto iend = chunk("IEND", "");
    const auto idat = chunk("IDAT", "x");
    std::vector<uint8_t> no_idat = head();
    add(no_idat, iend);
    EXPECT_NE(png_error(no_idat).find("no IDAT"), std::string::npos);

    std::vector<uint8_t> not_first = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    add(not_first, idat);
    EXPECT_NE(png_error(not_first).find("first chunk is 'IDAT'"), std::string::npos);

    auto two = head();
    add(two, chunk("IHDR", std::string("\0\0\0\3\0\0\0\2\x08\x02\0\0\0", 13)));
    EXPECT_NE(png_error(two).find("second IHDR"), std::string::npos);

    EXPECT_NE(png_error(head(std::string("\0\0\0\3\0\0\0\2\x07\x02\0\0\0", 13))).find("invalid bit depth 7"), std::string::npos);
    EXPECT_NE(png_error(head(std::string("\0\0\0\0\0\0\0\2\x08\x02\0\0\0", 13))).find("invalid image size 0x2"), std::string::npos);
    EXPECT_NE(png_error(head(std::string("\0\0\0\3\0\0\0\2\x08\x02\0\0\2", 13))).find("interlace"), std::string::npos);
    EXPECT_NE(png_error(head(std::string("\0\0\0\3\0\0\0\2\x08\x02\0\0", 12))).find("not 13"), std::string::npos);

    auto bad_iend = head();
    add(bad_iend, idat);
    add(bad_iend, chunk("IEND", "x"));
    EXPECT_NE(png_error(bad_iend).find("IEND has 1 data bytes"), std::string::npos);

    for (const auto& [type, body, expect] : std::vector<std::tuple<const char*, std::string, const char*>>{
             {"tEXt", "no separator", "no NUL after its keyword"},
             {"tEXt", std::string("\0text", 5), "keyword of 0 bytes"},
             {"tEXt", std::string(80, 'k') + std::string("\0t", 2), "keyword of 80 bytes"},
             {"tEXt", std::string("k\0a\0b", 5), "NUL inside its text"},
             {"iTXt", std::string("k\0", 2), "ends inside its header"},
             {"iTXt", std::string("k\0\2\0\0\0t", 7), "compression flag/method (2/0)"},
             {"iTXt", std::string("k\0\0\0en", 6), "missing NUL separator"},
         }) {
        auto v = head();
        add(v, chunk(type, body));
        add(v, idat);
        add(v, iend);
        const std::string msg = png_error(v);
        EXPECT_NE(msg.find(expect), std::string::npos) << msg << "\nexpected: " << expect;
    }
}

TEST_F(PngReader, SkipsCompressedTextAndToleratesTrailingBytes) {
    auto v = head();
    add(v, chunk("zTXt", std::string("Comment\0\0xyz", 12)));
    add(v, chunk("iTXt", std::string("Packed\0\1\0\0\0xyz", 14)));
    add(v, chunk("iTXt", std::string("Lang\0\0\0en\0Sprache\0hello", 23)));
    add(v, chunk("tEXt", std::string("Latin\0\xB5m", 8)));  // µ (0xB5) comes back as UTF-8
    add(v, chunk("IDAT", "x"));
    add(v, chunk("IEND", ""));
    v.push_back('j');  // garbage after IEND, as some tools append: decoders ignore it
    const PngInfo info = parse_png_info(v.data(), v.size(), "m");
    ASSERT_EQ(info.texts.size(), 2u);
    EXPECT_EQ(info.texts[0], (PngText{"Lang", "hello", PngTextKind::Utf8}));
    EXPECT_EQ(info.texts[1], (PngText{"Latin", "\xC2\xB5m", PngTextKind::Latin1}));
}

TEST(Png, InsertTextValidatesItsInput) {
    EXPECT_THROW(insert_png_text({1, 2, 3}, {}), IOError);
}

}  // namespace
}  // namespace nl::io
