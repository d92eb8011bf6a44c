// Helpers for the tensor/io tests: a scratch directory removed after each test, one sample
// tensor per dtype (with edge values), byte-level comparison, file listing, and (from
// tests/support/io_error.h) the message of an expected IOError.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "tensor/errors.h"
#include "tensor/tensor.h"
#include "tests/support/io_error.h"

namespace nl::io::testing {

// A fresh directory under /tmp for one test; removed (with whatever is in it) afterwards.
class ScratchDir {
public:
    ScratchDir() {
        char tmpl[] = "/tmp/nl_io_test.XXXXXX";
        const char* d = ::mkdtemp(tmpl);
        if (!d) throw std::runtime_error("mkdtemp failed");
        path_ = d;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(path_, ec);
    }
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    // Names in the directory, sorted (temp files would show up here).
    std::vector<std::string> entries() const {
        std::vector<std::string> out;
        for (const auto& e : std::filesystem::directory_iterator(path_)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    std::string path_;
};

inline std::vector<uint8_t> raw_bytes(const Tensor& t) {
    const Tensor c = t.cpu().contiguous();
    const uint8_t* p = static_cast<const uint8_t*>(c.data_ptr());
    return std::vector<uint8_t>(p, p + c.nbytes());
}

inline Tensor from_bits32(const std::vector<uint32_t>& bits) {
    Tensor t = Tensor::empty({static_cast<int64_t>(bits.size())}, DType::Float32);
    std::memcpy(t.data_ptr(), bits.data(), bits.size() * 4);
    return t;
}

// A [2, 3, 4] tensor of `d` with values that exercise the type: signs, fractions, large
// magnitudes, infinities and a NaN for floats; values beyond 2^53 for int64.
inline Tensor sample_tensor(DType d) {
    const Shape shape{2, 3, 4};
    Tensor t = Tensor::empty(shape, d);
    const int64_t n = 24;
    if (d == DType::Int64) {
        auto* p = t.data<int64_t>();
        for (int64_t i = 0; i < n; ++i) p[i] = (i - 12) * 1000000000000LL + 7;
        p[0] = INT64_MIN;
        p[1] = INT64_MAX;
        p[2] = (int64_t(1) << 53) + 1;  // not exact in double: would catch a trip through double
        return t;
    }
    std::vector<double> v(n);
    for (int64_t i = 0; i < n; ++i) {
        switch (d) {
            case DType::Int32: v[i] = static_cast<double>((i - 12) * 100003); break;
            case DType::UInt8: v[i] = static_cast<double>((i * 37) % 256); break;
            case DType::Bool: v[i] = (i % 3 == 0) ? 1.0 : 0.0; break;
            default: v[i] = (static_cast<double>(i) - 12.0) * 0.375 + (i % 5) / 7.0; break;
        }
    }
    if (is_floating(d)) {
        v[0] = -0.0;
        v[1] = INFINITY;
        v[2] = -INFINITY;
        v[3] = NAN;
        v[4] = d == DType::Float16 ? 65504.0 : 1e30;
        v[5] = d == DType::Float16 ? 6e-8 : 1e-39;  // subnormal in float16 / float32
    }
    if (d == DType::Int32) {
        v[0] = INT32_MIN;
        v[1] = INT32_MAX;
    }
    return from_vector(v, shape, d);
}

using nl::test::io_error_of;  // tests/support/io_error.h

}  // namespace nl::io::testing
