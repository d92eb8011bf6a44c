// Weight files are validated: truncated, corrupted or foreign files and wrong tensor shapes give
// an IOError naming the file (and the tensor), never a crash or silent garbage.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "model_test_util.h"
#include "models/nets.h"
#include "tensor/errors.h"
#include "tests/support/io_error.h"

namespace nl::models::testing {
namespace {

std::vector<char> read_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::string write_temp(const std::string& name, const std::vector<char>& bytes) {
    const std::string path = std::string(NOISELAB_BINARY_DIR) + "/models_test_" + name;
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

using nl::test::io_error_of;

TEST(Weights, MissingFileIsIOError) {
    const std::string msg = io_error_of([] { Weights::load("/nonexistent/none.safetensors"); });
    EXPECT_NE(msg.find("none.safetensors"), std::string::npos) << msg;
}

TEST(Weights, TruncatedFileIsIOError) {
    const std::vector<char> bytes = read_bytes(asset("toy2d_diffusion.safetensors"));
    ASSERT_GT(bytes.size(), 1000u);
    for (size_t keep : {size_t(0), size_t(4), size_t(12), bytes.size() / 2, bytes.size() - 1}) {
        const std::string path = write_temp("trunc.safetensors", std::vector<char>(bytes.begin(), bytes.begin() + keep));
        const std::string msg = io_error_of([&] { Toy2DNet net(Weights::load(path)); });
        EXPECT_NE(msg.find("models_test_trunc"), std::string::npos) << "kept " << keep << ": " << msg;
    }
}

TEST(Weights, CorruptHeaderIsIOError) {
    std::vector<char> bytes = read_bytes(asset("toy2d_diffusion.safetensors"));
    bytes[9] = '!';  // inside the JSON header
    const std::string msg = io_error_of([&] { Weights::load(write_temp("corrupt.safetensors", bytes)); });
    EXPECT_FALSE(msg.empty());
}

TEST(Weights, ForeignFileNamesTheMissingTensor) {
    // The classifier's weights are a valid file, but not a denoiser's.
    const std::string msg = io_error_of([] { Toy2DNet net(Weights::load(asset("digits_classifier.safetensors"))); });
    EXPECT_NE(msg.find("l1.weight"), std::string::npos) << msg;
}

TEST(Weights, WrongShapeNamesTensorAndShapes) {
    const Weights w = Weights::load(asset("digits_classifier.safetensors"));
    io::Safetensors st = io::load_safetensors(asset("digits_classifier.safetensors"));
    st.tensors["fc2.weight"] = zeros({9, 64});
    const std::string path = std::string(NOISELAB_BINARY_DIR) + "/models_test_shape.safetensors";
    io::save_safetensors(path, st.tensors, {}, true);
    const std::string msg = io_error_of([&] { DigitsClassifier c(Weights::load(path)); });
    EXPECT_NE(msg.find("fc2.weight"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[9, 64]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[10, 64]"), std::string::npos) << msg;
}

TEST(Weights, WrongDtypeIsIOError) {
    io::Safetensors st = io::load_safetensors(asset("digits_classifier.safetensors"));
    st.tensors["fc2.bias"] = zeros({10}, {DType::Float64});
    const std::string path = std::string(NOISELAB_BINARY_DIR) + "/models_test_dtype.safetensors";
    io::save_safetensors(path, st.tensors, {}, true);
    const std::string msg = io_error_of([&] { DigitsClassifier c(Weights::load(path)); });
    EXPECT_NE(msg.find("float64"), std::string::npos) << msg;
}

TEST(Weights, Toy2dNamesEachMissingTensorAndABadFourierWidth) {
    // The toy denoiser's conditioning projections and Fourier frequencies are required: a file
    // of the earlier layout (l1..l3 and out only) is refused with the tensor's name.
    for (const char* name : {"x_freqs", "c2.weight", "c3.bias"}) {
        io::Safetensors st = io::load_safetensors(asset("toy2d_diffusion.safetensors"));
        ASSERT_EQ(st.tensors.erase(name), 1u) << name;
        const std::string path = std::string(NOISELAB_BINARY_DIR) + "/models_test_toy_missing.safetensors";
        io::save_safetensors(path, st.tensors, {}, true);
        const std::string msg = io_error_of([&] { Toy2DNet net(Weights::load(path)); });
        EXPECT_NE(msg.find(name), std::string::npos) << name << ": " << msg;
    }
    // More frequencies than l1's input width leaves room for: the widths do not add up.
    io::Safetensors st = io::load_safetensors(asset("toy2d_diffusion.safetensors"));
    st.tensors["x_freqs"] = zeros({64});
    const std::string path = std::string(NOISELAB_BINARY_DIR) + "/models_test_toy_freqs.safetensors";
    io::save_safetensors(path, st.tensors, {}, true);
    const std::string msg = io_error_of([&] { Toy2DNet net(Weights::load(path)); });
    EXPECT_NE(msg.find("l1.weight input width"), std::string::npos) << msg;
    EXPECT_NE(msg.find("x_freqs"), std::string::npos) << msg;
}

}  // namespace
}  // namespace nl::models::testing
