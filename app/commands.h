// The subcommands of the `noiselab` command line; each lives in its own cmd_<name>.cpp and
// returns the process exit status (0 ok, 2 bad input, 1 other failure). main.cpp dispatches.
#pragma once

namespace nl::app {

int cmd_sample(int argc, char** argv);  // noiselab sample --dist normal --shape 64,1,28,28 ...
int cmd_info(int argc, char** argv);    // noiselab info FILE.png
int cmd_stream(int argc, char** argv);  // noiselab stream --raw --seed S  (Philox words to stdout)
int cmd_bench(int argc, char** argv);   // noiselab bench --device cpu --op randn --n N --csv
int cmd_diffuse(int argc, char** argv); // noiselab diffuse --model digits --class 3 --out grid.png
int cmd_gan(int argc, char** argv);     // noiselab gan --seed 7 [--interp 7,8 --slerp] --out gan.png
int cmd_vae(int argc, char** argv);     // noiselab vae --latent-grid --out map.png
int cmd_lm(int argc, char** argv);      // noiselab lm --temperature 0.8 --top-k 10 --n 20
// The desktop app (gui_main.cpp); without a GUI build it prints why and the CLI equivalent.
int run_gui(int argc, char** argv);

}  // namespace nl::app
