// run_gui for builds without the desktop app (GLFW, Dear ImGui or OpenGL were not found when
// configuring): says so once and prints the command-line equivalent of what was asked.
#include <iostream>
#include <string>

#include "app/commands.h"

int nl::app::run_gui(int argc, char** argv) {
    std::string flags;
    for (int i = 1; i < argc; ++i) flags += std::string(" ") + argv[i];
    std::cerr << "noiselab: the desktop app is not in this build (GLFW, Dear ImGui or OpenGL was not found when it was\n"
                 "configured; see README.md). The command line works; the equivalent command is:\n"
                 "  noiselab sample"
              << flags << " --out grid.png --hist hist.png --stats\n";
    return 1;
}
