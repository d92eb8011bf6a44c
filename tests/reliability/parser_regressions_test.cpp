// Inputs that the fuzzers (fuzz/) once found a bug with, replayed through the parsers: each must be
// refused with an nl::IOError that says why. The files are the committed reproducers in the seed
// corpora (fuzz/corpus/<target>/), so the fuzzers start from them too. Under the ASan + UBSan build
// (scripts/noiselab-sanitize, CI) a regression also shows as a sanitizer report.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tensor/errors.h"
#include "tensor/io/npy.h"
#include "tensor/io/recipe.h"
#include "tensor/io/safetensors.h"

namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> corpus_file(const std::string& target, const std::string& name) {
    const fs::path p = fs::path(NOISELAB_SOURCE_DIR) / "fuzz" / "corpus" / target / name;
    std::ifstream f(p, std::ios::binary);
    EXPECT_TRUE(f.good()) << "missing reproducer " << p;
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Runs fn, which must throw Error (an nl:: exception type) with `fragment` in its message.
template <class Error = nl::IOError, class Fn>
void expect_refusal(Fn fn, const std::string& fragment) {
    try {
        fn();
        ADD_FAILURE() << "accepted; expected an exception containing '" << fragment << "'";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

// fuzz_npy, 2026-11-26: shape (14000000, 0, 801, 2370752836200) has no elements, so the element
// count passed, but the contiguous strides (zeros counted as 1) overflowed int64 (UBSan:
// signed integer overflow in contiguous_strides).
TEST(FuzzFindings, NpyZeroSizedShapeWhoseStridesOverflow) {
    const auto bytes = corpus_file("fuzz_npy", "finding-zero-size-stride-overflow.npy");
    expect_refusal([&] { nl::io::decode_npy(bytes.data(), bytes.size(), "finding.npy"); },
                    "multiply to more than 2^63");
}

// The same shape in a safetensors header (no fuzzer found it there: written by hand after the .npy one).
TEST(FuzzFindings, SafetensorsZeroSizedShapeWhoseStridesOverflow) {
    const auto bytes = corpus_file("fuzz_safetensors", "zero-size-stride-overflow.safetensors");
    expect_refusal([&] { nl::io::decode_safetensors(bytes.data(), bytes.size(), "finding.safetensors"); },
                    "multiply to more than 2^63");
}

// The same class of shape in a recipe (PNG chunk, session file, preset): every size is at most
// 2^40 and the element count is 0, but `noiselab sample --from` would build the tensor.
TEST(FuzzFindings, RecipeZeroSizedShapeWhoseStridesOverflow) {
    const auto bytes = corpus_file("fuzz_recipe", "zero-size-stride-overflow.json");
    expect_refusal<nl::ValueError>(
        [&] { nl::io::parse_recipe(std::string(bytes.begin(), bytes.end()), "finding.json"); },
        "multiply to more than 2^63");
}

// fuzz_recipe, 2026-11-26: a number beyond double in the JSON ("6666666666666e66666") made
// nlohmann::json throw out_of_range (406), not parse_error, and it escaped parse_recipe as a
// foreign exception (sessions and PNG recipe chunks go through parse_recipe too).
TEST(FuzzFindings, RecipeNumberBeyondDoubleIsNotJson) {
    const auto bytes = corpus_file("fuzz_recipe", "finding-number-overflow.json");
    expect_refusal([&] { nl::io::parse_recipe(std::string(bytes.begin(), bytes.end()), "finding.json"); },
                   "finding.json: the recipe is not valid JSON");
    expect_refusal([] { nl::io::parse_recipe(R"({"op": "normal", "seed": 1e400})", "big.json"); },
                   "number overflow");
}

// Zero-sized shapes whose strides do fit stay readable (an empty tensor is a valid file).
TEST(FuzzFindings, ZeroSizedShapesThatFitAreStillRead) {
    const nl::Tensor t = nl::Tensor::empty({3, 0, 1 << 20}, nl::DType::Float32);
    const auto bytes = nl::io::encode_npy(t);
    const nl::Tensor u = nl::io::decode_npy(bytes.data(), bytes.size(), "empty.npy");
    EXPECT_EQ(u.shape(), t.shape());
    EXPECT_EQ(u.numel(), 0);
}

}  // namespace
