// The simulation visuals' registry entries (one function per visual, defined in its own
// gui/lessons/sims/<name>_visual.cpp); sims_table.cpp lists them.
#pragma once
#include "gui/lessons/lesson.h"

namespace nl::gui::sims {

LessonVisual gpu_repro_visual();   // "gpu_repro": lesson 12
LessonVisual dataloader_visual();  // "dataloader": lesson 14
LessonVisual init_visual();        // "init_depth": lesson 16
LessonVisual moons_visual();       // "seed_sweep": lesson 15
LessonVisual devices_visual();     // "devices": lesson 9
LessonVisual genmodels_visual();   // "generative_noise": lesson 8

}  // namespace nl::gui::sims
