// `noiselab stream`: the raw Philox4x32-10 word stream of (seed, stream) from a block offset, to
// stdout: little-endian uint32 words with --raw (for statistical test batteries, e.g.
// `noiselab stream --raw --seed 1 | dieharder -a -g 200`), else one 8-digit hex word per line.
// Word 4*b + j is word j of block `offset + b`, the words every random op reads (docs/STREAMS.md).
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli_parse.h"
#include "app/commands.h"
#include "tensor/errors.h"
#include "tensor/generator.h"
#include "tensor/philox.h"

namespace nl::app {

namespace {

int run_stream(int argc, char** argv) {
    CLI::App app{"Write the Philox word stream to stdout (forever, or --words N words).", "noiselab stream"};
    bool raw = false;
    std::string seed_s, stream_s = "0", offset_s = "0", words_s;
    app.add_flag("--raw", raw, "binary little-endian uint32 words (default: hex text, one word per line)");
    app.add_option("--seed", seed_s, "seed, 0 to 2^64-1 (default 67280421310721)");
    app.add_option("--stream", stream_s, "stream id, 0 to 4294967295 (default 0)");
    app.add_option("--offset", offset_s, "first Philox block (4 words each), 0 to 2^64-1 (default 0)");
    app.add_option("--words", words_s, "number of words, 0 to 2^64-1 (default: forever)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "noiselab stream: " << e.what() << " (see noiselab stream --help)\n";
        return 2;
    }
    const uint64_t seed = seed_s.empty() ? kDefaultSeed : parse_uint(seed_s, "--seed");
    const auto stream = static_cast<uint32_t>(parse_uint(stream_s, "--stream", UINT32_MAX));
    uint64_t block = parse_uint(offset_s, "--offset");
    const bool forever = words_s.empty();
    uint64_t left = forever ? 0 : parse_uint(words_s, "--words");
    if (raw && forever && ::isatty(STDOUT_FILENO))
        throw ValueError("--raw without --words writes binary forever; pipe it into a program or give --words N");

    // A reader that stops (dieharder, head) closes the pipe: end quietly instead of dying by SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    std::vector<unsigned char> buf;
    buf.reserve(1 << 16);
    int write_errno = 0;
    auto flush = [&]() {
        if (!buf.empty() && std::fwrite(buf.data(), 1, buf.size(), stdout) != buf.size()) {
            write_errno = errno ? errno : EIO;
            return false;
        }
        buf.clear();
        return true;
    };
    char hex[16];
    while (forever || left > 0) {
        const PhiloxCounter w = philox_block(seed, block++, stream);
        for (int j = 0; j < 4 && (forever || left > 0); ++j, left -= forever ? 0 : 1) {
            if (raw) {
                for (int k = 0; k < 4; ++k) buf.push_back(static_cast<unsigned char>(w.v[j] >> (8 * k)));
            } else {
                std::snprintf(hex, sizeof hex, "%08x\n", w.v[j]);
                buf.insert(buf.end(), hex, hex + 9);
            }
        }
        if (buf.size() >= (1 << 16) - 64 && !flush()) break;
    }
    if (write_errno == 0 && flush() && std::fflush(stdout) != 0) write_errno = errno ? errno : EIO;
    if (write_errno != 0 && write_errno != EPIPE) {
        std::cerr << "noiselab stream: writing to stdout failed: " << std::strerror(write_errno) << "\n";
        return 1;
    }
    return 0;
}

}  // namespace

int cmd_stream(int argc, char** argv) {
    try {
        return run_stream(argc, argv);
    } catch (const Error& e) {
        std::cerr << "noiselab stream: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nl::app
