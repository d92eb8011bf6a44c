// The golden case list and the line format of tests/golden/streams_v<N>.txt (see golden_cases.h).
#include "golden_cases.h"

#include <cinttypes>
#include <cstdio>

#include "op_catalog.h"
#include "tensor/generator.h"
#include "tensor/hash.h"

namespace nl::testing {

namespace {

std::string hex64(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%016" PRIx64, v);
    return buf;
}

std::string shape_key(const Shape& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) out += (i ? "x" : "") + std::to_string(s[i]);
    return out;
}

// Output shapes per op: multinomial/sample_logits read [rows,] num_samples; without replacement
// at most 9 samples (9 non-zero categories per row).
std::vector<Shape> sizes_for(const OpCase& op) {
    if (op.name == "multinomial_no_replacement") return {{1}, {7}, {143, 7}};
    if (op.name.rfind("multinomial", 0) == 0 || op.name == "sample_logits") return {{1}, {7}, {1001}, {143, 7}};
    if (op.name == "randperm") return {{1}, {7}, {1001}};
    return {{1}, {7}, {1001}, {3, 5, 7}};
}

}  // namespace

std::string GoldenCase::key() const {
    return op + " " + dtype_name(dtype) + " " + hex64(seed) + " " + shape_key(shape) + " " + std::to_string(offset) +
           " " + std::to_string(stream);
}

std::vector<GoldenCase> golden_cases() {
    const uint64_t kSeeds[] = {0ull, 0x0123456789ABCDEFull, 0xFFFFFFFFFFFFFFFFull};
    // (offset, stream): a non-zero offset, a stream id, and both with the high counter words set.
    const std::pair<uint64_t, uint32_t> kPositions[] = {{5, 0}, {0, 3}, {(uint64_t(1) << 33) + 5, 0xFFFFFFFFu}};
    std::vector<GoldenCase> cases;
    for (const OpCase& op : op_catalog()) {
        for (DType d : op.dtypes) {
            const std::vector<Shape> sizes = sizes_for(op);
            for (const Shape& s : sizes) {
                // every size for seeds 0 and 0x0123..., the largest 1-D size for seed 2^64 - 1
                for (uint64_t seed : kSeeds) {
                    if (seed == kSeeds[2] && s != sizes[2]) continue;
                    if (s.size() > 1 && seed != kSeeds[1]) continue;
                    cases.push_back({op.name, d, seed, s, 0, 0});
                }
            }
            for (const auto& [offset, stream] : kPositions) cases.push_back({op.name, d, kSeeds[1], sizes[1], offset, stream});
        }
    }
    // Sizes that span several CPU chunks (2^14 blocks each), for the main ops in float32/int64.
    for (const char* name : {"rand", "randn", "bernoulli_", "exponential_", "randint", "randint_reject32", "randperm"}) {
        const DType d = std::string(name).rfind("randint", 0) == 0 || std::string(name) == "randperm" ? DType::Int64
                                                                                                     : DType::Float32;
        cases.push_back({name, d, 42, {100003}, 0, 0});
    }
    return cases;
}

GoldenResult run_golden(const GoldenCase& c, Device device) {
    const OpCase& op = find_op(c.op);
    Generator g(c.seed, c.stream);
    g.set_offset(c.offset);
    const Tensor t = op.run(c.shape, c.dtype, g, device);
    return {tensor_hash(t), first_values(t, kGoldenValues), g.offset()};
}

std::string golden_line(const GoldenCase& c, const GoldenResult& r) {
    return c.key() + " " + hash_hex(r.hash) + " " + std::to_string(r.offset_after) + " " +
           (r.first.empty() ? std::string("-") : r.first);
}

std::string golden_path() {
    return std::string(NOISELAB_SOURCE_DIR) + "/tests/golden/streams_v" + std::to_string(kStreamVersion) + ".txt";
}

std::string regenerate_command() {
    // (nl_make_golden writes tests/golden/streams_v<kStreamVersion>.txt of its source tree by default)
    return "cmake --build <build-dir> --target nl_make_golden && <build-dir>/tests/core/nl_make_golden";
}

std::string golden_header() {
    std::string h;
    h += "# Noise Lab golden random streams, stream version " + std::to_string(kStreamVersion) +
         " (kStreamVersion in tensor/generator.h;\n# the layout and transforms are docs/STREAMS.md).\n";
    h += "# Checked by tests/core/test_golden.cpp (ctest -R core_golden). Columns:\n";
    h += "#   op dtype seed shape offset stream | hash offset_after first_values\n";
    h += "# op: a case of tests/core/op_catalog.cpp (its parameters are fixed there); shape: sizes joined\n";
    h += "# by 'x'; offset (Philox blocks) and stream: the generator's position before the op;\n";
    h += "# hash: nl::tensor_hash (tensor/hash.h: FNV-1a over dtype, shape and the little-endian bytes);\n";
    h += "# offset_after: the generator's offset after the op; first_values: the first " +
         std::to_string(kGoldenValues) + " values (%.9g for\n";
    h += "# 16/32-bit floats, %.17g for float64, integers exactly).\n";
    h += "# Never regenerate to make a failing test pass: a difference means the stream changed. Only\n";
    h += "# after a deliberate change that bumps kStreamVersion (new file streams_v<N>.txt) run:\n";
    h += "#   " + regenerate_command() + "\n";
    h += "stream_version " + std::to_string(kStreamVersion) + "\n";
    return h;
}

}  // namespace nl::testing
