// Writes the raw bytes of ops of op_catalog.h to files, for the independent numpy
// reimplementation in tests/golden/reference_streams.py. Usage:
//   nl_stream_dump <op> <dtype> <seed> <offset> <stream> <shape, e.g. 7 or 3x5> <out-file>
//   nl_stream_dump --batch <list-file>     (one case per line, the same seven fields)
// Each file holds the output's elements, row-major, little-endian; stdout gets one line per case:
// "dtype <name> numel <n> offset_after <blocks>". Exit status 2 on bad arguments or op errors.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "op_catalog.h"

namespace {

void dump_one(const std::vector<std::string>& a) {
    const nl::testing::OpCase& op = nl::testing::find_op(a.at(0));
    const nl::DType d = nl::parse_dtype(a.at(1));
    const uint64_t seed = std::stoull(a.at(2), nullptr, 0);
    const uint64_t offset = std::stoull(a.at(3), nullptr, 0);
    const uint32_t stream = static_cast<uint32_t>(std::stoul(a.at(4), nullptr, 0));
    nl::Shape shape;
    std::istringstream is(a.at(5));
    std::string part;
    while (std::getline(is, part, 'x')) shape.push_back(std::stoll(part));
    nl::Generator g(seed, stream);
    g.set_offset(offset);
    const nl::Tensor t = op.run(shape, d, g);
    const std::vector<uint8_t> bytes = nl::testing::tensor_bytes(t);
    std::ofstream f(a.at(6), std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!f.good()) throw std::runtime_error("cannot write " + a.at(6));
    std::printf("dtype %s numel %lld offset_after %llu\n", nl::dtype_name(t.dtype()), static_cast<long long>(t.numel()),
                static_cast<unsigned long long>(g.offset()));
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc == 3 && std::string(argv[1]) == "--batch") {
            std::ifstream list(argv[2]);
            if (!list) throw std::runtime_error(std::string("cannot read ") + argv[2]);
            std::string line;
            while (std::getline(list, line)) {
                std::istringstream is(line);
                std::vector<std::string> fields;
                for (std::string f; is >> f;) fields.push_back(f);
                if (fields.empty()) continue;
                if (fields.size() != 7) throw std::runtime_error("expected 7 fields: " + line);
                dump_one(fields);
            }
            return 0;
        }
        if (argc != 8) {
            std::fprintf(stderr, "usage: %s <op> <dtype> <seed> <offset> <stream> <shape AxBx..> <out-file>\n"
                                 "       %s --batch <list-file>\n", argv[0], argv[0]);
            return 2;
        }
        dump_one(std::vector<std::string>(argv + 1, argv + 8));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nl_stream_dump: %s\n", e.what());
        return 2;
    }
    return 0;
}
