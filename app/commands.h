// The subcommands of the `noiselab` command line; each lives in its own cmd_<name>.cpp and
// returns the process exit status (0 ok, 2 bad input, 1 other failure). main.cpp dispatches.
#pragma once

namespace nl::app {

int cmd_sample(int argc, char** argv);  // noiselab sample --dist normal --shape 64,1,28,28 ...
int cmd_info(int argc, char** argv);    // noiselab info FILE.png
int cmd_stream(int argc, char** argv);  // noiselab stream --raw --seed S  (Philox words to stdout)
int cmd_bench(int argc, char** argv);   // noiselab bench --device cpu --op randn --n N --csv
// The desktop app (gui_main.cpp); without a GUI build it prints why and the CLI equivalent.
int run_gui(int argc, char** argv);

}  // namespace nl::app
