// Damaged files of every format: each truncation of a small valid file, each single-byte
// corruption, and seeded random multi-byte mutations must end in a clean nl::IOError (or, for
// bytes that only carry values, a successful load): never a crash, a hang, another exception
// type or a huge allocation. Built with -DNOISELAB_SANITIZE=ON this doubles as a memory-safety check.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "tensor/errors.h"
#include "tensor/io/npy.h"
#include "tensor/io/png.h"
#include "tensor/io/recipe.h"
#include "tensor/io/safetensors.h"
#include "tests/io/io_test_util.h"

namespace nl::io {
namespace {

using Decoder = std::function<void(const std::vector<uint8_t>&)>;

struct Format {
    const char* name;
    std::vector<uint8_t> valid;
    Decoder decode;
    bool flips_may_succeed;  // data bytes without a checksum: a flip there gives other values
};

std::vector<Format> formats() {
    std::vector<Format> out;
    out.push_back({"npy float32", encode_npy(testing::sample_tensor(DType::Float32)),
                   [](const std::vector<uint8_t>& b) { decode_npy(b.data(), b.size(), "f.npy"); }, true});
    out.push_back({"npy bool", encode_npy(testing::sample_tensor(DType::Bool).reshape({4, 6})),
                   [](const std::vector<uint8_t>& b) { decode_npy(b.data(), b.size(), "f.npy"); }, true});
    Recipe r;
    r.op = "normal";
    r.shape = {2, 2};
    const std::vector<uint8_t> px = {0, 64, 128, 255};
    out.push_back({"png", encode_png(px.data(), 2, 2, 1, {{kPngRecipeKey, recipe_to_string(r), PngTextKind::Utf8},
                                                          {kPngSoftwareKey, "Noise Lab", PngTextKind::Latin1}}),
                   [](const std::vector<uint8_t>& b) { parse_png_info(b.data(), b.size(), "f.png"); }, false});
    out.push_back({"safetensors",
                   encode_safetensors({{"w", testing::sample_tensor(DType::BFloat16)}, {"b", zeros({3}, DType::Int64)}},
                                      {{"k", "v"}}),
                   [](const std::vector<uint8_t>& b) { decode_safetensors(b.data(), b.size(), "f.safetensors"); }, true});
    return out;
}

// Runs decode; true if it loaded, false on IOError; any other exception fails the test.
bool loads(const Format& f, const std::vector<uint8_t>& b, const std::string& what) {
    try {
        f.decode(b);
        return true;
    } catch (const IOError& e) {
        const std::string msg = e.what();
        EXPECT_FALSE(msg.empty());
        return false;
    } catch (const std::exception& e) {
        ADD_FAILURE() << f.name << ", " << what << ": expected IOError, got " << e.what();
    }
    return false;
}

TEST(Corrupt, ValidFilesLoad) {
    for (const Format& f : formats()) EXPECT_TRUE(loads(f, f.valid, "valid")) << f.name;
}

TEST(Corrupt, EveryTruncationIsAnIOError) {
    for (const Format& f : formats()) {
        SCOPED_TRACE(f.name);
        for (size_t n = 0; n < f.valid.size(); ++n) {
            // A vector of exactly n bytes, so ASan sees any read past the end.
            const std::vector<uint8_t> cut(f.valid.begin(), f.valid.begin() + static_cast<long>(n));
            EXPECT_FALSE(loads(f, cut, "truncated to " + std::to_string(n))) << "truncated to " << n << " bytes";
        }
    }
}

TEST(Corrupt, EverySingleByteCorruption) {
    for (const Format& f : formats()) {
        SCOPED_TRACE(f.name);
        size_t loaded = 0;
        for (size_t i = 0; i < f.valid.size(); ++i) {
            for (uint8_t mask : {0x01, 0x80, 0xFF}) {
                std::vector<uint8_t> b = f.valid;
                b[i] ^= mask;
                loaded += loads(f, b, "byte " + std::to_string(i) + " ^ " + std::to_string(mask));
            }
        }
        // PNG: every byte is under a CRC or is structure, so nothing corrupted may load.
        if (!f.flips_may_succeed) {
            EXPECT_EQ(loaded, 0u);
        }
    }
}

TEST(Corrupt, SeededRandomMutations) {
    std::mt19937_64 rng(20261126);
    for (const Format& f : formats()) {
        SCOPED_TRACE(f.name);
        for (int iter = 0; iter < 3000; ++iter) {
            std::vector<uint8_t> b = f.valid;
            const int edits = 1 + static_cast<int>(rng() % 8);
            for (int e = 0; e < edits && !b.empty(); ++e) {
                const size_t pos = rng() % b.size();
                switch (rng() % 4) {
                    case 0: b[pos] = static_cast<uint8_t>(rng()); break;                 // overwrite
                    case 1: b.erase(b.begin() + static_cast<long>(pos)); break;          // delete
                    case 2: b.insert(b.begin() + static_cast<long>(pos), static_cast<uint8_t>(rng())); break;
                    case 3: b[pos] = (rng() & 1) ? 0xFF : '9'; break;                    // big lengths / digits
                }
            }
            loads(f, b, "mutation " + std::to_string(iter));
        }
    }
}

TEST(Corrupt, TruncatedFilesOnDiskNameThePath) {
    testing::ScratchDir dir;
    const auto npy = encode_npy(zeros({10}));
    const std::string path = dir.file("cut.npy");
    write_file_atomic(path, npy.data(), npy.size() - 3);
    try {
        load_npy(path);
        FAIL() << "loaded a truncated file";
    } catch (const IOError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }
    const std::vector<uint8_t> px(4, 1);
    const auto png = encode_png(px.data(), 2, 2, 1);
    write_file_atomic(dir.file("cut.png"), png.data(), png.size() / 2);
    EXPECT_THROW(read_png_text_chunks(dir.file("cut.png")), IOError);
    EXPECT_THROW(read_png_size(dir.file("cut.png")), IOError);
    const auto st = encode_safetensors({{"w", zeros({4})}});
    write_file_atomic(dir.file("cut.safetensors"), st.data(), st.size() - 1);
    EXPECT_THROW(load_safetensors(dir.file("cut.safetensors")), IOError);
}

}  // namespace
}  // namespace nl::io
