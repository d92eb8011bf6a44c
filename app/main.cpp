// `noiselab`: with a subcommand (sample, info, stream; bench, diffuse, gan, vae, lm where built) the
// headless command line; with no subcommand, or only flags, the desktop app (the sampler flags are
// passed through to it). Exit status: 0 ok, 2 bad input, 1 any other failure.
#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "app/cli_output.h"
#include "app/commands.h"

namespace {

struct Command {
    const char* name;
    int (*run)(int, char**);
    const char* usage;  // one line for --help
};

// Every subcommand in this build. The optional ones exist once their app/cmd_<name>.cpp does
// (app/CMakeLists.txt defines NOISELAB_HAVE_CMD_<NAME>), so a checkout without them still links.
const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"sample", nl::app::cmd_sample, "sample [FLAGS]          sample a tensor; write PNG / .npy, print statistics"},
        {"info", nl::app::cmd_info, "info FILE.png           show the recipe a PNG carries"},
        {"stream", nl::app::cmd_stream, "stream --raw --seed S   write the Philox word stream to stdout"},
#ifdef NOISELAB_HAVE_CMD_DIFFUSE
        {"diffuse", nl::app::cmd_diffuse, "diffuse [FLAGS]         sample the diffusion models (digits, 2-D toy data)"},
#endif
#ifdef NOISELAB_HAVE_CMD_GAN
        {"gan", nl::app::cmd_gan, "gan [FLAGS]             sample the digits GAN"},
#endif
#ifdef NOISELAB_HAVE_CMD_VAE
        {"vae", nl::app::cmd_vae, "vae [FLAGS]             sample the VAEs"},
#endif
#ifdef NOISELAB_HAVE_CMD_LM
        {"lm", nl::app::cmd_lm, "lm [FLAGS]              sample the character model"},
#endif
#ifdef NOISELAB_HAVE_CMD_BENCH
        {"bench", nl::app::cmd_bench, "bench [FLAGS]           time the random ops"},
#endif
    };
    return list;
}

void usage(std::ostream& os) {
    os << nl::app::software_name() << ": random tensors with PyTorch's semantics on reproducible Philox streams.\n\n"
       << "usage:\n"
       << "  noiselab [SAMPLER FLAGS]         the desktop app (e.g. noiselab --dist normal --seed 1)\n";
    for (const Command& c : commands()) os << "  noiselab " << c.usage << "\n";
    os << "  noiselab COMMAND --help          the flags of a command\n\n"
          "example:\n"
          "  noiselab sample --dist normal --shape 64,1,28,28 --seed 1234 --out grid.png --hist hist.png --stats\n"
          "  noiselab sample --from grid.png --npy x.npy\n";
}

int dispatch(int argc, char** argv) {
    if (argc < 2) return nl::app::run_gui(argc, argv);
    const std::string cmd = argv[1];
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        usage(std::cout);
        return 0;
    }
    if (cmd == "--version" || cmd == "version") {
        std::cout << nl::app::software_name() << "\n";
        return 0;
    }
    if (!cmd.empty() && cmd[0] == '-') return nl::app::run_gui(argc, argv);  // sampler flags for the app
    // The subcommands see their own name as argv[0].
    for (const Command& c : commands())
        if (cmd == c.name) return c.run(argc - 1, argv + 1);
    if (cmd == "gui") return nl::app::run_gui(argc - 1, argv + 1);
    std::string shown = cmd.substr(0, 60);
    for (char& ch : shown)
        if (ch < 32 || ch > 126) ch = '?';
    std::cerr << "noiselab: unknown command '" << shown << "'; valid commands:";
    for (const Command& c : commands()) std::cerr << " " << c.name << ",";
    std::cerr << " gui (see noiselab --help)\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    // Past a file-size limit (ulimit -f) the kernel's default SIGXFSZ kills the process mid-write,
    // leaving the atomic writer's temporary file behind; ignored, write() fails with EFBIG and the
    // writer removes its temporary file and reports the error like a full disk.
    std::signal(SIGXFSZ, SIG_IGN);
    // Commands report bad input themselves (status 2); anything escaping them is a bug or the
    // system failing (out of memory...): say so plainly instead of aborting.
    try {
        return dispatch(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "noiselab: error: " << e.what() << "\n";
        return 1;
    }
}
