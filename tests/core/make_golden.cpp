// Rewrites the golden stream file (tests/golden/streams_v<kStreamVersion>.txt, or the path given)
// from the cases of golden_cases.cpp. Only for a deliberate stream change with a version bump:
// the header of the file says so, and test_golden.cpp prints this command on failure.
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>

#include "golden_cases.h"

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : nl::testing::golden_path();
    try {
        std::string text = nl::testing::golden_header();
        size_t n = 0;
        for (const nl::testing::GoldenCase& c : nl::testing::golden_cases()) {
            text += nl::testing::golden_line(c, nl::testing::run_golden(c)) + "\n";
            ++n;
        }
        std::ofstream f(path, std::ios::binary);
        f << text;
        if (!f.good()) {
            std::fprintf(stderr, "nl_make_golden: cannot write %s\n", path.c_str());
            return 1;
        }
        std::printf("wrote %zu cases to %s\n", n, path.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nl_make_golden: %s\n", e.what());
        return 1;
    }
    return 0;
}
