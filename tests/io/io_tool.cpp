// Test helper for interop_check.py: writes .npy / PNG / safetensors files with the C++ code and
// prints, as JSON, what the C++ readers make of files NumPy/Python wrote.
//   io_tool write-npy DIR | write-png DIR | write-safetensors DIR
//   io_tool dump-npy FILE | dump-png FILE | dump-safetensors FILE
// Exit status 0 ok, 2 a library error (message on stderr), 1 bad usage.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>

#include "tensor/errors.h"
#include "tensor/io/npy.h"
#include "tensor/io/png.h"
#include "tensor/io/recipe.h"
#include "tensor/io/safetensors.h"

namespace {

using namespace nl;

// The values interop_check.py expects in file "<dtype>.npy": element i of a [2, 3, 4] tensor.
Tensor formula_tensor(DType d) {
    Tensor t = Tensor::empty({2, 3, 4}, d);
    for (int64_t i = 0; i < 24; ++i) {
        dispatch_dtype(d, [&](auto tag) {
            using T = decltype(tag);
            T* p = t.data<T>();
            if constexpr (std::is_same_v<T, int64_t>) p[i] = (i - 12) * 1000000000007LL;
            else if constexpr (std::is_same_v<T, int32_t>) p[i] = static_cast<int32_t>((i - 12) * 100003);
            else if constexpr (std::is_same_v<T, uint8_t>) p[i] = static_cast<uint8_t>((i * 37) % 256);
            else if constexpr (std::is_same_v<T, bool>) p[i] = i % 3 == 0;
            else if constexpr (std::is_same_v<T, double>) p[i] = static_cast<double>(i - 12) / 3.0;
            else p[i] = from_double<T>(static_cast<double>(i - 12) * 0.375);
        });
    }
    return t;
}

std::string num(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// {"dtype": ..., "shape": [...], "values": [...]} with integers printed exactly.
std::string tensor_json(const Tensor& t) {
    std::ostringstream os;
    os << "{\"dtype\": \"" << dtype_name(t.dtype()) << "\", \"shape\": [";
    for (size_t i = 0; i < t.shape().size(); ++i) os << (i ? ", " : "") << t.shape()[i];
    os << "], \"values\": [";
    const Tensor c = t.contiguous();
    dispatch_dtype(c.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = c.data<T>();
        for (int64_t i = 0; i < c.numel(); ++i) {
            os << (i ? ", " : "");
            if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, int32_t> || std::is_same_v<T, uint8_t>)
                os << static_cast<long long>(p[i]);
            else if constexpr (std::is_same_v<T, bool>) os << (p[i] ? "true" : "false");
            else os << num(to_double(p[i]));
        }
    });
    os << "]}";
    return os.str();
}

std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

int write_npy(const std::string& dir) {
    for (DType d : kAllDTypes) io::save_npy(dir + "/" + dtype_name(d) + ".npy", formula_tensor(d), true);
    // float32 special values by bit pattern: 0, -0, inf, -inf, NaN, smallest subnormal, max.
    const uint32_t bits[] = {0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0x00000001u, 0x7F7FFFFFu};
    Tensor s = Tensor::empty({7}, DType::Float32);
    std::memcpy(s.data_ptr(), bits, sizeof bits);
    io::save_npy(dir + "/special.npy", s, true);
    io::save_npy(dir + "/scalar.npy", full({}, -7.25, DType::Float64), true);
    io::save_npy(dir + "/empty.npy", zeros({0, 5}, DType::Int32), true);
    io::save_npy(dir + "/transposed.npy", arange(6).reshape({2, 3}).transpose(0, 1), true);
    return 0;
}

// Pixel (x, y, k) of the test images: interop_check.py recomputes it.
std::vector<uint8_t> pixels(int w, int h, int c) {
    std::vector<uint8_t> px(static_cast<size_t>(w) * h * c);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < c; ++k) px[(static_cast<size_t>(y) * w + x) * c + k] = static_cast<uint8_t>((x * 31 + y * 17 + k * 101) % 256);
    return px;
}

int write_png(const std::string& dir) {
    io::Recipe r;
    r.op = "normal";
    r.params = {{"mean", 0.0}, {"std", 1.0}};
    r.shape = {1, 7, 9};
    r.seed = 42;
    r.extra = {{"colormap", "viridis"}, {"note", "σ ✓"}};
    for (int c : {1, 3, 4}) {
        const auto px = pixels(9, 7, c);
        io::write_png(dir + "/c" + std::to_string(c) + ".png", px.data(), 9, 7, c,
                      {{io::kPngRecipeKey, io::recipe_to_string(r), io::PngTextKind::Utf8},
                       {io::kPngSoftwareKey, "Noise Lab (café)", io::PngTextKind::Latin1}},
                      true);
    }
    return 0;
}

int write_safetensors(const std::string& dir) {
    std::map<std::string, Tensor> m;
    for (DType d : kAllDTypes) m[dtype_name(d)] = formula_tensor(d);
    m["scalar"] = full({}, 3.5);
    io::save_safetensors(dir + "/all.safetensors", m, {{"format", "pt"}, {"source", "io_tool"}}, true);
    return 0;
}

int dump_png(const std::string& path) {
    const io::PngInfo info = io::read_png_info(path);
    std::cout << "{\"width\": " << info.width << ", \"height\": " << info.height << ", \"channels\": " << info.channels
              << ", \"bit_depth\": " << info.bit_depth << ", \"texts\": [";
    for (size_t i = 0; i < info.texts.size(); ++i)
        std::cout << (i ? ", " : "") << "[" << quoted(info.texts[i].key) << ", " << quoted(info.texts[i].text) << ", \""
                  << (info.texts[i].kind == io::PngTextKind::Utf8 ? "iTXt" : "tEXt") << "\"]";
    std::cout << "]}\n";
    return 0;
}

int dump_safetensors(const std::string& path) {
    const io::Safetensors f = io::load_safetensors(path);
    std::cout << "{\"metadata\": " << nlohmann::json(f.metadata).dump() << ", \"tensors\": {";
    bool first = true;
    for (const auto& [name, t] : f.tensors) {
        std::cout << (first ? "" : ", ") << quoted(name) << ": " << tensor_json(t);
        first = false;
    }
    std::cout << "}}\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: io_tool write-npy|write-png|write-safetensors DIR | dump-npy|dump-png|dump-safetensors FILE\n";
        return 1;
    }
    const std::string cmd = argv[1], arg = argv[2];
    try {
        if (cmd == "write-npy") return write_npy(arg);
        if (cmd == "write-png") return write_png(arg);
        if (cmd == "write-safetensors") return write_safetensors(arg);
        if (cmd == "dump-npy") {
            std::cout << tensor_json(nl::io::load_npy(arg)) << "\n";
            return 0;
        }
        if (cmd == "dump-png") return dump_png(arg);
        if (cmd == "dump-safetensors") return dump_safetensors(arg);
    } catch (const nl::Error& e) {
        std::cerr << "io_tool: " << e.what() << "\n";
        return 2;
    }
    std::cerr << "io_tool: unknown command '" << cmd << "'\n";
    return 1;
}
