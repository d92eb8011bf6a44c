// Writes the raw bytes of one op of op_catalog.h to a file, for the independent numpy
// reimplementation in tests/golden/reference_streams.py. Usage:
//   nl_stream_dump <op> <dtype> <seed> <offset> <stream> <shape, e.g. 7 or 3x5> <out-file>
// The file holds the output's elements, row-major, little-endian; stdout gets
// "dtype <name> numel <n> offset_after <blocks>". Exit status 2 on bad arguments or op errors.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>

#include "op_catalog.h"

int main(int argc, char** argv) {
    if (argc != 8) {
        std::fprintf(stderr, "usage: %s <op> <dtype> <seed> <offset> <stream> <shape AxBx..> <out-file>\n", argv[0]);
        return 2;
    }
    try {
        const nl::testing::OpCase& op = nl::testing::find_op(argv[1]);
        const nl::DType d = nl::parse_dtype(argv[2]);
        const uint64_t seed = std::stoull(argv[3], nullptr, 0);
        const uint64_t offset = std::stoull(argv[4], nullptr, 0);
        const uint32_t stream = static_cast<uint32_t>(std::stoul(argv[5], nullptr, 0));
        nl::Shape shape;
        std::istringstream is(argv[6]);
        std::string part;
        while (std::getline(is, part, 'x')) shape.push_back(std::stoll(part));
        nl::Generator g(seed, stream);
        g.set_offset(offset);
        const nl::Tensor t = op.run(shape, d, g);
        const std::vector<uint8_t> bytes = nl::testing::tensor_bytes(t);
        std::ofstream f(argv[7], std::ios::binary);
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!f.good()) {
            std::fprintf(stderr, "cannot write %s\n", argv[7]);
            return 2;
        }
        std::printf("dtype %s numel %lld offset_after %llu\n", nl::dtype_name(t.dtype()),
                    static_cast<long long>(t.numel()), static_cast<unsigned long long>(g.offset()));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nl_stream_dump: %s\n", e.what());
        return 2;
    }
    return 0;
}
