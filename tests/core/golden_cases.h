// The cases pinned by tests/golden/streams_v<kStreamVersion>.txt: each op of op_catalog.h, in each of its dtypes,
// for several seeds, sizes (odd ones included), generator offsets and stream ids. Shared by
// test_golden.cpp (which checks them) and make_golden.cpp (which rewrites the file).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace nl::testing {

struct GoldenCase {
    std::string op;
    DType dtype = DType::Float32;
    uint64_t seed = 0;
    Shape shape;
    uint64_t offset = 0;
    uint32_t stream = 0;
    // "op dtype seed shape offset stream": the first six columns of a golden line.
    std::string key() const;
};

struct GoldenResult {
    uint64_t hash = 0;          // nl::tensor_hash of the output
    std::string first;          // first kGoldenValues values, comma-separated
    uint64_t offset_after = 0;  // the generator's offset after the op
};

constexpr int kGoldenValues = 4;

std::vector<GoldenCase> golden_cases();
GoldenResult run_golden(const GoldenCase& c, Device device = Device::cpu());
// A full line: key, hash (16 hex digits), offset after, first values.
std::string golden_line(const GoldenCase& c, const GoldenResult& r);
// The file header (stream version, column meaning, regenerate command).
std::string golden_header();
std::string golden_path();              // tests/golden/streams_v<kStreamVersion>.txt in the source tree
std::string regenerate_command();

}  // namespace nl::testing
